"""The verbs of the real-name registry (RN-1..RN-4): admins add, import, correct and replace entries and
read full ID numbers (audited); users verify with name + ID number (+ certificate or student number) and
undo a parent verification made by mistake.

ID numbers are sealed as accounts.Person seals them (core.crypto: cipher, keyed digest, masked form) and
looked up by digest only. Every refusal a user can meet has its own message and fixer (RN-2, HELP-1).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from renrentong.accounts.family import services as children
from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity, LinkRequest, Person
from renrentong.core.masking import mask_account_number
from renrentong.accounts.selectors import contact_for, policy_for_account
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.crypto import id_number_digest, sealed_id_fields
from renrentong.core.errors import UserFacingError, in_language
from renrentong.core.masking import mask_id_number
from renrentong.core.text import (
    is_valid_id_number, normalize_id_number, normalize_text, sex_of_id_number, swapped_name_and_id,
)
from renrentong.orgs.grades import parse_class_number, parse_grade, split_grade_and_class
from renrentong.orgs.models import School, SchoolClass, Stage
from renrentong.orgs.selectors import school_for
from renrentong.core.spreadsheets import reader
from renrentong.realname import access
from renrentong.realname.models import Binding, RegistryEntry
from renrentong.core.names import names_match, normalize_person_name
from renrentong.realname.throttle import count_attempt

NAME_MAX = 64
NUMBER_MAX = 32
ROLE_LABELS = {
    "teacher": ("教师", "teacher"), "student": ("学生", "student"), "parent": ("家长", "parent"),
}
NUMBER_LABELS = {"teacher": ("教师资格证编号", "teacher certificate number"), "student": ("学籍号", "student number")}


def role_label(role: str) -> str:
    return in_language(*ROLE_LABELS[role])


# ---- Admins: whose registry ----

def require_admin(actor: Actor) -> Identity:
    identity = actor.require_identity()
    if not access.can_keep_registry(actor):
        raise UserFacingError("realname.not_allowed")
    return identity


def schools_in_scope(actor: Actor) -> QuerySet[School]:
    require_admin(actor)
    return actor.scope.schools(School.objects.all())


def entries_in_scope(actor: Actor) -> QuerySet[RegistryEntry]:
    return RegistryEntry.objects.filter(school__in=schools_in_scope(actor)).select_related(
        "school", "school_class__cohort__stage", "school_class__school")


def entry_in_scope(actor: Actor, entry_id: int, *, lock: bool = False) -> RegistryEntry:
    found = entries_in_scope(actor)
    if lock:
        found = found.select_for_update(of=("self",))
    entry = found.filter(pk=entry_id).first()
    if entry is None:
        raise UserFacingError("scope.not_found")
    return entry


# ---- Cleaning what an admin or a file gives ----

def _clean_name(value: str) -> str:
    name = normalize_person_name(value)
    if not name or len(name) > NAME_MAX:
        raise UserFacingError("realname.missing_fields")
    return name


def _clean_id_number(value: str) -> str:
    id_number = normalize_id_number(value)
    if not id_number:
        raise UserFacingError("realname.missing_fields")
    if not is_valid_id_number(id_number):
        raise UserFacingError("realname.invalid_id_number", value=mask_id_number(id_number[:18]))
    return id_number


def _clean_role(value: str) -> str:
    role = ROLE_WORDS.get(normalize_text(value).lower())
    if role is None:
        raise UserFacingError("realname.invalid_role")
    return role


ROLE_WORDS = {"teacher": "teacher", "教师": "teacher", "老师": "teacher", "教职工": "teacher",
              "student": "student", "学生": "student"}


def _junior_first_grade(school: School) -> int:
    stage = Stage.objects.filter(campus__school=school, level=Stage.Level.JUNIOR).first()
    return stage.first_grade if stage else 7


def find_class(school: School, text: str) -> SchoolClass | None:
    """The school's administrative class a text such as "三年级1班" names, if it exists now."""
    parsed = _parse_class(school, text)
    if parsed is None:
        return None
    grade, number = parsed
    candidates = SchoolClass.objects.filter(school=school, number=number, kind=SchoolClass.Kind.ADMINISTRATIVE)
    for school_class in candidates.select_related("cohort__stage"):
        if school_class.cohort.grade_number(school.school_year) == grade:
            return school_class
    return None


def _parse_class(school: School, text: str) -> tuple[int, int] | None:
    both = split_grade_and_class(text)
    if not both:
        return None
    grade = parse_grade(both[0], _junior_first_grade(school))
    number = parse_class_number(both[1])
    return (grade, number) if grade and number else None


def _place(school: School, role: str, class_text: str) -> tuple[SchoolClass | None, str]:
    """(class, class text) of a new entry. A student's class may not exist yet: the entry is kept with
    the text, and verification says the school admin must add the class (RN-2)."""
    text = normalize_text(class_text)[:32]
    if role != RegistryEntry.Role.STUDENT:
        return None, ""
    if not text:
        raise UserFacingError("realname.student_needs_class")
    if _parse_class(school, text) is None:
        raise UserFacingError("realname.invalid_class", value=text)
    return find_class(school, text), text


def _refuse_existing(digest: str, school: School) -> None:
    existing = RegistryEntry.objects.filter(id_number_digest=digest, retired_at__isnull=True).select_related(
        "school").first()
    if existing is None:
        return
    if existing.school_id == school.pk:
        raise UserFacingError("realname.exists_here", name=existing.name, role=role_label(existing.role))
    raise UserFacingError("realname.exists_elsewhere", school=existing.school.name)


# ---- Admins: add, correct, replace, reveal (RN-1, RN-3) ----

@dataclass(frozen=True)
class EntryInput:
    role: str
    name: str
    id_number: str
    number: str = ""
    class_text: str = ""


def add_entry(actor: Actor, data: EntryInput, *, school_id: int | None = None) -> RegistryEntry:
    school = school_for(actor, school_id, not_allowed="realname.not_allowed",
                        school_required="realname.choose_school")
    role = _clean_role(data.role)
    if swapped_name_and_id(data.name, data.id_number):
        raise UserFacingError("realname.name_id_swapped")
    name = _clean_name(data.name)
    id_number = _clean_id_number(data.id_number)
    number = normalize_text(data.number).upper()[:NUMBER_MAX]
    school_class, class_text = _place(school, role, data.class_text)
    digest = id_number_digest(id_number)
    try:
        with transaction.atomic():
            _refuse_existing(digest, school)
            entry = RegistryEntry(school=school, role=role, name=name, number=number, school_class=school_class,
                                  class_text=class_text, created_by=actor.account)
            entry.set_id_number(id_number)
            entry.save()
            audit.record(actor, "realname.add", entry, {"id_number": entry.id_number_masked, "role": role},
                         school_id=school.pk)
    except IntegrityError:
        _refuse_existing(digest, school)  # added at the same moment by someone else
        raise
    return entry


@transaction.atomic
def correct_entry(actor: Actor, entry_id: int, *, name: str | None, id_number: str | None) -> RegistryEntry:
    """A change asked of an entry: the name is corrected; an ID number is refused with the way to replace it
    (an edit in place would keep accounts verified with the old number bound to the new one)."""
    entry = entry_in_scope(actor, entry_id, lock=True)
    if id_number and id_number.strip() and id_number.strip() != entry.id_number_masked:
        raise UserFacingError("realname.id_number_not_editable", entry_id=entry.pk)
    if name is None:
        raise UserFacingError("request.invalid", detail="name")
    return correct_name(actor, entry_id, name)


@transaction.atomic
def correct_name(actor: Actor, entry_id: int, name: str) -> RegistryEntry:
    """Names may be corrected; the person verified with the entry gets the corrected name too (RN-3)."""
    entry = entry_in_scope(actor, entry_id, lock=True)
    if entry.retired_at:
        raise UserFacingError("realname.entry_retired")
    new = _clean_name(name)
    old = entry.name
    if new == old:
        return entry
    entry.name = new
    entry.save(update_fields=["name"])
    bound = Binding.objects.filter(entry=entry, ended_at__isnull=True).exclude(role=Binding.Role.PARENT).first()
    if bound:
        Person.objects.filter(account__pk=bound.account_id, id_number_digest=entry.id_number_digest).update(name=new)
    audit.record(actor, "realname.correct_name", entry, {"old": old, "new": new}, school_id=entry.school_id)
    return entry


@transaction.atomic
def replace_id_number(actor: Actor, entry_id: int, id_number: str, name: str = "") -> RegistryEntry:
    """An ID number is never edited: a new entry replaces the old, which is retired, and the accounts
    verified with the old one are unbound, to verify again with the new one (RN-3, seed 003 #9)."""
    entry = entry_in_scope(actor, entry_id, lock=True)
    if entry.retired_at:
        raise UserFacingError("realname.entry_retired")
    new_id = _clean_id_number(id_number)
    digest = id_number_digest(new_id)
    if digest == entry.id_number_digest:
        raise UserFacingError("realname.same_id_number")
    _refuse_existing(digest, entry.school)
    replacement = RegistryEntry(school=entry.school, role=entry.role, name=_clean_name(name) if name else entry.name,
                                number=entry.number, school_class=entry.school_class, class_text=entry.class_text,
                                created_by=actor.account)
    replacement.set_id_number(new_id)
    entry.retired_at = timezone.now()
    entry.save(update_fields=["retired_at"])
    replacement.save()
    entry.replaced_by = replacement
    entry.save(update_fields=["replaced_by"])
    unbound = []
    for binding in Binding.objects.select_for_update().filter(entry=entry, ended_at__isnull=True):
        _end(binding, "replaced")
        if binding.role != Binding.Role.PARENT:
            # The person's ID number was the wrong one: it goes, and verifying again seals the right one.
            Person.objects.filter(account__pk=binding.account_id, id_number_digest=entry.id_number_digest).update(
                **sealed_id_fields(None))
        unbound.append(binding.account_id)
    audit.record(actor, "realname.replace_id_number", replacement,
                 {"old_entry": entry.pk, "old": entry.id_number_masked, "new": replacement.id_number_masked,
                  "unbound_accounts": unbound}, school_id=entry.school_id)
    return replacement


@transaction.atomic
def reveal_id_number(actor: Actor, entry_id: int) -> str:
    """A full ID number from the registry: admins only, every read in the audit log (NFR-1)."""
    entry = entry_in_scope(actor, entry_id)
    audit.record(actor, "realname.reveal_id_number", entry, school_id=entry.school_id)
    return entry.reveal_id_number()


# ---- Admins: import a spreadsheet (RN-1), read through the roster file screening ----

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "idnumber", "id_number", "idcard"),
    "role": ("身份", "角色", "人员类型", "role"),
    "number": ("教师资格证编号", "教师资格证号", "学籍号", "编号", "number"),
    "grade": ("年级", "grade"),
    "class": ("班级", "班级名称", "class"),
}
REQUIRED = {"name", "id_number", "role"}
MAX_IMPORT_ROWS = 20_000  # read in the request: a school's registry, not a district's roster


TEMPLATE = [  # (header, required, note)
    ("姓名", True, "与身份证一致的真实姓名"),
    ("身份证号", True, "18位;请保持文本格式,勿转成数字"),
    ("身份", True, "教师 / 学生"),
    ("编号", False, "教师资格证编号或学籍号;填写后认证时须一致"),
    ("年级", False, "学生必填,如 三年级、初一"),
    ("班级", False, "学生必填,如 1班"),
]
TEMPLATE_INSTRUCTIONS = [
    "带 * 的列必须填写;列的顺序可以调整。",
    "身份证号、编号请保持“文本”格式,不要转换成数字(否则末几位会丢失)。",
    "班级尚未建立的学生也会录入,但要等学校管理员新增该班级后才能认证。",
    "已在实名校验库中且内容相同的行保持不变;身份证号在其他学校的,需本人认证后申请转校。",
]


def template_xlsx() -> bytes:
    """The import template (RN-1): the roster templates' layout, formula-safe."""
    from renrentong.core.spreadsheets import writer as spreadsheets
    columns = [spreadsheets.TemplateColumn(header=h, required=req, comment=note) for h, req, note in TEMPLATE]
    examples = [["王老师", "430102198503021234", "教师", "20184300001", "", ""],
                ["李小明", "430102201505171234", "学生", "L4301020001", "三年级", "1班"]]
    return spreadsheets.template_xlsx(columns, examples, TEMPLATE_INSTRUCTIONS, sheet_name="实名信息")


@dataclass
class ImportProblem:
    row: int
    code: str
    message: str
    who_can_fix: str
    created: bool  # a warning on a row that went in, or the reason a row did not


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[ImportProblem] = field(default_factory=list)


def _problem(row: int, error: UserFacingError, created: bool = False) -> ImportProblem:
    return ImportProblem(row, error.code, error.message, error.who_can_fix, created)


def _store(chunks) -> Path:
    fd, name = tempfile.mkstemp(prefix="realname-")
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > reader.MAX_FILE_BYTES:
                    raise UserFacingError("import.file_too_large")
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def import_entries(actor: Actor, chunks, original_name: str, *, school_id: int | None = None) -> ImportReport:
    """Add the rows of a spreadsheet to a school's registry in one transaction. A row already there with
    the same data is unchanged (importing a file twice changes nothing); every other row that cannot go in
    says why. Rows whose class does not exist yet go in with a warning."""
    school = school_for(actor, school_id, not_allowed="realname.not_allowed",
                        school_required="realname.choose_school")
    path = _store(chunks)
    try:
        fmt = reader.screen_file(path, original_name)
        table = reader.read_table(path, fmt, COLUMNS, REQUIRED, text_only={"id_number", "number"})
    finally:
        path.unlink(missing_ok=True)
    if len(table.rows) > MAX_IMPORT_ROWS:
        raise UserFacingError("import.file_too_many_rows", rows=len(table.rows), limit=MAX_IMPORT_ROWS)
    report = ImportReport()
    parsed: list[tuple[int, RegistryEntry, str]] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        v = row.values
        try:
            if row.problems.get("id_number"):
                raise UserFacingError("row.id_number_as_number")
            role = _clean_role(v.get("role", ""))
            name = _clean_name(v.get("name", ""))
            id_number = _clean_id_number(v.get("id_number", ""))
            class_text = " ".join(x for x in (v.get("grade", ""), v.get("class", "")) if x)
            school_class, class_text = _place(school, role, class_text)
        except UserFacingError as exc:
            report.problems.append(_problem(row.number, exc))
            continue
        entry = RegistryEntry(school=school, role=role, name=name, school_class=school_class, class_text=class_text,
                              number=normalize_text(v.get("number", "")).upper()[:NUMBER_MAX], created_by=actor.account)
        entry.set_id_number(id_number)
        if entry.id_number_digest in seen:
            report.problems.append(_problem(row.number, UserFacingError(
                "realname.duplicate_in_file", first_row=seen[entry.id_number_digest])))
            continue
        seen[entry.id_number_digest] = row.number
        parsed.append((row.number, entry, id_number))
    with transaction.atomic():
        existing = {e.id_number_digest: e for e in RegistryEntry.objects.filter(
            id_number_digest__in=list(seen), retired_at__isnull=True).select_related("school")}
        new = []
        for number, entry, _ in parsed:
            found = existing.get(entry.id_number_digest)
            if found is None:
                new.append(entry)
                if entry.role == RegistryEntry.Role.STUDENT and entry.school_class is None:
                    report.problems.append(_problem(number, UserFacingError(
                        "realname.row_class_not_created", class_name=entry.class_text), created=True))
            elif found.school_id != school.pk:
                report.problems.append(_problem(number, UserFacingError("realname.exists_elsewhere",
                                                                        school=found.school.name)))
            elif (found.name, found.role, found.number, found.class_text) == (
                    entry.name, entry.role, entry.number, entry.class_text):
                report.unchanged += 1
            else:
                report.problems.append(_problem(number, UserFacingError(
                    "realname.exists_here", name=found.name, role=role_label(found.role))))
        RegistryEntry.objects.bulk_create(new, batch_size=1000)
        report.created = len(new)
        audit.record(actor, "realname.import", None, {"file": original_name[:200], "created": len(new),
                                                       "unchanged": report.unchanged}, school_id=school.pk)
    report.rejected = sum(1 for p in report.problems if not p.created)
    report.problems.sort(key=lambda p: p.row)
    return report


# ---- Users: verify (RN-1, RN-2) and undo a parent verification (RN-4) ----

@dataclass(frozen=True)
class VerifyInput:
    role: str
    name: str
    id_number: str
    number: str = ""
    continue_at_other_school: bool = False


def verify(actor: Actor, data: VerifyInput, *, source: str) -> Binding:
    """Tie the account to a registry entry: as that teacher or student, or as a parent of that student."""
    account = actor.account
    if data.role not in Binding.Role.values:
        raise UserFacingError("realname.invalid_role")
    name = normalize_person_name(data.name)
    id_number = normalize_id_number(data.id_number)
    if not name or not id_number:
        raise UserFacingError("realname.missing_fields")
    if swapped_name_and_id(data.name, data.id_number):
        raise UserFacingError("realname.name_id_swapped")
    if not is_valid_id_number(id_number):
        # A typo, not a guess: nothing was looked up, so nothing is counted.
        raise UserFacingError("realname.invalid_id_number", value=mask_id_number(id_number[:18]))
    policy = policy_for_account(account)
    count_attempt("realname", source, policy.realname_source_attempts_per_hour)
    count_attempt("realname", f"account:{account.pk}", policy.realname_attempts_per_hour)
    entry = (RegistryEntry.objects.filter(id_number_digest=id_number_digest(id_number), retired_at__isnull=True)
             .select_related("school", "school_class").first())
    # One message for "not listed" and "listed under another name": it never tells a stranger that an
    # ID number is in some school's registry (docs/realname-and-registration.md).
    if entry is None or not names_match(entry.name, name):
        raise UserFacingError("realname.not_found", contact=contact_for(account))
    if data.role == Binding.Role.PARENT and entry.role == RegistryEntry.Role.TEACHER:
        raise UserFacingError("realname.parent_with_teacher_record")
    if data.role != Binding.Role.PARENT and entry.role != data.role:
        raise UserFacingError("realname.role_mismatch", role=role_label(entry.role))
    if entry.number and normalize_text(data.number).upper() != entry.number.upper():
        raise UserFacingError("realname.number_mismatch", label=in_language(*NUMBER_LABELS[entry.role]),
                              contact=entry.school.admin_contact)
    try:
        with transaction.atomic():
            account = Account.objects.select_for_update(of=("self",)).select_related("person").get(pk=account.pk)
            if data.role == Binding.Role.PARENT:
                binding = _bind_parent(actor, account, entry, name, id_number, source)
            else:
                binding = _bind_self(account, entry, id_number, data.continue_at_other_school)
            audit.record(actor, "realname.verify", binding, {"role": data.role, "entry": entry.pk,
                                                             "id_number": entry.id_number_masked},
                         school_id=entry.school_id)
    except IntegrityError:
        # Another account verified with the same record at the same moment: say who holds it now.
        holder = (Binding.objects.filter(entry=entry, ended_at__isnull=True).exclude(role=Binding.Role.PARENT)
                  .select_related("account").first())
        if holder is not None:
            raise UserFacingError("realname.already_verified", account=mask_account_number(holder.account.number),
                                  contact=entry.school.admin_contact) from None
        raise
    actor.account = account
    return binding


def _bind_self(account: Account, entry: RegistryEntry, id_number: str, continue_elsewhere: bool) -> Binding:
    holder = (Binding.objects.select_for_update(of=("self",)).filter(entry=entry, ended_at__isnull=True)
              .exclude(role=Binding.Role.PARENT).select_related("account").first())
    if holder is not None:
        if holder.account_id == account.pk:
            raise UserFacingError("realname.already_yours")
        raise UserFacingError("realname.already_verified", account=mask_account_number(holder.account.number),
                              contact=entry.school.admin_contact)
    mine = (Binding.objects.filter(account=account, ended_at__isnull=True).exclude(role=Binding.Role.PARENT)
            .select_related("entry").first())
    if mine is not None:
        raise UserFacingError("realname.account_verified_as_other", name=mine.entry.name,
                              id_number=mine.entry.id_number_masked)
    person = account.person
    if person is not None and person.id_number_digest and person.id_number_digest != entry.id_number_digest:
        raise UserFacingError("realname.other_person", id_number=person.id_number_masked)
    other = Person.objects.filter(id_number_digest=entry.id_number_digest).exclude(
        pk=person.pk if person else None).first()
    if other is not None:
        other_account = Account.objects.filter(person=other).first()
        raise UserFacingError("realname.already_verified",
                              account=mask_account_number(other_account.number) if other_account else "-",
                              contact=entry.school.admin_contact)
    school_class = None
    if entry.role == RegistryEntry.Role.STUDENT:
        school_class = entry.school_class or find_class(entry.school, entry.class_text)
        if school_class is None:
            raise UserFacingError("realname.class_missing", class_name=entry.class_text, school=entry.school.name,
                                  contact=entry.school.admin_contact)
        if entry.school_class_id is None:
            entry.school_class = school_class
            entry.save(update_fields=["school_class"])
    if account.home_school_id and account.home_school_id != entry.school_id and not continue_elsewhere:
        raise UserFacingError("realname.other_school", school=entry.school.name)

    if person is None:
        person = Person(name=entry.name, sex=sex_of_id_number(id_number))
    if not person.id_number_digest:
        person.set_id_number(id_number)
        person.save()
    if account.person_id != person.pk or account.home_school_id is None:
        account.person = person
        account.home_school_id = account.home_school_id or entry.school_id
        account.save(update_fields=["person", "home_school"])
    kind = Identity.Kind.TEACHER if entry.role == RegistryEntry.Role.TEACHER else Identity.Kind.STUDENT
    identity, created = Identity.objects.get_or_create(account=account, kind=kind, school=entry.school)
    if school_class is not None and not Enrollment.objects.filter(person=person, ended_on__isnull=True).exists():
        Enrollment.objects.create(person=person, school_class=school_class, school=entry.school, reason="realname")
    return Binding.objects.create(account=account, entry=entry, school_id=entry.school_id, role=entry.role,
                                  created_identity=identity if created else None)


def _bind_parent(actor: Actor, account: Account, entry: RegistryEntry, name: str, id_number: str,
                 source: str) -> Binding:
    """A parent proves the child's "two numbers, one name"; the link itself is made by the one service
    that links children (accounts.children), with its limits and audit."""
    if Binding.objects.filter(account=account, entry=entry, ended_at__isnull=True).exists():
        raise UserFacingError("realname.already_yours")
    child = Person.objects.filter(id_number_digest=entry.id_number_digest).first()
    if child is None or not Enrollment.objects.filter(person=child, ended_on__isnull=True).exists():
        raise UserFacingError("realname.child_not_enrolled", school=entry.school.name,
                              contact=entry.school.admin_contact)
    if account.person_id == child.pk:
        raise UserFacingError("realname.role_mismatch", role=role_label(entry.role))
    had_identity = account.identities.filter(kind=Identity.Kind.GUARDIAN).exists()
    link = Guardianship.objects.filter(guardian_id=account.person_id, student=child).first() \
        if account.person_id else None
    made_link = None
    if link is None:
        # Name and ID number are a request like any other: the link waits for its confirmation, and
        # unbinding withdraws the request (or removes the link it became).
        children.link_by_id_number(actor, name, id_number, source=source)
    identity = None if had_identity else account.identities.filter(kind=Identity.Kind.GUARDIAN).first()
    return Binding.objects.create(account=account, entry=entry, school_id=entry.school_id, role=Binding.Role.PARENT,
                                  created_identity=identity, created_guardianship=made_link)


def _end(binding: Binding, reason: str) -> None:
    binding.ended_at = timezone.now()
    binding.end_reason = reason
    binding.save(update_fields=["ended_at", "end_reason"])


@transaction.atomic
def unbind(actor: Actor, binding_id: int) -> Binding:
    """Undo one's own parent verification, removing the link and the parent identity it created, so a
    teacher who verified as a parent by mistake can verify again as a teacher (RN-4, seed 003)."""
    binding = (Binding.objects.select_for_update(of=("self",)).filter(pk=binding_id, account=actor.account)
               .select_related("entry").first())
    if binding is None:
        raise UserFacingError("scope.not_found")
    if binding.ended_at:
        raise UserFacingError("realname.already_unbound")
    if binding.role != Binding.Role.PARENT:
        raise UserFacingError("realname.unbind_own_role")
    _end(binding, "unbound")
    link = Guardianship.objects.filter(pk=binding.created_guardianship_id).first()
    if link is None and binding.role == Binding.Role.PARENT:
        request = (LinkRequest.objects.filter(account=actor.account,
                                              student__id_number_digest=binding.entry.id_number_digest,
                                              created_at__gte=binding.created_at - timedelta(minutes=1))
                   .select_related("guardianship").order_by("-pk").first())
        if request is not None and request.status == LinkRequest.Status.PENDING:
            children.cancel_link_request(actor, request.pk, any_identity=True)
        elif request is not None:
            link = request.guardianship
    if link is not None:
        children.unlink(actor, link.student_id, any_identity=True)
    if binding.created_identity_id and not Guardianship.objects.filter(guardian_id=actor.account.person_id).exists():
        Identity.objects.filter(pk=binding.created_identity_id).delete()
    audit.record(actor, "realname.unbind", binding, {"role": binding.role, "entry": binding.entry_id},
                 school_id=binding.entry.school_id)
    return binding


# ---- Transfers (ADM-5): the registry record follows the person ----

def follow_transfer(sender, *, person: Person, from_school: School, to_school: School, **kwargs) -> None:
    """Receiver of schooladmin.transfers.person_transferred, inside the approving transaction: the
    person's live record moves to the new school (seed 003: verify first, then request a school change,
    after which the new school's registry holds the person), in the new class for a student."""
    if not person.id_number_digest:
        return
    enrollment = Enrollment.objects.filter(person=person, ended_on__isnull=True).select_related(
        "school_class").first()
    moved = RegistryEntry.objects.filter(id_number_digest=person.id_number_digest, retired_at__isnull=True,
                                         school=from_school)
    for entry in moved.select_for_update():
        entry.school = to_school
        if entry.role == RegistryEntry.Role.STUDENT and enrollment and enrollment.school_id == to_school.pk:
            entry.school_class = enrollment.school_class
        else:
            entry.school_class = None
        entry.class_text = ""
        entry.save(update_fields=["school", "school_class", "class_text"])


def record_registry_export(actor: Actor, *, rows: int, searched: bool, filters: dict) -> None:
    """An export of the registry table is audited like the other exports: the filters and the row count,
    never the search text (it may hold an ID number)."""
    identity = require_admin(actor)
    with transaction.atomic():
        audit.record(actor, "realname.registry_export", None,
                     {"rows": rows, "searched": searched, **{k: str(v) for k, v in filters.items() if v},
                      **({"region_id": identity.region_id} if identity.region_id else {})},
                     school_id=identity.school_id)
