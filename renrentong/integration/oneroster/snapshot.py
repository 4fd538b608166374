"""A school's part of a bulk package kept as written, and reused while nothing it was written from has changed.

A steady-state bulk export would rebuild every object in Python only to find each row as the directory already
holds it. Instead each school's lines are kept (integration.RosterSnapshot) with three things that decide, on
PostgreSQL, whether they can be copied as they are:

- a digest of the school's source rows, computed by the database: every row of every table records.py reads for
  the school (the school, its classes with their cohorts and stages, course arrangements, active enrollments, the
  students' guardianships, teacher identities, head teachers, teaching assignments, and the name, sex, birth date,
  account number and account state of every student, guardian and teacher), beside a digest of the code that turns
  them into lines (CODE);
- which of the school's people the school wrote a users row for: a person of two schools is written by the first
  of them in the export, so the lines hold only if the same people were written before this school as then;
- the directory rows the lines were written from: each must still be live and unchanged since (a refresh, an
  import or another export that changed, dated, swept or deleted one makes the school rebuild), and no other live
  row of the school may have appeared, which its sweep would have had to deal with.

When all three hold, a rebuild would write the same lines and change nothing in the directory, so the lines are
copied. Otherwise the school is rebuilt as before and its snapshot replaced. A snapshot is bulk lines only:
a delta, a package with national student numbers (never stored) and SQLite always rebuild."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from renrentong.accounts.models import (Account, CourseArrangement, Enrollment, Guardianship, HeadTeacher, Identity,
                                        Person, TeachingAssignment)
from renrentong.orgs.models import Cohort, School, SchoolClass, Stage

from renrentong.integration.models import RosterId, RosterSnapshot
from renrentong.integration.oneroster.directory import Entry


def _code_digest() -> str:
    """The code that turns source rows into lines: a change to any of it (a column, a title, a class name's
    translation) makes every snapshot stale."""
    here = Path(__file__).resolve().parent
    sources = [here / name for name in ("records.py", "directory.py", "package.py", "csvformat.py", "refresh.py",
                                        "snapshot.py")]
    sources.append(Path(sys.modules[School.__module__].__file__))  # class names, grades, graduation
    for folder in settings.LOCALE_PATHS:
        sources += sorted(Path(folder).glob("zh_Hans/LC_MESSAGES/*.mo"))
    digest = hashlib.md5()
    for path in sources:
        digest.update(path.read_bytes() if path.exists() else path.name.encode())
    return digest.hexdigest()


CODE = _code_digest()


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Each part is every row of one source table that records.py reads for the school (some more: a superset only
# makes a school rebuild more often), as PostgreSQL's row text (which quotes what could be ambiguous), in one
# total order. ORDER BY the text, not by id: two rows with one id cannot exist, but a join may repeat an id.
_SOURCE = f"""
WITH school AS (SELECT id, name, code, district_id, school_year FROM {_t(School)} WHERE id = %(school)s),
classes AS (SELECT c.id, c.number, c.code, c.kind, co.id AS cohort, co.enrollment_year, st.id AS stage, st.level,
                   st.system, st.grade_names, st.class_pattern
            FROM {_t(SchoolClass)} c JOIN {_t(Cohort)} co ON co.id = c.cohort_id
            JOIN {_t(Stage)} st ON st.id = co.stage_id
            WHERE c.school_id = %(school)s),
courses AS (SELECT id, school_class_id, subject FROM {_t(CourseArrangement)} WHERE school_id = %(school)s),
enrolled AS (SELECT id, person_id, school_class_id, started_on FROM {_t(Enrollment)}
             WHERE school_id = %(school)s AND ended_on IS NULL),
guardians AS (SELECT g.id, g.student_id, g.guardian_id, g.relation FROM {_t(Guardianship)} g
              WHERE g.student_id IN (SELECT person_id FROM enrolled)),
teachers AS (SELECT i.id, a.person_id FROM {_t(Identity)} i JOIN {_t(Account)} a ON a.id = i.account_id
             WHERE i.school_id = %(school)s AND i.kind = %(teacher)s AND a.person_id IS NOT NULL),
heads AS (SELECT id, school_class_id, teacher_id FROM {_t(HeadTeacher)} WHERE school_id = %(school)s),
taught AS (SELECT id, school_class_id, teacher_id FROM {_t(TeachingAssignment)} WHERE school_id = %(school)s),
people AS (SELECT p.id, p.name, p.sex, p.birth_date, a.id AS account, a.number, a.status
           FROM {_t(Person)} p LEFT JOIN {_t(Account)} a ON a.person_id = p.id
           WHERE p.id IN (SELECT person_id FROM enrolled UNION SELECT guardian_id FROM guardians
                          UNION SELECT person_id FROM teachers))
SELECT md5(concat_ws('|',
    (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM school t),
    (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM classes t),
    (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM courses t),
    (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM enrolled t),
    (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM guardians t),
    (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM teachers t),
    (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM heads t),
    (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM taught t),
    (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM people t)))
"""

# The snapshot's directory rows: how many are live and unchanged since it was taken; how many of them, and how
# many rows in all, are the school's live rows of the swept files.
_DIRECTORY = f"""
SELECT count(*) FILTER (WHERE r.gone_at IS NULL AND r.modified_at <= %(taken_at)s),
       count(*) FILTER (WHERE r.gone_at IS NULL AND r.school_id = %(school)s AND r.kind = ANY(%(swept)s)),
       (SELECT count(*) FROM {_t(RosterId)} WHERE school_id = %(school)s AND kind = ANY(%(swept)s)
        AND gone_at IS NULL)
FROM {_t(RosterId)} r JOIN unnest(%(ids)s::bigint[]) AS u(id) ON r.id = u.id
"""


@dataclass
class Reused:
    lines: dict[str, tuple[bytes, int]]  # {file: (its lines, how many)}
    people: list[int]


def enabled() -> bool:
    return connection.vendor == "postgresql"


def source_digest(school: School) -> str:
    with connection.cursor() as cursor:
        cursor.execute(_SOURCE, {"school": school.pk, "teacher": Identity.Kind.TEACHER})
        (digest,) = cursor.fetchone()
    return f"{CODE[:16]}{digest}"


class Snapshots:
    """The snapshots of one bulk export's schools."""

    def __init__(self, school_ids: list[int], swept: tuple[str, ...]) -> None:
        self.swept = list(swept)
        self.known = {s.school_id: s for s in RosterSnapshot.objects.filter(school_id__in=school_ids).defer("lines")}

    def reuse(self, school: School, digest: str, seen_people: set[int]) -> Reused | None:
        """The school's lines as last written, when writing them again would give the same and change nothing;
        the people they hold are then added to `seen_people`."""
        snap = self.known.get(school.pk)
        if snap is None or snap.source_digest != digest:
            return None
        written = set(snap.written)
        if any((p in seen_people) == (p in written) for p in snap.people):
            return None  # some person's users row is now written by another school of the export, or by this one
        with connection.cursor() as cursor:
            cursor.execute(_DIRECTORY, {"taken_at": snap.taken_at, "school": school.pk, "swept": self.swept,
                                        "ids": snap.row_ids})
            unchanged, ours, live = cursor.fetchone()
        if unchanged != len(snap.row_ids) or ours != live:
            return None
        blob = bytes(RosterSnapshot.objects.filter(pk=snap.pk).values_list("lines", flat=True).get())
        lines, at = {}, 0
        for kind, size, count in snap.counts:
            lines[kind] = (blob[at:at + size], count)
            at += size
        seen_people.update(snap.people)
        return Reused(lines, snap.people)

    def keep(self, school: School, digest: str, taken_at: datetime, lines: dict[str, tuple[bytes, int]],
             records: dict, entries: dict[str, list[Entry]]) -> None:
        """Replace the school's snapshot with the lines just written from its records and directory entries."""
        people = sorted({int(r.key.split(":")[2]) for r in records.get("roles", [])})
        written = sorted(int(r.key.removeprefix("person:")) for r in records.get("users", []))
        row_ids = [e.pk for kind_entries in entries.values() for e in kind_entries]
        if None in row_ids:
            RosterSnapshot.objects.filter(school_id=school.pk).delete()  # cannot be checked: rebuild next time
            return
        RosterSnapshot.objects.update_or_create(school_id=school.pk, defaults={
            "source_digest": digest, "taken_at": taken_at, "people": people, "written": written, "row_ids": row_ids,
            "counts": [[kind, len(data), count] for kind, (data, count) in lines.items()],
            "lines": b"".join(data for data, _ in lines.values())})
