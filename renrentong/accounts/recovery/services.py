"""Proving a phone or email instead of a password: password recovery (AUTH-4); login by phone and
SMS code (AUTH-6, accounts/code_login/) uses the same flows. docs/recovery.md explains the flows and how account enumeration is weighed.

Each flow has three steps: (1) look up the identifier and send a code to a bound phone or email,
(2) confirm the code, which yields a short-lived *grant* naming the accounts that phone or email
serves (a parent's phone also serves the children's student accounts), (3) act on one of them: set
a new password, or log in. Step 1 is throttled per source before anything about the identifier is
revealed; sends are capped per phone, account and source by the verification app; a code dies after
five wrong entries. Grants and flows live in the cache, keyed by a hash of their random token.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from renrentong.core.crypto import id_number_digest, lookup_digest
from renrentong.core.errors import UserFacingError, in_language
from renrentong.core.masking import mask_identifier
from renrentong.core.text import is_valid_id_number, is_valid_mobile, normalize_id_number, normalize_text
from renrentong.orgs.models import Region
from renrentong.orgs.policy import EffectivePolicy, policy_for_region
from renrentong.verification.services import confirm_code, mask_target, send_code
from renrentong.verification.totp import has_totp, verify_totp

from renrentong.accounts import selectors as account_selectors

from renrentong.accounts.login import second_factor
from renrentong.accounts.login import events
from renrentong.accounts.login import services as login_services
from renrentong.accounts.login import throttle
from renrentong.accounts.models import Account, Guardianship, Identity, Person
from renrentong.accounts.passwords.services import check_chosen_password, set_chosen_password
from renrentong.accounts.recovery.access import is_student_only_label
from renrentong.core.masking import mask_account_number, mask_name
from renrentong.accounts.selectors import code_recipient, current_enrollment, find_accounts

FLOW_SECONDS = 60 * 60
GRANT_SECONDS = 15 * 60
MAX_TOTP_FAILURES = 5


@dataclass(frozen=True)
class CodeSent:
    token: str
    masked_target: str
    expires_at: datetime
    resend_at: datetime


@dataclass(frozen=True)
class Choices:
    """Several phones could receive the code: the user picks one (shown masked) by its index."""

    destinations: list[str]


@dataclass(frozen=True)
class AccountChoice:
    """One account a verified phone may act for, masked as the brief of the pick list asks, with a label
    saying who it is to the holder of the phone: "本人（家长 叶丽娟）" or "孩子 叶思（一年级1班）"."""

    id: int
    account_number: str
    name: str
    identities: list[str]
    label: str


@dataclass(frozen=True)
class Grant:
    grant: str
    accounts: list[Account]
    expires_at: datetime


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def platform_policy() -> EffectivePolicy:
    """Before an account is known, the root region's settings apply."""
    root = Region.objects.filter(parent__isnull=True).order_by("pk").first()
    return policy_for_region(root) if root else EffectivePolicy()


def _misses_key(source: str) -> tuple[str, int]:
    hour = int(time.time() // 3600)
    return f"recovery:misses:{source}:{hour}", hour


def check_lookups(source: str) -> None:
    """Refuse every look-up from a source that already met too many unknown identifiers this hour, or
    that the login spray detector paused, before the answer says anything about the identifier."""
    policy = platform_policy()
    verdict = throttle.check_source(source, policy)
    if verdict.paused_until:
        raise UserFacingError("recovery.source_throttled", until=events.local_time(verdict.paused_until))
    key, hour = _misses_key(source)
    if cache.get(key, 0) >= policy.recovery_misses_per_hour:
        raise UserFacingError("recovery.source_throttled", until=events.local_time((hour + 1) * 3600))


def record_miss(source: str, identifier: str) -> None:
    """An identifier that matched nobody: counts toward the hourly allowance and the spray detector."""
    key, _hour = _misses_key(source)
    cache.add(key, 0, 7200)
    cache.incr(key)
    # The database cache's incr rewrites the row with the default timeout; keep the window's.
    cache.touch(key, 7200)
    throttle.record_unknown(source, lookup_digest("recover", identifier), platform_policy())


def accounts_served_by(target: str) -> list[Account]:
    """The accounts a verified phone or email may act for: its own, and its person's children's."""
    # A deleted account's phone serves nobody, not even the children it was linked to.
    own = list(Account.objects.filter(**({"email": target} if "@" in target else {"phone": target}))
               .exclude(status=Account.Status.DELETED))
    people = [a.person_id for a in own if a.person_id]
    children = (Account.objects.filter(person__guardianships__guardian_id__in=people,
                                       identities__kind=Identity.Kind.STUDENT)
                .exclude(status=Account.Status.DELETED))
    found = {a.pk: a for a in own}
    found.update({a.pk: a for a in children})
    return [a for _, a in sorted(found.items())]


def _school_recorded_guardian(target: str, child: Account) -> bool:
    holders = Account.objects.filter(**({"email": target} if "@" in target else {"phone": target}))
    links = Guardianship.objects.filter(guardian_id__in=holders.values("person_id"), student_id=child.person_id)
    return any(link.made_by_school for link in links)


def account_choices(account_ids: list[int]) -> list[AccountChoice]:
    """The pick list: masked name (李*明) and number (20****01) with the identities, and a label naming
    who each account is to the holder of the phone (the code proved the phone: a parent sees their
    child's name in full), so that a parent never resets a child's password believing it their own."""
    accounts = list(Account.objects.filter(pk__in=account_ids).select_related("person")
                    .prefetch_related("identities__school", "identities__region").order_by("pk"))
    people = [a.person_id for a in accounts if a.person_id]
    wards = set(Guardianship.objects.filter(guardian_id__in=people, student_id__in=people)
                .values_list("student_id", flat=True))
    return [AccountChoice(id=a.pk, account_number=mask_account_number(a.number),
                          name=mask_name(a.person.name) if a.person_id else "",
                          identities=[i.label() for i in sorted(a.identities.all(), key=lambda i: i.pk)],
                          label=_who(a, a.person_id in wards))
            for a in sorted(accounts, key=lambda a: (a.person_id in wards, a.pk))]  # the holder's own first


KIND_ORDER = (Identity.Kind.GUARDIAN, Identity.Kind.TEACHER, Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN,
              Identity.Kind.STUDENT)


def _who(account: Account, is_child: bool) -> str:
    name = account.person.name if account.person_id else account.number
    if is_child:
        enrollment = current_enrollment(account.person_id)
        place = enrollment.school_class.display_name() if enrollment else ""
        return in_language(f"孩子 {name}（{place}）" if place else f"孩子 {name}",
                           f"Child {name} ({place})" if place else f"Child {name}")
    kinds = {i.kind for i in account.identities.all()}
    kind = next((k for k in KIND_ORDER if k in kinds), None)
    if is_student_only_label(kind):
        # A student recovering through a parent's phone: whoever holds the phone, this is the student.
        enrollment = current_enrollment(account.person_id) if account.person_id else None
        place = enrollment.school_class.display_name() if enrollment else ""
        return in_language(f"学生 {name}（{place}）" if place else f"学生 {name}",
                           f"Student {name} ({place})" if place else f"Student {name}")
    role = str(Identity.Kind(kind).label) if kind else ""
    return in_language(f"本人（{role} {name}）" if role else f"本人（{name}）",
                       f"You ({role} {name})" if role else f"You ({name})")


def guardian_phones(person_id: int | None) -> list[str]:
    if person_id is None:
        return []
    return list(Account.objects.filter(person__wards__student_id=person_id).exclude(phone=None)
                .exclude(status=Account.Status.DELETED).order_by("pk").values_list("phone", flat=True))


def mobile_of(value: str) -> str:
    return normalize_text(value).removeprefix("+86")


def _resolve(identifier: str) -> tuple[Account | None, list[str]]:
    """(an account the identifier names, the phones or emails a code may go to)."""
    if "@" in identifier:
        found = list(Account.objects.filter(email=identifier.lower()).select_related("home_school"))
    else:
        phone = mobile_of(identifier)
        served = accounts_served_by(phone) if is_valid_mobile(phone) else []
        if served:
            return served[0], [phone]
        found = find_accounts(identifier)
    if len(found) > 1:
        raise UserFacingError("login.ambiguous", contact=account_selectors.contact_for(found[0]))
    if not found:
        return None, []
    account = found[0]
    if account.status == Account.Status.DELETED:
        # The same answer as at login: who can restore it (seed 002 “账号异常”).
        refusal = login_services.state_refusal(account, account_selectors.policy_for_account(account), False)
        refusal.contact = account_selectors.contact_for(account)
        raise refusal
    if "@" in identifier:
        return account, [account.email]
    if account.phone:
        return account, [account.phone]
    if account.email:
        return account, [account.email]
    return account, guardian_phones(account.person_id)


def _choose(destinations: list[str], choice: int | None) -> str | None:
    if len(destinations) == 1 and choice in (None, 0):
        return destinations[0]
    if choice is None:
        return None
    if not 0 <= choice < len(destinations):
        raise UserFacingError("recovery.invalid_choice")
    return destinations[choice]


def send_flow_code(*, purpose: str, target: str, account: Account, source: str, binding: str, flow: dict) -> CodeSent:
    sent = send_code(purpose=purpose, target=target, recipient=code_recipient(account), source=source or None,
                     binding=binding,
                     policy=account_selectors.policy_for_account(account))
    cache.set(f"recovery:flow:{token_digest(sent.token)}", {**flow, "purpose": purpose, "binding": binding},
              FLOW_SECONDS)
    return CodeSent(sent.token, sent.masked_target, sent.expires_at, sent.resend_at)


def start_recovery(identifier: str, *, source: str, choice: int | None = None, phone: str = "") -> CodeSent | Choices:
    """Step 1 of "Forgot password": account number, phone or email (ID and student numbers also work).

    `phone`, optional with an account number, is the phone the user expects the code on: when it is
    not one the account's code may go to, they are told so (and where it can go) instead of waiting
    for a code that never comes."""
    identifier = normalize_text(identifier)
    if not identifier:
        raise UserFacingError("recovery.missing_identifier")
    check_lookups(source)
    account, destinations = _resolve(identifier)
    if account is None:
        record_miss(source, identifier)
        raise UserFacingError("recovery.no_such_user", identifier=mask_identifier(identifier),
                              contact=account_selectors.contact_for(None))
    if not destinations:
        raise UserFacingError("recovery.no_destination", contact=account_selectors.contact_for(account))
    expected = mobile_of(phone)
    if expected:
        if expected not in destinations:
            raise UserFacingError("recovery.phone_not_this_accounts",
                                  bound=in_language("、", ", ").join(mask_target(d) for d in destinations),
                                  contact=account_selectors.contact_for(account))
        choice = destinations.index(expected)
    target = _choose(destinations, choice)
    if target is None:
        return Choices([mask_target(d) for d in destinations])
    return send_flow_code(purpose="recover", target=target, account=account, source=source, binding=f"recover:{target}",
                 flow={"kind": "recover", "student_id": None})


def start_student_recovery(name: str, id_number: str, school: str, *, source: str,
                           choice: int | None = None) -> CodeSent | Choices:
    """Step 1 for a student without a bound phone: name + ID number + school, code to a parent's phone."""
    name, id_number, school = normalize_text(name), normalize_id_number(id_number), normalize_text(school)
    if not (name and id_number and school):
        raise UserFacingError("recovery.student_fields_missing")
    check_lookups(source)
    person = None
    if is_valid_id_number(id_number):
        person = Person.objects.filter(id_number_digest=id_number_digest(id_number)).first()
    account = (Account.objects.filter(person=person, identities__kind=Identity.Kind.STUDENT)
               .exclude(status=Account.Status.DELETED).select_related("home_school").first() if person else None)
    enrollment = current_enrollment(person.pk) if account else None
    if not (enrollment and normalize_text(person.name) == name
            and school in (normalize_text(enrollment.school.name), normalize_text(enrollment.school.code))):
        # One answer for every mismatch: which field failed would tell a stranger whose ID number it is.
        record_miss(source, id_number)
        raise UserFacingError("recovery.student_not_matched",
                              contact=account_selectors.contact_for(account) if account else account_selectors.contact_for(None))
    phones = guardian_phones(person.pk)
    if not phones:
        raise UserFacingError("recovery.student_no_parent_phone", contact=account_selectors.contact_for(account))
    target = _choose(phones, choice)
    if target is None:
        return Choices([mask_target(p) for p in phones])
    return send_flow_code(purpose="recover_student", target=target, account=account, source=source,
                 binding=f"recover_student:{account.pk}", flow={"kind": "recover", "student_id": account.pk})


def confirm_flow_code(token: str, code: str, kind: str, expired: str):
    flow = cache.get(f"recovery:flow:{token_digest(token or '')}")
    if flow is None or flow["kind"] != kind:
        raise UserFacingError(expired)
    challenge = confirm_code(token=token, code=code, purpose=flow["purpose"], binding=flow["binding"])
    cache.delete(f"recovery:flow:{token_digest(token)}")
    return flow, challenge


def new_grant(kind: str, accounts: list[Account], target: str) -> Grant:
    grant = secrets.token_urlsafe(32)
    cache.set(f"recovery:grant:{token_digest(grant)}",
              {"kind": kind, "account_ids": [a.pk for a in accounts], "target": target, "failures": 0},
              GRANT_SECONDS)
    return Grant(grant, accounts, timezone.now() + timedelta(seconds=GRANT_SECONDS))


def granted(grant: str, kind: str, account_id: int, expired: str) -> tuple[dict, Account]:
    state = cache.get(f"recovery:grant:{token_digest(grant or '')}")
    if state is None or state["kind"] != kind:
        raise UserFacingError(expired)
    if account_id not in state["account_ids"]:
        raise UserFacingError("recovery.not_your_account")
    return state, Account.objects.select_related("home_school", "person").get(pk=account_id)


def verify_recovery(token: str, code: str) -> Grant:
    """Step 2: the code proves the phone or email; the grant lists the accounts it may recover."""
    flow, challenge = confirm_flow_code(token, code, "recover", "recovery.expired")
    if flow["student_id"]:
        accounts = list(Account.objects.filter(pk=flow["student_id"]))
    else:
        accounts = accounts_served_by(challenge.target)
    if not accounts:
        raise UserFacingError("recovery.expired")
    return new_grant("recover", accounts, challenge.target)


def needs_totp(account: Account) -> bool:
    """An admin whose authenticator is enrolled keeps two factors: the phone alone does not reset it."""
    return second_factor.required(account) and has_totp(account)


def reset_requirements(account_ids: list[int]) -> tuple[EffectivePolicy, bool]:
    """For the reset form: the password policy to describe, and whether an authenticator code is asked."""
    accounts = list(Account.objects.filter(pk__in=account_ids).select_related("home_school").order_by("pk"))
    policy = account_selectors.policy_for_account(accounts[0]) if accounts else platform_policy()
    return policy, any(needs_totp(a) for a in accounts)


def reset_password(grant: str, account_id: int, new: str, repeat: str, *, totp_code: str = "") -> Account:
    """Step 3: a new password under the policy; ends every session and token of the account (AUTH-8)."""
    state, account = granted(grant, "recover", account_id, "recovery.expired")
    policy = account_selectors.policy_for_account(account)
    check_chosen_password(account, new, repeat, policy)
    if needs_totp(account) and not verify_totp(account, totp_code):
        state["failures"] += 1
        key = f"recovery:grant:{token_digest(grant)}"
        if state["failures"] >= MAX_TOTP_FAILURES:
            cache.delete(key)
        else:
            cache.set(key, state, GRANT_SECONDS)
        raise UserFacingError("recovery.totp_required")
    if not cache.delete(f"recovery:grant:{token_digest(grant)}"):
        raise UserFacingError("recovery.expired")  # used by a concurrent request a moment ago
    own = state["target"] in (account.phone, account.email)
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        # A child's password set through a parent's phone is the same act as a parent setting it on the
        # family page (resets.set_child_password): for good only when the school recorded that parent.
        for_good = own or _school_recorded_guardian(state["target"], account)
        set_chosen_password(account, new, repeat, policy, for_good=for_good, audit_actor=None, verb="password.recover",
                            details={"via": mask_target(state["target"]), "forced_change": not for_good},
                            audit_account=account, school_id=account.home_school_id)
    account.forced_change = not for_good
    # Whose password changed, in the words of the pick list: the phone's holder, or their child.
    account.who = _who(account, len(state["account_ids"]) > 1 and state["target"] not in (account.phone, account.email))
    return account
