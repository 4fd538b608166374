"""The second factor at login (MLPS level 3 asks two factors of administrators; docs/recovery.md).

After the password (or an SMS code) is right, an account that needs a second factor gets no session
and no token yet: it gets a pending login, a random challenge kept in the cache for ten minutes, that
a TOTP code or a code sent to the bound phone completes. Who needs it is a region setting
(orgs/policy.py): region admins (district and above) by default, school admins where the region says,
and anyone who added an authenticator app.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_phone
from renrentong.orgs.policy import policy_for_region, policy_for_school
from renrentong.verification.models import Challenge
from renrentong.verification.services import confirm_code, send_code
from renrentong.verification.totp import confirm_enrollment, has_totp, start_enrollment, verify_totp

from renrentong.accounts.login import access, throttle
from renrentong.accounts.login.events import complete_login, local_time, log_event
from renrentong.accounts.models import Account, Identity
from renrentong.accounts.selectors import code_recipient, contact_for, policy_for_account

PENDING_SECONDS = 10 * 60
MAX_FAILURES = 5
METHODS = ("totp", "sms")


def required(account: Account, identities: list[Identity] | None = None) -> bool:
    """Whether a login to this account needs a second factor: by the policy of each admin identity, or
    because the user added an authenticator app of their own accord (else it would protect nothing).
    `identities`: all of the account's, when the caller has read them (with their regions and schools)."""
    if identities is None:
        admins = account.identities.filter(kind__in=access.SECOND_FACTOR_KINDS).select_related("region", "school")
    else:
        admins = [identity for identity in identities if access.may_need_second_factor(identity)]
    for identity in admins:
        if identity.region_id and policy_for_region(identity.region).second_factor_region_admins:
            return True
        if identity.school_id and policy_for_school(identity.school).second_factor_school_admins:
            return True
    return has_totp(account)


def methods_of(account: Account) -> list[str]:
    found = ["totp"] if has_totp(account) else []
    return found + (["sms"] if account.phone else [])


@dataclass(frozen=True)
class Pending:
    challenge: str
    methods: list[str]
    masked_phone: str
    code_sent: bool
    expires_at: datetime
    resend_at: datetime | None = field(default=None)


class SecondFactorRequired(UserFacingError):
    """Raised by a login whose password was right: the answer carries the challenge to complete."""

    def __init__(self, pending: Pending) -> None:
        super().__init__("second_factor.required")
        self.pending = pending

    def as_dict(self) -> dict:
        pending = self.pending
        return {
            **super().as_dict(),
            "challenge": pending.challenge,
            "methods": pending.methods,
            "masked_phone": pending.masked_phone,
            "code_sent": pending.code_sent,
            "expires_at": pending.expires_at.isoformat(),
        }


def _key(challenge: str) -> str:
    return "second_factor:" + hashlib.sha256(challenge.encode()).hexdigest()


def _binding(challenge: str) -> str:
    return f"second_factor:{challenge}"


def _pending(challenge: str, state: dict, resend_at: datetime | None = None) -> Pending:
    return Pending(challenge=challenge, methods=state["methods"], masked_phone=state["masked_phone"],
                   code_sent=bool(state["sms_token"]),
                   expires_at=datetime.fromtimestamp(state["expires"], tz=timezone.get_current_timezone()),
                   resend_at=resend_at)


def _save(challenge: str, state: dict) -> None:
    cache.set(_key(challenge), state, max(int(state["expires"] - time.time()), 1))


def _latest_key(account_id: int) -> str:
    return f"second_factor:latest:{account_id}"


def _code_still_usable(state: dict | None) -> Challenge | None:
    """The SMS challenge of an earlier pending login, if its code can still be entered."""
    if not state or not state.get("sms_token"):
        return None
    sent = Challenge.objects.filter(token=state["sms_token"], used_at__isnull=True).first()
    if sent is None or sent.voided or sent.expires_at <= timezone.now():
        return None
    return sent


def _reuse_code_sent(challenge: str, state: dict, seconds: int) -> Pending:
    """A second login within the resend wait: let the admin enter the code already sent (issue 10: the
    password step answered `verification.resend_wait` with nothing to enter the code into). Without
    such a code, the page offers to send one once the wait is over."""
    earlier = cache.get(_key(cache.get(_latest_key(state["account_id"])) or ""))
    sent = _code_still_usable(earlier)
    if sent is not None:
        state["sms_token"], state["sms_binding"] = earlier["sms_token"], earlier["sms_binding"]
        _save(challenge, state)
        return _pending(challenge, state, resend_at=sent.resend_at)
    return _pending(challenge, state, resend_at=timezone.now() + timedelta(seconds=seconds))


def begin(account: Account, *, identifier: str, source: str, channel: str, must_change_password: bool,
          allowed: tuple[str, ...] = METHODS) -> Pending:
    """Start the second-factor step; without an authenticator app the SMS code is sent at once."""
    available = [m for m in methods_of(account) if m in allowed]
    if not available:
        raise UserFacingError("second_factor.no_method")
    challenge = secrets.token_urlsafe(32)
    state = {
        "account_id": account.pk, "epoch": account.credentials_epoch, "identifier": identifier,
        "channel": channel, "must_change_password": must_change_password, "methods": available,
        "masked_phone": mask_phone(account.phone or "") if "sms" in available else "",
        "sms_token": "", "expires": time.time() + PENDING_SECONDS,
    }
    _save(challenge, state)
    if available == ["sms"]:
        try:
            return send_sms(challenge, source=source)
        except UserFacingError as exc:
            if exc.code != "verification.resend_wait":
                raise
            return _reuse_code_sent(challenge, state, int(exc.params.get("seconds", 60)))
    return _pending(challenge, state)


def _state(challenge: str) -> dict:
    state = cache.get(_key(challenge or ""))
    if state is None:
        raise UserFacingError("second_factor.expired")
    return state


def send_sms(challenge: str, *, source: str) -> Pending:
    """Send (or send again) a code to the bound phone; the verification quotas apply."""
    state = _state(challenge)
    if "sms" not in state["methods"]:
        raise UserFacingError("second_factor.no_phone")
    account = Account.objects.get(pk=state["account_id"])
    sent = send_code(purpose="second_factor", target=account.phone, recipient=code_recipient(account), source=source,
                     binding=_binding(challenge), policy=policy_for_account(account))
    state["sms_token"], state["sms_binding"] = sent.token, _binding(challenge)
    _save(challenge, state)
    cache.set(_latest_key(account.pk), challenge, PENDING_SECONDS)
    return _pending(challenge, state, resend_at=sent.resend_at)


def _tries_key(challenge: str) -> str:
    return f"2fa:pending:{hashlib.sha256((challenge or '').encode()).hexdigest()[:40]}"


def _account_tries_key(account: Account) -> str:
    return f"2fa:{account.pk}:{account.credentials_epoch}"


def describe(challenge: str) -> Pending:
    return _pending(challenge, _state(challenge))


def complete(challenge: str, *, method: str, code: str, source: str):
    """Check the second factor and finish the login: returns the LoginOutcome, as log_in does."""
    state = _state(challenge)
    account = Account.objects.filter(pk=state["account_id"]).first()
    if account is None or account.credentials_epoch != state["epoch"]:
        cache.delete(_key(challenge))
        raise UserFacingError("second_factor.expired")
    if method not in state["methods"]:
        raise UserFacingError("second_factor.method_invalid")
    policy = policy_for_account(account)
    identifier, channel = state["identifier"], state["channel"]
    verdict = throttle.check_account(account, source, policy)
    if verdict.locked_until:
        log_event(account, identifier, source, channel, "refused_locked")
        raise UserFacingError("login.locked", until=local_time(verdict.locked_until),
                              contact=contact_for(account))
    # Reserve the attempt before the code is checked, like the password (throttle.reserve): one atomic
    # upsert per counter, so parallel requests each see their own number. Per pending login at most
    # MAX_FAILURES codes are checked; per account, summed over every address, at most
    # `login_lock_failures` in the window, so a new address or a new login brings no fresh tries.
    window = throttle.window_of(policy)
    tries = throttle.bump(_tries_key(challenge), PENDING_SECONDS)
    total = throttle.bump(_account_tries_key(account), window)
    if tries > MAX_FAILURES:
        throttle.give_back(_account_tries_key(account))
        cache.delete(_key(challenge))
        raise UserFacingError("second_factor.too_many")
    if total > policy.login_lock_failures:
        throttle.give_back(_tries_key(challenge), _account_tries_key(account))
        log_event(account, identifier, source, channel, "refused_locked")
        started = throttle._marked_at(_account_tries_key(account)) or int(time.time())
        raise UserFacingError("second_factor.paused", until=local_time(started + window))
    if method == "totp":
        if not verify_totp(account, code):
            throttle.record_failure(account, source, policy)
            log_event(account, identifier, source, channel, "wrong_second_factor")
            if tries >= MAX_FAILURES:
                cache.delete(_key(challenge))
                raise UserFacingError("second_factor.too_many")
            raise UserFacingError("second_factor.wrong_code", remaining=MAX_FAILURES - tries)
    else:
        try:
            confirm_code(token=state["sms_token"], code=code, purpose="second_factor",
                         binding=state.get("sms_binding") or _binding(challenge))
        except UserFacingError as exc:
            if exc.code not in ("verification.wrong_code", "verification.voided"):
                # No code was checked (unknown, used or expired): the reservation is handed back.
                throttle.give_back(_tries_key(challenge), _account_tries_key(account))
            log_event(account, identifier, source, channel, "wrong_second_factor")
            raise
    # The code was right: this attempt is handed back, the account's earlier failures stay counted.
    throttle.give_back(_account_tries_key(account))
    if not cache.delete(_key(challenge)):
        raise UserFacingError("second_factor.expired")  # completed by a concurrent request
    return complete_login(account, identifier, source=source, channel=channel,
                                   must_change_password=state["must_change_password"], policy=policy)


def start_totp(actor) -> tuple[str, str]:
    """A new authenticator secret for the actor's own account: (base32 secret, otpauth:// URI)."""
    return start_enrollment(actor.account)


@transaction.atomic
def confirm_totp(actor, code: str) -> None:
    """The app shows the right code: it becomes (or replaces) the account's authenticator. Audited."""
    confirm_enrollment(actor.account, code)
    audit.record(actor, "second_factor.totp_enrolled", actor.account, school_id=actor.account.home_school_id)


def qr_data_uri(text: str, quiet: int = 4) -> str:
    """A QR code of `text` (the otpauth:// URI) as an SVG data URI, one path of dark modules; drawn
    with the QR encoder of reportlab, which the platform already uses for account slips."""
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.make()
    count = qr.getModuleCount()
    size = count + 2 * quiet
    dark = "".join(f"M{col + quiet} {row + quiet}h1v1h-1z" for row in range(count) for col in range(count)
                   if qr.isDark(row, col))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
           f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{dark}" fill="#000"/></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
