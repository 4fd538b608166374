"""A OneRoster 1.2 CSV package of what the actor may see (INT-2): bulk, or the delta since a time.

The files go out verbatim (a machine format: no masking, no formula guard, which would corrupt the data), so
only admins and registered apps get them, and they hold nothing an admin may not read: no ID number, no
phone, no password. The national student number goes into `userIds` only when asked for, and each such export
is audited with the count of numbers it carried (NFR-1)."""

from __future__ import annotations

import csv
import gc
import io
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.bulk import among
from renrentong.core.crypto import open_national_student_number
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School

from renrentong.accounts.models import Enrollment, Person
from renrentong.exports.producers import Content, Export, producer
from renrentong.integration import access
from renrentong.integration.oneroster import snapshot
from renrentong.integration.oneroster.csvformat import MANIFEST_FILES, MANIFEST_HEADER, ROSTERING
from renrentong.integration.oneroster.directory import Directory, Entry
from renrentong.integration.oneroster.records import USER_GRADES
from renrentong.integration.oneroster.refresh import (SCHOOL_FILES, SWEPT, mark_refreshed, refresh_regions,
                                                      refresh_school)

# The order objects are written in: each file's references point to files written before it.
ROSTER_FILES = ("orgs", "academicSessions", "courses", "classes", "users", "demographics", "roles", "enrollments")
SYSTEM_NAME = "Renrentong"
TITLE = _("OneRoster package")
CHUNK_BYTES = 1 << 20  # what the zip is fed at a time from a spooled file


def schools_of(actor: Actor) -> list[School]:
    """A region admin's schools, or a school admin's school: those whose rosters the admin keeps."""
    if not access.can_export_rosters(actor):
        raise UserFacingError("oneroster.not_allowed")
    scope = actor.scope
    if scope.whole_districts:
        return list(School.objects.filter(district_id__in=scope.district_ids).order_by("pk"))
    return list(School.objects.filter(pk__in=scope.school_ids).order_by("pk"))


def size(actor: Actor) -> int:
    """A cheap upper bound of the package's people, to choose between writing it now and a task."""
    schools = schools_of(actor)
    return Enrollment.objects.filter(school_id__in=[s.pk for s in schools], ended_on__isnull=True).count()


def stamp(moment: datetime) -> str:
    return moment.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class _Files:
    """One CSV per file, spooled to disk past a few MB: a district's package never sits whole in memory."""

    def __init__(self, since: datetime | None) -> None:
        self.since = since
        self.raw = {kind: tempfile.SpooledTemporaryFile(max_size=4 << 20) for kind in ROSTER_FILES}
        self.text = {kind: io.TextIOWrapper(f, encoding="utf-8", newline="") for kind, f in self.raw.items()}
        self.writers = {kind: csv.writer(f, lineterminator="\r\n") for kind, f in self.text.items()}
        self.counts = dict.fromkeys(ROSTER_FILES, 0)
        for kind in ROSTER_FILES:
            self.writers[kind].writerow(ROSTERING[f"{kind}.csv"].header)

    def write(self, kind: str, entries: list[Entry], extra: dict[str, str] | None = None) -> None:
        writer, delta = self.writers[kind], self.since is not None
        for entry in entries:
            if delta and not entry.gone and entry.modified_at <= self.since:
                continue
            row = entry.row
            if extra and entry.sourced_id in extra:
                row = list(row)
                row[2] = ",".join(filter(None, (row[2], extra[entry.sourced_id])))  # users: userIds
            status = ("tobedeleted" if entry.gone else "active") if delta else ""
            writer.writerow([entry.sourced_id, status, stamp(entry.modified_at) if delta else "", *row])
            self.counts[kind] += 1

    def mark(self) -> dict[str, tuple[int, int]]:
        """Where each file stands: (bytes, lines)."""
        marks = {}
        for kind in SCHOOL_FILES:
            self.text[kind].flush()
            marks[kind] = (self.raw[kind].tell(), self.counts[kind])
        return marks

    def lines_since(self, marks: dict[str, tuple[int, int]]) -> dict[str, tuple[bytes, int]]:
        """Each file's lines written since `marks`, and how many."""
        out = {}
        for kind, (at, count) in marks.items():
            self.text[kind].flush()
            raw = self.raw[kind]
            end = raw.tell()
            raw.seek(at)
            out[kind] = (raw.read(end - at), self.counts[kind] - count)
            raw.seek(end)
        return out

    def append(self, kind: str, lines: bytes, count: int) -> None:
        self.text[kind].flush()
        self.raw[kind].write(lines)
        self.counts[kind] += count

    def content(self, kind: str) -> bytes:
        self.text[kind].flush()
        raw = self.raw[kind]
        raw.seek(0)
        return raw.read()

    def chunks(self, kind: str) -> Iterator[bytes]:
        """The file a chunk at a time, then closed: the zip is written from the spooled file, never whole in
        memory."""
        try:
            self.text[kind].flush()
            raw = self.raw[kind]
            raw.seek(0)
            while chunk := raw.read(CHUNK_BYTES):
                yield chunk
        finally:
            self.text[kind].close()

    def close(self) -> None:
        for f in self.text.values():
            f.close()


@dataclass
class Package:
    files: dict[str, bytes]
    audit_details: dict  # what the audit record of its download says
    school_id: int | None


@dataclass
class _Written:
    """A package written to its spooled files, still open: read back whole (build) or streamed into the zip."""
    files: _Files
    manifest: bytes
    audit_details: dict
    school_id: int | None


def build(actor: Actor, *, since: datetime | None = None, student_numbers: bool = False) -> Package:
    """The package's files by name. `since` None: bulk, every object; else a delta, the objects changed after it
    and those gone after it as `tobedeleted`."""
    written = _write(actor, since=since, student_numbers=student_numbers)
    try:
        out = {f"{kind}.csv": written.files.content(kind) for kind in ROSTER_FILES}
    finally:
        written.files.close()
    out["manifest.csv"] = written.manifest
    return Package(out, written.audit_details, written.school_id)


def _write(actor: Actor, *, since: datetime | None, student_numbers: bool) -> _Written:
    schools = schools_of(actor)
    directory = Directory(timezone.now(), dated=since is not None)  # a bulk package writes no dates
    files = _Files(since)
    try:
        with _without_cycle_collection():
            for kind, entries in refresh_regions(directory, schools).items():
                files.write(kind, entries)
            seen_people: set[int] = set()
            numbers_sent = 0
            # Only a bulk package's lines are kept, and never one with national student numbers.
            snapshots = (snapshot.Snapshots([s.pk for s in schools], SWEPT)
                         if since is None and not student_numbers and snapshot.enabled() else None)
            for school in schools:
                if snapshots is not None:
                    # Before the school's rows are read: a change after this makes the kept lines stale, never
                    # the digest.
                    digest = snapshot.source_digest(school)
                    reused = snapshots.reuse(school, digest, seen_people)
                    if reused is not None:
                        for kind, (lines, count) in reused.lines.items():
                            files.append(kind, lines, count)
                        mark_refreshed(school, directory.now)
                        continue
                    marks = files.mark()
                records, entries = refresh_school(directory, school, seen_people)
                for kind in SCHOOL_FILES:
                    wanted = kind == "users" and student_numbers
                    extra = _student_numbers(directory, records.get("users", [])) if wanted else None
                    numbers_sent += len(extra or {})
                    files.write(kind, entries[kind], extra)
                if snapshots is not None:
                    snapshots.keep(school, digest, directory.now, files.lines_since(marks), records, entries,
                                   directory.ids)
                directory.forget_school()
            if since is not None:
                school_ids = [s.pk for s in schools]
                for kind in SWEPT:
                    files.write(kind, directory.gone_since(kind, school_ids, since))
    except BaseException:
        files.close()
        raise
    mode = "delta" if since is not None else "bulk"
    details = {"mode": mode, "since": since.isoformat() if since else "",
               "schools": len(schools), "objects": sum(files.counts.values()), "student_numbers": numbers_sent}
    return _Written(files, manifest(mode), details, schools[0].pk if len(schools) == 1 else None)


@contextmanager
def _without_cycle_collection():
    """The cycle collector paused while a package is written: a school's records are some 100,000 small objects
    that live until the school is written, so its full passes (over those and the 300,000 of a Django process)
    came often and cost about half of building the records, to find nothing (the records hold no cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _student_numbers(directory: Directory, users) -> dict[str, str]:
    """{sourcedId: "{nsn:…}"} for the students among `users` who have a national student number."""
    person_ids = [int(r.key.removeprefix("person:")) for r in users if r.cells[USER_GRADES]]  # students have grades
    found = {}
    numbered = Person.objects.filter(among("pk", person_ids), national_student_number_cipher__isnull=False)
    for pk, key_id, cipher in numbered.values_list("pk", "national_student_number_key",
                                                   "national_student_number_cipher"):
        number = open_national_student_number(key_id, bytes(cipher))
        found[directory.ids["users", f"person:{pk}"]] = f"{{nsn:{number}}}"
    return found


def manifest(mode: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MANIFEST_HEADER)
    writer.writerow(["manifest.version", "1.0"])
    writer.writerow(["oneroster.version", "1.2"])
    for name in MANIFEST_FILES:
        writer.writerow([f"file.{name}", mode if name in ROSTER_FILES else "absent"])
    writer.writerow(["source.systemName", SYSTEM_NAME])
    return out.getvalue().encode()


@producer
def oneroster_csv(actor: Actor, params: dict) -> Export:
    """The package as an export (exports app): the download, or a task with progress for a big region. The CSV
    files go into the zip from their spooled files, a chunk at a time (each closed once written)."""
    since = datetime.fromisoformat(params["since"]) if params.get("since") else None
    written = _write(actor, since=since, student_numbers=bool(params.get("student_numbers")))
    contents = {f"{kind}.csv": written.files.chunks(kind) for kind in ROSTER_FILES}
    contents["manifest.csv"] = written.manifest
    day = timezone.localdate().strftime("%Y%m%d")
    return Export(file_name=f"oneroster-{'delta' if since else 'bulk'}-{day}.zip", sheet=None,
                  audit_verb="oneroster.export", audit_details=written.audit_details, school_id=written.school_id,
                  documents=[_document(name, content) for name, content in sorted(contents.items())])


def _document(name: str, content: Content):
    return lambda: (name, content)
