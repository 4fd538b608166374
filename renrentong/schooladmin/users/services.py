"""A school's users (ACC-5, ADM-1, ADM-3, ADM-4, ADM-7): the user tables, add and edit, freeze, leave
school (离校), delete to the recycle bin (回收站) and restore, removal from a class (请出班级) and batch
class changes (批量调班).

Who belongs to a school:
- a student: an account whose home school is the school and which holds a student identity there.
  Its class is its open Enrollment; a student with none is in the school's pool (no class), e.g.
  after a head teacher removed them from the class. The pool keeps the identity and the home school,
  so the admin places them in a class again with a class change.
- a teacher: an account with a teacher identity at the school.
- a parent: an account with a guardian identity whose person is the guardian of one of its students.

A delete changes the account's state only: identities, enrollments, guardianships and teaching
assignments stay as they were, so a restore brings everything back (ACC-5, "nothing is ever lost").
Freezing, leaving and deleting bump the credentials epoch, which ends the account's sessions and tokens
at once (log_in refuses the states with their own messages). Every change writes an audit record in
its transaction.
"""

from __future__ import annotations

import math
from enum import StrEnum
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from renrentong.accounts.models import (
    Account, Enrollment, Guardianship, HeadTeacher, Identity, Person, TeachingAssignment,
)
from renrentong.accounts.passwords.services import issue_initial_password
from renrentong.accounts.people.services import NewPerson, create_person_with_account
from renrentong.accounts.selectors import account_search, people_in_scope
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.crypto import id_number_digest, national_student_number_digest
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_name, mask_phone, mask_student_number
from renrentong.core.text import (
    is_valid_id_number, is_valid_mobile, normalize_id_number, normalize_text, swapped_name_and_id,
)
from renrentong.orgs.models import School, SchoolClass
from renrentong.orgs.policy import policy_for_school
from renrentong.orgs.selectors import school_for
from renrentong.schooladmin.teaching.subjects import subject_label
from renrentong.schooladmin.users import access

Status = Account.Status
Kind = Identity.Kind
class UserTable(StrEnum):
    """The three tables of the user pages (ADM-1): which people a row lists, not an identity kind (a
    parent's table lists guardian identities, and one account may sit in several tables)."""

    STUDENT = "student"
    TEACHER = "teacher"
    PARENT = "parent"


KINDS = tuple(UserTable)
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_BATCH = 500
NAME_LIMIT = 64
# The states a user table lists when no state is asked for: everything but the recycle bin.
CURRENT = (Status.ACTIVE, Status.PENDING, Status.FROZEN, Status.LEFT, Status.GRADUATED)


# Where the actor manages users -----------------------------------------------------------------------------

def admin_school(actor: Actor) -> School:
    """The school a school admin manages (orgs.selectors.school_for); anyone else may not change users."""
    return school_for(actor, not_allowed="users.not_allowed", region_admins=False)


def _students(school: School) -> QuerySet[Identity]:
    return Identity.objects.filter(kind=Kind.STUDENT, school=school, account__home_school=school)


def _guardian_people(school: School) -> QuerySet[Guardianship]:
    return Guardianship.objects.filter(student__account__home_school=school).filter(
        Exists(Identity.objects.filter(kind=Kind.STUDENT, school=school, account__person=OuterRef("student_id")))
    )


def accounts_of(school: School, kind: str) -> QuerySet[Account]:
    """The school's accounts of one kind, in every state."""
    if kind == UserTable.STUDENT:
        return Account.objects.filter(home_school=school, identities__kind=Kind.STUDENT, identities__school=school)
    if kind == UserTable.TEACHER:
        return Account.objects.filter(identities__kind=Kind.TEACHER, identities__school=school)
    if kind == UserTable.PARENT:
        return Account.objects.filter(
            identities__kind=Kind.GUARDIAN,
            person_id__in=_guardian_people(school).values("guardian_id"),
        )
    raise UserFacingError("users.invalid_kind", kind=str(kind)[:20])


def _member(school: School, account_id: int, *, lock: bool = False) -> Account:
    """One of the school's accounts (any kind, any state); another school's is not found (NFR-2)."""
    found = Account.objects.filter(pk=account_id).filter(
        Q(pk__in=_students(school).values("account_id"))
        | Q(pk__in=Identity.objects.filter(kind=Kind.TEACHER, school=school).values("account_id"))
        | Q(pk__in=Identity.objects.filter(
            kind=Kind.GUARDIAN, account__person_id__in=_guardian_people(school).values("guardian_id")
        ).values("account_id"))
    )
    if lock:
        found = found.select_for_update()
    account = found.first()
    if account is None:
        raise UserFacingError("users.not_found")
    return account


def kinds_at(school: School, account: Account) -> set[str]:
    """What the account is at this school: student, teacher, parent (a teacher may also be a parent)."""
    return access.roles_at(school, account, account.identities.all(), lambda: _guardian_people(school).filter(
        guardian_id=account.person_id).exists())


# Reading the tables (ADM-1, ADM-7) -------------------------------------------------------------------------

@dataclass
class UserRow:
    account_id: int
    person_id: int | None
    number: str
    name: str
    sex: str
    status: str
    status_label: str
    status_changed_at: datetime
    phone_masked: str
    id_number_masked: str
    local_student_number: str = ""
    national_student_number_masked: str = ""
    class_id: int | None = None
    class_name: str = ""
    details: list[str] = field(default_factory=list)  # a parent's children, a teacher's classes and subjects
    restorable_by_school_until: datetime | None = None


@dataclass
class UserPage:
    school: School
    kind: str
    rows: list[UserRow]
    total: int
    page: int
    pages: int
    page_size: int


def search_filter(query: str) -> Q | None:
    """Name, its pinyin or initials, account number, phone, student number or ID number: the one
    account search of accounts.selectors (issue 12)."""
    return account_search(query)


# The orders a user table may be sorted by (?sort=): each ends on the primary key, so pages never overlap.
SORTS = {"name": ("person__name",), "number": ("number",), "state": ("status",),
         "changed": ("status_changed_at",), "created": ("created_at",)}


def _order(sort: str, default: tuple[str, ...]) -> tuple[str, ...]:
    key = sort.removeprefix("-")
    if key not in SORTS:
        return (*default, "pk")
    sign = "-" if sort.startswith("-") else ""
    return (*(sign + f for f in SORTS[key]), sign + "pk")


def filtered_accounts(actor: Actor, kind: str, *, school_id: int | None = None, query: str = "", state: str = "",
                      class_id: int | str | None = None, password: str = "", activated: str = "",
                      sort: str = "") -> tuple[School, QuerySet[Account]]:
    """The school and its accounts of one table, searched, filtered and ordered (not yet paged).
    `password` "initial": still on the initial password; `activated` "no": never logged in, "yes": has."""
    school = school_for(actor, school_id, not_allowed="users.not_allowed", not_found="users.not_found",
                        school_required="users.school_required")
    accounts = accounts_of(school, kind)
    if state:
        if state not in Status.values:
            raise UserFacingError("request.invalid", detail=f"state: one of {', '.join(Status.values)}")
        accounts = accounts.filter(status=state)
    else:
        accounts = accounts.filter(status__in=CURRENT)
    found = search_filter(query)
    if found is not None:
        accounts = accounts.filter(found)
    if kind == UserTable.STUDENT and class_id not in (None, ""):
        open_here = Enrollment.objects.filter(person_id=OuterRef("person_id"), ended_on__isnull=True)
        if class_id == "pool":
            accounts = accounts.exclude(Exists(open_here))
        else:
            accounts = accounts.filter(Exists(open_here.filter(school_class_id=int(class_id))))
    if password == "initial":
        accounts = accounts.exclude(initial_password_digest="")
    if activated == "no":
        accounts = accounts.filter(last_login__isnull=True)
    elif activated == "yes":
        accounts = accounts.filter(last_login__isnull=False)
    default = ("-status_changed_at",) if state == Status.DELETED else ("person__name",)
    return school, accounts.order_by(*_order(sort, default))


def list_users(actor: Actor, kind: str, *, school_id: int | None = None, query: str = "", state: str = "",
               class_id: int | str | None = None, page: int = 1, page_size: int = PAGE_SIZE,
               password: str = "", activated: str = "", sort: str = "") -> UserPage:
    """One page of a school's students, teachers or parents, searched and filtered, phones and ID
    numbers masked. `state` is one account state or "" for all but deleted; `class_id` "pool" lists
    the students with no class. Counted once, then one LIMIT/OFFSET slice: no other row is loaded."""
    school, accounts = filtered_accounts(actor, kind, school_id=school_id, query=query, state=state,
                                         class_id=class_id, password=password, activated=activated, sort=sort)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    total = accounts.count()
    pages = max(1, math.ceil(total / page_size))
    page = max(1, min(page, pages))
    chosen = list(accounts.select_related("person").only(*ROW_FIELDS)[(page - 1) * page_size: page * page_size])
    rows = _rows(school, kind, chosen)
    return UserPage(school=school, kind=kind, rows=rows, total=total, page=page, pages=pages, page_size=page_size)


EXPORT_LIMIT = 50_000
EXPORT_CHUNK = 2_000


def rows_for_export(actor: Actor, kind: str, *, account_ids: list[int] | None = None, **filters
                    ) -> tuple[School, Iterator[UserRow]]:
    """The rows of a table's export: the filtered accounts (or only the chosen ones among them), masked
    as on the page, read in chunks so that a large school never sits in memory at once."""
    school, accounts = filtered_accounts(actor, kind, **filters)
    if account_ids is not None:
        accounts = accounts.filter(pk__in=_batch(account_ids))
    accounts = accounts.select_related("person").only(*ROW_FIELDS, "last_login", "initial_password_digest")

    def rows() -> Iterator[UserRow]:
        for start in range(0, EXPORT_LIMIT, EXPORT_CHUNK):
            chunk = list(accounts[start: start + EXPORT_CHUNK])
            yield from _rows(school, kind, chunk)
            if len(chunk) < EXPORT_CHUNK:
                return
    return school, rows()


# What a table row shows: loading only these keeps password hashes and sealed data out of the page.
ROW_FIELDS = ("number", "phone", "status", "status_changed_at", "person__name", "person__sex",
              "person__id_number_masked", "person__local_student_number",
              "person__national_student_number_masked")


def _rows(school: School, kind: str, accounts: list[Account]) -> list[UserRow]:
    person_ids = [a.person_id for a in accounts if a.person_id]
    retention = None
    if any(a.status == Status.DELETED for a in accounts):
        retention = timedelta(days=policy_for_school(school).recycle_retention_days)
    classes: dict[int, SchoolClass] = {}
    details: dict[int, list[str]] = {}
    if kind == UserTable.STUDENT:
        for e in Enrollment.objects.filter(person_id__in=person_ids, ended_on__isnull=True).select_related(
                "school_class__cohort__stage", "school_class__school"):
            classes[e.person_id] = e.school_class
    elif kind == UserTable.PARENT:
        for g in Guardianship.objects.filter(guardian_id__in=person_ids).select_related("student").order_by(
                "student__name"):
            details.setdefault(g.guardian_id, []).append(g.student.name)
    elif kind == UserTable.TEACHER:
        for t in TeachingAssignment.objects.filter(
                teacher__school=school, teacher__account__person_id__in=person_ids).select_related(
                "school_class__cohort__stage", "school_class__school", "teacher__account").order_by(
                "school_class__cohort__enrollment_year", "school_class__number", "subject"):
            details.setdefault(t.teacher.account.person_id, []).append(
                f"{t.school_class.display_name(school.school_year)} {subject_label(t.subject)}")
    rows = []
    for account in accounts:
        person = account.person
        school_class = classes.get(account.person_id)
        rows.append(UserRow(
            account_id=account.pk, person_id=account.person_id, number=account.number,
            name=person.name if person else "", sex=person.sex if person else "",
            status=account.status, status_label=str(account.get_status_display()),
            status_changed_at=account.status_changed_at,
            phone_masked=mask_phone(account.phone) if account.phone else "",
            id_number_masked=person.id_number_masked if person else "",
            local_student_number=(person.local_student_number or "") if person else "",
            national_student_number_masked=person.national_student_number_masked if person else "",
            class_id=school_class.pk if school_class else None,
            class_name=school_class.display_name(school.school_year) if school_class else "",
            details=details.get(account.person_id, []),
            restorable_by_school_until=(account.status_changed_at + retention
                                        if retention and account.status == Status.DELETED else None),
        ))
    return rows


def user_detail(actor: Actor, account_id: int, school_id: int | None = None) -> tuple[School, UserRow, set[str]]:
    school = school_for(actor, school_id, not_allowed="users.not_allowed", not_found="users.not_found",
                        school_required="users.school_required")
    account = _member(school, account_id)
    kinds = kinds_at(school, account)
    kind = next(k for k in KINDS if k in kinds)
    return school, _rows(school, kind, [account])[0], kinds


def school_classes(school: School) -> list[SchoolClass]:
    """The school's current administrative classes, in grade order: where students can be placed."""
    classes = SchoolClass.objects.filter(school=school, kind=SchoolClass.Kind.ADMINISTRATIVE).select_related(
        "cohort__stage", "school").order_by("cohort__stage__level", "-cohort__enrollment_year", "number")
    return [c for c in classes if not c.cohort.is_graduated(school.school_year)]


# Adding and editing (ADM-1) ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NewUser:
    account: Account
    initial_password: str  # "" when an existing account only gained an identity or a child


def fold(value: str) -> str:
    """normalize_text, then NFKC once more: dropping a control character between a letter and its
    combining mark leaves a pair that NFKC composes, and a name must compare equal to itself."""
    return unicodedata.normalize("NFKC", normalize_text(value or ""))


def clean_name(value: str) -> str:
    name = fold(value)
    if not name:
        raise UserFacingError("users.missing_name")
    if len(name) > NAME_LIMIT:
        raise UserFacingError("users.name_too_long", limit=NAME_LIMIT)
    return name


def clean_sex(value: str) -> str:
    sex = {"M": "M", "F": "F", "男": "M", "女": "F", "m": "M", "f": "F"}.get(normalize_text(value or ""))
    if sex is None:
        raise UserFacingError("users.invalid_sex")
    return sex


def clean_phone(value: str, *, required: bool) -> str | None:
    phone = normalize_text(value or "").removeprefix("+86")
    if not phone:
        if required:
            raise UserFacingError("users.phone_required")
        return None
    if not is_valid_mobile(phone):
        raise UserFacingError("users.invalid_phone", value=phone[:20])
    return phone


def _holder_label(account: Account) -> str:
    name = mask_name(account.person.name) if account.person_id else ""
    return f"{name} {account.number}".strip()


def _check_id_free(digest: str) -> None:
    holder = Person.objects.filter(id_number_digest=digest).first()
    if holder is not None:
        enrollment = Enrollment.objects.filter(person=holder, ended_on__isnull=True).select_related("school").first()
        account = Account.objects.filter(person=holder).select_related("home_school").first()
        school = enrollment.school if enrollment else (account.home_school if account else None)
        raise UserFacingError("users.id_number_taken", holder=mask_name(holder.name),
                              school=school.name if school else "-")


def _new_person(data: dict) -> NewPerson:
    """The checked person to make (refusals name the field); _new_account makes them."""
    if swapped_name_and_id(data.get("name") or "", data.get("id_number") or ""):
        raise UserFacingError("users.name_id_swapped")
    person = NewPerson(name=clean_name(data.get("name", "")), sex=clean_sex(data.get("sex", "")))
    raw = normalize_id_number(data.get("id_number") or "")
    if raw:
        if not is_valid_id_number(raw):
            raise UserFacingError("users.invalid_id_number", value=raw[:20])
        _check_id_free(id_number_digest(raw))
        person.id_number = raw
    local = normalize_text(data.get("local_student_number") or "")[:32]
    if local:
        if Person.objects.filter(local_student_number=local).exists():
            raise UserFacingError("users.student_number_taken", value=local)
        person.local_student_number = local
    # Usually "G" + the ID number: looked up by digest, sealed, and named in a refusal only masked.
    national = normalize_text(data.get("national_student_number") or "")[:32].upper()
    if national:
        if Person.objects.filter(national_student_number_digest=national_student_number_digest(national)).exists():
            raise UserFacingError("users.student_number_taken", value=mask_student_number(national))
        person.national_student_number = national
    return person


def _new_account(person: NewPerson, school: School, role: str, phone: str | None) -> tuple[Account, str]:
    """The person with their account, its initial password by the school's rule for the role (AUTH-2)."""
    person.school_id, person.role, person.phone = school.pk, role, phone
    return create_person_with_account(person, policy=policy_for_school(school))


@transaction.atomic
def create_user(actor: Actor, kind: str, data: dict) -> NewUser:
    """Add one student (optionally into a class), teacher or parent (for a child of the school)."""
    school = school_for(actor, not_allowed="users.not_allowed", region_admins=False)
    if kind == UserTable.STUDENT:
        school_class = _target_class(school, data["class_id"]) if data.get("class_id") else None
        account, password = _new_account(_new_person(data), school, UserTable.STUDENT, None)
        Identity.objects.create(account=account, kind=Kind.STUDENT, school=school)
        if school_class:
            Enrollment.objects.create(person=account.person, school_class=school_class, school=school, reason="added")
        created = NewUser(account, password)
    elif kind == UserTable.TEACHER:
        phone = clean_phone(data.get("phone", ""), required=True)
        existing = Account.objects.filter(phone=phone).select_related("person").first()
        if existing is not None:
            created = _extend(existing, school, Kind.TEACHER, phone)
        else:
            person = _new_person({**data, "local_student_number": "", "national_student_number": ""})
            account, password = _new_account(person, school, UserTable.TEACHER, phone)
            Identity.objects.create(account=account, kind=Kind.TEACHER, school=school)
            created = NewUser(account, password)
    elif kind == UserTable.PARENT:
        child = _child(school, data.get("child_account_id"))
        relation = data.get("relation") or Guardianship.Relation.GUARDIAN
        if relation not in Guardianship.Relation.values:
            allowed = ", ".join(Guardianship.Relation.values)
            raise UserFacingError("request.invalid", detail=f"relation: one of {allowed}")
        phone = clean_phone(data.get("phone", ""), required=True)
        existing = Account.objects.filter(phone=phone).select_related("person").first()
        if existing is not None:
            created = _extend(existing, school, Kind.GUARDIAN, phone)
        else:
            person = _new_person({"name": data.get("name", ""), "sex": data.get("sex") or "M",
                                  "id_number": data.get("id_number", "")})
            account, password = _new_account(person, school, UserTable.PARENT, phone)
            Identity.objects.create(account=account, kind=Kind.GUARDIAN)
            created = NewUser(account, password)
        Guardianship.objects.update_or_create(guardian_id=created.account.person_id, student_id=child.person_id,
                                              defaults={"added_by_school": True},
                                              create_defaults={"relation": relation, "added_by_school": True})
    else:
        raise UserFacingError("users.invalid_kind", kind=str(kind)[:20])
    audit.record(actor, "users.create", created.account,
                 {"kind": kind, "new_account": bool(created.initial_password)}, school_id=school.pk)
    return created


def _extend(account: Account, school: School, kind: str, phone: str) -> NewUser:
    """A phone already on the platform: a parent's account also becomes a teacher's, or a teacher's a
    parent's (ACC-1: one login, several identities); one phone is never two accounts (ACC-8)."""
    held = set(account.identities.values_list("kind", "school_id"))
    if access.is_student_somewhere(held) or account.person_id is None:
        raise UserFacingError("users.phone_is_student", phone=mask_phone(phone), holder=_holder_label(account))
    school_id = school.pk if access.is_teacher_kind(kind) else None
    if account.status == Status.DELETED or access.holds_teacher_post(held, kind, school_id):
        raise _phone_taken(school, phone, account)
    if (kind, school_id) not in held:
        # A parent already holding the guardian identity only gains the child (ACC-3: siblings).
        Identity.objects.create(account=account, kind=kind, school_id=school_id)
    if account.home_school_id is None:
        account.home_school = school
        account.save(update_fields=["home_school"])
    return NewUser(account, "")


def _child(school: School, account_id) -> Account:
    if not account_id:
        raise UserFacingError("users.child_required")
    child = accounts_of(school, UserTable.STUDENT).filter(pk=account_id).exclude(status=Status.DELETED).first()
    if child is None:
        raise UserFacingError("users.not_found")
    return child


@transaction.atomic
def update_user(actor: Actor, account_id: int, data: dict) -> UpdatedUser:
    """Name, sex and phone. Key information (ID and student numbers) is changed on its own page, where
    every change is checked and recorded (KEY-1)."""
    school = school_for(actor, not_allowed="users.not_allowed", region_admins=False)
    account = _member(school, account_id, lock=True)
    person = Person.objects.select_for_update().get(pk=account.person_id)
    kinds = kinds_at(school, account)
    changed = []
    reissued = ""
    if "name" in data and data["name"] is not None:
        name = clean_name(data["name"])
        if name != person.name:
            person.name = name
            changed.append("name")
    if "sex" in data and data["sex"]:
        sex = clean_sex(data["sex"])
        if sex != person.sex:
            person.sex = sex
            changed.append("sex")
    if "phone" in data and data["phone"] is not None:
        phone = clean_phone(data["phone"], required=bool(kinds & {UserTable.TEACHER, UserTable.PARENT}))
        if phone != account.phone:
            holder = Account.objects.filter(phone=phone).exclude(pk=account.pk).select_related("person").first()
            if phone and holder is not None:
                raise _phone_taken(school, phone, holder)
            account.phone = phone
            changed.append("phone")
            reissued = _reissue_phone_derived_initial(school, account, kinds)
    if changed:
        person.save()
        try:
            with transaction.atomic():
                account.save(update_fields=["phone", *INITIAL_FIELDS] if reissued else ["phone"])
        except IntegrityError:  # the same phone taken a moment ago by another request
            raise UserFacingError("users.phone_taken", phone=mask_phone(account.phone or ""), holder="-") from None
        details = {"changes": ",".join(changed)}
        if reissued:
            details["initial_password_reissued"] = account.initial_password_rule
        audit.record(actor, "users.update", account, details, school_id=school.pk)
    return UpdatedUser(account, reissued)


@dataclass(frozen=True)
class UpdatedUser:
    account: Account
    # The new initial password when a phone change re-issued it (shown once, like a new user's); "" otherwise.
    initial_password: str = ""


# Rules that read the phone: an account nobody has logged into keeps a password its old phone gave.
PHONE_RULES = ("pw_phone_last6", "phone_last6")
INITIAL_FIELDS = ["password", "initial_password_rule", "initial_password_digest", "initial_password_issued_at",
                  "initial_password_sealed"]


def _reissue_phone_derived_initial(school: School, account: Account, kinds: set[str]) -> str:
    """An untouched account whose initial password came from its phone gets the one the school's
    current rule gives now (issue 10: the old phone's digits kept opening it, and the new number's
    owner could not log in with what the slip rule says). Its own chosen password is never touched."""
    if not account.has_initial_password or account.initial_password_rule not in PHONE_RULES:
        return ""
    role = (UserTable.TEACHER if UserTable.TEACHER in kinds
            else UserTable.PARENT if UserTable.PARENT in kinds else UserTable.STUDENT)
    policy = policy_for_school(school)
    return issue_initial_password(account, getattr(policy, f"{role}_initial_rule"), policy)


def _phone_taken(school: School, phone: str, holder: Account) -> UserFacingError:
    """The refusal for a phone another account holds; a deleted account of this very school is named as
    what it is, with the way back (restore it from the recycle bin) instead of a dead end (issue 10)."""
    if holder.status == Status.DELETED:
        try:
            _member(school, holder.pk)
        except UserFacingError:
            pass  # another school's deleted account: say no more than for any other holder (NFR-2)
        else:
            deadline = restore_deadline(school, holder)
            if timezone.now() <= deadline:
                return UserFacingError("users.phone_in_recycle_bin", phone=mask_phone(phone),
                                       holder=_holder_label(holder),
                                       until=timezone.localtime(deadline).strftime("%Y-%m-%d"))
            return UserFacingError("users.phone_in_recycle_bin_expired", phone=mask_phone(phone),
                                   holder=_holder_label(holder),
                                   days=policy_for_school(school).recycle_retention_days)
    return UserFacingError("users.phone_taken", phone=mask_phone(phone), holder=_holder_label(holder))


# States: freeze, leave school, delete and restore (ACC-5) -----------------------------------------------------

ACTION_LABELS = {
    "freeze": ("冻结", "frozen"), "unfreeze": ("解冻", "unfrozen"), "leave": ("标记为离校", "marked as left"),
    "reinstate": ("复学", "reinstated"), "delete": ("删除", "deleted"), "restore": ("恢复", "restored"),
}


def _refuse_state(account: Account, action: str) -> UserFacingError:
    from renrentong.core.errors import in_language

    return UserFacingError("users.wrong_state", state=str(account.get_status_display()),
                           action=in_language(*ACTION_LABELS[action]))


def _check_whole_account(actor: Actor, school: School, account: Account) -> None:
    """Freezing, leaving and deleting stop the whole login, so the account must be only this school's."""
    if account.pk == actor.account.pk:
        raise UserFacingError("users.cannot_change_self")
    identities = list(account.identities.all())
    if access.holds_admin_role(identities):
        raise UserFacingError("users.is_admin")
    if access.belongs_to_other_school(identities, school):
        raise UserFacingError("users.elsewhere")
    if account.person_id and access.is_some_parent(identities):
        elsewhere = Guardianship.objects.filter(guardian_id=account.person_id).exclude(
            student__account__home_school=school)
        if elsewhere.exists():
            raise UserFacingError("users.elsewhere")


def _set_status(account: Account, status: str, *, remember: bool) -> None:
    if remember:
        account.previous_status = account.status
    account.status = status
    account.status_changed_at = timezone.now()
    if status in (Status.FROZEN, Status.LEFT, Status.DELETED):
        # Ends the account's sessions and tokens at once (AUTH-8), not at their next expiry.
        account.credentials_epoch += 1
    account.save(update_fields=["status", "previous_status", "status_changed_at", "credentials_epoch"])


@transaction.atomic
def freeze(actor: Actor, account_id: int) -> Account:
    school = school_for(actor, not_allowed="users.not_allowed", region_admins=False)
    account = _member(school, account_id, lock=True)
    if account.status in (Status.FROZEN, Status.DELETED):
        raise _refuse_state(account, "freeze")
    _check_whole_account(actor, school, account)
    _set_status(account, Status.FROZEN, remember=True)
    audit.record(actor, "users.freeze", account, school_id=school.pk)
    return account


@transaction.atomic
def unfreeze(actor: Actor, account_id: int) -> Account:
    school = school_for(actor, not_allowed="users.not_allowed", region_admins=False)
    account = _member(school, account_id, lock=True)
    if account.status != Status.FROZEN:
        raise _refuse_state(account, "unfreeze")
    back = account.previous_status
    if back in ("", Status.FROZEN, Status.DELETED):
        back = Status.ACTIVE
    _set_status(account, back, remember=False)
    audit.record(actor, "users.unfreeze", account, {"to": back}, school_id=school.pk)
    return account


@transaction.atomic
def leave_school(actor: Actor, account_id: int) -> Account:
    """离校: a student's open enrollment ends; a teacher's classes and head-teacher roles end (kept in
    the audit record). The account keeps its home school, so the school still finds it under "left"."""
    school = school_for(actor, not_allowed="users.not_allowed", region_admins=False)
    account = _member(school, account_id, lock=True)
    kinds = kinds_at(school, account)
    if not kinds & {UserTable.STUDENT, UserTable.TEACHER}:
        raise UserFacingError("users.left_not_for_parents")
    if account.status not in (Status.ACTIVE, Status.FROZEN, Status.PENDING):
        raise _refuse_state(account, "leave")
    _check_whole_account(actor, school, account)
    details: dict = {}
    today = timezone.localdate()
    if UserTable.STUDENT in kinds:
        ended = Enrollment.objects.filter(person_id=account.person_id, school=school, ended_on__isnull=True)
        details["class_id"] = ended.values_list("school_class_id", flat=True).first()
        ended.update(ended_on=today, reason="left")
    if UserTable.TEACHER in kinds:
        teaching = TeachingAssignment.objects.filter(teacher__account=account, teacher__school=school)
        headed = HeadTeacher.objects.filter(teacher__account=account, teacher__school=school)
        details["teaching"] = [[c, s] for c, s in teaching.values_list("school_class_id", "subject")]
        details["headed"] = list(headed.values_list("school_class_id", flat=True))
        teaching.delete()
        headed.delete()
    _set_status(account, Status.LEFT, remember=True)
    audit.record(actor, "users.leave", account, details, school_id=school.pk)
    return account


@transaction.atomic
def reinstate(actor: Actor, account_id: int) -> Account:
    """复学 / back at school: active again; a student waits in the pool until placed in a class."""
    school = school_for(actor, not_allowed="users.not_allowed", region_admins=False)
    account = _member(school, account_id, lock=True)
    if account.status != Status.LEFT:
        raise _refuse_state(account, "reinstate")
    _set_status(account, Status.ACTIVE, remember=False)
    audit.record(actor, "users.reinstate", account, school_id=school.pk)
    return account


@transaction.atomic
def delete(actor: Actor, account_id: int) -> Account:
    """To the recycle bin: only the state changes, every link stays (ACC-5)."""
    school = school_for(actor, not_allowed="users.not_allowed", region_admins=False)
    account = _member(school, account_id, lock=True)
    if account.status == Status.DELETED:
        raise _refuse_state(account, "delete")
    _check_whole_account(actor, school, account)
    _set_status(account, Status.DELETED, remember=True)
    audit.record(actor, "users.delete", account, {"was": account.previous_status}, school_id=school.pk)
    return account


def restore_deadline(school: School, account: Account) -> datetime:
    return account.status_changed_at + timedelta(days=policy_for_school(school).recycle_retention_days)


@transaction.atomic
def restore(actor: Actor, account_id: int, school_id: int | None = None) -> Account:
    """Out of the recycle bin, back to the state it had. Within the retention period the school admin
    restores; after it only a province admin (ACC-5)."""
    actor.require_identity()
    if not access.can_restore(actor):
        raise UserFacingError("users.restore_not_allowed")
    school = school_for(actor, school_id, not_allowed="users.not_allowed", not_found="users.not_found",
                        school_required="users.school_required")
    account = _member(school, account_id, lock=True)
    if account.status != Status.DELETED:
        raise _refuse_state(account, "restore")
    if access.bound_by_retention(actor) and timezone.now() > restore_deadline(school, account):
        raise UserFacingError("users.retention_passed", days=policy_for_school(school).recycle_retention_days)
    back = account.previous_status if account.previous_status not in ("", Status.DELETED) else Status.ACTIVE
    _set_status(account, back, remember=False)
    audit.record(actor, "users.restore", account, {"to": back}, school_id=school.pk)
    return account


# Classes: removal by the head teacher (ADM-3) and batch class change (ADM-4) ----------------------------------

def _target_class(school: School, class_id) -> SchoolClass:
    try:
        class_id = int(class_id)
    except (TypeError, ValueError):
        raise UserFacingError("users.class_not_found") from None
    school_class = SchoolClass.objects.filter(pk=class_id, school=school).select_related(
        "cohort__stage", "school").first()
    if school_class is None:
        raise UserFacingError("users.class_not_found")
    if school_class.kind == SchoolClass.Kind.GRADUATED or school_class.cohort.is_graduated(school.school_year):
        raise UserFacingError("users.class_graduated", name=school_class.display_name(school.school_year))
    return school_class


def _batch(account_ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        raise UserFacingError("users.batch_empty")
    if len(ids) > MAX_BATCH:
        raise UserFacingError("users.batch_too_large", limit=MAX_BATCH)
    return ids


def _students_for_change(school: School, account_ids: list[int]) -> list[Account]:
    found = {a.pk: a for a in accounts_of(school, UserTable.STUDENT).filter(pk__in=account_ids).select_related(
        "person").select_for_update(of=("self",))}
    missing = [i for i in account_ids if i not in found]
    if missing:
        # Another school's id, or no student at all: the same 404 either way (NFR-2).
        raise UserFacingError("users.not_found")
    return [found[i] for i in account_ids]


@transaction.atomic
def change_class(actor: Actor, account_ids: list[int], class_id: int) -> int:
    """批量调班: each student's open enrollment ends and one starts in the class, all or none."""
    actor.require_identity()
    if not access.may_move_students(actor):
        raise UserFacingError("users.bulk_not_allowed")
    school = school_for(actor, not_allowed="users.not_allowed", region_admins=False)
    target = _target_class(school, class_id)
    students = _students_for_change(school, _batch(account_ids))
    today = timezone.localdate()
    current = {e.person_id: e for e in Enrollment.objects.filter(
        person_id__in=[s.person_id for s in students], ended_on__isnull=True).select_for_update()}
    for student in students:
        if student.status not in (Status.ACTIVE, Status.PENDING, Status.FROZEN):
            raise UserFacingError("users.student_not_active", name=student.person.name,
                                  state=str(student.get_status_display()))
        enrollment = current.get(student.person_id)
        if enrollment and enrollment.school_class_id == target.pk:
            raise UserFacingError("users.already_in_class", name=student.person.name,
                                  school_class=target.display_name(school.school_year))
        if enrollment and enrollment.school_id != school.pk:
            raise UserFacingError("users.not_found")
    ended = [current[s.person_id].pk for s in students if s.person_id in current]
    Enrollment.objects.filter(pk__in=ended).update(ended_on=today, reason="class_change")
    Enrollment.objects.bulk_create(
        Enrollment(person_id=s.person_id, school_class=target, school=school, started_on=today, reason="class_change")
        for s in students
    )
    for student in students:
        before = current.get(student.person_id)
        audit.record(actor, "users.class_change", student,
                     {"from_class_id": before.school_class_id if before else None, "to_class_id": target.pk,
                      "batch": len(students)}, school_id=school.pk)
    return len(students)


def class_for_removal(actor: Actor, class_id: int) -> SchoolClass:
    """A class whose students the actor may send to the pool: any class of a school admin's school; a
    head teacher's own class. Classes the actor cannot see at all are not found (NFR-2)."""
    identity = actor.require_identity()
    school_class = actor.scope.class_members(SchoolClass.objects.all()).filter(pk=class_id).select_related(
        "cohort__stage", "school").first()
    if school_class is None or not access.may_open_class(actor):
        raise UserFacingError("users.class_not_found")
    heads = access.is_teacher(actor) and HeadTeacher.objects.filter(
        teacher=identity, school_class=school_class).exists()
    if not access.can_remove_from_class(actor, heads):
        raise UserFacingError("users.remove_not_allowed")
    return school_class


@dataclass(frozen=True)
class ClassMember:
    account_id: int
    number: str
    name: str
    sex: str
    status_label: str


def class_members(actor: Actor, class_id: int) -> tuple[SchoolClass, list[ClassMember]]:
    """The students of a class the actor may remove students from, for the head teacher's page."""
    school_class = class_for_removal(actor, class_id)
    accounts = Account.objects.filter(
        person__enrollments__school_class=school_class, person__enrollments__ended_on__isnull=True,
        status__in=CURRENT,
    ).select_related("person").order_by("person__name", "pk")
    return school_class, [ClassMember(a.pk, a.number, a.person.name, a.person.sex, str(a.get_status_display()))
                          for a in accounts]


@transaction.atomic
def remove_from_class(actor: Actor, class_id: int, account_ids: list[int]) -> int:
    """请出班级: the students' enrollments in the class end; they stay at the school, in its pool."""
    school_class = class_for_removal(actor, class_id)
    ids = _batch(account_ids)
    accounts = {a.pk: a for a in Account.objects.filter(pk__in=ids).select_related("person")}
    open_rows = {e.person_id: e for e in Enrollment.objects.filter(
        school_class=school_class, ended_on__isnull=True,
        person_id__in=[a.person_id for a in accounts.values() if a.person_id]).select_for_update()}
    for account_id in ids:
        account = accounts.get(account_id)
        if account is None or account.person_id not in open_rows:
            if account is None or not people_in_scope(actor.scope, Person.objects.filter(pk=account.person_id)).exists():
                raise UserFacingError("users.not_found")
            raise UserFacingError("users.not_in_class", name=account.person.name,
                                  school_class=school_class.display_name())
    today = timezone.localdate()
    Enrollment.objects.filter(pk__in=[e.pk for e in open_rows.values()]).update(
        ended_on=today, reason="removed_from_class")
    for account_id in ids:
        audit.record(actor, "users.remove_from_class", accounts[account_id],
                     {"class_id": school_class.pk, "batch": len(ids)}, school_id=school_class.school_id)
    return len(ids)
