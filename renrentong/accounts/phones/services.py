"""Binding a phone to an account (ACC-8): one phone, one account; bind and change with a code sent to
the new phone (a change also needs the current password); admins unbind a phone held by the wrong
account (seed 002: a teacher whose phone logs in as a parent identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_account_number, mask_name, mask_phone
from renrentong.core.text import is_valid_mobile, normalize_text
from renrentong.orgs.models import School
from renrentong.verification.models import Challenge
from renrentong.verification.services import confirm_code, send_code

from renrentong.accounts.login import throttle
from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity
from renrentong.accounts.phones.access import can_unbind_phones
from renrentong.accounts.passwords.services import verify_current_password
from renrentong.accounts.selectors import code_recipient, policy_for_account

PURPOSE = "bind_phone"
# How many "is this phone free?" answers an account may get a day: the answer tells whether a number is
# registered, so it is rationed like the codes themselves.
PROBES_PER_DAY = 20


def normalize_phone(value: str) -> str:
    phone = normalize_text(value)
    if phone.startswith("+86"):
        phone = phone[3:]
    if not is_valid_mobile(phone):
        raise UserFacingError("phone.invalid", value=value[:32])
    return phone


def _binding(account: Account) -> str:
    return f"{PURPOSE}:{account.pk}"


def _refuse_if_taken(phone: str, account: Account) -> None:
    holder = Account.objects.filter(phone=phone).exclude(pk=account.pk).select_related("person").first()
    if holder is not None:
        raise UserFacingError("phone.taken", account=mask_account_number(holder.number),
                              name=mask_name(holder.person.name if holder.person_id else ""))


def _count_probe(account: Account) -> None:
    today = timezone.localdate()
    key = f"phone:probe:{account.pk}:{today:%Y%m%d}"
    cache.add(key, 0, 60 * 60 * 25)
    count = cache.incr(key)
    # The database cache's incr rewrites the row with the default timeout; keep the day's.
    cache.touch(key, 60 * 60 * 25)
    if count > PROBES_PER_DAY:
        tomorrow = datetime.combine(today + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())
        raise UserFacingError("phone.lookup_limit", limit=PROBES_PER_DAY,
                              until=date_format(tomorrow, "Y-m-d H:i"))


def request_code(actor: Actor, new_phone: str, *, source: str | None) -> Challenge:
    """Send a code to the phone the account wants to bind; refuses a phone another account holds."""
    account = actor.account
    phone = normalize_phone(new_phone)
    if phone == account.phone:
        raise UserFacingError("phone.same")
    _count_probe(account)
    _refuse_if_taken(phone, account)
    return send_code(purpose=PURPOSE, target=phone, recipient=code_recipient(account), source=source,
                     binding=_binding(account), policy=policy_for_account(account))


def bind(actor: Actor, *, token: str, code: str, current_password: str = "", source: str = "") -> Account:
    """Bind (or change to) the phone the code was sent to. A change needs the current password, checked
    first, with the login throttle, so a wrong password neither spends the code nor goes unlimited."""
    account = actor.account
    policy = policy_for_account(account)
    if account.phone:
        if not current_password:
            raise UserFacingError("phone.password_required")
        verdict = throttle.check_account(account, source, policy)
        if verdict.locked_until or verdict.retry_after:
            raise UserFacingError("login.slow_down", retry_after=max(verdict.retry_after, 60))
        if not verify_current_password(account, current_password):
            throttle.record_failure(account, source, policy)
            raise UserFacingError("password.wrong_current")
    if not token:
        raise UserFacingError("phone.not_requested")
    # Confirmed before the change's own transaction, so that a wrong entry stays counted (see confirm_code).
    challenge = confirm_code(token=token, code=code, purpose=PURPOSE, binding=_binding(account))
    try:
        with transaction.atomic():
            locked = Account.objects.select_for_update().get(pk=account.pk)
            _refuse_if_taken(challenge.target, locked)
            old = locked.phone
            locked.phone = challenge.target
            locked.save(update_fields=["phone"])
            audit.record(actor, "phone.change" if old else "phone.bind", locked,
                         {"old": mask_phone(old or ""), "new": mask_phone(challenge.target)},
                         school_id=locked.home_school_id)
    except IntegrityError:
        # Another account took the phone between the check and the save.
        _refuse_if_taken(challenge.target, account)
        raise
    actor.account = locked
    return locked


# ---- Admins: who holds a phone, and unbinding it (seed 002, ACC-8) ----

@dataclass(frozen=True)
class PhoneHolder:
    account: Account
    name: str
    identities: list[str]
    children: list[str]


def check_may_unbind(actor: Actor) -> None:
    if not can_unbind_phones(actor):
        raise UserFacingError("phone.unbind_not_allowed")


def _accounts_in_scope(actor: Actor):
    """Accounts an admin answers for: of its schools, staff and students in scope, and their parents."""
    check_may_unbind(actor)
    scope = actor.scope
    if scope.whole_districts:
        schools = Q(home_school_id__in=School.objects.filter(district_id__in=scope.district_ids).values("pk"))
        enrolled = Enrollment.objects.filter(ended_on__isnull=True, school__district_id__in=scope.district_ids)
        staff = Identity.objects.filter(school__district_id__in=scope.district_ids)
    else:
        schools = Q(home_school_id__in=scope.school_ids)
        enrolled = Enrollment.objects.filter(ended_on__isnull=True, school_id__in=scope.school_ids)
        staff = Identity.objects.filter(school_id__in=scope.school_ids)
    students = enrolled.values("person_id")
    guardians = Guardianship.objects.filter(student_id__in=students).values("guardian_id")
    return Account.objects.filter(
        schools | Q(person_id__in=students) | Q(person_id__in=guardians) | Q(pk__in=staff.values("account_id"))
    )


def holder_of(actor: Actor, phone: str) -> PhoneHolder:
    """The account holding a phone, if the admin answers for it; otherwise not found (no enumeration)."""
    phone = normalize_phone(phone)
    account = _accounts_in_scope(actor).filter(phone=phone).select_related("person").first()
    if account is None:
        raise UserFacingError("scope.not_found")
    return _holder(account)


def _holder(account: Account) -> PhoneHolder:
    identities = [i.label() for i in account.identities.select_related("school", "region").order_by("pk")]
    children = []
    if account.person_id:
        children = list(Guardianship.objects.filter(guardian_id=account.person_id)
                        .order_by("pk").values_list("student__name", flat=True))
    return PhoneHolder(account=account, name=account.person.name if account.person_id else "",
                       identities=identities, children=children)


@transaction.atomic
def unbind(actor: Actor, account_id: int) -> Account:
    """Remove the phone from an account the admin answers for; the account keeps its account number and
    password, so its owner still logs in with them (seed 002: the school admin or support unbinds)."""
    account = _accounts_in_scope(actor).select_for_update().filter(pk=account_id).first()
    if account is None:
        raise UserFacingError("scope.not_found")
    if not account.phone:
        raise UserFacingError("phone.none_bound")
    old = account.phone
    account.phone = None
    account.save(update_fields=["phone"])
    audit.record(actor, "phone.unbind", account, {"old": mask_phone(old)}, school_id=account.home_school_id)
    return account
