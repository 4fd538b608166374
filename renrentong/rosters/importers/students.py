"""Student roster import: reading rows, deciding each row's outcome, and applying a chunk (IMP-2, IMP-3).

Everything is set-based: a chunk of rows costs a fixed number of queries whatever its size, so the
same code serves the preview (all rows, nothing written) and the commit (chunk by chunk, each in one
transaction together with the job's cursor, so a killed job resumes where it stopped).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Q
from django.utils import timezone

from renrentong.accounts import following
from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity, Person, sync_person_schools
from renrentong.accounts.people.services import NewPerson, create_people_with_accounts
from renrentong.core.bulk import among, batched, bulk_delete, bulk_insert, chunks
from renrentong.core.crypto import id_number_digest, national_student_number_digest
from renrentong.core.text import is_valid_id_number, is_valid_mobile, normalize_text, sex_of_id_number
from renrentong.orgs.grades import parse_class_number, parse_grade, split_grade_and_class
from renrentong.orgs.models import School, SchoolClass
from renrentong.orgs.policy import policy_for_school
from renrentong.schooladmin.models import TransferRequest

from renrentong.rosters.importers.base import FirstSeen, created_accounts, find_people, recycle_used
from renrentong.rosters.importers.columns import RELATIONS, SEXES, STUDENT_COLUMNS

COLUMNS = STUDENT_COLUMNS
REQUIRED = {"name"}
TEXT_ONLY = {"id_number"}

CREATE, UPDATE, UNCHANGED, MOVE, TRANSFER_IN, CONFLICT, ERROR = (
    "create", "update", "unchanged", "move", "transfer_in", "conflict", "error",
)
APPLIED = {CREATE, UPDATE, UNCHANGED, MOVE, TRANSFER_IN}


class ParentEntry(NamedTuple):
    name: str
    relation: str
    phone: str


@dataclass
class StudentRow:
    number: int
    original: list[str]
    name: str = ""
    sex: str = ""
    id_number: str = ""
    digest: str | None = None
    local_number: str | None = None
    national_number: str | None = None
    national_digest: str | None = None  # the national number is matched by its keyed digest (NFR-1)
    school_id: int | None = None
    class_id: int | None = None
    missing_classes: list[tuple[int, int, int]] = field(default_factory=list)  # (school, grade, number)
    parents: list[ParentEntry] = field(default_factory=list)
    account: str | None = None  # the account number of an export meant for re-import: the first key
    outcome: str = CREATE
    reason: str = ""
    detail: dict = field(default_factory=dict)
    person_id: int | None = None
    bind_id: bool = False  # the matched person has no ID number yet: the row's is recorded
    # Things that went in but deserve a look (a space inside a name, joined): {code: what was written}.
    look: dict = field(default_factory=dict)

    def fail(self, outcome: str, reason: str, **detail) -> None:
        if self.outcome in (ERROR, CONFLICT):
            return  # the first problem found is the one reported
        self.outcome, self.reason, self.detail = outcome, reason, detail


@dataclass
class ClassIndex:
    """The classes of the schools a file may name, by (school, grade, number) and by class code."""

    by_grade: dict[tuple[int, int, int], int]
    by_code: dict[str, tuple[int, int]]
    grades: dict[int, set[int]]  # school id -> grades that have a stage (so a class may be created)
    junior_first: dict[int, int]

    @classmethod
    def load(cls, school_ids: list[int]) -> ClassIndex:
        by_grade: dict[tuple[int, int, int], int] = {}
        by_code: dict[str, tuple[int, int]] = {}
        grades: dict[int, set[int]] = defaultdict(set)
        junior_first: dict[int, int] = {}
        classes = SchoolClass.objects.filter(school_id__in=school_ids, kind=SchoolClass.Kind.ADMINISTRATIVE)
        years = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "school_year"))
        for c in classes.select_related("cohort__stage"):
            grade = c.cohort.grade_number(years[c.school_id])
            by_grade[(c.school_id, grade, c.number)] = c.pk
            by_code[c.code.upper()] = (c.school_id, c.pk)
        from renrentong.orgs.models import Stage

        for stage in Stage.objects.filter(campus__school_id__in=school_ids).select_related("campus"):
            school_id = stage.campus.school_id
            grades[school_id].update(range(stage.first_grade, stage.first_grade + stage.years))
            if stage.level == Stage.Level.JUNIOR:
                junior_first[school_id] = stage.first_grade
        return cls(by_grade, by_code, dict(grades), junior_first)


# Pure functions of cell texts that repeat down a roster (sexes, grades, classes, relations, schools):
# computed once per distinct text. Never used for names or numbers, which are mostly unique.
_repeated = lru_cache(maxsize=4096)
_normalize_repeated = _repeated(normalize_text)
_parse_grade = _repeated(parse_grade)
_parse_class_number = _repeated(parse_class_number)
_split_grade_and_class = _repeated(split_grade_and_class)


def _normalize(value: str) -> str:
    """normalize_text, without its per-character work where there is nothing to change, as in most
    cells: text already in NFKC form with no whitespace and no control character is its own normal
    form (isprintable() is false for every whitespace and control character but the ASCII space)."""
    if value.isprintable() and " " not in value and unicodedata.is_normalized("NFKC", value):
        return value
    return normalize_text(value)


def parse_rows(table, schools: dict[str, int], default_school_id: int | None, classes: ClassIndex,
               checked: Collection[int] = ()) -> list[StudentRow]:
    return list(parse_stream(table, schools, default_school_id, classes, checked))


def parse_stream(table, schools: dict[str, int], default_school_id: int | None, classes: ClassIndex,
                 checked: Collection[int] = ()) -> Iterator[StudentRow]:
    """Normalise and validate each row on its own (no database): names, sexes, ID numbers, phones,
    schools and classes, and whether an earlier row of the file gave the same person. Problems become
    the row's error with a reason code. Rows are read, checked and handed on a chunk at a time, so a
    city's million-row file is never held whole (the keys of earlier rows spill to disk: FirstSeen).

    `checked`: numbers of rows that passed every check in an earlier parse of the same file (the
    commit passes the rows its preview did not reject). Their ID numbers and phones are valid, so the
    two costly checks (python-stdnum, phonenumbers: most of the parse) are not run again.
    """
    with FirstSeen() as seen:
        for part in batched(table.rows):
            rows = [_parse_row(raw, schools, default_school_id, classes, raw.number in checked) for raw in part]
            _mark_duplicates(rows, seen)
            yield from rows


def _parse_row(raw, schools: dict[str, int], default_school_id: int | None, classes: ClassIndex,
               trusted: bool) -> StudentRow:
    v = raw.values
    row = StudentRow(number=raw.number, original=raw.original)
    written = v.get("name", "").strip()
    row.name = _normalize(written)
    if row.name and any(ch.isspace() for ch in written):
        # "欧阳 娜娜" is most likely 欧阳娜娜, and so it goes in; but a space may also separate two
        # names typed into one cell, so the row says what was joined.
        row.look["name_space"] = written
    sex = _normalize_repeated(v.get("sex", ""))
    row.sex = SEXES.get(sex.lower(), "")
    if not row.name:
        row.fail(ERROR, "missing_name")
    if sex and not row.sex:
        row.fail(ERROR, "invalid_sex", value=v.get("sex", ""))
    if raw.problems.get("id_number"):
        row.fail(ERROR, "id_number_as_number")
    id_number = _unless_masked(_normalize(v.get("id_number", "")).upper())
    if id_number:
        if trusted or is_valid_id_number(id_number):
            row.id_number, row.digest = id_number, id_number_digest(id_number)
            id_sex = sex_of_id_number(id_number)
            if not row.sex:
                row.sex = id_sex
            elif row.sex != id_sex:  # the 17th digit is odd for men, even for women
                row.fail(ERROR, "sex_contradicts_id", value=v.get("sex", ""),
                         id_sex="男" if id_sex == "M" else "女")
        else:
            row.fail(ERROR, "invalid_id_number", value=_mask(id_number))
    row.local_number = _unless_masked(_normalize(v.get("local_student_number", "")).upper()) or None
    row.national_number = _unless_masked(_normalize(v.get("national_student_number", "")).upper()) or None
    if row.national_number:
        row.national_digest = national_student_number_digest(row.national_number)
    row.account = _normalize(v.get("account", "")) or None
    _place(row, v, schools, default_school_id, classes)
    for n in ("1", "2"):
        phone = _normalize(v.get(f"parent{n}_phone", "")).removeprefix("+86")
        name = _normalize(v.get(f"parent{n}_name", ""))
        if "*" in phone:
            continue  # masked by an export: the parent stays as they are
        if not phone:
            if name:
                row.fail(ERROR, "parent_without_phone", parent=n)
            continue
        if not (trusted or _is_valid_mobile(phone)):
            row.fail(ERROR, "invalid_phone", parent=n, value=_mask(phone))
            continue
        relation = RELATIONS.get(_normalize_repeated(v.get(f"parent{n}_relation", "")).lower(), "guardian")
        row.parents.append(ParentEntry(name or f"{row.name}家长", relation, phone))
    return row


def _unless_masked(value: str) -> str:
    """A value masked by an export (430***********1234) means "unchanged", never an error: the export,
    edited and imported again, is how schools change classes in bulk."""
    return "" if "*" in value else value


@lru_cache(maxsize=None)
def _mobile_block_is_valid(block: str) -> bool:
    return is_valid_mobile(block + "000000")


def _is_valid_mobile(phone: str) -> bool:
    """core.text.is_valid_mobile, answered once per five-digit block for 11-digit numbers that start
    with 1 (phonenumbers takes ~25 µs a number, a fifth of a roster's validation). China's mobile
    plan decides validity by its first digits: the metadata's mobile pattern reads at most five
    before ending in a run of any digits, and no other kind of number has 11 digits that start with
    1 (tests/rosters/importers/test_roster_import.py checks every block against phonenumbers)."""
    if len(phone) == 11 and phone.isdigit() and phone.isascii() and phone[0] == "1":
        return _mobile_block_is_valid(phone[:5])
    return is_valid_mobile(phone)


PARSED_FORMAT = 3


def dump_parsed(rows: list[StudentRow]) -> Iterator[list[dict]]:
    """What parse_rows found, in lists of plain values (marshal-able), a chunk at a time, so that the
    commit need not read and parse the file again (load_parsed). The original cells are left out:
    the preview's job rows keep them."""
    for chunk in chunks(rows):
        yield [{**vars(r), "original": [], "parents": [tuple(p) for p in r.parents]} for r in chunk]


def load_parsed(parts: Iterable[list[dict]]) -> list[StudentRow]:
    # The rows' own fields, set as they were dumped: StudentRow's __init__ (defaults, factories)
    # was most of the time of loading 100,000 rows.
    rows = []
    new = object.__new__
    for part in parts:
        for fields in part:
            row = new(StudentRow)
            fields["parents"] = [ParentEntry(*p) for p in fields["parents"]]
            fields["missing_classes"] = [tuple(m) for m in fields["missing_classes"]]
            row.__dict__ = fields
            rows.append(row)
    return rows


def _place(row: StudentRow, v: dict, schools: dict[str, int], default_school_id: int | None,
           classes: ClassIndex) -> None:
    school_id = default_school_id
    school_text = _normalize_repeated(v.get("school", ""))
    if school_text:
        school_id = schools.get(school_text)
        if school_id is None:
            row.fail(ERROR, "unknown_school", value=school_text)
            return
    elif school_id is None:
        row.fail(ERROR, "missing_school")
        return
    row.school_id = school_id
    code = _normalize(v.get("class_code", "")).upper()
    if code:
        found = classes.by_code.get(code)
        if found is None or found[0] != school_id:
            row.fail(ERROR, "unknown_class_code", value=code)
        else:
            row.class_id = found[1]
        return
    grade_text, class_text = v.get("grade", ""), v.get("class", "")
    both = _split_grade_and_class(class_text)
    if both:
        grade_text, class_text = both
    grade = _parse_grade(grade_text, classes.junior_first.get(school_id, 7))
    number = _parse_class_number(class_text)
    if grade is None or number is None:
        row.fail(ERROR, "missing_class" if not (grade_text or class_text) else "invalid_class",
                 value=f"{grade_text} {class_text}".strip())
        return
    row.class_id = classes.by_grade.get((school_id, grade, number))
    if row.class_id is None:
        if grade in classes.grades.get(school_id, set()):
            row.missing_classes.append((school_id, grade, number))
            row.fail(ERROR, "unknown_class", grade=grade, number=number)
        else:
            row.fail(ERROR, "unknown_grade", grade=grade)


def _mark_duplicates(rows: list[StudentRow], seen: FirstSeen) -> None:
    """A row that names the person of an earlier row (by any key) is that row again: it fails, naming the
    first. The national number goes by its digest (it holds the ID number)."""
    def keys(row: StudentRow):
        return (("account", row.account), ("id", row.digest), ("national", row.national_digest),
                ("local", row.local_number))

    first = seen.first_rows([(f"{kind}:{value}", row.number) for row in rows for kind, value in keys(row) if value])
    for row in rows:
        for kind, value in keys(row):
            if value and first[f"{kind}:{value}"] != row.number:
                row.fail(ERROR, "duplicate_in_file", first_row=first[f"{kind}:{value}"])
                break


def _mask(value: str) -> str:
    from renrentong.core.masking import mask_number

    return mask_number(value)


@dataclass
class Known:
    """What the database holds about the people a set of rows names."""

    person_by_digest: dict[str, int]
    person_by_national: dict[str, int]
    person_by_local: dict[str, int]
    person_by_account: dict[str, int]
    names: dict[int, str]
    digest_of: dict[int, str | None]
    open_enrollment: dict[int, tuple[int, int, int]]  # person -> (enrollment id, school id, class id)
    last_school: dict[int, int]
    account: dict[int, tuple[int, str]]  # person -> (account id, status)
    roles: dict[int, set[str]]
    students: set[int]  # people who hold a student identity anywhere

    @classmethod
    def load(cls, rows: list[StudentRow]) -> Known:
        digests = [r.digest for r in rows if r.digest]
        nationals = [r.national_digest for r in rows if r.national_digest]
        locals_ = [r.local_number for r in rows if r.local_number]
        numbers = [r.account for r in rows if r.account]
        found_people = find_people(digests=digests, nationals=nationals, locals_=locals_, account_numbers=numbers)
        by_digest, by_national = found_people.by_digest, found_people.by_national
        by_local, by_account = found_people.by_local, found_people.by_account_number
        names: dict[int, str] = {}
        # Names and recorded ID digests of everyone any key found, read once.
        found = {*by_account.values(), *by_digest.values(), *by_national.values(), *by_local.values()}
        digest_of: dict[int, str | None] = {}
        for chunk in chunks(sorted(found)):
            for pk, digest, name in Person.objects.filter(among("pk", chunk)).values_list(
                    "pk", "id_number_digest", "name"):
                digest_of[pk], names[pk] = digest, name
        people = list(names)
        open_enrollment: dict[int, tuple[int, int, int]] = {}
        last_school: dict[int, int] = {}
        account: dict[int, tuple[int, str]] = {}
        roles: dict[int, set[str]] = defaultdict(set)
        students: set[int] = set()
        for chunk in chunks(people):
            for pk, person, school, klass, ended in Enrollment.objects.filter(among("person_id", chunk)).order_by(
                    "started_on", "pk").values_list("pk", "person_id", "school_id", "school_class_id", "ended_on"):
                if ended is None:
                    open_enrollment[person] = (pk, school, klass)
                last_school[person] = school
            for pk, person, status in Account.objects.filter(among("person_id", chunk)).values_list(
                    "pk", "person_id", "status"):
                account[person] = (pk, status)
            identities = Identity.objects.filter(among("account__person_id", chunk))
            for person, kind in identities.values_list("account__person_id", "kind"):
                roles[person].add(kind)
            students.update(identities.filter(kind=Identity.Kind.STUDENT).values_list("account__person_id", flat=True))
        return cls(by_digest, by_national, by_local, by_account, names, digest_of, open_enrollment, last_school,
                   account, dict(roles), students)


def classify(rows: list[StudentRow]) -> Known:
    """Decide each valid row's outcome against the database, IMP-3 (a)-(e).

    A row names its person by the account number (an export meant for re-import carries it), then by
    the student numbers, then by the ID number's digest; keys that name two different people are a
    conflict, never a guess. A person found has no second account made for them."""
    known = Known.load([r for r in rows if r.outcome not in (ERROR,)])
    for row in rows:
        if row.outcome == ERROR:
            continue
        row.bind_id = False
        by_account = known.person_by_account.get(row.account or "")
        if row.account and by_account is None:
            row.fail(ERROR, "unknown_account", value=row.account)
            continue
        found = [by_account, known.person_by_national.get(row.national_digest or ""),
                 known.person_by_local.get(row.local_number or ""), known.person_by_digest.get(row.digest or "")]
        if len({p for p in found if p}) > 1:
            row.fail(CONFLICT, "keys_name_different_people")
            continue
        person = next((p for p in found if p), None)
        row.person_id = person
        if person is None:
            row.outcome = CREATE
            continue
        if row.digest and known.digest_of.get(person) != row.digest:
            if known.digest_of.get(person):  # changing an ID number is a key-information change, not an import
                row.fail(CONFLICT, "id_number_differs")
                continue
            row.bind_id = True
        same_name = normalize_text(known.names[person]) == row.name
        enrolled = known.open_enrollment.get(person)
        roles = known.roles.get(person, set())
        if enrolled and enrolled[1] == row.school_id:
            if enrolled[2] != row.class_id:
                row.outcome, row.reason = MOVE, "moved_in_school"  # (b)
                row.detail = {"from_class_id": enrolled[2]}
            elif not same_name:
                row.outcome, row.reason = UPDATE, "name_corrected"
            elif row.bind_id:
                row.outcome, row.reason = UPDATE, "id_number_bound"
            else:
                row.outcome, row.reason = UNCHANGED, ""
        elif enrolled:
            row.bind_id = False
            if same_name:  # (c): not taken over; that school is asked to release the student
                row.fail(CONFLICT, "enrolled_elsewhere", school_id=enrolled[1])
            else:  # (d)
                row.fail(CONFLICT, "other_school_name_mismatch", school_id=enrolled[1])
        elif person in known.students or person in known.last_school:
            if not same_name and known.last_school.get(person) != row.school_id:
                row.bind_id = False
                row.fail(CONFLICT, "other_school_name_mismatch", school_id=known.last_school.get(person))
            else:  # (a): graduated or left elsewhere (or here): transfer in
                row.outcome, row.reason = TRANSFER_IN, "graduated_elsewhere"
                row.detail = {"from_school_id": known.last_school.get(person)}
        elif roles:  # (e): the number belongs to a teacher or parent
            row.bind_id = False
            row.fail(CONFLICT, "id_held_by_other_role", roles=sorted(roles))
        else:
            row.outcome, row.reason = CREATE, "person_exists"
    _describe(rows)
    return known


def _describe(rows: list[StudentRow]) -> None:
    """Name, for the preview, the class a move comes from and goes to, and the school a transfer comes
    from (two queries per chunk, only when there are such rows)."""
    moves = [r for r in rows if r.outcome == MOVE]
    transfers = [r for r in rows if r.outcome == TRANSFER_IN]
    if moves or transfers:
        class_ids = {r.detail.get("from_class_id") for r in moves} | {r.class_id for r in moves + transfers}
        classes = {c.pk: c.display_name() for c in SchoolClass.objects.filter(
            pk__in=[c for c in class_ids if c]).select_related("cohort__stage", "school")}
        schools = dict(School.objects.filter(pk__in={r.detail.get("from_school_id") for r in transfers} - {None})
                       .values_list("pk", "name"))
        for r in moves:
            r.detail.update(from_class=classes.get(r.detail.get("from_class_id"), ""),
                            to_class=classes.get(r.class_id, ""))
        for r in transfers:
            r.detail.update(from_school=schools.get(r.detail.get("from_school_id"), ""),
                            to_class=classes.get(r.class_id, ""))


@dataclass
class ChunkResult:
    created_accounts: int = 0
    created_parents: int = 0
    linked_parents: int = 0
    moved: int = 0
    transferred_in: int = 0
    transfer_requests: int = 0
    updated: int = 0
    ids_bound: int = 0


def apply_chunk(job_id: int, actor_account_id: int, rows: list[StudentRow], today: date) -> ChunkResult:
    """Write one chunk. Called inside the transaction that also advances the job's cursor; re-reads the
    database (classify) so that a chunk run again after a crash finds its own work and adds nothing."""
    from renrentong.rosters.models import ImportChange

    result = ChunkResult()
    known = classify(rows)
    now = timezone.now()
    policies = {school.pk: policy_for_school(school)
                for school in School.objects.filter(pk__in={r.school_id for r in rows if r.school_id})}
    todo = [r for r in rows if r.outcome in APPLIED]

    # New people and their accounts, and accounts for people found without one.
    needs_account = [r for r in todo if r.outcome == CREATE and r.person_id not in known.account]
    made = create_people_with_accounts([
        NewPerson(name=r.name, sex=r.sex, id_number=r.id_number, national_student_number=r.national_number or "",
                  local_student_number=r.local_number, person_id=r.person_id, school_id=r.school_id,
                  role="student", job_id=job_id)
        for r in needs_account], policies=policies, now=now)
    for r, m in zip(needs_account, made, strict=True):
        r.person_id = m.person_id
    account_of = {m.person_id: m.account_id for m in made}
    result.created_accounts = len(made)
    account_of.update({p: v[0] for p, v in known.account.items()})

    # A transfer in moves the account: its home school becomes this one and its student identity at the
    # old school moves here (or ends, if it has one here already), in this chunk's transaction; the old
    # school no longer lists the student and this school's user pages find them.
    transfers = [r for r in todo if r.outcome == TRANSFER_IN]
    changes = _transfer_accounts(job_id, transfers, known, account_of, now)
    result.transferred_in = len(transfers)

    # Student identities at the school of the row, where missing.
    have = set()  # accounts made just now have no identity yet: look up the others only
    for chunk in chunks([account_of[r.person_id] for r in todo if r.person_id in known.account]):
        have.update(Identity.objects.filter(among("account_id", chunk), kind="student")
                    .values_list("account_id", "school_id"))
    bulk_insert(Identity, [
        {"account_id": account_of[r.person_id], "kind": "student", "school_id": r.school_id, "created_at": now,
             "created_by_import": job_id}
        for r in {(r.person_id, r.school_id): r for r in todo}.values()
        if (account_of[r.person_id], r.school_id) not in have
    ], ids=False)

    # Enrollments: new ones, moves (end the old row, start a new one) and transfers in.
    moves = [r for r in todo if r.outcome == MOVE]
    ended = [known.open_enrollment[r.person_id][0] for r in moves]
    Enrollment.objects.filter(pk__in=ended).update(ended_on=today, reason="import_move")
    starting = [r for r in todo if r.outcome in (CREATE, MOVE, TRANSFER_IN)]
    bulk_insert(Enrollment, [
        {"person_id": r.person_id, "school_class_id": r.class_id, "school_id": r.school_id, "started_on": today,
             "reason": {CREATE: "import", MOVE: "import_move", TRANSFER_IN: "import_transfer_in"}[r.outcome],
             "created_by_import": job_id}
        for r in starting
    ], ids=False)
    # What the student keeps per school (evaluation material ...) follows a transfer in (accounts.following).
    following.students_moved([following.StudentMove(r.person_id, r.school_id, r.class_id) for r in transfers])
    changes += [ImportChange(job_id=job_id, kind="move", person_id=r.person_id, school_id=r.school_id,
                             before={"enrollment": known.open_enrollment[r.person_id][0],
                                     "class": known.open_enrollment[r.person_id][2]},
                             after={"class": r.class_id}) for r in moves]
    result.moved = len(moves)
    updates = [r for r in todo if r.outcome == UPDATE and normalize_text(known.names[r.person_id]) != r.name]
    for r in updates:
        changes.append(ImportChange(job_id=job_id, kind="update", person_id=r.person_id, school_id=r.school_id,
                                    before={"name": known.names[r.person_id]}, after={"name": r.name}))
        Person.objects.filter(pk=r.person_id).update(name=r.name)
    result.updated = len([r for r in todo if r.outcome == UPDATE])
    # An ID number given to a matched person who had none (export, fill in, import again).
    binding = [r for r in todo if r.bind_id and r.person_id in known.digest_of]
    for r in binding:
        sealed = Person.id_number_fields(r.id_number)
        Person.objects.filter(pk=r.person_id, id_number_digest__isnull=True).update(**sealed)
        changes.append(ImportChange(job_id=job_id, kind="bind_id", person_id=r.person_id, school_id=r.school_id,
                                    before={},
                                    after={"digest": sealed["id_number_digest"]}))
    result.ids_bound = len(binding)
    bulk_insert(ImportChange, changes, ids=False)

    result.created_parents, result.linked_parents = _apply_parents(job_id, todo, policies, now)
    result.transfer_requests = _raise_transfers(job_id, actor_account_id, rows)
    return result


def _transfer_accounts(job_id: int, transfers: list[StudentRow], known: Known, account_of: dict[int, int],
                       now) -> list:
    """Move the accounts of students transferring in; returns the changes that undo puts back."""
    from renrentong.rosters.models import ImportChange

    # A person found by the import without an account (not expected) has nothing to move.
    transfers = [r for r in transfers if r.person_id in account_of]
    if not transfers:
        return []
    accounts = {pk: (status, home) for pk, status, home in Account.objects.filter(
        pk__in=[account_of[r.person_id] for r in transfers]).values_list("pk", "status", "home_school_id")}
    identities = defaultdict(list)
    for pk, account, school in Identity.objects.filter(account_id__in=list(accounts), kind="student").order_by(
            "-created_at", "-pk").values_list("pk", "account_id", "school_id"):
        identities[account].append((pk, school))
    changes = []
    for r in {r.person_id: r for r in transfers}.values():
        account = account_of[r.person_id]
        status, home = accounts.get(account, (Account.Status.ACTIVE, None))
        mine = identities.get(account, [])
        here = [pk for pk, school in mine if school == r.school_id]
        elsewhere = [(pk, school) for pk, school in mine if school != r.school_id]
        moved = removed = []
        if elsewhere and not here:
            moved = [elsewhere[0]]  # the newest: what the old school knew them by moves with them
            removed = elsewhere[1:]
        else:
            removed = elsewhere
        for pk, _ in moved:
            Identity.objects.filter(pk=pk).update(school_id=r.school_id)
        Identity.objects.filter(pk__in=[pk for pk, _ in removed]).delete()
        changes.append(ImportChange(job_id=job_id, kind="transfer_in", person_id=r.person_id, school_id=r.school_id,
                                    before={
            "status": status, "home_school": home, "account": account,
            "moved": [[pk, school] for pk, school in moved], "removed": [school for _, school in removed],
        }, after={"school": r.school_id}))
    Account.objects.filter(pk__in=list(accounts)).exclude(status=Account.Status.DELETED).update(
        status=Account.Status.ACTIVE, status_changed_at=now)
    for r in transfers:
        Account.objects.filter(pk=account_of[r.person_id]).update(home_school_id=r.school_id)
    sync_person_schools(account_of[r.person_id] for r in transfers)
    return changes


def _apply_parents(job_id: int, rows: list[StudentRow], policies: dict, now) -> tuple[int, int]:
    """One account per phone: siblings share it, and a teacher's phone gains a parent identity (ACC-3)."""
    entries = [(r, p) for r in rows for p in r.parents]
    phones = sorted({p.phone for _, p in entries})
    existing: dict[str, tuple[int, int | None]] = {}
    for chunk in chunks(phones):
        for pk, phone, person in Account.objects.filter(among("phone", chunk)).values_list("pk", "phone", "person_id"):
            existing[phone] = (pk, person)
    first_entry = {}
    for r, p in entries:
        first_entry.setdefault(p.phone, (r, p))
    new_phones = [ph for ph in phones if ph not in existing]
    # Only rows that existed before this chunk can already have a guardian identity or link.
    old_accounts = {pk for pk, _ in existing.values()}
    old_people = {person for _, person in existing.values()}
    made = create_people_with_accounts([
        NewPerson(name=first_entry[ph][1].name,
                  sex={"father": "M", "mother": "F"}.get(first_entry[ph][1].relation, ""),
                  phone=ph, school_id=first_entry[ph][0].school_id, role="parent", job_id=job_id)
        for ph in new_phones], policies=policies, now=now)
    for ph, m in zip(new_phones, made, strict=True):
        existing[ph] = (m.account_id, m.person_id)
    # Existing accounts without a person (not expected, but never crash) get none; skip their links.
    account_ids = [existing[ph][0] for ph in phones]
    with_guardian = set()
    for chunk in chunks([pk for pk in account_ids if pk in old_accounts]):
        with_guardian.update(Identity.objects.filter(among("account_id", chunk), kind="guardian")
                             .values_list("account_id", flat=True))
    bulk_insert(Identity, [
        {"account_id": acc, "kind": "guardian", "created_at": now, "created_by_import": job_id}
        for acc in sorted(set(account_ids) - with_guardian)
    ], ids=False)
    pairs = {(existing[p.phone][1], r.person_id): p.relation for r, p in entries if existing[p.phone][1]}
    have = set()
    guardians = sorted({g for g, _ in pairs if g in old_people})
    for chunk in chunks(guardians):
        have.update(Guardianship.objects.filter(among("guardian_id", chunk)).values_list("guardian_id", "student_id"))
    school_of = {r.person_id: r.school_id for r, _p in entries}  # a link lives with its student's school
    links = [{"guardian_id": g, "student_id": s, "school_id": school_of[s], "relation": rel,
              "created_by_import": job_id} for (g, s), rel in pairs.items() if (g, s) not in have]
    bulk_insert(Guardianship, links, ids=False)
    return len(made), len(links)


def _raise_transfers(job_id: int, actor_account_id: int, rows: list[StudentRow]) -> int:
    """IMP-3 (c): ask the school where the student is enrolled to release them (ADM-5)."""
    wanted = [r for r in rows if r.outcome == CONFLICT and r.reason == "enrolled_elsewhere"]
    if not wanted:
        return 0
    pending = set(TransferRequest.objects.filter(
        person_id__in=[r.person_id for r in wanted], status=TransferRequest.Status.PENDING
    ).values_list("person_id", "to_school_id"))
    requests = [
        TransferRequest(person_id=r.person_id, from_school_id=r.detail["school_id"], to_school_id=r.school_id,
                        to_class_id=r.class_id, requested_by_id=actor_account_id, created_by_import=job_id)
        for r in {(r.person_id, r.school_id): r for r in wanted}.values()
        if (r.person_id, r.school_id) not in pending
    ]
    bulk_insert(TransferRequest, requests, ids=False)
    return len(requests)


def undo(job_id: int, today: date) -> dict[str, int]:
    """Put back every account, enrollment and link the import created or changed (IMP-4). Accounts it
    created and nobody has used since are removed as if never imported; used ones go to the recycle bin
    (restorable). What users or admins did since is kept and counted in the report.

    Set-based like the commit: the rows are found by the job's mark (created_by_import, indexed), and
    every list of ids goes to the database a chunk at a time."""
    from renrentong.rosters.models import ImportChange

    now = timezone.now()
    report: dict[str, int] = {}
    accounts = created_accounts(job_id)
    report["accounts_used_since"] = len(accounts.used)
    report["accounts_to_recycle_bin"] = recycle_used(accounts)
    unused = accounts.unused
    unused_people = {person for _, person in unused if person is not None}

    enrollments = list(Enrollment.objects.filter(created_by_import=job_id).values_list("pk", "person_id", "ended_on"))
    kept = [(pk, ended) for pk, person, ended in enrollments if person not in unused_people]
    report["enrollments_changed_since"] = sum(1 for _, ended in kept if ended is not None)
    report["enrollments_ended"] = 0
    for chunk in chunks([pk for pk, ended in kept if ended is None]):
        report["enrollments_ended"] += Enrollment.objects.filter(among("pk", chunk), ended_on=None).update(
            ended_on=today, reason="import_undone")
    report["moves_restored"], report["moves_changed_since"] = _restore_moves(job_id, today)
    for chunk in chunks(list(ImportChange.objects.filter(job_id=job_id, kind="transfer_in").values_list(
            "person_id", "before", "after"))):
        by_status = defaultdict(list)
        back = []
        for person, before, after in chunk:
            by_status[before["status"]].append(person)
            school = _untransfer(person, before, after)
            if school is not None:
                back.append(following.StudentMove(person, school, None))
        following.students_moved(back)
        for status, people in by_status.items():
            Account.objects.filter(among("person_id", people), status=Account.Status.ACTIVE).update(
                status=status, status_changed_at=now)
    for person, after in ImportChange.objects.filter(job_id=job_id, kind="bind_id").values_list("person_id", "after"):
        # Only where the bound number is still there: a correction made since is kept.
        Person.objects.filter(pk=person, id_number_digest=after["digest"]).update(
            **Person.id_number_fields(None), birth_date=None)
    renamed = []
    for chunk in chunks(list(ImportChange.objects.filter(job_id=job_id, kind="update").values_list(
            "person_id", "before", "after"))):
        current = dict(Person.objects.filter(among("pk", [p for p, _, _ in chunk])).values_list("pk", "name"))
        # Only where the import's name is still there: a correction made since is kept.
        renamed += [Person(pk=p, name=before["name"]) for p, before, after in chunk if current.get(p) == after["name"]]
    Person.objects.bulk_update(renamed, ["name"], batch_size=1000)

    report["links_removed"] = Guardianship.objects.filter(created_by_import=job_id).delete()[0]
    for chunk in chunks(sorted(unused_people)):
        report["links_removed"] += Guardianship.objects.filter(
            Q(among("student_id", chunk)) | Q(among("guardian_id", chunk))).delete()[0]
    report["transfer_requests_withdrawn"] = TransferRequest.objects.filter(
        created_by_import=job_id, status=TransferRequest.Status.PENDING).update(
        status=TransferRequest.Status.WITHDRAWN)
    # Identities the import added to accounts that existed before it (a teacher who became a parent).
    Identity.objects.filter(created_by_import=job_id).exclude(account__created_by_import=job_id).delete()
    # The unused accounts and people go in dependency order, a chunk at a time; bulk_delete applies the
    # on_delete rules of whatever else refers to them, as delete() would.
    for part in chunks(unused):
        accounts = [pk for pk, _ in part]
        people = [person for _, person in part if person is not None]
        for model, rows in (
                (Enrollment, Enrollment.objects.filter(among("person_id", people), created_by_import=job_id)),
                (TransferRequest, TransferRequest.objects.filter(among("person_id", people))),
                (Identity, Identity.objects.filter(among("account_id", accounts))),
                (Account, Account.objects.filter(among("pk", accounts))),
                (Person, Person.objects.filter(among("pk", people), created_by_import=job_id))):
            bulk_delete(model, list(rows.values_list("pk", flat=True)))
    report["accounts_removed"] = len(unused)
    return report


def _untransfer(person_id: int, before: dict, after: dict) -> int | None:
    """Put a transferred account back where it was, unless it has been moved on since. Returns the school
    it went back to, where what the student keeps per school goes back too (None: nothing went back)."""
    account = before.get("account")
    if account is None:  # a change recorded before transfers moved accounts: only the status went back
        return None
    if Account.objects.filter(pk=account, home_school_id=after["school"]).update(
            home_school_id=before.get("home_school")):
        sync_person_schools([account])
        for pk, school in before.get("moved", []):
            if not Identity.objects.filter(account_id=account, kind="student", school_id=school).exists():
                Identity.objects.filter(pk=pk, school_id=after["school"]).update(school_id=school)
        for school in before.get("removed", []):
            Identity.objects.get_or_create(account_id=account, kind="student", school_id=school, region=None)
        moved = before.get("moved") or []
        return moved[0][1] if moved else before.get("home_school")
    return None


def _restore_moves(job_id: int, today: date) -> tuple[int, int]:
    """Students the import moved to another class go back to the class they were in, unless they have
    been enrolled somewhere since (counted as changed since). Returns (restored, changed since)."""
    from renrentong.rosters.models import ImportChange

    restored = kept = 0
    moves = list(ImportChange.objects.filter(job_id=job_id, kind="move").values_list("person_id", "before"))
    for chunk in chunks(moves):
        wanted = [before["enrollment"] for _, before in chunk]
        old = {pk: (klass, school) for pk, klass, school in Enrollment.objects.filter(
            among("pk", wanted)).values_list("pk", "school_class_id", "school_id")}
        enrolled = set(Enrollment.objects.filter(among("person_id", [p for p, _ in chunk]), ended_on=None)
                       .values_list("person_id", flat=True))
        back = [(person, old[before["enrollment"]]) for person, before in chunk
                if before["enrollment"] in old and person not in enrolled]
        bulk_insert(Enrollment, [{"person_id": person, "school_class_id": klass, "school_id": school,
                                  "started_on": today, "reason": "import_undone"} for person, (klass, school) in back],
                    ids=False)
        restored += len(back)
        kept += len(chunk) - len(back)
    return restored, kept
