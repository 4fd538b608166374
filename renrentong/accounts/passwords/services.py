"""Password policy (AUTH-3) and initial passwords (AUTH-2).

Initial passwords are never Argon2-hashed: 100,000 imported students at ~100 ms a hash would take
hours. The account keeps a keyed HMAC of its initial password instead (microseconds to make and to
check); the key lives outside the database, so a leaked table alone does not reveal them. Rules
derived from public numbers are weaker than random ones (OWASP ASVS 6.4.1) and the admin settings
page says so; they last only until the first login or `initial_password_days`.
"""

from __future__ import annotations

import hmac
import secrets
import string
from datetime import timedelta
from functools import cache

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.db import transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.crypto import lookup_digest, seal, unseal
from renrentong.core.errors import UserFacingError
from renrentong.orgs.policy import EffectivePolicy

from renrentong.accounts.models import Account
from renrentong.accounts.selectors import policy_for_account

SYMBOLS = set(string.punctuation)
# Django's own marker for "no usable password" (set_unusable_password adds a random suffix per call,
# which costs a random draw per row in bulk imports and buys nothing: the digest carries the secret).
UNUSABLE = "!"


def initial_password_for(rule: str, account: Account, policy: EffectivePolicy) -> str:
    """The initial password a rule gives this account; `random` draws a new one."""
    if rule == "pw_account_last6":
        return f"Pw{account.number[-6:]}@"
    if rule == "pw_phone_last6":
        return f"Pw{(account.phone or account.number)[-6:]}@"
    if rule == "phone_last6":
        return (account.phone or account.number)[-6:]
    if rule == "school_default" and policy.school_default_password:
        return policy.school_default_password
    return random_password()


# Unambiguous characters only: slips are read off paper by children.
RANDOM_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# A byte below this is a uniform draw from the alphabet (taken modulo its length); the others are dropped.
_UNBIASED_BELOW = 256 - 256 % len(RANDOM_ALPHABET)


def random_password() -> str:
    # One read of the system's randomness per password, not one per character: secrets.choice read it 13 times
    # a password, 20 of the profiled seconds of a 100,000-student OneRoster import (243,911 accounts).
    while True:
        drawn = [b for b in secrets.token_bytes(24) if b < _UNBIASED_BELOW]
        if len(drawn) < 10:
            continue
        value = "".join(RANDOM_ALPHABET[b % len(RANDOM_ALPHABET)] for b in drawn[:10])
        if any(c.isdigit() for c in value) and any(c.isupper() for c in value) and any(c.islower() for c in value):
            return value


def initial_digest(account_number: str, password: str) -> str:
    return lookup_digest(f"initial:{account_number}", password)


def issue_initial_password(account: Account, rule: str, policy: EffectivePolicy, now=None) -> str:
    """Set the account's initial password by rule; returns it (for the slip). Caller saves."""
    password = initial_password_for(rule, account, policy)
    account.password = UNUSABLE
    account.initial_password_rule = rule
    account.initial_password_digest = initial_digest(account.number, password)
    account.initial_password_issued_at = now or timezone.now()
    if rule == "random":
        kid, blob = seal(password, f"initial:{account.number}")
        account.initial_password_sealed = kid.encode() + b":" + blob
    else:
        account.initial_password_sealed = None
    return password


# A password a parent chose for a child, kept like an initial password so that the child must change it.
GUARDIAN_RULE = "guardian_set"


def set_password_for_child(account: Account, password: str, *, for_good: bool) -> None:
    """A password someone other than the account's holder chose (caller saves). Only a guardian the school
    itself recorded sets it for good; any other guardian's choice is kept like an initial password, so
    the child must change it at the next login and whoever set it keeps no way into the account."""
    if for_good:
        account.set_password(password)
        account.initial_password_rule = ""
        account.initial_password_digest = ""
        account.initial_password_issued_at = None
    else:
        account.password = UNUSABLE
        account.initial_password_rule = GUARDIAN_RULE
        account.initial_password_digest = initial_digest(account.number, password)
        account.initial_password_issued_at = timezone.now()
    account.initial_password_sealed = None


def current_initial_password(account: Account, policy: EffectivePolicy) -> str:
    """The outstanding initial password, for an account slip; "" once the user has chosen their own."""
    if not account.initial_password_digest:
        return ""
    if account.initial_password_sealed:
        kid, _, blob = bytes(account.initial_password_sealed).partition(b":")
        return unseal(kid.decode(), blob, f"initial:{account.number}")
    password = initial_password_for(account.initial_password_rule, account, policy)
    return password if matches_initial(account, password) else ""


def matches_initial(account: Account, password: str) -> bool:
    if not account.initial_password_digest:
        return False
    return hmac.compare_digest(initial_digest(account.number, password), account.initial_password_digest)


def initial_expired(account: Account, policy: EffectivePolicy) -> bool:
    issued = account.initial_password_issued_at
    return issued is not None and timezone.now() > issued + timedelta(days=policy.initial_password_days)


@cache
def _common_passwords() -> frozenset[str]:
    # Django ships the 20,000 most common passwords; we add the ones Chinese users favour.
    extra = {"aa123456", "qq123456", "a1234567", "abc12345", "woaini1314", "pw123456@", "zxcvbnm1", "qwer1234"}
    return frozenset(CommonPasswordValidator().passwords) | extra


def check_password_policy(password: str, account: Account, policy: EffectivePolicy) -> None:
    """Raise the UserFacingError naming the first rule the password breaks."""
    has_digit = any(c.isdigit() for c in password)
    has_upper = any(c.isupper() for c in password)
    has_lower = any(c.islower() for c in password)
    has_symbol = any(c in SYMBOLS for c in password)
    if policy.password_rule == "S":
        if not 8 <= len(password) <= 15:
            raise UserFacingError("password.length", min=8, max=15)
        if any(not (c.isascii() and c.isalnum()) for c in password):
            raise UserFacingError("password.no_symbols")
        if not has_digit:
            raise UserFacingError("password.needs_digit")
        if not has_upper:
            raise UserFacingError("password.needs_upper")
        if not has_lower:
            raise UserFacingError("password.needs_lower")
    else:
        if not 8 <= len(password) <= 20:
            raise UserFacingError("password.length", min=8, max=20)
        if any(not c.isascii() or c.isspace() for c in password):
            raise UserFacingError("password.classes")
        if sum((has_digit, has_upper, has_lower, has_symbol)) < 3:
            raise UserFacingError("password.classes")
    derived = {f"Pw{account.number[-6:]}@"} | ({f"Pw{account.phone[-6:]}@"} if account.phone else set())
    if matches_initial(account, password) or password in derived:
        raise UserFacingError("password.is_initial")
    lowered = password.lower()
    if lowered in _common_passwords():
        raise UserFacingError("password.common")
    if account.number in password or (account.phone and account.phone[-8:] in password):
        raise UserFacingError("password.contains_account")


def password_matched(account: Account, password: str) -> str:
    """Which password of the account this is: "initial", "own" (its Argon2 one), or "" (wrong). An account
    still on its initial password has no Argon2 hash to check; skipping Django's dummy hash there keeps a
    mistyped first login as cheap as a right one during the term-start peak."""
    if matches_initial(account, password):
        return "initial"
    return "own" if account.has_usable_password() and account.check_password(password) else ""


def verify_current_password(account: Account, password: str) -> bool:
    return bool(password_matched(account, password))


def check_chosen_password(account: Account, new: str, repeat: str, policy: EffectivePolicy) -> None:
    """A chosen password and its repetition: the same, and within the policy (AUTH-3)."""
    if new != repeat:
        raise UserFacingError("password.mismatch")
    check_password_policy(new, account, policy)


def set_chosen_password(account: Account, new: str, repeat: str, policy: EffectivePolicy, *, for_good: bool = True,
                        audit_actor: Actor | None, verb: str, details: dict | None = None, audit_account: Account | None = None,
                        school_id: int | None = None) -> None:
    """The one way to set a password someone chose: one's own change, a parent's for a child, a recovery.

    Checks it (repetition, policy), stores it (for good as an Argon2 hash, or kept like an initial password
    when someone else chose it, see set_password_for_child), ends every session and token of the account
    (AUTH-8) and writes the audit record. The caller holds the account's row lock and its transaction."""
    check_chosen_password(account, new, repeat, policy)
    set_password_for_child(account, new, for_good=for_good)
    account.credentials_epoch += 1
    account.save()
    audit.record(audit_actor, verb, account, details, account=audit_account, school_id=school_id)


@transaction.atomic
def change_password(actor: Actor, current: str, new: str, repeat: str, *, current_proved: bool = False) -> Account:
    """Change one's own password; ends every other session and token of the account (AUTH-8).

    `current_proved`: the page's session proved the current password at its login minutes ago
    (accounts.login.sessions.password_recently_proved), so `current` is not asked again; the new one must
    still differ from it."""
    account = Account.objects.select_for_update().get(pk=actor.account.pk)
    if not current_proved and not verify_current_password(account, current):
        raise UserFacingError("password.wrong_current")
    if new != repeat:
        raise UserFacingError("password.mismatch")
    if (new == current) if not current_proved else bool(password_matched(account, new)):
        raise UserFacingError("password.same_as_current")
    set_chosen_password(account, new, repeat, policy_for_account(account), audit_actor=actor, verb="password.change",
                        details={"current": "proved at login"} if current_proved else None,
                        school_id=account.home_school_id)
    actor.account = account
    return account
