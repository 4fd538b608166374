"""Teacher roster import (ACC-4, ADM-2): accounts log in by phone; subjects, classes taught and the
classes a teacher heads come from the same file. Same verbs as students.py, same set-based shape.

A class's subject has one teacher unless the school's policy allows co-teaching (co_teaching): a row
that teaches a course someone else teaches replaces them and says whom (reason "replaces_teacher"),
and undo puts them back; two rows of one file teaching the same course is an error on the second.
Before issue 10 every row added a teacher, so re-imports stacked three to five on one course.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from renrentong.accounts.models import Account, CourseArrangement, HeadTeacher, Identity, Person, TeachingAssignment
from renrentong.accounts.people.services import NewPerson, create_people_with_accounts
from renrentong.core.bulk import among, bulk_delete, chunks
from renrentong.core.crypto import id_number_digest
from renrentong.core.masking import mask_number
from renrentong.core.text import (
    is_valid_id_number, is_valid_mobile, normalize_id_number, normalize_text, sex_of_id_number,
)
from renrentong.orgs.grades import parse_class_number, parse_grade, split_grade_and_class
from renrentong.orgs.models import School, SchoolClass
from renrentong.orgs.policy import policy_for_school

from renrentong.rosters.importers.base import created_accounts, find_people, recycle_used
from renrentong.rosters.importers.columns import SEXES, TEACHER_COLUMNS
from renrentong.rosters.importers.students import CONFLICT, CREATE, ERROR, UNCHANGED, UPDATE, ClassIndex

COLUMNS = TEACHER_COLUMNS
# Teacher files are small: the commit parses the file again rather than keeping the preview's parse.
PARSED_FORMAT = None
REQUIRED = {"name", "phone"}
TEXT_ONLY = {"id_number"}
APPLIED = {CREATE, UPDATE, UNCHANGED}
_SPLIT = re.compile(r"[、,，;；/\s]+")


@dataclass
class TeacherRow:
    number: int
    original: list[str]
    name: str = ""
    sex: str = ""
    phone: str = ""
    id_number: str = ""
    digest: str | None = None
    school_id: int | None = None
    class_id: int | None = None  # rows of a teacher file name several classes; none is "the" class
    subjects: list[str] = field(default_factory=list)
    classes: list[int] = field(default_factory=list)
    head_of: list[int] = field(default_factory=list)
    missing_classes: list[tuple[int, int, int]] = field(default_factory=list)
    outcome: str = CREATE
    reason: str = ""
    detail: dict = field(default_factory=dict)
    person_id: int | None = None
    account_id: int | None = None

    def fail(self, outcome: str, reason: str, **detail) -> None:
        if self.outcome in (ERROR, CONFLICT):
            return
        self.outcome, self.reason, self.detail = outcome, reason, detail


def parse_rows(table, schools: dict[str, int], default_school_id: int | None, classes: ClassIndex,
               checked: Collection[int] = ()) -> list[TeacherRow]:
    """The table's rows, each checked (`checked`, rows an earlier parse found valid, is for rosters big
    enough to need it: a teacher file is checked whole every time)."""
    rows: list[TeacherRow] = []
    seen: dict[str, int] = {}
    for raw in table.rows:
        v = raw.values
        row = TeacherRow(number=raw.number, original=raw.original)
        row.name = normalize_text(v.get("name", ""))
        sex = normalize_text(v.get("sex", ""))
        row.sex = SEXES.get(sex.lower(), "")
        if not row.name:
            row.fail(ERROR, "missing_name")
        row.phone = normalize_text(v.get("phone", "")).removeprefix("+86")
        if not row.phone:
            row.fail(ERROR, "missing_phone")
        elif not is_valid_mobile(row.phone):
            row.fail(ERROR, "invalid_teacher_phone", value=mask_number(row.phone))
        elif row.phone in seen:
            row.fail(ERROR, "duplicate_in_file", first_row=seen[row.phone])
        else:
            seen[row.phone] = row.number
        if raw.problems.get("id_number"):
            row.fail(ERROR, "id_number_as_number")
        id_number = normalize_id_number(v.get("id_number", ""))
        if id_number:
            if is_valid_id_number(id_number):
                row.id_number, row.digest = id_number, id_number_digest(id_number)
                id_sex = sex_of_id_number(id_number)
                if not row.sex:
                    row.sex = id_sex
                elif row.sex != id_sex:  # the same check as the student import
                    row.fail(ERROR, "sex_contradicts_id", value=sex, id_sex="男" if id_sex == "M" else "女")
            else:
                row.fail(ERROR, "invalid_id_number", value=mask_number(id_number))
        school_text = normalize_text(v.get("school", ""))
        row.school_id = schools.get(school_text) if school_text else default_school_id
        if row.school_id is None:
            row.fail(ERROR, "unknown_school" if school_text else "missing_school", value=school_text)
            rows.append(row)
            continue
        row.subjects = [s for s in _SPLIT.split(v.get("subjects", "")) if s.strip()]
        row.classes = _class_ids(row, v.get("classes", ""), classes)
        row.head_of = _class_ids(row, v.get("head_of", ""), classes)
        if row.classes and not row.subjects:
            row.fail(ERROR, "classes_without_subject")
        rows.append(row)
    _one_teacher_per_course_in_file(rows)
    return rows


def _co_teaching(school_ids) -> set[int]:
    return {s.pk for s in School.objects.filter(pk__in=set(school_ids)) if policy_for_school(s).co_teaching}


def _one_teacher_per_course_in_file(rows: list[TeacherRow]) -> None:
    shared = _co_teaching(r.school_id for r in rows if r.school_id)
    first: dict[tuple[int, str], int] = {}
    names: dict[int, str] = {}
    for row in rows:
        if row.outcome == ERROR or row.school_id in shared:
            continue
        for class_id in row.classes:
            for subject in row.subjects:
                earlier = first.setdefault((class_id, subject), row.number)
                if earlier != row.number:
                    if class_id not in names:
                        names[class_id] = SchoolClass.objects.select_related("cohort__stage", "school").get(
                            pk=class_id).display_name()
                    row.fail(ERROR, "course_twice_in_file", school_class=names[class_id], subject=subject,
                             first_row=earlier)


def _class_ids(row: TeacherRow, text: str, classes: ClassIndex) -> list[int]:
    found = []
    for token in _SPLIT.split(text or ""):
        if not token:
            continue
        code = classes.by_code.get(normalize_text(token).upper())
        if code and code[0] == row.school_id:
            found.append(code[1])
            continue
        both = split_grade_and_class(token)
        grade = parse_grade(both[0], classes.junior_first.get(row.school_id, 7)) if both else None
        number = parse_class_number(both[1]) if both else None
        if grade is None or number is None:
            row.fail(ERROR, "invalid_class", value=token)
            continue
        class_id = classes.by_grade.get((row.school_id, grade, number))
        if class_id is None:
            row.missing_classes.append((row.school_id, grade, number))
            row.fail(ERROR, "unknown_class", grade=grade, number=number)
        else:
            found.append(class_id)
    return found


def dump_parsed(rows: list[TeacherRow]) -> Iterator[list[dict]]:
    """No parse is kept (PARSED_FORMAT is None): the commit reads the file again."""
    return iter(())


def load_parsed(parts: Iterable[list[dict]]) -> list[TeacherRow]:
    return []


@dataclass
class Known:
    by_phone: dict[str, tuple[int, int | None]]  # phone -> (account, person)
    person_by_digest: dict[str, int]
    account_phone: dict[int, str | None]  # person -> phone of their account
    teacher_at: dict[int, set[int]]  # account -> schools where it is a teacher
    identity: dict[tuple[int, int], int]  # (account, school) -> teacher identity
    assignments: set[tuple[int, int, str]]
    heads: dict[int, int]  # class -> head teacher identity
    # (class, subject) -> teacher identities teaching it now, of the classes the rows name
    taught: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    teacher_names: dict[int, str] = field(default_factory=dict)  # teacher identity -> name
    class_names: dict[int, str] = field(default_factory=dict)
    co_teaching: set[int] = field(default_factory=set)  # schools that allow two teachers on a course

    @classmethod
    def load(cls, rows: list[TeacherRow]) -> Known:
        phones = [r.phone for r in rows if r.phone]
        digests = [r.digest for r in rows if r.digest]
        found = find_people(digests=digests, phones=phones, phones_of_digests=True)
        by_phone, person_by_digest, account_phone = found.by_phone, found.by_digest, found.phone_of
        accounts = [a for a, _ in by_phone.values()]
        teacher_at: dict[int, set[int]] = defaultdict(set)
        identity: dict[tuple[int, int], int] = {}
        for chunk in chunks(accounts):
            for pk, account, school in Identity.objects.filter(account_id__in=chunk, kind="teacher").values_list(
                    "pk", "account_id", "school_id"):
                teacher_at[account].add(school)
                identity[(account, school)] = pk
        assignments = set(TeachingAssignment.objects.filter(teacher_id__in=list(identity.values())).values_list(
            "teacher_id", "school_class_id", "subject"))
        class_ids = {c for r in rows for c in r.head_of}
        heads = dict(HeadTeacher.objects.filter(school_class_id__in=class_ids).values_list(
            "school_class_id", "teacher_id"))
        taught: dict[tuple[int, str], list[int]] = defaultdict(list)
        teacher_names: dict[int, str] = {}
        taught_classes = {c for r in rows for c in r.classes}
        for chunk in chunks(sorted(taught_classes)):
            for teacher, class_id, subject, name in TeachingAssignment.objects.filter(
                    school_class_id__in=chunk).values_list("teacher_id", "school_class_id", "subject",
                                                           "teacher__account__person__name").order_by("pk"):
                taught[(class_id, subject)].append(teacher)
                teacher_names[teacher] = name or ""
        class_names = {c.pk: c.display_name() for c in SchoolClass.objects.filter(
            pk__in=taught_classes).select_related("cohort__stage", "school")}
        co_teaching = _co_teaching(r.school_id for r in rows if r.school_id)
        return cls(by_phone, person_by_digest, account_phone, dict(teacher_at), identity, assignments, heads,
                   dict(taught), teacher_names, class_names, co_teaching)

    def replaced_by(self, row: TeacherRow, teacher: int | None) -> list[tuple[int, str, int]]:
        """The (class, subject, teacher) assignments the row's courses take over: one teacher per course."""
        if row.school_id in self.co_teaching:
            return []
        return [(c, s, t) for c in row.classes for s in row.subjects for t in self.taught.get((c, s), [])
                if t != teacher]

    def describe(self, replaced: list[tuple[int, str, int]]) -> list[str]:
        return [f"{self.class_names.get(c, c)}{s}（{self.teacher_names.get(t, '')}）" for c, s, t in replaced]


def classify(rows: list[TeacherRow]) -> Known:
    known = Known.load([r for r in rows if r.outcome != ERROR])
    for row in rows:
        if row.outcome == ERROR:
            continue
        account = known.by_phone.get(row.phone)
        holder = known.person_by_digest.get(row.digest or "")
        if account is None:
            if holder is not None:  # the ID number belongs to an account with another phone
                row.fail(CONFLICT, "id_held_by_other_account",
                         phone=mask_number(known.account_phone.get(holder) or ""))
            else:
                row.outcome, row.reason = CREATE, ""
            continue
        row.account_id, row.person_id = account
        if holder is not None and holder != row.person_id:
            row.fail(CONFLICT, "id_held_by_other_account",
                     phone=mask_number(known.account_phone.get(holder) or ""))
            continue
        schools = known.teacher_at.get(row.account_id, set())
        if row.school_id in schools:
            identity = known.identity[(row.account_id, row.school_id)]
            wanted = {(identity, c, s) for c in row.classes for s in row.subjects}
            new_heads = [c for c in row.head_of if known.heads.get(c) != identity]
            changed = bool(wanted - known.assignments) or bool(new_heads) or bool(known.replaced_by(row, identity))
            row.outcome, row.reason = (UPDATE, "assignments") if changed else (UNCHANGED, "")
        elif schools:  # a teacher of another school: they move by a transfer the new school approves (ADM-5)
            row.fail(CONFLICT, "teacher_elsewhere")
        else:  # a parent (or other) account on this phone gains a teacher identity (ACC-1)
            row.outcome, row.reason = UPDATE, "adds_teacher_identity"
    for row in rows:
        if row.outcome in (CREATE, UPDATE):
            teacher = known.identity.get((row.account_id, row.school_id)) if row.account_id else None
            replaced = known.replaced_by(row, teacher)
            if replaced:
                # The preview and the result say whose course this row takes over (issue 10).
                row.reason = "replaces_teacher"
                row.detail = {**row.detail, "replaced": known.describe(replaced)}
    return known


@dataclass
class ChunkResult:
    created_accounts: int = 0
    identities_added: int = 0
    assignments_added: int = 0
    head_teachers_set: int = 0
    assignments_replaced: int = 0


def apply_chunk(job_id: int, actor_account_id: int, rows: list[TeacherRow], today: date) -> ChunkResult:
    from renrentong.rosters.models import ImportChange

    result = ChunkResult()
    known = classify(rows)
    now = timezone.now()
    todo = [r for r in rows if r.outcome in APPLIED]
    schools = {s.pk: s for s in School.objects.filter(pk__in={r.school_id for r in todo})}
    policies = {pk: policy_for_school(s) for pk, s in schools.items()}

    new = [r for r in todo if r.account_id is None]
    made = create_people_with_accounts([
        NewPerson(name=r.name, sex=r.sex, id_number=r.id_number, phone=r.phone, school_id=r.school_id,
                  role="teacher", job_id=job_id)
        for r in new], policies=policies, now=now)
    for r, m in zip(new, made, strict=True):
        r.account_id, r.person_id = m.account_id, m.person_id
    result.created_accounts = len(made)

    missing = {(r.account_id, r.school_id) for r in todo} - set(known.identity)
    created = Identity.objects.bulk_create([
        Identity(account_id=a, kind="teacher", school_id=s, created_at=now, created_by_import=job_id)
        for a, s in sorted(missing)
    ], batch_size=2000)
    identity = dict(known.identity)
    identity.update({(i.account_id, i.school_id): i.pk for i in created})
    result.identities_added = len(created)

    # (class, subject, teacher replaced) -> the row's person and school
    replaced: dict[tuple[int, str, int], tuple[int, int]] = {}
    for r in todo:
        for key in known.replaced_by(r, identity[(r.account_id, r.school_id)]):
            replaced.setdefault(key, (r.person_id, r.school_id))
    for class_id, subject, before in replaced:
        TeachingAssignment.objects.filter(school_class_id=class_id, subject=subject, teacher_id=before).delete()
        known.assignments.discard((before, class_id, subject))
    ImportChange.objects.bulk_create([
        ImportChange(job_id=job_id, kind="teaching", person_id=person, school_id=school,
                     before={"class": c, "subject": s, "teacher": t})
        for (c, s, t), (person, school) in replaced.items()])
    result.assignments_replaced = len(replaced)

    assignments = []
    for r in todo:
        teacher = identity[(r.account_id, r.school_id)]
        for class_id in r.classes:
            for subject in r.subjects:
                key = (teacher, class_id, subject)
                if key not in known.assignments:
                    known.assignments.add(key)
                    assignments.append(TeachingAssignment(teacher_id=teacher, school_class_id=class_id,
                                                          subject=subject, created_by_import=job_id))
    TeachingAssignment.objects.bulk_create(assignments, batch_size=2000)
    result.assignments_added = len(assignments)
    # A taught subject is a course of its class (ADM-2): the grid shows it with its teacher.
    courses = sorted({(c, s) for r in todo for c in r.classes for s in r.subjects})
    CourseArrangement.objects.bulk_create(
        [CourseArrangement(school_class_id=c, subject=s) for c, s in courses],
        batch_size=2000, ignore_conflicts=True)

    changes = []
    for r in todo:
        teacher = identity[(r.account_id, r.school_id)]
        for class_id in r.head_of:
            before = known.heads.get(class_id)
            if before == teacher:
                continue
            if before is None:
                HeadTeacher.objects.create(school_class_id=class_id, teacher_id=teacher, created_by_import=job_id)
            else:
                HeadTeacher.objects.filter(school_class_id=class_id).update(teacher_id=teacher)
                changes.append(ImportChange(job_id=job_id, kind="head_teacher", person_id=r.person_id,
                                            school_id=r.school_id, before={"class": class_id, "teacher": before},
                                            after={"teacher": teacher}))
            known.heads[class_id] = teacher
            result.head_teachers_set += 1
    ImportChange.objects.bulk_create(changes)
    return result


def undo(job_id: int, today: date) -> dict[str, int]:
    from renrentong.rosters.models import ImportChange

    report: dict[str, int] = {}
    report["assignments_removed"] = TeachingAssignment.objects.filter(created_by_import=job_id).delete()[0]
    report["head_teachers_removed"] = HeadTeacher.objects.filter(created_by_import=job_id).delete()[0]
    restored = 0
    for change in ImportChange.objects.filter(job_id=job_id, kind="head_teacher"):
        restored += HeadTeacher.objects.filter(school_class_id=change.before["class"],
                                               teacher_id=change.after["teacher"]).update(
            teacher_id=change.before["teacher"])
    report["head_teachers_restored"] = restored
    back = 0
    for change in ImportChange.objects.filter(job_id=job_id, kind="teaching"):
        before = change.before
        if Identity.objects.filter(pk=before["teacher"]).exists():
            back += TeachingAssignment.objects.get_or_create(
                teacher_id=before["teacher"], school_class_id=before["class"], subject=before["subject"])[1]
    report["assignments_restored"] = back
    accounts = created_accounts(job_id)
    report["accounts_used_since"] = len(accounts.used)
    report["accounts_to_recycle_bin"] = recycle_used(accounts)
    unused = accounts.unused
    # The identities it made go, but those of used accounts (the recycle bin restores them whole).
    Identity.objects.filter(created_by_import=job_id).exclude(account_id__in=accounts.used_ids).delete()
    # A chunk of ids at a time, as the student undo (students.undo).
    report["accounts_removed"] = 0
    for part in chunks(unused):
        report["accounts_removed"] += bulk_delete(Account, [pk for pk, _ in part])
        people = Person.objects.filter(among("pk", [person for _, person in part if person]), created_by_import=job_id)
        bulk_delete(Person, list(people.values_list("pk", flat=True)))
    return report
