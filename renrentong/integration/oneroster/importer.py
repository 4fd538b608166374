"""The OneRoster 1.2 CSV import (INT-2, issue 17 item 5) on the roster import machinery (rosters.worker): a
package is uploaded, checked and previewed in the background, committed chunk by chunk, and can be cancelled or
undone, as a student roster is.

Each object of the package is one row of the job, numbered in the order the commit applies them: orgs (a
parent before its children), academic sessions, courses, classes, users, demographics, roles, enrollments. So a
row's references always point at rows applied in an earlier chunk or earlier in its own, and each chunk finds
what earlier chunks made through the directory (integration_rosterid), where every object the import makes or
recognises keeps the package's sourcedId: an export afterwards gives the same sourcedIds back.

A row is matched to what the platform holds by its sourcedId first (an earlier import or export), then by its
natural key (a region's or school's code, a class code, an account number). What the checker refuses
(csvcheck) is the row's error, with its problem. What lies outside the importer's region or school is a
conflict, named for who can fix it. A bulk package adds and updates; it never removes (a package that misses a
school's people is more often partial than true): removals come as `tobedeleted` rows of a delta package,
and a commit that would remove more than RRT_ONEROSTER_REMOVE_SHARE of the people of its schools waits for
the admin's confirmation (api.py).

Registered at start by IntegrationConfig.ready() (rosters may not import integration: worker.register_importer).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from renrentong.accounts.models import (Account, CourseArrangement, Enrollment, Guardianship, HeadTeacher, Identity,
                                        Person, TeachingAssignment)
from renrentong.accounts.people.services import NewPerson, create_people_with_accounts, normalize_name
from renrentong.accounts.selectors import region_descendants
from renrentong.core.bulk import among, bulk_delete, bulk_insert, chunks, lookup_parts
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, SchoolSystem, Stage, new_class_codes
from renrentong.orgs.policy import region_chain
from renrentong.rosters.importers.base import created_accounts, recycle_used
from renrentong.rosters.models import ImportChange, ImportJob, ImportRow

from renrentong.integration.models import RosterId, RosterRefresh
from renrentong.integration.oneroster import csvcheck
from renrentong.integration.oneroster.records import joined_name, year_key

KIND = "oneroster"
# What the roster machinery asks of an importer that reads a table; a package is no table (read_package).
COLUMNS: dict[str, tuple[str, ...]] = {}
REQUIRED: set[str] = set()
TEXT_ONLY: set[str] = set()
# The version of dump_parsed's format: the preview's reading of the package, kept for the commit (reading and
# checking 700,000 objects again took 13 s of a 100,000-student import's commit).
PARSED_FORMAT = 1

# The commit's chunks hold this many times the roster machinery's rows (worker.CHUNK_ROWS, so 50,000): a package's
# rows are small objects (700,000 for 100,000 students), and several of a chunk's lookups in the directory cost
# about as much for 5,000 sourcedIds as for 50,000 (the planner scans the kind's rows). A 100,000-student
# package's commit: 84.5 s in 141 chunks, 77.7 s in 36, 73.4 s in 15.
CHUNK_SCALE = 10
FILES = ("orgs", "academicSessions", "courses", "classes", "users", "demographics", "roles", "enrollments")
ORG_RANK = {"national": 0, "state": 1, "local": 2, "district": 3, "school": 4, "department": 5}
REGION_KINDS = {"state": Region.Kind.PROVINCE, "local": Region.Kind.CITY, "district": Region.Kind.DISTRICT}
# OneRoster's role names (roles.csv, enrollments.csv): the package's vocabulary, mapped to our identity kinds.
OR_STUDENT, OR_TEACHER, OR_PARENT, OR_GUARDIAN = "student", "teacher", "parent", "guardian"
IDENTITY_KINDS = {OR_STUDENT: Identity.Kind.STUDENT, OR_TEACHER: Identity.Kind.TEACHER,
                  OR_PARENT: Identity.Kind.GUARDIAN, OR_GUARDIAN: Identity.Kind.GUARDIAN}
AGENT_ROLES = frozenset({OR_PARENT, OR_GUARDIAN})
CLASS_ROLES = frozenset({OR_STUDENT, OR_TEACHER})
# A parent's identity is the platform's, at no school (the others are a school's).
AT_NO_SCHOOL = frozenset({Identity.Kind.GUARDIAN})
SEX = {"male": "M", "female": "F"}
ACCOUNT_NUMBER = re.compile(r"\d{8,9}")
CLASS_NUMBER = re.compile(r"(\d+)\D*$")
MAIN_CAMPUS = "本部"  # the data's language: the campus a school made by an import starts with

Outcome = ImportRow.Outcome
CREATE, UPDATE, UNCHANGED, MOVE = Outcome.CREATE, Outcome.UPDATE, Outcome.UNCHANGED, Outcome.MOVE
CONFLICT, ERROR, REMOVE = Outcome.CONFLICT, Outcome.ERROR, Outcome.REMOVE
APPLIED = (CREATE, UPDATE, MOVE, REMOVE)


@dataclass
class Context:
    """What every row of one job shares: the job's reach and the package as read."""

    job_id: int
    region_ids: set[int]  # regions the job may create in or update (its region and below)
    above: set[int]  # regions above the job's, which a package may name but not change
    school_ids: set[int]  # schools the job may write to
    modes: dict[str, str]
    by_id: dict[str, dict[str, Row]] = field(default_factory=dict)  # file -> sourcedId -> row
    years: dict[str, int] = field(default_factory=dict)  # session sourcedId -> our school year
    known_years: dict[str, int] = field(default_factory=dict)  # the same for sessions only the directory holds
    demographics: dict[str, dict[str, str]] = field(default_factory=dict)  # user sourcedId -> its row
    roles_of: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # user sourcedId -> its role rows
    school_year: dict[str, int] = field(default_factory=dict)  # school sourcedId -> the year its classes give
    written: Written = field(default_factory=lambda: Written())  # the commit's memory of its chunks

    def schools_may_grow(self) -> bool:
        return bool(self.region_ids)


@dataclass
class Row:
    number: int
    file: str
    line: int
    cells: dict[str, str]
    ctx: Context
    deleting: bool = False
    outcome: str = ""
    reason: str = ""
    detail: dict = field(default_factory=dict)
    person_id: int | None = None
    school_id: int | None = None
    class_id: int | None = None
    key: str = ""  # our object, once known ("school:3"); "" while it is still to be made
    missing_classes = ()

    def __post_init__(self) -> None:
        # Read millions of times by the plan, and a row's cells do not change: a plain attribute (Python 3.11's
        # cached_property takes a lock on each first read, 2 of the preview's profiled seconds for 700,000 rows).
        self.sourced_id: str = self.cells.get("sourcedId", "")

    @property
    def original(self) -> list[str]:
        return list(self.cells.values())

    def set(self, outcome: str, reason: str = "", **detail) -> None:
        self.outcome, self.reason = outcome, reason
        self.detail = {"file": f"{self.file}.csv", "line": self.line, **detail}


@dataclass
class Written:
    """What one run of the commit knows the directory holds after the chunks it applied, so that a chunk does not
    look up what an earlier chunk of the same run wrote (most of a package names users an earlier chunk made).
    It is only memory of committed writes: a chunk that fails ends the run, and another run of the same job
    (queued again while this one works) may commit chunks in between, which apply_chunk notices by the rows'
    numbers and then starts over from the database."""

    through: int = 0  # the number of the last row of the last chunk this run applied (-1: one under way)
    keys: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, sourcedId) -> local key
    local_keys: set[tuple[str, str]] = field(default_factory=set)  # (kind, local key)
    # The people this run made, whole: nothing but this run writes to them (a person it changes or removes
    # otherwise is forgotten and read again), so Plan takes them from here. person -> Plan.people's tuple
    people: dict[int, tuple] = field(default_factory=dict)
    identities: dict[int, dict[tuple[str, int | None], int]] = field(default_factory=dict)  # -> (kind, school)
    guardians: dict[int, set[int]] = field(default_factory=dict)  # student -> guardians, Plan's own sets
    enrolled: dict[int, tuple[int, int, int]] = field(default_factory=dict)

    def follows(self, rows: list[Row]) -> bool:
        return rows[0].number == self.through + 1

    def forget(self, person_id: int) -> None:
        for held in (self.people, self.identities, self.guardians, self.enrolled):
            held.pop(person_id, None)


# --- reading ------------------------------------------------------------------------------------------------------

def screen_file(path: Path, original_name: str) -> str:
    """Refuse what is not a package we can read (not a zip, a zip bomb, a folder entry): before the job exists."""
    package = csvcheck.read_package(path.read_bytes())
    if package.problems:
        raise UserFacingError("oneroster.package_unreadable", problem=package.problems[0].message())
    return "zip"


class _KnownIds:
    """The sourcedIds the directory holds, asked one at a time by the checker, only for a delta's references
    to objects outside the package."""

    def __init__(self) -> None:
        self.seen: dict[str, bool] = {}

    def __contains__(self, sourced_id: object) -> bool:
        if sourced_id not in self.seen:
            self.seen[sourced_id] = RosterId.objects.filter(sourced_id=sourced_id, gone_at__isnull=True).exists()
        return self.seen[sourced_id]


def read_package(path: Path, job: ImportJob) -> list[Row]:
    """Every object of the package as a row of the job, in the order the commit applies them, each carrying the
    checker's first problem on its line. A package whose files cannot be read at all fails the job."""
    package = csvcheck.read_package(path.read_bytes())
    checked = csvcheck.check_package(package, known_sourced_ids=_KnownIds())
    unreadable = [p for p in checked.problems if p.blocking and (p.row is None or p.row == 1)]
    if package.problems or unreadable:
        raise UserFacingError("oneroster.package_invalid", problem=(package.problems or unreadable)[0].message())
    problems: dict[tuple[str, int], csvcheck.Problem] = {}
    for problem in checked.problems:
        if problem.blocking and problem.row is not None:
            problems.setdefault((problem.file, problem.row), problem)
    ctx = _context(job.pk, job.region_id, job.school_id, checked.mode)
    rows: list[Row] = []
    for name in FILES:
        file = f"{name}.csv"
        found = [Row(0, name, line, cells, ctx, deleting=cells.get("status") == "tobedeleted")
                 for cells, line in zip(checked.rows.get(file, []), checked.lines.get(file, []), strict=True)]
        if name == "orgs":  # a parent before its children
            found.sort(key=lambda r: (ORG_RANK.get(r.cells["type"], 9), r.line))
        ctx.by_id[name] = {r.sourced_id: r for r in found}
        for row in found:
            problem = problems.get((file, row.line))
            if problem is not None:
                row.set(ERROR, "oneroster_problem", problem=problem.message())
        rows.extend(found)
    for number, row in enumerate(rows, start=1):
        row.number = number
    _index(ctx, rows)
    return rows


def _context(job_id: int, region_id: int | None, school_id: int | None, modes: dict[str, str]) -> Context:
    if school_id:  # a school admin's package names the school's district, city and province: left as they are
        district = Region.objects.get(pk=School.objects.filter(pk=school_id).values_list("district_id").get()[0])
        return Context(job_id, set(), {r.pk for r in region_chain(district)}, {school_id}, modes)
    region = Region.objects.get(pk=region_id)
    below = {r.pk for r in region_descendants(region)}
    above = {r.pk for r in region_chain(region)} - {region.pk}
    schools = set(School.objects.filter(district_id__in=below).values_list("pk", flat=True))
    return Context(job_id, below, above, schools, modes)


def dump_parsed(rows: list[Row]) -> Iterator[list]:
    """The package as read_package gave it, in lists of plain values (marshal-able), for the commit
    (load_parsed): first the job's reach and the files' modes, then a few thousand rows of a file a part, column
    by column (numbers, lines, whether deleting, cells, the checker's problems by position)."""
    if not rows:
        return
    ctx = rows[0].ctx
    job = ImportJob.objects.filter(pk=ctx.job_id).values_list("region_id", "school_id").get()
    yield ["context", ctx.job_id, *job, ctx.modes]
    by_file: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_file[row.file].append(row)
    for name, found in by_file.items():
        header = list(found[0].cells)
        for part in chunks(found):
            yield ["rows", name, header, [r.number for r in part], [r.line for r in part],
                   [r.deleting for r in part], [list(r.cells.values()) for r in part],
                   {i: r.detail["problem"] for i, r in enumerate(part) if r.reason == "oneroster_problem"}]


def load_parsed(parts: Iterable[list]) -> list[Row]:
    """The rows dump_parsed kept, in the commit's order, sharing a context read now (the schools the region
    holds may have grown since the preview, and the sessions the directory knows)."""
    parts = iter(parts)
    head = next(parts, None)
    if head is None:
        return []
    _, job_id, region_id, school_id, modes = head
    ctx = _context(job_id, region_id, school_id, modes)
    ctx.by_id = {name: {} for name in FILES}
    rows: list[Row] = []
    new = object.__new__
    for _, name, header, numbers, lines, deleting, values, problems in parts:
        by_id, first = ctx.by_id[name], len(rows)
        for number, line, gone, cells in zip(numbers, lines, deleting, values, strict=True):
            # Row.__init__'s fields without its cost (700,000 objects): those left out keep their class defaults.
            row = new(Row)
            row.__dict__ = {"number": number, "file": name, "line": line, "cells": dict(zip(header, cells)),
                            "ctx": ctx, "deleting": gone, "detail": {}}
            row.sourced_id = row.cells.get("sourcedId", "")
            by_id[row.sourced_id] = row
            rows.append(row)
        for i, problem in problems.items():
            rows[first + i].set(ERROR, "oneroster_problem", problem=problem)
    _index(ctx, rows)
    return rows


def _index(ctx: Context, rows: list[Row]) -> None:
    for sid, row in ctx.by_id["academicSessions"].items():
        if row.cells.get("type") == "schoolYear" and row.cells.get("schoolYear", "").isdigit():
            ctx.years[sid] = int(row.cells["schoolYear"]) - 1  # OneRoster names a year by its end
    _load_known_years(ctx, rows)
    for row in ctx.by_id["classes"].values():
        year = _year_of(ctx, row.cells.get("termSourcedIds", ""))
        school = row.cells.get("schoolSourcedId", "")
        if year is not None:
            ctx.school_year[school] = max(year, ctx.school_year.get(school, year))
    ctx.demographics = {sid: row.cells for sid, row in ctx.by_id["demographics"].items()}
    for row in ctx.by_id["roles"].values():
        ctx.roles_of.setdefault(row.cells["userSourcedId"], []).append(row.cells)


def _load_known_years(ctx: Context, rows: list[Row]) -> None:
    """The school years an earlier import or export gave the sessions that classes and courses name but the
    package does not hold (a delta's): read once, set-based, so that _year_of asks the database nothing."""
    named = set()
    for row in rows:
        column = {"classes": "termSourcedIds", "courses": "schoolYearSourcedId"}.get(row.file)
        if column:
            named.update(csvcheck.listed(row.cells.get(column, "")))
    for part in chunks(sorted(named - ctx.years.keys())):
        for sid, key in RosterId.objects.filter(among("sourced_id", part), kind="academicSessions",
                                                local_key__startswith="year:").values_list("sourced_id", "local_key"):
            ctx.known_years[sid] = int(key.removeprefix("year:"))


def _year_of(ctx: Context, terms: str) -> int | None:
    for sid in csvcheck.listed(terms):
        if sid in ctx.years:
            return ctx.years[sid]
        if sid in ctx.known_years:
            return ctx.known_years[sid]
    return None


def _pk(key: str) -> int:
    return int(key.rsplit(":", 1)[1])


# --- classify: the preview, and each chunk of the commit again -------------------------------------------------------

class Plan:
    """One pass over rows in order: what each sourcedId stands for, from the directory, from the platform's own
    keys, or from a row earlier in the pass that will create it ("new")."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.keys: dict[tuple[str, str], str] = {}
        # What the platform holds of the people and classes the rows name, read set-based (load) so that
        # classifying a row asks the database nothing: person -> (name, account status, birth date, sex, account)
        self.people: dict[int, tuple] = {}
        self.reach: set[int] = set()  # people with a place at one of the job's schools (or made by the job)
        self.made: set[int] = set()  # people this job made (an earlier chunk)
        self.slots: set[tuple[str, str, str]] = set()  # (user, identity kind, school) an earlier role row gives
        self.identities: dict[tuple[int, str, int | None], int] = {}  # (person, kind, school) -> identity
        self.guardians: dict[int, set[int]] = defaultdict(set)  # student -> guardians
        self.enrolled: dict[int, tuple[int, int, int]] = {}  # person -> open (enrollment, class, school)
        self.class_school: dict[int, int] = {}
        self.arranged: dict[int, list[str]] = defaultdict(list)  # class -> subjects
        self.heads: dict[int, int] = {}  # class -> head teacher's identity
        self.taught: set[tuple[int, int]] = set()  # (teacher identity, class)
        self.numbers_asked: set[str] = set()  # account numbers of new users looked up, and those found taken
        self.numbers_taken: set[str] = set()

    def load(self, rows: list[Row]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            wanted[row.file].add(row.sourced_id)
            for column, kind in REFERENCES.get(row.file, ()):
                wanted[kind].update(csvcheck.listed(row.cells.get(column, "")))
            if row.file == "roles":  # a student's parents, linked with the student's role
                agents = self._user_cells(row.cells["userSourcedId"]).get("agentSourcedIds", "")
                wanted["users"].update(csvcheck.listed(agents))
        written = self.ctx.written.keys
        for kind, sids in wanted.items():
            todo = []
            for sid in sids:
                key = written.get((kind, sid))
                if key is None:
                    todo.append(sid)
                else:
                    self.keys[kind, sid] = key
            for part in lookup_parts(sorted(todo)):
                for sid, key in RosterId.objects.filter(among("sourced_id", part), kind=kind).values_list(
                        "sourced_id", "local_key"):
                    self.keys[kind, sid] = written[kind, sid] = key
        self._load_people(wanted["users"])
        self._load_classes(wanted["classes"])

    def _user_cells(self, sourced_id: str) -> dict[str, str]:
        row = self.ctx.by_id["users"].get(sourced_id)
        return row.cells if row is not None else {}

    def _load_people(self, sourced_ids: set[str]) -> None:
        numbers: dict[str, str] = {}
        for sid in sourced_ids:
            if ("users", sid) not in self.keys and sid in self.ctx.by_id["users"]:
                number = _account_number(self._user_cells(sid))
                if number:
                    numbers[number] = sid
                self.keys["users", sid] = "new"
        for part in chunks(sorted(numbers)):
            for number, person in Account.objects.filter(among("number", part)).values_list("number", "person_id"):
                self.numbers_taken.add(number)
                if person is not None:
                    self.keys["users", numbers[number]] = f"person:{person}"
        self.numbers_asked.update(numbers)
        people = [_pk(self.keys["users", sid]) for sid in sourced_ids
                  if self.keys.get(("users", sid), "").startswith("person:")]
        unknown = []  # the people this run did not make: read from the database
        for pk in people:
            if pk in self.ctx.written.people:
                self._remember(pk)
            else:
                unknown.append(pk)
        schools = self.ctx.school_ids
        for part in chunks(unknown):
            for pk, name, birth, sex, made_by in Person.objects.filter(among("pk", part)).values_list(
                    "pk", "name", "birth_date", "sex", "created_by_import"):
                self.people[pk] = (name, "", birth, sex, None)
                if made_by == self.ctx.job_id:
                    self.reach.add(pk)
                    self.made.add(pk)
            for pk, person, status in Account.objects.filter(among("person_id", part)).values_list(
                    "pk", "person_id", "status"):
                if person in self.people:
                    name, _, birth, sex, _ = self.people[person]
                    self.people[person] = (name, status, birth, sex, pk)
            for pk, person, kind, school in Identity.objects.filter(among("account__person_id", part)).values_list(
                    "pk", "account__person_id", "kind", "school_id"):
                self.identities[person, kind, school] = pk
                if school in schools:
                    self.reach.add(person)
            for pk, person, klass, school in Enrollment.objects.filter(among("person_id", part), ended_on__isnull=True
                                                                       ).values_list("pk", "person_id",
                                                                                     "school_class_id", "school_id"):
                self.enrolled[person] = (pk, klass, school)
                if school in schools:
                    self.reach.add(person)
            for guardian, student, school in Guardianship.objects.filter(
                    Q(among("student_id", part)) | Q(among("guardian_id", part))).values_list(
                    "guardian_id", "student_id", "school_id"):
                self.guardians[student].add(guardian)
                if school in schools:
                    self.reach.add(guardian)

    def _remember(self, pk: int) -> None:
        """A person this run made, as the run wrote them (Written)."""
        written = self.ctx.written
        self.people[pk] = written.people[pk]
        self.reach.add(pk)
        self.made.add(pk)
        for (kind, school), identity in written.identities.get(pk, {}).items():
            self.identities[pk, kind, school] = identity
        self.guardians[pk] = written.guardians.setdefault(pk, set())  # _links adds to the same set
        if pk in written.enrolled:
            self.enrolled[pk] = written.enrolled[pk]

    def _load_classes(self, sourced_ids: set[str]) -> None:
        codes: dict[str, str] = {}
        for sid in sourced_ids:
            if ("classes", sid) not in self.keys and sid in self.ctx.by_id["classes"]:
                code = self.ctx.by_id["classes"][sid].cells.get("classCode", "").strip().upper()
                if code:
                    codes[code] = sid
                self.keys["classes", sid] = "new"
        found: dict[str, int] = {}
        for part in chunks(sorted(codes)):
            found.update(SchoolClass.objects.filter(among("code", part)).values_list("code", "pk"))
        # A class an earlier chunk of this job made is not a class "the platform has already": another row of the
        # package gave the same code (its own directory row would have named it), and is a class of its own, with
        # a code of its own, as when both rows fall in one chunk (_create_classes).
        made_here = set(ImportChange.objects.filter(
            job_id=self.ctx.job_id, kind="made", after__model="SchoolClass",
            after__id__in=sorted(found.values())).values_list("after__id", flat=True)) if found else set()
        for code, pk in found.items():
            if pk not in made_here:
                self.keys["classes", codes[code]] = f"class:{pk}"
        classes = [_pk(self.keys["classes", sid]) for sid in sourced_ids
                   if self.keys.get(("classes", sid), "").startswith("class:")]
        for klass in classes:
            self.arranged.pop(klass, None)
        for part in chunks(classes):
            self.class_school.update(SchoolClass.objects.filter(among("pk", part)).values_list("pk", "school_id"))
            for klass, subject in CourseArrangement.objects.filter(among("school_class_id", part)).order_by(
                    "subject").values_list("school_class_id", "subject"):
                self.arranged[klass].append(subject)
            self.heads.update(HeadTeacher.objects.filter(among("school_class_id", part)).values_list(
                "school_class_id", "teacher_id"))
            self.taught.update(TeachingAssignment.objects.filter(among("school_class_id", part)).values_list(
                "teacher_id", "school_class_id"))

    def teacher_identity(self, person_id: int, school_id: int) -> int | None:
        return self.identities.get((person_id, Identity.Kind.TEACHER, school_id))

    def key(self, kind: str, sourced_id: str) -> str:
        """Our key for a referenced object: "new" when the package makes it, "" when nothing is known."""
        if (kind, sourced_id) not in self.keys:
            row = self.ctx.by_id.get(kind, {}).get(sourced_id)
            self.keys[kind, sourced_id] = _natural_key(row) if row is not None else ""
        return self.keys[kind, sourced_id]


REFERENCES = {
    "orgs": (("parentSourcedId", "orgs"),),
    "courses": (("orgSourcedId", "orgs"), ("schoolYearSourcedId", "academicSessions")),
    "classes": (("schoolSourcedId", "orgs"), ("courseSourcedId", "courses")),
    "users": (("primaryOrgSourcedId", "orgs"), ("agentSourcedIds", "users")),
    "demographics": (("sourcedId", "users"),),
    "roles": (("userSourcedId", "users"), ("orgSourcedId", "orgs")),
    "enrollments": (("classSourcedId", "classes"), ("userSourcedId", "users"), ("schoolSourcedId", "orgs")),
}


def _natural_key(row: Row) -> str:
    """An org the directory does not know, found by the platform's own key: a region's or school's code. (Users and
    classes are found by account number and class code set-based, in Plan.load; sessions, courses, roles and
    enrollments through what they name.)"""
    cells = row.cells
    if row.file != "orgs":
        return "new"
    code = cells.get("identifier", "").strip()
    if cells["type"] == "school" and code:
        pk = School.objects.filter(code=code).values_list("pk", flat=True).first()
        return f"school:{pk}" if pk else "new"
    if cells["type"] in REGION_KINDS and code:
        pk = Region.objects.filter(code=code).values_list("pk", flat=True).first()
        return f"region:{pk}" if pk else "new"
    return "new"


def _account_number(cells: dict[str, str]) -> str:
    for part in cells.get("userIds", "").strip("{}").split("},{"):
        kind, _, value = part.partition(":")
        if kind.strip() == "account" and value.strip():
            return value.strip()
    return cells.get("username", "").strip()


def classify(rows: list[Row]) -> None:
    """Decide each row's outcome against the database and the rows before it (the preview); nothing is
    written."""
    if rows:
        plan = Plan(rows[0].ctx)
        plan.load(rows)
        _classify_rows(plan, rows)


def _classify_rows(plan: Plan, rows: list[Row]) -> None:
    for row in rows:
        if row.outcome == ERROR and row.reason == "oneroster_problem":
            continue
        row.outcome, row.reason, row.detail, row.key = "", "", {}, ""
        CLASSIFIERS[row.file](plan, row)
        if row.outcome == CREATE and not row.key:
            row.key = "new"
        if row.key and row.outcome not in (ERROR, CONFLICT):
            plan.keys[row.file, row.sourced_id] = row.key


def _school_of(plan: Plan, row: Row, column: str) -> str | None:
    """The school a row names: its key ("school:3" or "new"), or None with the row refused."""
    key = plan.key("orgs", row.cells.get(column, ""))
    if not key.startswith("school:") and key != "new":
        row.set(CONFLICT, "oneroster_no_school", org=row.cells.get(column, ""))
        return None
    if key != "new" and _pk(key) not in plan.ctx.school_ids:
        row.set(CONFLICT, "oneroster_outside_scope", name=row.cells.get(column, ""))
        return None
    row.school_id = _pk(key) if key != "new" else None
    return key


def _classify_org(plan: Plan, row: Row) -> None:
    cells, ctx = row.cells, plan.ctx
    kind = cells["type"]
    if kind not in REGION_KINDS and kind != "school":
        return row.set(UNCHANGED, "oneroster_not_kept", what=kind)
    if row.deleting:
        return row.set(UNCHANGED, "oneroster_not_removed")
    key = plan.keys.get(("orgs", row.sourced_id)) or _natural_key(row)
    if key != "new":
        pk = _pk(key)
        row.key = key
        if key.startswith("school:"):
            if kind != "school":
                return row.set(CONFLICT, "oneroster_type_differs", name=cells["name"])
            row.school_id = pk
            if pk not in ctx.school_ids:
                return row.set(CONFLICT, "oneroster_outside_scope", name=cells["name"])
            name = School.objects.filter(pk=pk).values_list("name", flat=True).first()
        else:
            region = Region.objects.filter(pk=pk).values_list("kind", "name").first()
            if region is None or kind not in REGION_KINDS or REGION_KINDS[kind] != region[0]:
                return row.set(CONFLICT, "oneroster_type_differs", name=cells["name"])
            if pk in ctx.above:
                return row.set(UNCHANGED, "oneroster_above_scope")
            if pk not in ctx.region_ids:
                return row.set(CONFLICT, "oneroster_outside_scope", name=cells["name"])
            name = region[1]
        return row.set(UNCHANGED if name == cells["name"] else UPDATE)
    code = cells.get("identifier", "").strip()
    limit = 16 if kind == "school" else 12
    if not code or len(code) > limit:
        return row.set(ERROR, "oneroster_identifier_required", name=cells["name"], limit=limit)
    parent = plan.key("orgs", cells.get("parentSourcedId", ""))
    wanted = "district" if kind == "school" else {"local": "state", "district": "local"}.get(kind)
    parent_row = ctx.by_id["orgs"].get(cells.get("parentSourcedId", ""))
    if wanted is None or not parent or (parent_row is not None and parent_row.cells["type"] != wanted):
        return row.set(CONFLICT, "oneroster_parent_unknown", name=cells["name"])
    if parent != "new" and not (parent.startswith("region:") and _pk(parent) in ctx.region_ids):
        return row.set(CONFLICT, "oneroster_outside_scope", name=cells["name"])
    row.set(CREATE)


def _classify_session(plan: Plan, row: Row) -> None:
    if row.cells["type"] != "schoolYear" or row.sourced_id not in plan.ctx.years:
        return row.set(UNCHANGED, "oneroster_not_kept", what=row.cells["type"])
    if row.deleting:
        return row.set(UNCHANGED, "oneroster_not_removed")
    row.key = year_key(plan.ctx.years[row.sourced_id])
    known = RosterId.objects.filter(kind="academicSessions", local_key=row.key).exists()
    row.set(UNCHANGED if known else CREATE)


def _course_name(cells: dict[str, str]) -> str:
    subject = cells.get("subjects", "").split(",")[0].strip()
    if subject:
        return subject
    return "homeroom" if cells.get("title") == "行政班" else "teaching"


def _classify_course(plan: Plan, row: Row) -> None:
    if row.deleting:
        return row.set(UNCHANGED, "oneroster_not_removed")
    school = _school_of(plan, row, "orgSourcedId")
    if school is None:
        return
    year = _year_of(plan.ctx, row.cells.get("schoolYearSourcedId", ""))
    if year is None:
        return row.set(UNCHANGED, "oneroster_not_kept", what=row.cells["title"])
    if school == "new":
        return row.set(CREATE)
    row.key = f"course:{row.school_id}:{year}:{_course_name(row.cells)}"
    known = RosterId.objects.filter(kind="courses", local_key=row.key).exists()
    row.set(UNCHANGED if known else CREATE)


def _grade(cells: dict[str, str]) -> int | None:
    first = cells.get("grades", "").split(",")[0].strip()
    return int(first) if first.isdigit() and 1 <= int(first) <= 12 else None


def _classify_class(plan: Plan, row: Row) -> None:
    cells = row.cells
    if row.deleting:
        return row.set(UNCHANGED, "oneroster_not_removed")
    school = _school_of(plan, row, "schoolSourcedId")
    if school is None:
        return
    key = plan.key("classes", row.sourced_id)
    if key != "new":
        if plan.class_school.get(_pk(key)) != row.school_id:
            return row.set(CONFLICT, "oneroster_class_code_taken", code=cells.get("classCode", ""))
        row.key, row.class_id = key, _pk(key)
        return row.set(UNCHANGED if plan.arranged[row.class_id] == _subjects(cells) else UPDATE)
    if _grade(cells) is None:
        return row.set(ERROR, "oneroster_grade_not_supported", grades=cells.get("grades", ""))
    if not CLASS_NUMBER.search(cells["title"]):
        return row.set(ERROR, "oneroster_class_number_missing", title=cells["title"])
    if _year_of(plan.ctx, cells.get("termSourcedIds", "")) is None:
        return row.set(ERROR, "oneroster_no_school_year", title=cells["title"])
    row.set(CREATE)


def _subjects(cells: dict[str, str]) -> list[str]:
    if cells.get("classType") == "homeroom":
        return []
    return sorted(csvcheck.listed(cells.get("subjects", "")))


def _classify_user(plan: Plan, row: Row) -> None:
    cells = row.cells
    key = plan.key("users", row.sourced_id)
    if row.deleting:
        if key in ("", "new"):
            return row.set(UNCHANGED, "oneroster_not_here")
        row.key, row.person_id = key, _pk(key)
        return row.set(REMOVE)
    name = normalize_name(joined_name(cells["givenName"], cells["familyName"], cells.get("middleName", "")))
    if not name:
        return row.set(ERROR, "oneroster_name_missing")
    if key != "new":
        row.key, row.person_id = key, _pk(key)
        if row.person_id not in plan.reach:
            return row.set(CONFLICT, "oneroster_person_elsewhere", name=name)
        person = plan.people[row.person_id]
        enabled = person[1] == Account.Status.ACTIVE
        return row.set(UNCHANGED if (person[0], enabled) == (name, cells["enabledUser"] == "true") else UPDATE)
    school = _home_school(plan, row)
    if school is None:
        return row.set(ERROR, "oneroster_no_school", org=cells.get("primaryOrgSourcedId", ""))
    row.set(CREATE)


def _home_school(plan: Plan, row: Row) -> str | None:
    orgs = [row.cells.get("primaryOrgSourcedId", "")] + [r["orgSourcedId"] for r in plan.ctx.roles_of.get(
        row.sourced_id, []) if r.get("status") != "tobedeleted"]
    for org in filter(None, orgs):
        key = plan.key("orgs", org)
        if key == "new" or (key.startswith("school:") and _pk(key) in plan.ctx.school_ids):
            row.school_id = _pk(key) if key != "new" else None
            return key
    return None


def _classify_demographics(plan: Plan, row: Row) -> None:
    key = plan.key("users", row.sourced_id)
    if row.deleting or not key:
        return row.set(UNCHANGED, "oneroster_not_kept", what="demographics")
    if key == "new":
        return row.set(CREATE)
    row.key, row.person_id = key, _pk(key)
    person = plan.people.get(row.person_id)
    if person is None:
        return row.set(ERROR, "oneroster_unknown_user")
    if row.person_id in plan.made:
        return row.set(CREATE)  # written with its user, as the preview said
    row.set(UNCHANGED if person[2:4] == _demographics(row.cells) else UPDATE)


def _demographics(cells: dict[str, str]) -> tuple[date | None, str]:
    birth = date.fromisoformat(cells["birthDate"]) if cells.get("birthDate") else None
    return birth, SEX.get(cells.get("sex", ""), "")


def _classify_role(plan: Plan, row: Row) -> None:
    cells = row.cells
    if cells["role"] not in IDENTITY_KINDS:
        return row.set(UNCHANGED, "oneroster_not_kept", what=cells["role"])
    school = _school_of(plan, row, "orgSourcedId")
    person = plan.key("users", cells["userSourcedId"])
    if school is None:
        return
    if not person:
        return row.set(ERROR, "oneroster_unknown_user")
    if row.deleting:
        if "new" in (school, person) or cells["role"] in AGENT_ROLES:
            return row.set(UNCHANGED, "oneroster_not_removed")
        row.person_id = _pk(person)
        return row.set(REMOVE)
    kind = IDENTITY_KINDS[cells["role"]]
    # A parent of children at two schools has a role at each and one parent identity: the second role row
    # makes nothing (whether the first was written in an earlier chunk or comes earlier in this one).
    slot = (cells["userSourcedId"], kind, "" if kind in AT_NO_SCHOOL else cells["orgSourcedId"])
    have = slot in plan.slots
    plan.slots.add(slot)
    if "new" in (school, person):
        return row.set(UNCHANGED if have and kind in AT_NO_SCHOOL else CREATE)
    row.person_id = _pk(person)
    row.key = f"role:{cells['role']}:{row.person_id}:{row.school_id}"
    have = have or _identity(plan, row.person_id, kind, row.school_id) is not None
    links = set(_agents(plan, row)) - plan.guardians[row.person_id] if cells["role"] == OR_STUDENT else set()
    row.set(UNCHANGED if have and not links else CREATE)


def _identity(plan: Plan, person_id: int, kind: str, school_id: int) -> int | None:
    """The person's identity of this kind at the school (a parent's is the platform's, at no school)."""
    return plan.identities.get((person_id, kind, None if kind in AT_NO_SCHOOL else school_id))


def _agents(plan: Plan, row: Row) -> list[int]:
    """The people the package names as a student's parents, those the database holds already."""
    found = []
    for sid in csvcheck.listed(plan._user_cells(row.cells["userSourcedId"]).get("agentSourcedIds", "")):
        key = plan.key("users", sid)
        if key.startswith("person:"):
            found.append(_pk(key))
    return found


def _classify_enrollment(plan: Plan, row: Row) -> None:
    cells = row.cells
    if cells["role"] not in CLASS_ROLES:
        return row.set(UNCHANGED, "oneroster_not_kept", what=cells["role"])
    school = _school_of(plan, row, "schoolSourcedId")
    if school is None:
        return
    klass, person = plan.key("classes", cells["classSourcedId"]), plan.key("users", cells["userSourcedId"])
    if not klass or not person:
        return row.set(ERROR, "oneroster_unknown_user" if not person else "oneroster_unknown_class")
    if row.deleting:
        if "new" in (klass, person):
            return row.set(UNCHANGED, "oneroster_not_here")
        row.person_id, row.class_id = _pk(person), _pk(klass)
        return row.set(REMOVE)
    if "new" in (school, klass, person):
        return row.set(CREATE)
    row.person_id, row.class_id = _pk(person), _pk(klass)
    if cells["role"] == OR_TEACHER:
        identity = plan.teacher_identity(row.person_id, row.school_id)
        if identity is None:
            return row.set(CREATE)  # its teacher role comes in this package (classified before)
        row.key = f"teaching:{row.class_id}:{identity}"
        head = plan.heads.get(row.class_id)
        if cells.get("primary") == "true":
            if head not in (None, identity):
                return row.set(CONFLICT, "oneroster_head_teacher_taken")
            return row.set(UNCHANGED if head == identity else CREATE)
        taught = (identity, row.class_id) in plan.taught
        return row.set(UNCHANGED if taught or head == identity else CREATE)
    open_ = plan.enrolled.get(row.person_id)
    if open_ is None:
        return row.set(CREATE)
    if open_[2] != row.school_id:
        return row.set(CONFLICT, "oneroster_enrolled_elsewhere")
    row.key = f"enrollment:{open_[0]}"
    row.set(UNCHANGED if open_[1] == row.class_id else MOVE)


CLASSIFIERS = {"orgs": _classify_org, "academicSessions": _classify_session, "courses": _classify_course,
               "classes": _classify_class, "users": _classify_user, "demographics": _classify_demographics,
               "roles": _classify_role, "enrollments": _classify_enrollment}


# --- the commit -------------------------------------------------------------------------------------------------

@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    moved: int = 0
    removed: int = 0
    created_accounts: int = 0


class _Writer:
    """One chunk's writes: the objects, the directory rows that keep the package's sourcedIds, and what undo
    needs (ImportChange)."""

    def __init__(self, ctx: Context, plan: Plan, today: date) -> None:
        self.ctx, self.plan, self.today, self.now = ctx, plan, today, timezone.now()
        self.roster_ids: dict[tuple[str, str], dict] = {}  # (kind, local_key) -> the directory row to write
        self.made_keys: set[tuple[str, str]] = set()  # those of objects made by this chunk: not looked up
        self.changes: list[ImportChange] = []
        self.result = ChunkResult()

    def adopt(self, row: Row, key: str, school_id: int = 0, *, made: bool = False) -> None:
        """The object keeps the package's sourcedId, unless the directory gave it one already (flush). `made`: the
        object was made by this chunk, so its key (its new id) cannot be in the directory yet."""
        row.key = key
        self.plan.keys[row.file, row.sourced_id] = key
        # A user's demographics row goes by the same sourcedId.
        for kind in ("users", "demographics") if row.file == "users" else (row.file,):
            self.roster_ids[kind, key] = {"kind": kind, "local_key": key, "sourced_id": row.sourced_id,
                                          "school_id": school_id, "modified_at": self.now}
            if made:
                self.made_keys.add((kind, key))

    def change(self, kind: str, before: dict, after: dict, person_id: int = 0, school_id: int = 0) -> None:
        self.changes.append(ImportChange(job_id=self.ctx.job_id, kind=kind, person_id=person_id,
                                         school_id=school_id, before=before, after=after))

    def made(self, model: str, pk: int, school_id: int = 0) -> None:
        self.change("made", {}, {"model": model, "id": pk}, school_id=school_id)

    def flush(self) -> None:
        written = self.ctx.written
        known = self.roster_ids.keys() & written.local_keys
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, key in self.roster_ids.keys() - self.made_keys - known:
            by_kind[kind].append(key)
        for kind, keys in by_kind.items():
            for part in chunks(keys):
                known.update((kind, key) for key in RosterId.objects.filter(among("local_key", part), kind=kind)
                             .values_list("local_key", flat=True))
        new = [row for kind_key, row in self.roster_ids.items() if kind_key not in known]
        pks = bulk_insert(RosterId, new)
        written.local_keys.update(known)
        for row in new:
            written.local_keys.add((row["kind"], row["local_key"]))
            written.keys[row["kind"], row["sourced_id"]] = row["local_key"]
        if pks:
            self.change("roster_ids", {}, {"ids": pks})
        # The schools written to go first in the worker's next refresh, which gives their directory rows the
        # columns the REST service serves (until then it leaves the new rows out and shows the changed ones as
        # they were).
        touched = {e["school_id"] for e in new if e["school_id"]} | {c.school_id for c in self.changes if c.school_id}
        RosterRefresh.objects.filter(school_id__in=touched).update(refreshed_at=None)
        bulk_insert(ImportChange, self.changes, ids=False)
        self.roster_ids, self.changes, self.made_keys = {}, [], set()


def apply_chunk(job_id: int, actor_account_id: int, rows: list[Row], today: date) -> ChunkResult:
    """Write one chunk, inside the transaction that moves the job's cursor. The rows are classified again
    against what earlier chunks wrote, so references to objects those made resolve now."""
    if not rows:
        return ChunkResult()
    ctx = rows[0].ctx
    if not ctx.written.follows(rows):  # another run applied the chunks before this one (or this run's last failed)
        ctx.written = Written()
    ctx.written.through = -1
    plan = Plan(ctx)
    writer = _Writer(ctx, plan, today)
    # A file at a time: its rows are classified after the files before it were written, so what those made in
    # this same chunk is found (by the sourcedIds adopted, or by the directory rows just written).
    for name in FILES:
        part = [r for r in rows if r.file == name]
        if not part:
            continue
        plan.load(part)
        _classify_rows(plan, part)
        todo = [r for r in part if r.outcome in APPLIED]
        if todo:
            APPLIERS[name](writer, todo)
        for row in part:  # an object the platform had already keeps the package's sourcedId too
            if row.outcome == UNCHANGED and row.key and row.key != "new":
                writer.adopt(row, row.key, row.school_id or 0)
        writer.flush()
    ctx.written.through = rows[-1].number
    return writer.result


def _apply_orgs(w: _Writer, rows: list[Row]) -> None:
    for row in rows:
        cells = row.cells
        if row.outcome == UPDATE:
            model = School if row.key.startswith("school:") else Region
            before = model.objects.filter(pk=_pk(row.key)).values_list("name", flat=True).get()
            model.objects.filter(pk=_pk(row.key)).update(name=cells["name"][:128 if model is School else 64])
            w.change("rename", {"model": model.__name__, "id": _pk(row.key), "name": before},
                     {"name": cells["name"]})
            w.adopt(row, row.key, row.school_id or 0)
            w.result.updated += 1
            continue
        parent = w.plan.key("orgs", cells.get("parentSourcedId", ""))
        if cells["type"] == "school":
            ctx_year = w.ctx.school_year.get(row.sourced_id) or _current_school_year(w.today)
            school = School.objects.create(district_id=_pk(parent), name=cells["name"][:128],
                                           code=cells["identifier"].strip(), school_year=ctx_year)
            w.ctx.school_ids.add(school.pk)
            w.made("School", school.pk, school.pk)
            w.adopt(row, f"school:{school.pk}", school.pk, made=True)
            row.school_id = school.pk
        else:
            region = Region.objects.create(kind=REGION_KINDS[cells["type"]], name=cells["name"][:64],
                                           code=cells["identifier"].strip(), parent_id=_pk(parent))
            w.ctx.region_ids.add(region.pk)
            w.made("Region", region.pk)
            w.adopt(row, f"region:{region.pk}", made=True)
        w.result.created += 1


def _current_school_year(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def _apply_sessions(w: _Writer, rows: list[Row]) -> None:
    for row in rows:
        w.adopt(row, year_key(w.ctx.years[row.sourced_id]))


def _apply_courses(w: _Writer, rows: list[Row]) -> None:
    for row in rows:
        year = _year_of(w.ctx, row.cells.get("schoolYearSourcedId", ""))
        w.adopt(row, f"course:{row.school_id}:{year}:{_course_name(row.cells)}", row.school_id)


def _apply_classes(w: _Writer, rows: list[Row]) -> None:
    new = []
    for row in rows:
        if row.outcome != UPDATE:
            new.append(row)
            continue
        subjects = _subjects(row.cells)
        before = sorted(CourseArrangement.objects.filter(school_class_id=row.class_id).values_list(
            "subject", flat=True))
        _arrange(row.class_id, row.school_id, subjects)
        w.change("subjects", {"class": row.class_id, "subjects": before}, {"subjects": subjects},
                 school_id=row.school_id)
        w.adopt(row, row.key, row.school_id)
        w.result.updated += 1
    if new:
        _create_classes(w, new)


def _create_classes(w: _Writer, rows: list[Row]) -> None:
    """The new classes of a chunk, set-based: a chunk of a district's package holds thousands of them. A class the
    platform already has under the same cohort, number and kind is taken instead of made again."""
    schools = School.objects.in_bulk({row.school_id for row in rows})
    stages: dict[tuple[int, str], Stage] = {}
    cohorts: dict[tuple[int, int], int] = {}
    placed = []  # (row, school, class key (cohort, number, kind))
    for row in rows:
        cells, school = row.cells, schools[row.school_id]
        grade = _grade(cells)
        stage = _stage_for(w, school, grade, stages)
        year = _year_of(w.ctx, cells["termSourcedIds"]) - (grade - stage.first_grade)
        if (stage.pk, year) not in cohorts:
            cohort, made = Cohort.objects.get_or_create(stage=stage, enrollment_year=year)
            if made:
                w.made("Cohort", cohort.pk, school.pk)
            cohorts[stage.pk, year] = cohort.pk
        kind = SchoolClass.Kind.ADMINISTRATIVE if cells["classType"] == "homeroom" else SchoolClass.Kind.TEACHING
        placed.append((row, school, (cohorts[stage.pk, year], int(CLASS_NUMBER.search(cells["title"]).group(1)),
                                     kind)))
    existing = {(cohort, number, kind): pk for cohort, number, kind, pk in SchoolClass.objects.filter(
        among("cohort_id", sorted(set(cohorts.values())))).values_list("cohort_id", "number", "kind", "pk")}
    # The package's class codes where they are free (and well formed); a drawn one otherwise.
    wanted = {key: row.cells.get("classCode", "").strip().upper() for row, _, key in placed if key not in existing}
    offered = [code for code in wanted.values() if code and len(code) <= 12]
    taken = set()
    for part in chunks(offered):
        taken.update(SchoolClass.objects.filter(among("code", part)).values_list("code", flat=True))
    used: set[str] = set()
    for key, code in wanted.items():
        if not code or len(code) > 12 or code in taken or code in used:
            wanted[key] = ""
        used.add(wanted[key])
    drawn = iter(new_class_codes(sum(1 for code in wanted.values() if not code)))
    made_rows = {key: {"school_id": row.school_id, "cohort_id": key[0], "number": key[1], "kind": key[2],
                       "code": wanted[key] or next(drawn)}
                 for row, _, key in placed if key in wanted}
    for key, pk in zip(made_rows, bulk_insert(SchoolClass, list(made_rows.values())), strict=True):
        existing[key] = pk
        w.made("SchoolClass", pk, made_rows[key]["school_id"])
    subjects = {}
    for row, school, key in placed:
        row.class_id = existing[key]
        if key in made_rows and row.class_id not in subjects:  # the first row of a class made here arranges it
            subjects[row.class_id] = (school.pk, _subjects(row.cells))
        w.adopt(row, f"class:{row.class_id}", school.pk, made=key in made_rows)
        w.result.created += 1
    bulk_insert(CourseArrangement, [{"school_class_id": pk, "school_id": school_id, "subject": subject}
                                    for pk, (school_id, names) in subjects.items() for subject in names], ids=False)


def _stage_for(w: _Writer, school: School, grade: int, stages: dict[tuple[int, str], Stage]) -> Stage:
    # The package does not say the school system (六三制 or 五四制): a school made here keeps the platform's
    # default, and grade 6 is primary unless the school says 五四制.
    last_primary = 6 if school.system == SchoolSystem.SIX_THREE else 5
    level = Stage.Level.PRIMARY if grade <= last_primary else Stage.Level.JUNIOR if grade <= 9 else Stage.Level.SENIOR
    if (school.pk, level) in stages:
        return stages[school.pk, level]
    stage = Stage.objects.filter(campus__school=school, level=level).order_by("campus_id").first()
    if stage is None:
        campus = Campus.objects.filter(school=school).order_by("pk").first()
        if campus is None:
            campus = Campus.objects.create(school=school, name=MAIN_CAMPUS)
            w.made("Campus", campus.pk, school.pk)
        stage = Stage.objects.create(campus=campus, level=level, system=school.system)
        w.made("Stage", stage.pk, school.pk)
    stages[school.pk, level] = stage
    return stage


def _arrange(class_id: int, school_id: int, subjects: list[str]) -> None:
    CourseArrangement.objects.filter(school_class_id=class_id).exclude(subject__in=subjects).delete()
    have = set(CourseArrangement.objects.filter(school_class_id=class_id).values_list("subject", flat=True))
    CourseArrangement.objects.bulk_create([CourseArrangement(school_class_id=class_id, school_id=school_id,
                                                             subject=s) for s in subjects if s not in have])


def _apply_users(w: _Writer, rows: list[Row]) -> None:
    new = [r for r in rows if r.outcome == CREATE]
    numbers = [_account_number(r.cells) for r in new]
    # Plan.load asked for the numbers of this chunk's new users already (in this transaction).
    taken = w.plan.numbers_taken & set(numbers)
    for part in chunks([n for n in numbers if ACCOUNT_NUMBER.fullmatch(n) and n not in w.plan.numbers_asked]):
        taken.update(Account.objects.filter(among("number", part)).values_list("number", flat=True))
    people = []
    for row, number in zip(new, numbers, strict=True):
        cells = row.cells
        roles = {r["role"] for r in w.ctx.roles_of.get(row.sourced_id, [])}
        role = "student" if OR_STUDENT in roles else "teacher" if OR_TEACHER in roles else "parent"
        birth, sex = _demographics(w.ctx.demographics.get(row.sourced_id, {}))
        if row.school_id is None:
            _home_school(w.plan, row)
        people.append(NewPerson(
            name=normalize_name(joined_name(cells["givenName"], cells["familyName"], cells.get("middleName", ""))),
            sex=sex, birth_date=birth, school_id=row.school_id, role=role, job_id=w.ctx.job_id,
            number=number if ACCOUNT_NUMBER.fullmatch(number) and number not in taken else None,
            status=Account.Status.ACTIVE if cells["enabledUser"] == "true" else Account.Status.FROZEN))
    made = create_people_with_accounts(people, now=w.now)
    for row, person, m in zip(new, people, made, strict=True):
        w.ctx.written.people[m.person_id] = (person.name, person.status, person.birth_date, person.sex, m.account_id)
        row.person_id = m.person_id
        w.adopt(row, f"person:{m.person_id}", row.school_id or 0, made=True)
    w.result.created += len(made)
    w.result.created_accounts += len(made)
    for row in rows:
        if row.outcome == UPDATE:
            cells = row.cells
            name = normalize_name(joined_name(cells["givenName"], cells["familyName"], cells.get("middleName", "")))
            before = Person.objects.filter(pk=row.person_id).values_list("name", "account__status").get()
            status = Account.Status.ACTIVE if cells["enabledUser"] == "true" else (
                before[1] if before[1] != Account.Status.ACTIVE else Account.Status.FROZEN)
            Person.objects.filter(pk=row.person_id).update(name=name)
            Account.objects.filter(person_id=row.person_id).update(status=status, status_changed_at=w.now)
            w.ctx.written.forget(row.person_id)
            w.change("person", {"name": before[0], "status": before[1]}, {"name": name, "status": status},
                     person_id=row.person_id)
            w.adopt(row, row.key)
            w.result.updated += 1
        elif row.outcome == REMOVE:
            _remove_person(w, row.person_id, schools=w.ctx.school_ids)


def _apply_demographics(w: _Writer, rows: list[Row]) -> None:
    for row in rows:
        if row.outcome != UPDATE:
            continue  # a new user's demographics went in with the user
        birth, sex = _demographics(row.cells)
        before = Person.objects.filter(pk=row.person_id).values_list("birth_date", "sex").get()
        Person.objects.filter(pk=row.person_id).update(birth_date=birth, sex=sex)
        w.ctx.written.forget(row.person_id)
        w.change("demographics", {"birth_date": before[0].isoformat() if before[0] else None, "sex": before[1]},
                 {"birth_date": birth.isoformat() if birth else None, "sex": sex}, person_id=row.person_id)
        w.result.updated += 1


def _apply_roles(w: _Writer, rows: list[Row]) -> None:
    plan, identities, links = w.plan, {}, []
    for row in rows:
        if row.outcome == REMOVE:
            _remove_person(w, row.person_id, schools={row.school_id},
                           teaching_only=row.cells["role"] == OR_TEACHER)
            continue
        kind = IDENTITY_KINDS[row.cells["role"]]
        school = None if kind in AT_NO_SCHOOL else row.school_id
        if _identity(plan, row.person_id, kind, row.school_id) is None:
            identities[row.person_id, kind, school] = {
                "account_id": plan.people[row.person_id][4], "kind": kind, "school_id": school,
                "created_by_import": w.ctx.job_id, "created_at": w.now}
        if row.cells["role"] == OR_STUDENT:
            links += _links(w, row)
        # The key of a person this run made is in the directory only if this run wrote it (flush knows).
        w.adopt(row, f"role:{row.cells['role']}:{row.person_id}:{row.school_id}", row.school_id,
                made=row.person_id in w.ctx.written.people)
        w.result.created += 1
    made = dict(zip(identities, bulk_insert(Identity, list(identities.values())), strict=True))
    plan.identities.update(made)
    written = w.ctx.written
    for (person, kind, school), pk in made.items():
        if person in written.people:
            written.identities.setdefault(person, {})[kind, school] = pk
    bulk_insert(Guardianship, list({(link["guardian_id"], link["student_id"]): link for link in links}.values()),
                ids=False)


def _links(w: _Writer, row: Row) -> list[dict]:
    """The links of a student to the parents the package names, those the platform lacks."""
    links = []
    for sid in csvcheck.listed(w.plan._user_cells(row.cells["userSourcedId"]).get("agentSourcedIds", "")):
        key = w.plan.key("users", sid)
        if not key.startswith("person:") or _pk(key) in w.plan.guardians[row.person_id]:
            continue
        roles = {r["role"] for r in w.ctx.roles_of.get(sid, []) if r["orgSourcedId"] == row.cells["orgSourcedId"]}
        sex = SEX.get(w.ctx.demographics.get(sid, {}).get("sex", ""), "")
        relation = Guardianship.Relation.GUARDIAN
        if OR_PARENT in roles:
            relation = {"M": Guardianship.Relation.FATHER, "F": Guardianship.Relation.MOTHER}.get(
                sex, Guardianship.Relation.PARENT)
        w.plan.guardians[row.person_id].add(_pk(key))
        links.append({"guardian_id": _pk(key), "student_id": row.person_id, "school_id": row.school_id,
                      "relation": relation, "created_by_import": w.ctx.job_id})
    return links


def _apply_enrollments(w: _Writer, rows: list[Row]) -> None:
    plan, heads, taught, enrolled, ended = w.plan, [], [], [], []
    for row in rows:
        cells = row.cells
        if row.outcome == REMOVE:
            _remove_enrollment(w, row)
            continue
        if cells["role"] == OR_TEACHER:
            identity = plan.teacher_identity(row.person_id, row.school_id)
            if identity is None:
                row.set(ERROR, "oneroster_no_teacher_role")
                continue
            fields = {"school_class_id": row.class_id, "teacher_id": identity, "school_id": row.school_id,
                      "created_by_import": w.ctx.job_id}
            if cells.get("primary") == "true":
                heads.append(fields)
            else:
                klass = w.ctx.by_id["classes"].get(cells["classSourcedId"])
                subjects = _subjects(klass.cells) if klass else []
                taught.append({**fields, "subject": subjects[0] if subjects else ""})
            w.adopt(row, f"teaching:{row.class_id}:{identity}", row.school_id)
            w.result.created += 1
            continue
        if row.outcome == MOVE:
            old, old_class, _ = plan.enrolled[row.person_id]
            ended.append(old)
            w.change("move", {"enrollment": old, "class": old_class}, {"class": row.class_id},
                     person_id=row.person_id, school_id=row.school_id)
            w.result.moved += 1
        else:
            w.result.created += 1
        enrolled.append((row, {
            "person_id": row.person_id, "school_class_id": row.class_id, "school_id": row.school_id,
            "started_on": date.fromisoformat(cells["beginDate"]) if cells.get("beginDate") else w.today,
            "reason": "import", "created_by_import": w.ctx.job_id}))
    for part in chunks(ended):
        Enrollment.objects.filter(among("pk", part)).update(ended_on=w.today, reason="import_move")
    for (row, fields), pk in zip(enrolled, bulk_insert(Enrollment, [f for _, f in enrolled]), strict=True):
        plan.enrolled[row.person_id] = (pk, row.class_id, row.school_id)
        if row.person_id in w.ctx.written.people:
            w.ctx.written.enrolled[row.person_id] = plan.enrolled[row.person_id]
        w.adopt(row, f"enrollment:{pk}", row.school_id, made=True)
    bulk_insert(HeadTeacher, heads, ids=False)
    bulk_insert(TeachingAssignment, taught, ids=False)


def _remove_enrollment(w: _Writer, row: Row) -> None:
    w.ctx.written.forget(row.person_id)
    if row.cells["role"] == OR_TEACHER:
        identity = w.plan.teacher_identity(row.person_id, row.school_id)
        _remove_teaching(w, Q(teacher_id=identity, school_class_id=row.class_id))
        return
    for pk in Enrollment.objects.filter(person_id=row.person_id, school_class_id=row.class_id,
                                        ended_on__isnull=True).values_list("pk", flat=True):
        _end_enrollment(w, pk, row.person_id, row.school_id)


def _end_enrollment(w: _Writer, pk: int, person_id: int, school_id: int) -> None:
    Enrollment.objects.filter(pk=pk).update(ended_on=w.today, reason="oneroster_removed")
    w.change("removed_enrollment", {"enrollment": pk}, {}, person_id=person_id, school_id=school_id)
    w.result.removed += 1


def _remove_teaching(w: _Writer, where: Q) -> None:
    for pk, teacher, klass, school, subject in TeachingAssignment.objects.filter(where).values_list(
            "pk", "teacher_id", "school_class_id", "school_id", "subject"):
        w.change("removed_teaching", {"teacher": teacher, "class": klass, "subject": subject}, {}, school_id=school)
        TeachingAssignment.objects.filter(pk=pk).delete()
        w.result.removed += 1
    for pk, teacher, klass, school in HeadTeacher.objects.filter(where).values_list(
            "pk", "teacher_id", "school_class_id", "school_id"):
        w.change("removed_head", {"teacher": teacher, "class": klass}, {}, school_id=school)
        HeadTeacher.objects.filter(pk=pk).delete()
        w.result.removed += 1


def _remove_person(w: _Writer, person_id: int, *, schools: set[int], teaching_only: bool = False) -> None:
    """A person the package removes from these schools: their enrollments there end and their classes there
    lose them as a teacher. The account stays (its owner may be elsewhere too); undo puts everything back."""
    w.ctx.written.forget(person_id)
    if not teaching_only:
        for pk, school in Enrollment.objects.filter(person_id=person_id, ended_on__isnull=True,
                                                    school_id__in=schools).values_list("pk", "school_id"):
            _end_enrollment(w, pk, person_id, school)
    identities = list(Identity.objects.filter(account__person_id=person_id, kind=Identity.Kind.TEACHER,
                                              school_id__in=schools).values_list("pk", flat=True))
    if identities:
        _remove_teaching(w, Q(teacher_id__in=identities))


APPLIERS = {"orgs": _apply_orgs, "academicSessions": _apply_sessions, "courses": _apply_courses,
            "classes": _apply_classes, "users": _apply_users, "demographics": _apply_demographics,
            "roles": _apply_roles, "enrollments": _apply_enrollments}


# --- undo ---------------------------------------------------------------------------------------------------------

def undo(job_id: int, today: date) -> dict[str, int]:
    """Put back what the import changed and remove what it made, as the roster imports do (IMP-4): accounts
    nobody used since go as if never imported, used ones to the recycle bin; what was made of the structure
    (regions, schools, classes) goes unless something made since stands on it."""
    report: dict[str, int] = defaultdict(int)
    changes = list(ImportChange.objects.filter(job_id=job_id).order_by("-pk").values_list(
        "kind", "person_id", "before", "after"))
    for kind, person_id, before, after in changes:
        if kind == "roster_ids":
            for part in chunks(after["ids"]):
                RosterId.objects.filter(among("pk", part)).delete()
        elif kind == "rename":
            model = School if before["model"] == "School" else Region
            report["renamed_back"] += model.objects.filter(pk=before["id"], name=after["name"]).update(
                name=before["name"])
        elif kind == "subjects":
            school = SchoolClass.objects.filter(pk=before["class"]).values_list("school_id", flat=True).first()
            if school is not None:
                _arrange(before["class"], school, before["subjects"])
        elif kind == "person":
            Person.objects.filter(pk=person_id, name=after["name"]).update(name=before["name"])
            Account.objects.filter(person_id=person_id, status=after["status"]).update(status=before["status"])
        elif kind == "demographics":
            Person.objects.filter(pk=person_id, sex=after["sex"]).update(
                sex=before["sex"], birth_date=before["birth_date"] and date.fromisoformat(before["birth_date"]))
        elif kind == "move":
            Enrollment.objects.filter(person_id=person_id, ended_on__isnull=True, created_by_import=job_id).update(
                ended_on=today, reason="import_undone")
            report["moves_restored"] += Enrollment.objects.filter(pk=before["enrollment"]).update(
                ended_on=None, reason="")
        elif kind == "removed_enrollment":
            if not Enrollment.objects.filter(person_id=person_id, ended_on__isnull=True).exists():
                report["removals_restored"] += Enrollment.objects.filter(pk=before["enrollment"]).update(
                    ended_on=None, reason="")
        elif kind == "removed_teaching":
            TeachingAssignment.objects.get_or_create(teacher_id=before["teacher"], school_class_id=before["class"],
                                                     subject=before["subject"])
            report["removals_restored"] += 1
        elif kind == "removed_head":
            if not HeadTeacher.objects.filter(school_class_id=before["class"]).exists():
                HeadTeacher.objects.create(teacher_id=before["teacher"], school_class_id=before["class"])
                report["removals_restored"] += 1
    _undo_people(job_id, today, report)
    made = [(after["model"], after["id"]) for kind, _, _, after in changes if kind == "made"]
    for model_name, pk in made:  # newest first: a class before its cohort, a school before its district
        model = {"Region": Region, "School": School, "Campus": Campus, "Stage": Stage, "Cohort": Cohort,
                 "SchoolClass": SchoolClass}[model_name]
        try:
            with transaction.atomic():
                if model is SchoolClass:
                    CourseArrangement.objects.filter(school_class_id=pk).delete()
                bulk_delete(model, [pk])
            report["structure_removed"] += 1
        except ProtectedError:
            report["structure_kept_in_use"] += 1
    return dict(report)


def _undo_people(job_id: int, today: date, report: dict[str, int]) -> None:
    accounts = created_accounts(job_id)
    report["accounts_used_since"] = len(accounts.used)
    report["accounts_to_recycle_bin"] = recycle_used(accounts)
    unused_people = [person for _, person in accounts.unused if person is not None]
    TeachingAssignment.objects.filter(created_by_import=job_id).delete()
    HeadTeacher.objects.filter(created_by_import=job_id).delete()
    report["links_removed"] = Guardianship.objects.filter(created_by_import=job_id).delete()[0]
    report["enrollments_ended"] = Enrollment.objects.filter(created_by_import=job_id, ended_on__isnull=True).exclude(
        person_id__in=unused_people).update(ended_on=today, reason="import_undone")
    Identity.objects.filter(created_by_import=job_id).exclude(account__created_by_import=job_id).delete()
    for part in chunks(accounts.unused):
        account_ids = [pk for pk, _ in part]
        people = [person for _, person in part if person is not None]
        for model, found in (
                (Guardianship, Guardianship.objects.filter(Q(among("student_id", people))
                                                           | Q(among("guardian_id", people)))),
                (Enrollment, Enrollment.objects.filter(among("person_id", people))),
                (Identity, Identity.objects.filter(among("account_id", account_ids))),
                (Account, Account.objects.filter(among("pk", account_ids))),
                (Person, Person.objects.filter(among("pk", people), created_by_import=job_id))):
            bulk_delete(model, list(found.values_list("pk", flat=True)))
    report["accounts_removed"] = len(accounts.unused)


# --- the share of people a commit would remove ---------------------------------------------------------------------

def removal_share(job: ImportJob) -> tuple[int, int]:
    """(people the previewed package removes, people the job's schools hold now)."""
    removing = set(ImportRow.objects.filter(job=job, outcome=REMOVE).values_list("person_id", flat=True)) - {None}
    if not removing:
        return 0, 0
    if job.school_id:
        schools = [job.school_id]
    else:
        below = [r.pk for r in region_descendants(Region.objects.get(pk=job.region_id))]
        schools = list(School.objects.filter(district_id__in=below).values_list("pk", flat=True))
    held = Enrollment.objects.filter(school_id__in=schools, ended_on__isnull=True).count() + Identity.objects.filter(
        school_id__in=schools, kind=Identity.Kind.TEACHER).count()
    return len(removing), held

