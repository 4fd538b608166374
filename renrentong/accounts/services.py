"""The verbs of logging in and managing one's own credentials (AUTH-1..AUTH-3, AUTH-7, AUTH-8)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.bulk import among, chunks
from renrentong.core.errors import Fixer, UserFacingError, in_language
from renrentong.core.text import normalize_text
from renrentong.orgs.policy import PLATFORM_POLICY, EffectivePolicy

from renrentong.accounts.login import second_factor

from renrentong.accounts.login import throttle
from renrentong.accounts.models import Account, ApiToken, Identity, Person
from renrentong.accounts.passwords.services import check_password_policy, initial_expired, matches_initial
from renrentong.accounts.login.events import LoginOutcome, complete_login
from renrentong.accounts.login.events import local_time as _local_time  # noqa: F401 (callers use services._local_time)
from renrentong.accounts.login.events import log_event as _log
from renrentong.accounts.selectors import (
    contact_for, current_enrollment, find_accounts, identities_of, own_identity, person_in_scope,
    policy_for_account,
)

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
        _log(None, identifier, source, channel, "challenge_required")
        raise UserFacingError("login.challenge_required")

    accounts = find_accounts(identifier)
    if not accounts:
        _log(None, identifier, source, channel, "unknown_account")
        throttle.note_source(source, PLATFORM_POLICY)
        raise UserFacingError("login.unknown_account", contact=contact_for(None))
    if len(accounts) > 1:
        _log(None, identifier, source, channel, "ambiguous")
        raise UserFacingError("login.ambiguous", contact=contact_for(accounts[0]))
    account = accounts[0]
    policy = policy_for_account(account)
    contact = contact_for(account)

    # Counted before the password is checked, atomically, so parallel guesses each see their own number.
    reservation = throttle.reserve(account, source, policy)
    if reservation.needs_challenge(policy) and solved < throttle.cost_for(reservation.total - 1, policy):
        # Nothing was checked: only guesses that were checked count (and make the next challenge dearer).
        throttle.release(reservation, account, source)
        _log(account, identifier, source, channel, "challenge_required")
        raise UserFacingError("login.challenge_required", contact=contact)

    matched = password_matched(account, password)
    used_initial = matched == "initial"
    if not matched:
        from_source = throttle.note_source(source, PLATFORM_POLICY)
        _log(account, identifier, source, channel, "wrong_password")
        # One true thing about what happens next: the nearest of the account's and the address's limits.
        remaining = min(reservation.remaining(policy), throttle.source_left(source, from_source, PLATFORM_POLICY))
        if remaining:
            raise UserFacingError("login.wrong_password", remaining=remaining, contact=contact)
        raise UserFacingError("login.wrong_password_challenge_next", contact=contact)
    throttle.password_right(account, source, initial=used_initial, policy=PLATFORM_POLICY)

    refusal = _state_refusal(account, policy, used_initial)
    if refusal:
        _log(account, identifier, source, channel, refusal.code.split(".", 1)[1])
        refusal.contact = contact
        raise refusal
    if second_factor.required(account):
        # The password was right; the session or token waits for the second factor (docs/recovery.md).
        pending = second_factor.begin(account, identifier=identifier, source=source, channel=channel,
                                      must_change_password=used_initial)
        _log(account, identifier, source, channel, "second_factor_required")
        raise second_factor.SecondFactorRequired(pending)
    return complete_login(account, identifier, source=source, channel=channel, must_change_password=used_initial,
                          policy=policy)


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


def _state_refusal(account: Account, policy: EffectivePolicy, used_initial: bool) -> UserFacingError | None:
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
    identities = list(identities_of(account))
    if not identities:
        return UserFacingError("login.no_identity")
    schools = [i.school for i in identities if i.school_id]
    if schools and len(schools) == len(identities) and not any(s.registered for s in schools):
        return UserFacingError("login.school_not_tenant")
    return None


def password_matched(account: Account, password: str) -> str:
    """Which password of the account this is: "initial", "own" (its Argon2 one), or "" (wrong). An account
    still on its initial password has no Argon2 hash to check; skipping Django's dummy hash there keeps a
    mistyped first login as cheap as a right one during the term-start peak."""
    if matches_initial(account, password):
        return "initial"
    return "own" if account.has_usable_password() and account.check_password(password) else ""


def verify_current_password(account: Account, password: str) -> bool:
    return bool(password_matched(account, password))


@transaction.atomic
def change_password(actor: Actor, current: str, new: str, repeat: str) -> Account:
    """Change one's own password; ends every other session and token of the account (AUTH-8)."""
    account = Account.objects.select_for_update().get(pk=actor.account.pk)
    if not verify_current_password(account, current):
        raise UserFacingError("password.wrong_current")
    if new != repeat:
        raise UserFacingError("password.mismatch")
    if new == current:
        raise UserFacingError("password.same_as_current")
    check_password_policy(new, account, policy_for_account(account))
    account.set_password(new)
    account.initial_password_rule = ""
    account.initial_password_digest = ""
    account.initial_password_issued_at = None
    account.initial_password_sealed = None
    account.credentials_epoch += 1
    account.save()
    audit.record(actor, "password.change", account, school_id=account.home_school_id)
    actor.account = account
    return account


REVEALING_KINDS = (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def _revealed_person(actor: Actor, person_id: int, verb: str) -> Person:
    """The person whose full number an admin asks for, the read audited in the caller's transaction."""
    identity = actor.require_identity()
    person = person_in_scope(actor, person_id)
    if identity.kind not in REVEALING_KINDS:
        raise UserFacingError("privacy.reveal_not_allowed")
    enrollment = current_enrollment(person.pk)
    audit.record(actor, verb, person, school_id=enrollment.school_id if enrollment else identity.school_id)
    return person


@transaction.atomic
def reveal_id_number(actor: Actor, person_id: int) -> str:
    """A full ID number, for admins only and always audited (NFR-1)."""
    return _revealed_person(actor, person_id, "person.reveal_id_number").reveal_id_number()


@transaction.atomic
def reveal_national_student_number(actor: Actor, person_id: int) -> str:
    """A full national student number ("G" + the ID number, mostly): as the ID number, admins only, audited."""
    return _revealed_person(actor, person_id, "person.reveal_national_student_number").reveal_national_student_number()


def switch_identity(actor: Actor, identity_id: int) -> Identity:
    return own_identity(actor.account, identity_id)


def issue_token(outcome: LoginOutcome) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        account=outcome.account,
        identity=outcome.identity,
        digest=hashlib.sha256(raw.encode()).hexdigest(),
        epoch=outcome.account.credentials_epoch,
        must_change_password=outcome.must_change_password,
        expires_at=timezone.now() + timedelta(days=TOKEN_DAYS),
    )
    return raw


def token_for(raw: str) -> ApiToken | None:
    token = (
        ApiToken.objects.filter(digest=hashlib.sha256(raw.encode()).hexdigest(), expires_at__gt=timezone.now())
        .select_related("account__home_school", "account__person", "identity__school", "identity__region")
        .first()
    )
    if token is None or token.epoch != token.account.credentials_epoch:
        return None
    if token.account.status not in (Account.Status.ACTIVE, Account.Status.GRADUATED):
        return None
    return token


def revoke_token(token: ApiToken) -> None:
    token.delete()


def allocate_account_numbers(count: int, rng=None) -> list[str]:
    """`count` new platform-unique 8- or 9-digit account numbers (ACC-2), checked set-based.

    Numbers are random, not sequential, so that knowing one account does not reveal its neighbours.
    """
    import secrets

    draw = rng.randint if rng else lambda a, b: a + secrets.randbelow(b - a + 1)
    found: set[str] = set()
    while len(found) < count:
        wanted = count - len(found)
        candidates = {str(draw(10_000_000, 999_999_999)) for _ in range(wanted + wanted // 10 + 8)} - found
        taken = set()
        for chunk in chunks(sorted(candidates)):
            taken.update(Account.objects.filter(among("number", chunk)).values_list("number", flat=True))
        found.update(list(candidates - taken)[:wanted])
    return list(found)
