"""The worker side of import jobs (IMP-2..IMP-4): what runs inside the tasks of rosters.tasks. A preview
parses and classifies every row; a commit applies them chunk by chunk and can be resumed after its worker
died. Nothing here queues a task: services queue them, tasks run this."""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import tempfile
import time
from collections import Counter, deque
from collections.abc import Iterator
from datetime import timedelta
from itertools import islice, takewhile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from renrentong.core.bulk import (batched, bulk_insert, bulk_set, commit_without_waiting_for_disk,
                                  refresh_statistics)
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School

from renrentong.core.spreadsheets import reader

from renrentong.rosters.importers import students

from renrentong.rosters.importers import teachers
from renrentong.rosters.importers.base import Importer
from renrentong.rosters.models import ImportJob, ImportRow, original_fields, purge_originals

logger = logging.getLogger(__name__)
# Each kind of roster is a module with the same verbs: COLUMNS, REQUIRED, TEXT_ONLY, parse_rows,
# classify, apply_chunk and undo.
# Every importer implements the one protocol (importers/base.py); jobs use nothing else of them.
IMPORTERS: dict[str, Importer] = {ImportJob.Kind.STUDENTS: students, ImportJob.Kind.TEACHERS: teachers}


def register_importer(kind: str, importer: Importer) -> None:
    """Let an app above rosters run its own importer on this machinery (evaluation's academic scores,
    EVA-6). Rosters may not import that app (the import-linter layers), so the app registers its importer at
    start (its AppConfig.ready). Its jobs stay out of the roster pages (selectors.ROSTER_KINDS): the app
    that owns them decides who may see and act on them and shows them on its own pages."""
    if len(kind) > 16 or IMPORTERS.get(kind, importer) is not importer:
        raise ValueError(f"import kind {kind!r} is taken or too long")
    IMPORTERS[kind] = importer
CHUNK_ROWS = int(os.environ.get("RRT_IMPORT_CHUNK_ROWS", "5000"))
# A committing job writes its heartbeat after every chunk (a few seconds of work); with the worker's
# periodic duty looking every 30 s (core.periodic), a job whose worker died runs again within 90 s.
STALLED_AFTER_SECONDS = 60
PREVIEW_STALLED_AFTER_SECONDS = reader.READ_WALL_SECONDS + STALLED_AFTER_SECONDS
# Rows that did not go in: their original cells are kept (sealed) for the rejected-rows download.
REJECTED = (ImportRow.Outcome.ERROR, ImportRow.Outcome.CONFLICT)
UPLOAD_DIR = Path(settings.IMPORT_UPLOAD_DIR)
# The preview writes how many rows it has checked this often (rows, or seconds, whichever comes first),
# each time in its own short transaction, so that the job page and the API can show it while it works.
PROGRESS_EVERY_ROWS = 1000
PROGRESS_EVERY_SECONDS = 1.0


class CheckProgress:
    """The preview's counter of rows checked, written to the job as the check goes (issue 12, item 5)."""

    def __init__(self, job_id: int, total: int) -> None:
        self.job_id, self.total = job_id, total
        self.saved, self.saved_at = 0, time.monotonic()
        # Lets a browser test watch the count move (a pause after each row); never set in production.
        self.pause = float(os.environ.get("RRT_IMPORT_ROW_PAUSE", "0"))
        now = timezone.now()
        ImportJob.objects.filter(pk=job_id).update(total_rows=total, rows_checked=0, phase_started_at=now,
                                                   heartbeat_at=now)

    def tick(self, done: int) -> None:
        if self.pause:
            time.sleep(self.pause)
        if done - self.saved >= PROGRESS_EVERY_ROWS or time.monotonic() - self.saved_at >= PROGRESS_EVERY_SECONDS:
            self.save(done)

    def save(self, done: int) -> None:
        # Autocommit: the preview holds no transaction while it checks rows, so this is its own short one.
        ImportJob.objects.filter(pk=self.job_id, status=ImportJob.Status.PREVIEWING).update(
            rows_checked=done, heartbeat_at=timezone.now())
        self.saved, self.saved_at = done, time.monotonic()


def _counted(rows: Iterator, progress: CheckProgress) -> Iterator:
    """The table's rows, counting each one the importer has finished with into the job's progress."""
    done = 0
    for row in rows:
        yield row
        done += 1
        progress.tick(done)
    progress.save(done)


class _Unreadable(Exception):
    """The file failed while its rows were being read (not a refusal with a reason: that is a UserFacingError)."""


def _reading(rows: Iterator) -> Iterator:
    # A CSV is read as it is checked, so the file can fail halfway; that failure is the file's, and must not
    # pass for a failure of the worker (which leaves the job to be run again).
    try:
        yield from rows
    except UserFacingError:
        raise
    except Exception as exc:
        raise _Unreadable from exc


def discard_upload(file_name: str, job: ImportJob | None = None) -> None:
    """Delete a stored upload nothing will read again: refused, or its job is over. Uploads are stored
    by content, so a file is kept while another job still in progress holds the same content."""
    others = ImportJob.objects.filter(file_path=file_name, status__in=LIVE)
    if job is not None:
        others = others.exclude(pk=job.pk)
    if not others.exists():
        (UPLOAD_DIR / file_name).unlink(missing_ok=True)


@contextlib.contextmanager
def _open_rows(job: ImportJob, checked: set[int] | None = None, *, count: bool = False) -> Iterator[Iterator]:
    """The file's rows, parsed as they are read (importers that stream: a chunk at a time; the others: all
    at once). `checked` (student rosters): rows an earlier parse found valid. `count` (the preview): the job's
    total and its rows checked so far are written as the rows are parsed."""
    path = UPLOAD_DIR / job.file_path
    importer = IMPORTERS[job.kind]
    if hasattr(importer, "read_package"):  # a package of files, not a table (OneRoster): read whole
        rows = importer.read_package(path, job)
        yield _counted(iter(rows), CheckProgress(job.pk, len(rows))) if count else iter(rows)
        return
    with reader.stream_table(path, job.file_format, importer.COLUMNS, required=importer.REQUIRED,
                             text_only=importer.TEXT_ONLY) as table:
        table.rows = _reading(table.rows)
        if count:
            table.rows = _counted(table.rows, CheckProgress(job.pk, table.estimated_rows))
        if job.school_id:
            school_ids = [job.school_id]
            names: dict[str, int] = {}
        else:
            actor_schools = School.objects.filter(district__in=_districts_below(job.region_id))
            school_ids = list(actor_schools.values_list("pk", flat=True))
            names = {}
            for pk, name, code in actor_schools.values_list("pk", "name", "code"):
                names[name] = pk
                names[code] = pk
        classes = students.ClassIndex.load(school_ids)
        # An importer whose rows belong to the job's region, not to schools (resources' textbook catalogue),
        # says so.
        region = {"region_id": job.region_id} if getattr(importer, "WANTS_REGION", False) else {}
        parse = importer.parse_stream if _streams(importer) else importer.parse_rows
        yield iter(parse(table, names, job.school_id, classes, checked=checked or (), **region))


def _streams(importer) -> bool:
    """Whether the importer parses a chunk at a time (student rosters: a city's file), so the preview and the
    commit hold one chunk; the others parse their (school-sized) file whole."""
    return hasattr(importer, "parse_stream")


def _chunks_of(job: ImportJob, rows: Iterator) -> Iterator[list]:
    """The preview's chunks: CHUNK_ROWS rows for an importer that streams, else every row at once (its
    classify may compare rows with each other)."""
    if _streams(IMPORTERS[job.kind]):
        return batched(rows, CHUNK_ROWS)
    return iter([list(rows)])


def _parsed_path(job: ImportJob) -> Path:
    return UPLOAD_DIR / f"job-{job.pk}.parsed"


class _KeptParse:
    """The preview's parse of a roster, kept for the commit (reading and parsing 100,000 rows again took
    4.5 s; loading this takes a tenth of that), written a chunk at a time as the preview goes. It holds
    what the upload holds, beside it, written by this server alone (marshal: plain values, no code);
    a missing, damaged or foreign one only means that the commit reads the file again.

    The file: length-prefixed marshal parts, the head ({format, job}), the rows a chunk per part, and a
    trailer ({rows}) written last, so that a file cut short is known before the commit starts on it."""

    def __init__(self, job: ImportJob) -> None:
        self.job, self.importer, self.rows = job, IMPORTERS[job.kind], 0
        self.out = self.tmp = None

    def __enter__(self) -> _KeptParse:
        if self.importer.PARSED_FORMAT is not None:  # an importer that keeps no parse writes nothing
            fd, self.tmp = tempfile.mkstemp(dir=UPLOAD_DIR, prefix=".parsed-")
            self.out = os.fdopen(fd, "wb")
            self._part({"format": self.importer.PARSED_FORMAT, "job": _job_key(self.job)})
        return self

    def _part(self, value) -> None:
        data = marshal.dumps(value)
        self.out.write(len(data).to_bytes(8, "little"))
        self.out.write(data)

    def write(self, rows: list) -> None:
        if self.out is not None:
            for part in self.importer.dump_parsed(rows):
                self._part(part)
            self.rows += len(rows)

    def __exit__(self, kind, *exc) -> None:
        if self.out is None:
            return
        try:
            if kind is None:
                self._part({"rows": self.rows})
            self.out.close()
            if kind is None:
                os.replace(self.tmp, _parsed_path(self.job))
        finally:
            Path(self.tmp).unlink(missing_ok=True)


def _job_key(job: ImportJob) -> list:
    # The job's id alone could name another database's job (a development database made anew).
    return [job.pk, job.file_sha256, job.created_at.isoformat()]


def _kept_parse(job: ImportJob):
    """A context manager giving the kept parse's rows, read a part at a time, or None when there is none
    to use (then the commit reads the file again)."""
    importer = IMPORTERS[job.kind]
    if importer.PARSED_FORMAT is None or job.create_missing_classes:
        return None  # classes created on commit change how rows are placed: parse again
    path = _parsed_path(job)
    try:
        with path.open("rb") as f:
            head = next(_read_parts(f))
            if head.get("format") != importer.PARSED_FORMAT or head.get("job") != _job_key(job):
                return None
            trailer = _last_part(f)
            if not (isinstance(trailer, dict) and "rows" in trailer):
                return None
    except (OSError, EOFError, StopIteration, ValueError, TypeError, KeyError, AttributeError):
        return None  # a file cut short or not ours: read the upload again

    @contextlib.contextmanager
    def rows() -> Iterator[Iterator]:
        with path.open("rb") as f:
            parts = _read_parts(f)
            next(parts)  # the head, checked above

            body = takewhile(lambda part: not isinstance(part, dict), parts)  # the trailer ends the rows
            if _streams(importer):  # its parts stand alone, a chunk of rows each: read as needed
                yield (row for part in body for row in importer.load_parsed([part]))
            else:
                yield iter(importer.load_parsed(body))

    return rows


def _read_parts(f) -> Iterator:
    # Length-prefixed parts: marshal.load() on a file calls back into Python for every value.
    while prefix := f.read(8):
        size = int.from_bytes(prefix, "little")
        data = f.read(size)
        if len(data) != size:
            raise EOFError
        yield marshal.loads(data)


def _last_part(f):
    """The last part from here on, found by the lengths alone (the rows are not read)."""
    end = os.fstat(f.fileno()).st_size
    last = None
    while prefix := f.read(8):
        size = int.from_bytes(prefix, "little")
        if len(prefix) != 8 or f.tell() + size > end:
            raise EOFError
        last = (f.tell(), size)
        f.seek(size, os.SEEK_CUR)
    if last is None:
        raise EOFError
    f.seek(last[0])
    return marshal.loads(f.read(last[1]))


def forget_parsed(job: ImportJob) -> None:
    # Right away, not on commit: if the transaction then fails, the commit only reads the file again.
    _parsed_path(job).unlink(missing_ok=True)


LIVE = (ImportJob.Status.PREVIEWING, ImportJob.Status.PREVIEWED, ImportJob.Status.COMMITTING)


def forget_upload(job: ImportJob) -> None:
    """The uploaded file holds every row in full (NFR-1): once the job is over (committed, cancelled or
    failed) nothing reads it again. Files are stored by their digest, so the same file may belong to a
    job still in progress: then it stays until that one ends. After the transaction, so that a rolled
    back end leaves the job able to read its file again."""
    transaction.on_commit(lambda: discard_upload(job.file_path, job))


def _districts_below(region_id: int) -> list[int]:
    from renrentong.accounts.selectors import region_descendants
    from renrentong.orgs.models import Region

    return [r.pk for r in region_descendants(Region.objects.get(pk=region_id)) if r.kind == Region.Kind.DISTRICT]


def run_preview(job_id: int) -> ImportJob:
    """Parse, validate and classify every row; write the rows' outcomes. Nothing else is written."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.PREVIEWING:
        return job
    job.heartbeat_at = timezone.now()
    job.total_rows = job.rows_checked = 0  # a preview run again (its worker died) counts from the start
    job.phase_started_at = None
    job.save(update_fields=["heartbeat_at", "total_rows", "rows_checked", "phase_started_at"])
    importer = IMPORTERS[job.kind]
    counts: Counter = Counter()
    missing: set = set()
    total = to_look_at = 0
    try:
        # A chunk at a time: parse, keep the parse, classify, write its rows (each chunk its own short
        # transaction, as the progress is), so that the preview of a city's million rows holds one chunk.
        with _open_rows(job, count=True) as rows, _KeptParse(job) as kept:
            ImportRow.objects.filter(job=job).delete()  # a preview run again starts from the first row
            for chunk in _chunks_of(job, rows):
                kept.write(chunk)
                importer.classify(chunk)
                with transaction.atomic():
                    # A stream: each row masked and encoded as the COPY sends it (PostgreSQL stores the rows sent
                    # while the next are built).
                    bulk_insert(ImportRow, (
                        {"job_id": job.pk, "number": r.number, "outcome": r.outcome, "reason": r.reason,
                         "detail": _detail(r), **original_fields(r.original, keep=r.outcome in REJECTED),
                         "person_id": r.person_id, "school_id": r.school_id, "class_id": r.class_id}
                        for r in chunk
                    ), ids=False)
                total += len(chunk)
                counts.update(r.outcome for r in chunk)
                missing.update(m for r in chunk for m in r.missing_classes)
                to_look_at += sum(1 for r in chunk if getattr(r, "look", None))
    except (UserFacingError, _Unreadable) as exc:
        if isinstance(exc, _Unreadable):
            # Whatever else goes wrong reading the file, the job ends with a reason instead of hanging.
            logger.error("import %s: the file could not be read", job.pk, exc_info=exc.__cause__)
        job.status = ImportJob.Status.FAILED
        job.error_code = exc.code if isinstance(exc, UserFacingError) else "import.file_unreadable"
        # The refusal's particulars (which file and line of a package), for the job page and the API.
        job.result = {"error": {k: str(v) for k, v in exc.params.items()}} if isinstance(exc, UserFacingError) else {}
        job.save(update_fields=["status", "error_code", "result"])
        ImportRow.objects.filter(job=job).delete()  # the rows checked before the file failed tell nothing
        discard_upload(job.file_path, job)  # a refused file is not kept; no transaction is open here
        return job
    with transaction.atomic():
        job.total_rows = job.rows_checked = total
        job.counts = dict(counts)
        job.result = {"missing_classes": [list(m) for m in sorted(missing)], "to_look_at": to_look_at}
        job.status = ImportJob.Status.PREVIEWED
        job.save()
    return job


def run_commit(job_id: int) -> ImportJob:
    """Apply the rows chunk by chunk. Each chunk and the cursor move in one transaction: a worker
    killed midway leaves whole chunks only, and running the job again continues after the last one."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.COMMITTING:
        return job
    kept = _kept_parse(job)
    if kept is None:
        # The preview validated every row of this same file; the rows it did not reject are not validated
        # again (ID numbers and phones are most of the parsing time).
        checked = set(ImportRow.objects.filter(job_id=job_id).exclude(outcome=ImportRow.Outcome.ERROR)
                      .values_list("number", flat=True)) if job.kind == ImportJob.Kind.STUDENTS else None
        if job.create_missing_classes:
            _create_missing_classes(job.result.get("missing_classes", []))

        def kept():
            return _open_rows(job, checked)
    with _Cursor(kept) as rows:
        return _commit_chunks(job_id, rows)


class _Cursor:
    """The commit's rows from its cursor on, read a chunk at a time from the kept parse or the file. The
    cursor is the job's (rows_done, read under its lock): a second run of the same job may have moved it."""

    def __init__(self, open_rows) -> None:
        self.open_rows, self.stack, self.rows, self.at = open_rows, contextlib.ExitStack(), None, 0

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc) -> None:
        self.stack.close()

    def take(self, start: int, size: int) -> list:
        if self.rows is None or start < self.at:
            self.stack.close()
            self.rows, self.at = self.stack.enter_context(self.open_rows()), 0
        deque(islice(self.rows, start - self.at), maxlen=0)  # rows another run has written
        chunk = list(islice(self.rows, size))
        self.at = start + len(chunk)
        return chunk


def _commit_chunks(job_id: int, rows: _Cursor) -> ImportJob:
    today = timezone.localdate()
    while True:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job_id)
            if locked.status != ImportJob.Status.COMMITTING:
                return locked
            # Read under the lock: a job queued again while its first run still works is run twice at
            # once, chunk by chunk in turn, and neither run may lose the other's counts.
            totals: Counter = Counter(locked.result.get("applied", {}))
            if locked.cancel_requested:
                locked.status = ImportJob.Status.CANCELLED
                forget_parsed(locked)
                forget_upload(locked)
                purge_originals(job_id)
                locked.save(update_fields=["status"])
                undo_report = IMPORTERS[locked.kind].undo(job_id, today)
                locked.result = {**locked.result, "undo": undo_report}
                locked.save(update_fields=["result"])
                return locked
            chunk = rows.take(locked.rows_done, CHUNK_ROWS * getattr(IMPORTERS[locked.kind], "CHUNK_SCALE", 1))
            if not chunk:
                locked.status = ImportJob.Status.COMMITTED
                forget_parsed(locked)
                forget_upload(locked)
                locked.committed_at = timezone.now()
                locked.result = {**locked.result, "applied": dict(totals), "slip_classes": _slip_class_ids(locked)}
                locked.counts = dict(ImportRow.objects.filter(job_id=job_id).values_list("outcome")
                                     .annotate(n=Count("pk")).values_list("outcome", "n"))
                locked.save()
                return locked
            # 141 chunks of a 100,000-student OneRoster import each waited ~40 ms for this machine's disk; the
            # transaction that ends the job (above) still waits.
            commit_without_waiting_for_disk()
            result = IMPORTERS[locked.kind].apply_chunk(job_id, locked.created_by_id, chunk, today)
            _record_outcomes(job_id, chunk)
            totals.update({k: v for k, v in result.__dict__.items()})
            locked.rows_done += len(chunk)
            locked.heartbeat_at = timezone.now()
            locked.result = {**locked.result, "applied": dict(totals)}
            locked.save(update_fields=["rows_done", "heartbeat_at", "result"])
        # Between chunks, outside their transactions: the next chunk's lookups planned for tables this job grew.
        refresh_statistics()
        _test_pause()


def _slip_class_ids(job: ImportJob) -> list[int]:
    """The classes a student import put people in: the result offers their students' and parents' account
    slips (GET /api/v1/rosters/classes/{id}/slips?who=parents)."""
    if job.kind != ImportJob.Kind.STUDENTS:
        return []
    applied = [ImportRow.Outcome.CREATE, ImportRow.Outcome.UPDATE, ImportRow.Outcome.UNCHANGED,
               ImportRow.Outcome.MOVE, ImportRow.Outcome.TRANSFER_IN]
    return sorted(set(ImportRow.objects.filter(job=job, outcome__in=applied, class_id__isnull=False)
                      .values_list("class_id", flat=True)))


def _detail(row) -> dict:
    """What a job row keeps of the parse: the reason's parameters, and what deserves a look."""
    look = getattr(row, "look", None)
    return {**row.detail, "look": look} if look else row.detail


def _record_outcomes(job_id: int, rows: list) -> None:
    """Store what the commit decided for each row where it differs from the preview (a class created on
    commit lets an "unknown class" row in), so the rows, counts and rejected download tell what happened."""
    # The chunk's rows are consecutive in the file: one range of the (job, number) index.
    numbers = [r.number for r in rows]
    stored = {number: (pk, outcome, reason) for pk, number, outcome, reason in ImportRow.objects.filter(
        job_id=job_id, number__range=(min(numbers), max(numbers))).values_list("pk", "number", "outcome", "reason")}
    changed = []
    for row in rows:
        old = stored.get(row.number)
        if old is not None and old[1:] != (row.outcome, row.reason):
            changed.append((old[0], row.outcome, row.reason, _detail(row), row.person_id, row.school_id,
                            row.class_id))
    bulk_set(ImportRow, ["outcome", "reason", "detail", "person_id", "school_id", "class_id"], changed)


def _test_pause() -> None:
    # Lets a test kill the worker between two chunks; never set in production.
    delay = float(os.environ.get("RRT_IMPORT_CHUNK_PAUSE", "0"))
    if delay:
        import time

        time.sleep(delay)


def _create_missing_classes(wanted: list) -> None:
    """The classes the preview found missing ((school, grade, number) each), made before the commit places
    rows in them; each one once, however often a commit runs."""
    from renrentong.orgs.models import Cohort, SchoolClass, Stage, new_class_codes

    for school_id, grade, number in wanted:
        school = School.objects.get(pk=school_id)
        for stage in Stage.objects.filter(campus__school=school).order_by("campus_id"):
            if stage.first_grade <= grade < stage.first_grade + stage.years:
                cohort, _ = Cohort.objects.get_or_create(
                    stage=stage, enrollment_year=school.school_year - (grade - stage.first_grade))
                SchoolClass.objects.get_or_create(
                    cohort=cohort, number=number, kind=SchoolClass.Kind.ADMINISTRATIVE,
                    defaults={"school": school, "code": lambda: new_class_codes(1)[0]})
                break


def claim_stalled() -> tuple[list[int], list[int]]:
    """The committing and the previewing jobs whose worker died (no heartbeat for a while), each claimed
    by moving its heartbeat: of several callers at once, only the one that moved it gets the job."""
    now = timezone.now()
    commits, previews = [], []
    cutoff = now - timedelta(seconds=STALLED_AFTER_SECONDS)
    for pk, beat in ImportJob.objects.filter(status=ImportJob.Status.COMMITTING, heartbeat_at__lt=cutoff
                                             ).values_list("pk", "heartbeat_at"):
        if ImportJob.objects.filter(pk=pk, status=ImportJob.Status.COMMITTING, heartbeat_at=beat).update(
                heartbeat_at=now):
            commits.append(pk)
    # A preview sends no heartbeat while it reads the file, which may take the reader's whole time limit.
    cutoff = now - timedelta(seconds=PREVIEW_STALLED_AFTER_SECONDS)
    stalled = ImportJob.objects.filter(status=ImportJob.Status.PREVIEWING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff))
    for pk, beat in stalled.values_list("pk", "heartbeat_at"):
        if ImportJob.objects.filter(pk=pk, status=ImportJob.Status.PREVIEWING, heartbeat_at=beat).update(
                heartbeat_at=now):
            previews.append(pk)
    return commits, previews
