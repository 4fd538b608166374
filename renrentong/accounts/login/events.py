"""The end of every login (password, SMS code, second factor) and the login record (AUTH-1, 7): below
the login services and the second factor, which both finish a login here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from renrentong.core.masking import mask_identifier
from renrentong.orgs.policy import EffectivePolicy

from renrentong.accounts.login import throttle
from renrentong.accounts.models import Account, Identity, LoginEvent
from renrentong.accounts.selectors import identities_of, policy_for_account


@dataclass(frozen=True)
class LoginOutcome:
    account: Account
    identity: Identity | None  # the one the login starts with: set only when the account has one
    must_change_password: bool
    identities: tuple[Identity, ...] = ()


def local_time(ts: float) -> str:
    return date_format(timezone.localtime(datetime.fromtimestamp(ts, tz=timezone.get_current_timezone())),
                       "Y-m-d H:i")


def log_event(account: Account | None, identifier: str, source: str, channel: str, outcome: str) -> None:
    LoginEvent.objects.create(
        account=account, school_id=account.home_school_id if account else None,
        identifier=mask_identifier(identifier)[:32], source=source or None,
        channel=channel, outcome=outcome,
    )


def complete_login(account: Account, identifier: str, *, source: str, channel: str, must_change_password: bool,
                   policy: EffectivePolicy | None = None, identities: list[Identity] | None = None) -> LoginOutcome:
    """The last step of every login (password, SMS code, second factor): clears failures, logs the success.
    `identities`: the account's, when the caller has just read them (the answer lists them)."""
    with transaction.atomic():  # one commit (one WAL flush) for the three writes, not three
        throttle.record_success(account, source, policy or policy_for_account(account))
        log_event(account, identifier, source, channel, "success")
        Account.objects.filter(pk=account.pk).update(last_login=timezone.now())
    if identities is None:
        identities = list(identities_of(account))
    return LoginOutcome(account, identities[0] if len(identities) == 1 else None,
                        must_change_password=must_change_password, identities=tuple(identities))
