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
- the directory rows the lines were written from: each must still be live with the sourcedId and fingerprint it
  had (a refresh, an import or another export that changed, swept or deleted one makes the school rebuild, even
  one whose transaction began before the lines were kept), and no other row of the school may have been written
  since, which its sweep would have had to deal with.

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

from renrentong.core.bulk import among, chunks

from renrentong.accounts.models import (Account, CourseArrangement, Enrollment, Guardianship, HeadTeacher, Identity,
                                        Person, TeachingAssignment)
from renrentong.orgs.models import Cohort, School, SchoolClass, Stage

from renrentong.integration.models import RosterId, RosterSnapshot
from renrentong.integration.oneroster.directory import Entry
from renrentong.integration.oneroster.records import year_key


def _code_digest() -> str | None:
    """The code that turns source rows into lines: a change to any of it (a column, a title, a class name's
    translation) makes every snapshot stale. None (no snapshots) when a source file is not there to read (a
    deployment of compiled files only), since a change could then go unnoticed."""
    here = Path(__file__).resolve().parent
    sources = [here / name for name in ("records.py", "directory.py", "package.py", "csvformat.py", "refresh.py",
                                        "snapshot.py")]
    sources.append(Path(sys.modules[School.__module__].__file__))  # class names, grades, graduation
    for folder in settings.LOCALE_PATHS:
        sources += sorted(Path(folder).glob("zh_Hans/LC_MESSAGES/*.mo"))
    digest = hashlib.md5()
    for path in sources:
        if not path.is_file():
            return None
        digest.update(path.read_bytes())
    return digest.hexdigest()


CODE = _code_digest()


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Each part is every row of one source table that records.py reads for the school (some more: a superset only
# makes a school rebuild more often), as PostgreSQL's row text (which quotes what could be ambiguous), in one
# total order: by id, unique in each part (a person has one account at most).
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
-- LATERAL ... OFFSET 0 (not flattened into a join): an index probe per person, where the planner's hash join read
-- every person of the platform for each school
people AS (SELECT p.*
           FROM (SELECT person_id FROM enrolled UNION SELECT guardian_id FROM guardians
                 UNION SELECT person_id FROM teachers) ids (id),
           LATERAL (SELECT p.id, p.name, p.sex, p.birth_date, a.id AS account, a.number, a.status
                    FROM {_t(Person)} p LEFT JOIN {_t(Account)} a ON a.person_id = p.id WHERE p.id = ids.id
                    OFFSET 0) p)
SELECT md5(concat_ws('|',
    (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM school t),
    (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM classes t),
    (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM courses t),
    (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM enrolled t),
    (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM guardians t),
    (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM teachers t),
    (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM heads t),
    (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM taught t),
    (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM people t)))
"""

# The snapshot's directory rows: how many are live, a digest of their ids, sourcedIds and fingerprints (as
# rows_digest makes it); and whether a live row of the school's swept files was written since (inserted, dated or
# brought back: each sets modified_at; a sweep's move of a person's row does not, but a rebuild's sweep would leave
# such a row as it is).
_DIRECTORY = f"""
SELECT count(*) FILTER (WHERE r.gone_at IS NULL),
       md5(coalesce(string_agg(r.id::text || ':' || r.sourced_id || ':' || r.fingerprint::text, ',' ORDER BY r.id),
                    '')),
       EXISTS (SELECT FROM {_t(RosterId)} WHERE school_id = %(school)s AND kind = ANY(%(swept)s)
               AND modified_at > %(taken_at)s AND gone_at IS NULL)
FROM {_t(RosterId)} r WHERE r.id = ANY(%(ids)s::bigint[])
"""


@dataclass
class Reused:
    lines: dict[str, tuple[bytes, int]]  # {file: (its lines, how many)}
    people: list[int]


def enabled() -> bool:
    return connection.vendor == "postgresql" and CODE is not None


def source_digest(school: School) -> str:
    with connection.cursor() as cursor:
        cursor.execute(_SOURCE, {"school": school.pk, "teacher": Identity.Kind.TEACHER})
        (digest,) = cursor.fetchone()
    return f"{CODE[:16]}{digest}"


def _referred(school: School, people: list[int], resolved: dict[tuple[str, str], str]) -> list[Entry] | None:
    """The directory rows of what the school's lines refer to beyond their own objects: its district, its school
    year and the people another school of the export wrote. A sourcedId never changes while its row lives, but a
    row can be deleted (an import's undo removes the rows it wrote) and drawn again; the snapshot then no longer
    holds. None when one of them is not what the export resolved (changed meanwhile)."""
    wanted = {"orgs": [f"region:{school.district_id}"], "academicSessions": [year_key(school.school_year)],
              "users": [f"person:{p}" for p in people]}
    found = []
    for kind, keys in wanted.items():
        for part in chunks(keys):
            for pk, key, sourced_id, fp in (RosterId.objects.filter(among("local_key", part), kind=kind)
                                            .values_list("pk", "local_key", "sourced_id", "fingerprint")):
                if resolved.get((kind, key)) != sourced_id:
                    return None
                found.append(Entry(sourced_id, None, [], pk=pk, fingerprint=fp))
    return found if len(found) == sum(map(len, wanted.values())) else None


def rows_digest(entries: list[Entry]) -> str:
    """The directory rows as the lines were written from them, as _DIRECTORY's digest reads them back."""
    text = ",".join(f"{e.pk}:{e.sourced_id}:{e.fingerprint}" for e in sorted(entries, key=lambda e: e.pk))
    return hashlib.md5(text.encode()).hexdigest()


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
            cursor.execute(_DIRECTORY, {"school": school.pk, "swept": self.swept, "ids": snap.row_ids,
                                        "taken_at": snap.taken_at})
            live, rows, written_since = cursor.fetchone()
        if live != len(snap.row_ids) or rows != snap.rows_digest or written_since:
            return None
        blob = bytes(RosterSnapshot.objects.filter(pk=snap.pk).values_list("lines", flat=True).get())
        lines, at = {}, 0
        for kind, size, count in snap.counts:
            lines[kind] = (blob[at:at + size], count)
            at += size
        seen_people.update(snap.people)
        return Reused(lines, snap.people)

    def keep(self, school: School, digest: str, taken_at: datetime, lines: dict[str, tuple[bytes, int]],
             records: dict, entries: dict[str, list[Entry]], resolved: dict[tuple[str, str], str]) -> None:
        """Replace the school's snapshot with the lines just written from its records and directory entries, and
        the sourcedIds they refer to outside them (`resolved`, as the export resolved them)."""
        people = sorted({int(r.key.split(":")[2]) for r in records.get("roles", [])})
        written = sorted(int(r.key.removeprefix("person:")) for r in records.get("users", []))
        rows = [e for kind_entries in entries.values() for e in kind_entries]
        referred = _referred(school, sorted(set(people) - set(written)), resolved)
        row_ids = [e.pk for e in rows]
        if None in row_ids or referred is None:
            RosterSnapshot.objects.filter(school_id=school.pk).delete()  # cannot be checked: rebuild next time
            return
        rows += referred
        row_ids += [e.pk for e in referred]
        RosterSnapshot.objects.update_or_create(school_id=school.pk, defaults={
            "source_digest": digest, "taken_at": taken_at, "people": people, "written": written, "row_ids": row_ids,
            "rows_digest": rows_digest(rows),
            "counts": [[kind, len(data), count] for kind, (data, count) in lines.items()],
            "lines": b"".join(data for data, _ in lines.values())})
