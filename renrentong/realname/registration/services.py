"""Teacher self-registration and its approval by the school admin (ACC-4; seed 002 section 1 "账号注册",
seed 003 "注册失败").

A teacher picks a school, an account name (6-16 letters or digits), gives the real name, ID number and a
phone confirmed by a text-message code, and a password. The account waits in the PENDING state until the
school admin approves it, which creates the teacher identity at that school; a refusal carries a reason
the applicant reads on the registration-status page, where a refused application can be sent again.

Every refusal the seeds list has its own message: an ID number of a deleted account, an ID number or a
phone already registered (waiting for approval, or to be recovered), an ID number held by a student
account, an account name already taken (with a suggestion: name pinyin + last 4 of the ID number).
The application record lives in the realname app, beside the registry the school admin checks it against.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from pypinyin import lazy_pinyin

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.crypto import id_number_digest
from renrentong.core.errors import UserFacingError, in_language
from renrentong.core.masking import mask_id_number
from renrentong.core.text import (
    is_valid_id_number, is_valid_mobile, normalize_id_number, normalize_text, sex_of_id_number, swapped_name_and_id,
)
from renrentong.orgs.models import Region, School
from renrentong.orgs.policy import EffectivePolicy, policy_for_region, policy_for_school
from renrentong.realname.models import RegistrationApplication, RegistryEntry
from renrentong.realname.registration.access import can_decide_registrations, holds_only_parent, holds_student
from renrentong.core.names import names_match, normalize_person_name
from renrentong.realname.throttle import count_attempt
from renrentong.verification.models import Challenge
from renrentong.verification.services import confirm_code, send_code

from renrentong.accounts.models import Account, Enrollment, Identity, Person
from renrentong.accounts.passwords.services import check_password_policy
from renrentong.accounts.people.services import NewPerson, create_person_with_account
from renrentong.accounts.selectors import code_recipient
from renrentong.accounts.selectors import contact_for
from renrentong.core.masking import mask_account_number

PURPOSE = "register"
ACCOUNT_NAME_MIN, ACCOUNT_NAME_MAX = 6, 16
NAME_MAX = 32
REASON_MAX = 200
Status = RegistrationApplication.Status


# ---- The account name (ACC-4, seed 003: "6-16位数字或字母,不可包含特殊字符或文字") ----

def normalize_account_name(value: str) -> str:
    """Full-width letters and digits fold to ASCII, spaces go, letters are lower case: "ＺｈａｎｇＳａｎ１"
    and "zhangsan1" are one name, so two teachers can never hold names that differ only in case."""
    return normalize_text(value).lower()


def check_account_name(value: str) -> str:
    """The normalised account name, or the UserFacingError naming the rule it breaks."""
    name = normalize_account_name(value)
    bad = sorted({ch for ch in name if not (ch.isascii() and ch.isalnum())})
    if bad:
        raise UserFacingError("registration.account_name_chars", chars=" ".join(bad[:5]))
    if not ACCOUNT_NAME_MIN <= len(name) <= ACCOUNT_NAME_MAX:
        raise UserFacingError("registration.account_name_length", length=len(name))
    if name.isdigit():
        raise UserFacingError("registration.account_name_digits_only")
    return name


def suggest_account_name(name: str, id_number: str, taken=None) -> str:
    """Name pinyin + last 4 of the ID number (seed 002), e.g. 张三 + ...1234 → "zhangsan1234"; when that
    is taken too, a digit is added. `taken(candidate) -> bool` defaults to a database check."""
    taken = taken or (lambda candidate: Account.objects.filter(number=candidate).exists())
    letters = "".join(ch for ch in "".join(lazy_pinyin(normalize_person_name(name))).lower()
                      if ch.isascii() and ch.isalnum())
    suffix = normalize_id_number(id_number)[-4:].lower()
    base = (letters or "js")[:ACCOUNT_NAME_MAX - len(suffix) - 2]
    if len(base + suffix) < ACCOUNT_NAME_MIN:
        base = (base + "js")[:ACCOUNT_NAME_MAX]
    candidate = base + suffix
    if candidate.isdigit():
        candidate = "js" + candidate
    for n in range(1, 100):
        if not taken(candidate):
            return candidate
        candidate = f"{base}{suffix}{n}"
    return candidate


# ---- Checks shared by the code request and the registration ----

def _normalize_phone(value: str) -> str:
    phone = normalize_text(value).removeprefix("+86")
    if not is_valid_mobile(phone):
        raise UserFacingError("registration.invalid_phone", value=value[:32])
    return phone


def search_schools(query: str, limit: int = 20) -> list[School]:
    """Registered schools whose name contains, or whose code is, what the applicant typed."""
    query = normalize_text(query)[:64]
    if not query:
        return []
    return list(School.objects.filter(Q(name__icontains=query) | Q(code__iexact=query))
                .filter(registered=True).order_by("name")[:limit])


def resolve_school(value: str) -> School:
    text = normalize_text(value)[:128]
    found = list(School.objects.filter(Q(code__iexact=text) | Q(name=text))[:2]) if text else []
    if len(found) != 1:
        raise UserFacingError("registration.unknown_school", value=text or "-")
    school = found[0]
    if not school.registered:
        raise UserFacingError("registration.school_not_tenant", school=school.name)
    return school


def platform_policy() -> EffectivePolicy:
    """The policy before a school is known: the top region's, else the platform defaults."""
    root = Region.objects.filter(parent__isnull=True).order_by("pk").first()
    return policy_for_region(root) if root else EffectivePolicy()


def _latest_application(account: Account) -> RegistrationApplication | None:
    return (RegistrationApplication.objects.filter(account=account).select_related("school")
            .order_by("-created_at", "-pk").first())


def _refuse_taken_phone(phone: str) -> None:
    holder = Account.objects.filter(phone=phone).first()
    if holder is None:
        return
    masked = mask_account_number(holder.number)
    if holder.status == Account.Status.PENDING:
        application = _latest_application(holder)
        if application and application.status == Status.REFUSED:
            raise UserFacingError("registration.refused_before", account=masked, school=application.school.name)
        raise UserFacingError("registration.phone_pending", account=masked,
                              school=application.school.name if application else "-",
                              contact=application.school.admin_contact if application else "")
    kinds = set(holder.identities.values_list("kind", flat=True))
    if holds_only_parent(kinds):
        # A parent account: either the registrant's own (a teacher who is also a parent keeps one account)
        # or someone else's that was given this number; both have a way forward that needs no support call.
        school = _school_of_children(holder)
        raise UserFacingError("registration.phone_held_by_parent", account=masked,
                              school=school.name if school else in_language("孩子就读学校", "the child's school"),
                              contact=(school.admin_contact if school else "") or contact_for(holder))
    raise UserFacingError("registration.phone_registered", account=masked, contact=contact_for(holder))


def _school_of_children(account: Account) -> School | None:
    from renrentong.accounts.models import Guardianship

    if account.person_id is None:
        return None
    children = Guardianship.objects.filter(guardian_id=account.person_id).values("student_id")
    enrollment = (Enrollment.objects.filter(person_id__in=children, ended_on__isnull=True).select_related("school")
                  .order_by("pk").first())
    return enrollment.school if enrollment else account.home_school


def _school_of_student(account: Account, person: Person) -> School | None:
    rows = Enrollment.objects.filter(person=person).select_related("school")
    enrollment = rows.filter(ended_on__isnull=True).first() or rows.order_by("started_on", "pk").last()
    return enrollment.school if enrollment else account.home_school


def _person_for_id(digest: str, name: str) -> Person | None:
    """The Person this ID number already names, if it may register; otherwise the seed-002 refusal."""
    person = Person.objects.filter(id_number_digest=digest).first()
    if person is None:
        return None
    account = Account.objects.filter(person=person).first()
    if account is None:
        if not names_match(person.name, name):
            raise UserFacingError("registration.id_name_mismatch")
        return person
    masked = mask_account_number(account.number)
    if account.status == Account.Status.DELETED:
        raise UserFacingError("registration.id_of_deleted_account", contact=contact_for(None))
    kinds = set(account.identities.values_list("kind", flat=True))
    if holds_student(kinds) or Enrollment.objects.filter(person=person).exists():
        school = _school_of_student(account, person)
        if school is None:
            raise UserFacingError("registration.id_held_by_student", contact=contact_for(None))
        # The school that holds the student record can correct a wrongly entered ID number or close an old
        # account; naming it (and the masked account) spares a call to platform support.
        raise UserFacingError("registration.id_held_by_student_at", account=masked, school=school.name,
                              contact=school.admin_contact or contact_for(account))
    if account.status == Account.Status.PENDING:
        application = _latest_application(account)
        if application and application.status == Status.REFUSED:
            raise UserFacingError("registration.refused_before", account=masked, school=application.school.name)
        raise UserFacingError("registration.id_pending", account=masked,
                              school=application.school.name if application else "-",
                              contact=application.school.admin_contact if application else "")
    if holds_only_parent(kinds):
        # ACC-1: a teacher who is also a parent keeps one account and adds the teacher identity to it.
        raise UserFacingError("registration.id_held_by_parent", account=masked)
    raise UserFacingError("registration.id_registered", account=masked, contact=contact_for(account))


def _refuse_taken_name(account_name: str, name: str, id_number: str) -> None:
    if Account.objects.filter(number=account_name).exists():
        raise UserFacingError("registration.account_name_taken", account_name=account_name,
                              suggestion=suggest_account_name(name, id_number))


# ---- The applicant ----

def send_registration_code(phone: str, *, source: str, school: str = "") -> Challenge:
    """Send the code that proves the phone; refuses a phone that is already registered (seed 002 #4)."""
    policy = platform_policy()
    count_attempt("registration", source, policy.registration_attempts_per_hour)
    phone = _normalize_phone(phone)
    if school:
        try:
            policy = policy_for_school(resolve_school(school))
        except UserFacingError:
            pass  # the school is checked, with its own message, when the form is submitted
    _refuse_taken_phone(phone)
    return send_code(purpose=PURPOSE, target=phone, recipient=code_recipient(None), source=source or None,
                     binding=f"{PURPOSE}:{phone}", policy=policy)


@dataclass(frozen=True)
class RegistrationForm:
    school: str
    account_name: str
    name: str
    id_number: str
    phone: str
    password: str
    repeat_password: str
    token: str = ""
    code: str = ""


FIELD_LABELS = {
    "school": ("学校", "school"), "account_name": ("账号", "account name"), "name": ("姓名", "name"),
    "id_number": ("身份证号", "ID number"), "phone": ("手机号", "phone"), "password": ("密码", "password"),
}


def register(form: RegistrationForm, *, source: str) -> RegistrationApplication:
    """Check everything, then the code, then create the pending account and its application at once."""
    missing = [key for key in FIELD_LABELS if not normalize_text(getattr(form, key))]
    if missing:
        raise UserFacingError("registration.missing_fields",
                              fields=in_language("、", ", ").join(in_language(*FIELD_LABELS[k]) for k in missing))
    count_attempt("registration", source, platform_policy().registration_attempts_per_hour)
    school = resolve_school(form.school)
    policy = policy_for_school(school)
    account_name = check_account_name(form.account_name)
    if swapped_name_and_id(form.name, form.id_number):
        raise UserFacingError("registration.name_id_swapped")
    name = normalize_person_name(form.name)
    if not name or len(name) > NAME_MAX:
        raise UserFacingError("registration.invalid_name")
    id_number = normalize_id_number(form.id_number)
    if not is_valid_id_number(id_number):
        raise UserFacingError("registration.invalid_id_number", value=mask_id_number(id_number[:18]))
    phone = _normalize_phone(form.phone)
    digest = id_number_digest(id_number)
    _person_for_id(digest, name)
    _refuse_taken_phone(phone)
    _refuse_taken_name(account_name, name, id_number)
    if form.password != form.repeat_password:
        raise UserFacingError("password.mismatch")
    check_password_policy(form.password, Account(number=account_name, phone=phone), policy)
    if not form.token or not normalize_text(form.code):
        raise UserFacingError("registration.code_required")
    # Confirmed before the registration's own transaction, so that a wrong entry stays counted.
    confirm_code(token=form.token, code=normalize_text(form.code), purpose=PURPOSE, binding=f"{PURPOSE}:{phone}")
    try:
        with transaction.atomic():
            person = _person_for_id(digest, name)
            # The applicant chose the account name and the password: no initial password is issued.
            account, _ = create_person_with_account(NewPerson(
                name=name, sex=sex_of_id_number(id_number), id_number=id_number,
                person_id=person.pk if person is not None else None, school_id=school.pk, phone=phone,
                number=account_name, password=form.password, status=Account.Status.PENDING))
            application = RegistrationApplication.objects.create(account=account, school=school,
                                                                 source=source or None)
            audit.record(None, "registration.submit", application,
                         {"account": account_name, "id_number": mask_id_number(id_number)},
                         account=account, school_id=school.pk)
    except IntegrityError:
        # Someone took the name, phone or ID number between the checks and the insert: say which.
        _person_for_id(digest, name)
        _refuse_taken_phone(phone)
        _refuse_taken_name(account_name, name, id_number)
        raise
    return application


def _applicant(identifier: str, password: str, source: str) -> Account:
    """The applicant's own account, by account name or phone and password (it cannot log in yet)."""
    count_attempt("registration", source, platform_policy().registration_attempts_per_hour)
    value = normalize_text(identifier)
    account = Account.objects.filter(Q(number=normalize_account_name(value)) | Q(phone=value)).first() \
        if value else None
    if account is None:
        Account().set_password(password)  # as long as a real check: the timing tells nothing
        raise UserFacingError("registration.status_login_failed")
    if not account.check_password(password) or not RegistrationApplication.objects.filter(account=account).exists():
        raise UserFacingError("registration.status_login_failed")
    return account


def application_status(identifier: str, password: str, *, source: str) -> RegistrationApplication:
    """Where the applicant's registration stands, with the refusal reason if any."""
    return _latest_application(_applicant(identifier, password, source))


def reapply(identifier: str, password: str, school: str, *, source: str) -> RegistrationApplication:
    """Send a refused application again, to the same or another school."""
    account = _applicant(identifier, password, source)
    target = resolve_school(school)
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        latest = _latest_application(account)
        if latest is None or latest.status != Status.REFUSED or account.status != Account.Status.PENDING:
            raise UserFacingError("registration.not_refused",
                                  state=latest.get_status_display() if latest else "-")
        account.home_school = target
        account.save(update_fields=["home_school"])
        application = RegistrationApplication.objects.create(account=account, school=target, source=source or None)
        audit.record(None, "registration.resubmit", application, {"previous": latest.pk},
                     account=account, school_id=target.pk)
    return application


# ---- The school admin's approval queue ----

def applications_in_scope(actor: Actor) -> QuerySet[RegistrationApplication]:
    actor.require_identity()
    if not can_decide_registrations(actor):
        raise UserFacingError("registration.not_allowed")
    schools = actor.scope.schools(School.objects.all())
    return (RegistrationApplication.objects.filter(school__in=schools)
            .select_related("account__person", "school", "decided_by"))


@dataclass(frozen=True)
class ApplicationView:
    application: RegistrationApplication
    name: str
    id_number: str  # masked
    phone: str  # masked
    in_registry: bool  # the school's real-name registry lists this ID number as a teacher


def queue(actor: Actor, status: str = Status.PENDING, limit: int = 200) -> list[ApplicationView]:
    """Applications of the actor's schools, oldest pending first; whether each is in the registry."""
    return application_views(list(applications_listed(actor, status)[:limit]))


# The applications table's orders (?sort=created oldest first, -created newest first).
APPLICATION_SORTS = {"created": ("created_at", "pk")}


def applications_listed(actor: Actor, status: str = Status.PENDING, sort: str = "") -> QuerySet:
    """The applications of one state, ordered, not yet paged: pending ones oldest first (first come, first
    decided), decided ones newest first, unless `sort` says otherwise."""
    found = applications_in_scope(actor)
    if status in Status.values:
        found = found.filter(status=status)
    if sort.removeprefix("-") not in APPLICATION_SORTS:
        sort = "created" if status == Status.PENDING else "-created"
    order = APPLICATION_SORTS[sort.removeprefix("-")]
    if sort.startswith("-"):
        order = tuple("-" + f for f in order)
    return found.select_related("account__person", "school").order_by(*order)


def application_views(rows: list) -> list[ApplicationView]:
    """The rows as the page shows them: ID numbers and phones masked; whether each is in the registry."""
    from renrentong.core.masking import mask_phone

    digests = {a.account.person.id_number_digest for a in rows if a.account.person_id}
    listed = set(RegistryEntry.objects.filter(id_number_digest__in=digests, retired_at__isnull=True,
                                              role=RegistryEntry.Role.TEACHER)
                 .values_list("id_number_digest", "school_id"))
    views = []
    for application in rows:
        person = application.account.person
        views.append(ApplicationView(
            application=application, name=person.name if person else "",
            id_number=person.id_number_masked if person else "",
            phone=mask_phone(application.account.phone or ""),
            in_registry=bool(person) and (person.id_number_digest, application.school_id) in listed,
        ))
    return views


def record_export(actor: Actor, *, rows: int, status: str) -> None:
    """An export of the applications table is audited like the other exports."""
    identity = actor.require_identity()
    with transaction.atomic():
        audit.record(actor, "registration.export", None,
                     {"rows": rows, "status": status,
                      **({"region_id": identity.region_id} if identity.region_id else {})},
                     school_id=identity.school_id)


def _locked(actor: Actor, application_id: int) -> RegistrationApplication:
    application = applications_in_scope(actor).select_for_update(of=("self",)).filter(pk=application_id).first()
    if application is None:
        raise UserFacingError("scope.not_found")
    if application.status != Status.PENDING:
        raise UserFacingError("registration.already_decided", state=application.get_status_display())
    return application


@transaction.atomic
def approve(actor: Actor, application_id: int) -> RegistrationApplication:
    """The applicant becomes an active teacher of the school (ACC-4)."""
    application = _locked(actor, application_id)
    account = Account.objects.select_for_update().get(pk=application.account_id)
    account.status = Account.Status.ACTIVE
    account.status_changed_at = timezone.now()
    account.home_school = application.school
    account.save(update_fields=["status", "status_changed_at", "home_school"])
    Identity.objects.get_or_create(account=account, kind=Identity.Kind.TEACHER, school=application.school)
    application.status = Status.APPROVED
    application.decided_at = timezone.now()
    application.decided_by = actor.account
    application.save(update_fields=["status", "decided_at", "decided_by"])
    audit.record(actor, "registration.approve", application, {"account": account.number},
                 school_id=application.school_id)
    return application


@transaction.atomic
def refuse(actor: Actor, application_id: int, reason: str) -> RegistrationApplication:
    """Refuse with a reason the applicant reads; the account stays pending, so they can apply again."""
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > REASON_MAX:
        raise UserFacingError("registration.reason_required")
    application = _locked(actor, application_id)
    application.status = Status.REFUSED
    application.reason = reason
    application.decided_at = timezone.now()
    application.decided_by = actor.account
    application.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    audit.record(actor, "registration.refuse", application, {"reason": reason}, school_id=application.school_id)
    return application


def application_statuses() -> list[tuple[str, str]]:
    return RegistrationApplication.Status.choices


PENDING = RegistrationApplication.Status.PENDING


def submitted_application(application_id: int | None) -> RegistrationApplication | None:
    """The application this browser just sent (its id kept in the session), for the confirmation page."""
    return (RegistrationApplication.objects.filter(pk=application_id or 0)
            .select_related("account", "school").first())
