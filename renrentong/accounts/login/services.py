"""Logging in, sessions and tokens (AUTH-1, AUTH-7, AUTH-8): the checks of a login, its log, the identity
switch and the API's bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from renrentong.core.actor import Actor
from renrentong.core.errors import Fixer, UserFacingError, in_language
from renrentong.core.text import normalize_text
from renrentong.orgs.policy import EffectivePolicy

from renrentong.accounts.login import second_factor, throttle
from renrentong.accounts.login.events import LoginOutcome, complete_login, log_event
from renrentong.accounts.models import Account, ApiToken, Identity
from renrentong.accounts.passwords.services import initial_expired, password_matched
from renrentong.accounts.selectors import find_accounts, identities_of, own_identity
from renrentong.orgs.policy import PLATFORM_POLICY
from renrentong.accounts.selectors import contact_for, policy_for_account


TOKEN_DAYS = 30


def log_in(identifier: str, password: str, *, source: str, channel: str = "web", challenge: str = "") -> LoginOutcome:
    """Check a login; every outcome is logged and every refusal names who can fix it (HELP-1).

    Throttling never refuses a right password outright: past a threshold the login needs a solved
    challenge (`challenge`, an ALTCHA payload), see throttle.py. Without the cache nothing is checked."""
    identifier = normalize_text(identifier)
    if not identifier or not password:
        raise UserFacingError("login.missing_fields")
    throttle.ensure_cache()
    solved = throttle.redeem_challenge(challenge) if challenge else 0  # the work the solution proved
    if not solved and throttle.source_needs_challenge(source, PLATFORM_POLICY):
        log_event(None, identifier, source, channel, "challenge_required")
        raise UserFacingError("login.challenge_required")

    accounts = find_accounts(identifier)
    if not accounts:
        log_event(None, identifier, source, channel, "unknown_account")
        throttle.note_source(source, PLATFORM_POLICY)
        raise UserFacingError("login.unknown_account", contact=contact_for(None))
    if len(accounts) > 1:
        log_event(None, identifier, source, channel, "ambiguous")
        raise UserFacingError("login.ambiguous", contact=contact_for(accounts[0]))
    account = accounts[0]
    policy = policy_for_account(account)
    contact = contact_for(account)

    # Counted before the password is checked, atomically, so parallel guesses each see their own number.
    reservation = throttle.reserve(account, source, policy)
    if reservation.needs_challenge(policy) and solved < throttle.cost_for(reservation.total - 1, policy):
        # Nothing was checked: only guesses that were checked count (and make the next challenge dearer).
        throttle.release(reservation, account, source)
        log_event(account, identifier, source, channel, "challenge_required")
        raise UserFacingError("login.challenge_required", contact=contact)

    matched = password_matched(account, password)
    used_initial = matched == "initial"
    if not matched:
        from_source = throttle.note_source(source, PLATFORM_POLICY)
        log_event(account, identifier, source, channel, "wrong_password")
        # One true thing about what happens next: the nearest of the account's and the address's limits.
        remaining = min(reservation.remaining(policy), throttle.source_left(source, from_source, PLATFORM_POLICY))
        if remaining:
            raise UserFacingError("login.wrong_password", remaining=remaining, contact=contact)
        raise UserFacingError("login.wrong_password_challenge_next", contact=contact)
    throttle.password_right(account, source, initial=used_initial, policy=PLATFORM_POLICY)

    identities = list(identities_of(account))
    refusal = state_refusal(account, policy, used_initial, identities)
    if refusal:
        log_event(account, identifier, source, channel, refusal.code.split(".", 1)[1])
        refusal.contact = contact
        raise refusal
    if second_factor.required(account, identities):
        # The password was right; the session or token waits for the second factor (docs/recovery.md).
        pending = second_factor.begin(account, identifier=identifier, source=source, channel=channel,
                                      must_change_password=used_initial)
        log_event(account, identifier, source, channel, "second_factor_required")
        raise second_factor.SecondFactorRequired(pending)
    return complete_login(account, identifier, source=source, channel=channel, must_change_password=used_initial,
                          policy=policy, identities=identities)


def login_challenge(identifier: str = "") -> dict:
    """A challenge for the next login of `identifier`: the more wrong passwords its account has had from
    anywhere, the more work. An unknown identifier gets the base work, like any other."""
    policy, failures = PLATFORM_POLICY, 0
    accounts = find_accounts(normalize_text(identifier)) if identifier else []
    if len(accounts) == 1:
        policy = policy_for_account(accounts[0])
        failures = throttle.account_failures(accounts[0], policy)
    return throttle.new_challenge(throttle.cost_for(failures, policy))


def login_needs_challenge(source: str) -> bool:
    """Whether a login from this source needs a solved challenge before anything else (the login page asks)."""
    try:
        return throttle.source_needs_challenge(source, PLATFORM_POLICY)
    except Exception:  # noqa: BLE001 -- the page still renders; the login itself fails closed
        return False


def state_refusal(account: Account, policy: EffectivePolicy, used_initial: bool,
                  identities: list[Identity] | None = None) -> UserFacingError | None:
    status = account.status
    if status == Account.Status.FROZEN:
        return UserFacingError("login.frozen")
    if status == Account.Status.LEFT:
        return UserFacingError("login.left_school")
    if status == Account.Status.PENDING:
        return UserFacingError("login.pending")
    if status == Account.Status.DELETED:
        recent = account.status_changed_at > timezone.now() - timedelta(days=policy.recycle_retention_days)
        restorer = in_language(*(Fixer.SCHOOL_ADMIN if recent else Fixer.PROVINCE_ADMIN))
        return UserFacingError("login.deleted", restorer=restorer)
    if used_initial and initial_expired(account, policy):
        return UserFacingError("login.initial_expired", days=policy.initial_password_days)
    if identities is None:
        identities = list(identities_of(account))
    if not identities:
        return UserFacingError("login.no_identity")
    schools = [i.school for i in identities if i.school_id]
    if schools and len(schools) == len(identities) and not any(s.registered for s in schools):
        return UserFacingError("login.school_not_tenant")
    return None


def switch_identity(actor: Actor, identity_id: int) -> Identity:
    return own_identity(actor.account, identity_id)


def issue_token(outcome: LoginOutcome) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        account=outcome.account,
        school_id=outcome.account.home_school_id,
        identity=outcome.identity,
        digest=hashlib.sha256(raw.encode()).hexdigest(),
        epoch=outcome.account.credentials_epoch,
        must_change_password=outcome.must_change_password,
        expires_at=timezone.now() + timedelta(days=TOKEN_DAYS),
    )
    return raw


def token_for(raw: str) -> ApiToken | None:
    token = (
        # From the primary, never a replica: a token just issued, or just revoked, holds at once.
        ApiToken.objects.using(DEFAULT_DB_ALIAS)
        .filter(digest=hashlib.sha256(raw.encode()).hexdigest(), expires_at__gt=timezone.now())
        .select_related("account", "identity")
        .first()
    )
    if token is None or not credentials_hold(token.account, token.epoch):
        return None
    return token


def credentials_hold(account: Account, epoch: int) -> bool:
    """Whether something issued to the account at `epoch` still holds: no password change or reset since, and
    the account may still sign in (a freeze, a departure or a deletion ends it at once, AUTH-8)."""
    return epoch == account.credentials_epoch and account.status in (Account.Status.ACTIVE, Account.Status.GRADUATED)


def revoke_token(token: ApiToken) -> None:
    token.delete()


def switch_token_identity(token: ApiToken, identity: Identity) -> None:
    token.identity = identity
    token.save(update_fields=["identity"])


def token_after_password_change(token: ApiToken, account: Account) -> None:
    """The token that changed the password stays valid (the others end with the epoch)."""
    token.epoch = account.credentials_epoch
    token.must_change_password = False
    token.save(update_fields=["epoch", "must_change_password"])


def pending_second_factor(challenge: str):
    """The second factor a login waits for, or None and the refusal (the challenge expired)."""
    try:
        return second_factor.describe(challenge), None
    except UserFacingError as refusal:
        return None, refusal
