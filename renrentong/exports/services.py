"""Exports (issue 12, item 5): one entry point for every spreadsheet download that may be big.

An app describes its export with a producer: a function marked @producer that takes the Actor and the
export's parameters, checks the actor's scope (raising UserFacingError as any service does) and returns
an Export: the sheet (rows as a list: its length is the total the progress bar shows), the file's name
and the audit record. A small export (an estimate at or below SYNC_ROWS) is written at once, in the
request, as before; a bigger one becomes an ExportJob the task worker writes into the export storage
while the page shows rows written of the total, then a download link. Either way the same audit record
is written once, when the file is made, and every download of a stored file is audited too.

Storage: settings.VAR_DIR / "exports". A file is written under a temporary name and renamed when
complete, and the job is marked done only after that, so a killed worker never leaves a half file to
serve: its job is picked up again (resume_stalled, a periodic duty) or retried by its owner. Files expire
after EXPIRE_HOURS (purge_expired, a periodic duty).
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from typing import Any, Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.spreadsheets.writer import Sheet, write_xlsx

from renrentong.exports.models import ExportJob

logger = logging.getLogger(__name__)

# At or below this many rows an export is written in the request: writing 2,000 rows of a roster to
# .xlsx takes well under a second (docs/exports.md); above it, a task with a progress bar.
SYNC_ROWS = int(os.environ.get("RRT_EXPORT_SYNC_ROWS", "2000"))
EXPIRE_HOURS = 24
STALLED_AFTER_SECONDS = 60
PROGRESS_EVERY_ROWS = 500
PROGRESS_EVERY_SECONDS = 1.0
EXPORT_DIR = Path(settings.VAR_DIR) / "exports"


@dataclass
class Export:
    """What a producer returns: the sheet, the download's name, and what the audit log records."""

    file_name: str
    sheet: Sheet
    audit_verb: str
    audit_target: Any = None
    audit_details: dict = field(default_factory=dict)
    school_id: int | None = None


Producer = Callable[[Actor, dict], Export]


def producer(function: Producer) -> Producer:
    """Marks a function as an export producer: only marked functions are run by the worker."""
    function.is_export_producer = True  # type: ignore[attr-defined]
    return function


def producer_path(function: Producer) -> str:
    if not getattr(function, "is_export_producer", False):
        raise ValueError(f"{function!r} is not an @exports.producer")
    return f"{function.__module__}.{function.__qualname__}"


def load_producer(path: str) -> Producer:
    module, _, name = path.rpartition(".")
    if not module.startswith("renrentong."):
        raise ValueError(f"not a producer of ours: {path!r}")
    function = getattr(import_module(module), name)
    if not getattr(function, "is_export_producer", False):
        raise ValueError(f"not an @exports.producer: {path!r}")
    return function


def _audit(actor: Actor, export: Export, rows: int, job: ExportJob | None = None) -> None:
    details = {**export.audit_details, "rows": rows, **({"export_job": job.pk} if job else {})}
    audit.record(actor, export.audit_verb, export.audit_target, details, school_id=export.school_id)


def write_now(actor: Actor, function: Producer, params: dict) -> tuple[str, bytes]:
    """A small export, written in the request: (file name, content), audited."""
    export = function(actor, params)
    rows = list(export.sheet.rows)
    export.sheet.rows = rows
    content = write_xlsx([export.sheet])
    with transaction.atomic():
        _audit(actor, export, len(rows))
    return export.file_name, content


def start(actor: Actor, function: Producer, params: dict, title: str) -> ExportJob:
    """Queue a big export for the worker. The producer checks scope when the worker runs it, as the
    actor who asked; calling it here first would do the slow part twice, so callers check what is
    cheap to check (the school, the class) before they start."""
    from renrentong.exports import tasks

    identity = actor.require_identity()
    with transaction.atomic():
        job = ExportJob.objects.create(
            created_by=actor.account, created_by_identity_id=identity.pk, school_id=identity.school_id,
            producer=producer_path(function), params=params, title=title[:200],
            language=translation.get_language() or settings.LANGUAGE_CODE)
        audit.record(actor, "export.start", job, {"title": title, "producer": job.producer},
                     school_id=identity.school_id)
    transaction.on_commit(lambda: tasks.run_export.enqueue(job.pk))
    return job


def retry(actor: Actor, job: ExportJob) -> ExportJob:
    """The owner asks again for a job that failed or expired: the same parameters, written anew."""
    from renrentong.exports import tasks

    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (ExportJob.Status.FAILED, ExportJob.Status.EXPIRED):
            raise UserFacingError("export.wrong_state")
        job.status, job.error_code, job.rows_written = ExportJob.Status.QUEUED, "", 0
        job.save(update_fields=["status", "error_code", "rows_written"])
        audit.record(actor, "export.retry", job, school_id=job.school_id)
    transaction.on_commit(lambda: tasks.run_export.enqueue(job.pk))
    return job


def stored_file(actor: Actor, job: ExportJob) -> tuple[str, bytes]:
    """The finished file for its owner (the selector found the job among the actor's own), audited."""
    if job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        raise UserFacingError("export.not_ready")
    if job.status == ExportJob.Status.FAILED:
        raise UserFacingError("export.failed")
    path = EXPORT_DIR / job.file_path
    if job.status != ExportJob.Status.DONE or not job.file_path or job.expires_at <= timezone.now() \
            or not path.is_file():
        raise UserFacingError("export.expired")
    content = path.read_bytes()
    with transaction.atomic():
        audit.record(actor, "export.download", job, {"file": job.file_name, "rows": job.total_rows},
                     school_id=job.school_id)
    return job.file_name, content


# The worker side ----------------------------------------------------------------------------------------------

class _CountedRows:
    """The sheet's rows, counting those written into the job's progress as the writer takes them."""

    def __init__(self, job_id: int, rows: list) -> None:
        self.job_id, self.rows = job_id, rows
        self.pause = float(os.environ.get("RRT_EXPORT_ROW_PAUSE", "0"))  # for tests only

    def __iter__(self):
        saved, saved_at = 0, time.monotonic()
        for done, row in enumerate(self.rows, 1):
            yield row
            if self.pause:
                time.sleep(self.pause)
            if done - saved >= PROGRESS_EVERY_ROWS or time.monotonic() - saved_at >= PROGRESS_EVERY_SECONDS:
                ExportJob.objects.filter(pk=self.job_id, status=ExportJob.Status.RUNNING).update(
                    rows_written=done, heartbeat_at=timezone.now())
                saved, saved_at = done, time.monotonic()


def _claim(job_id: int) -> ExportJob | None:
    """Take the job for this run: queued, or running with a worker that stopped beating."""
    now = timezone.now()
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        stalled = job.status == ExportJob.Status.RUNNING and (
            job.heartbeat_at is None or job.heartbeat_at < now - timedelta(seconds=STALLED_AFTER_SECONDS))
        if job.status != ExportJob.Status.QUEUED and not stalled:
            return None
        job.status, job.rows_written, job.attempts = ExportJob.Status.RUNNING, 0, job.attempts + 1
        job.started_at = job.heartbeat_at = now
        job.save(update_fields=["status", "rows_written", "attempts", "started_at", "heartbeat_at"])
    return job


def _fail(job: ExportJob, code: str) -> None:
    ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING, attempts=job.attempts).update(
        status=ExportJob.Status.FAILED, error_code=code, finished_at=timezone.now())


def run(job_id: int) -> str:
    """Write one export job's file (the task). Safe to run twice: a second run finds nothing to claim,
    and of two runs of a resumed job only the latest attempt's file is kept."""
    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Identity

    job = _claim(job_id)
    if job is None:
        return ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    identity = Identity.objects.filter(pk=job.created_by_identity_id, account_id=job.created_by_id).first()
    if identity is None:
        _fail(job, "scope.not_found")
        return ExportJob.Status.FAILED
    actor = actor_for(job.created_by, identity)
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            export = load_producer(job.producer)(actor, job.params)
            rows = list(export.sheet.rows)
            ExportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))
            export.sheet.rows = _CountedRows(job.pk, rows)
            content = write_xlsx([export.sheet])
    except UserFacingError as exc:  # the actor's scope changed since they asked
        _fail(job, exc.code)
        return ExportJob.Status.FAILED
    except Exception:
        logger.exception("export %s could not be written", job.pk)
        _fail(job, "export.failed")
        return ExportJob.Status.FAILED
    name = f"{job.pk}-{job.attempts}-{secrets.token_hex(8)}.xlsx"
    fd, tmp = tempfile.mkstemp(dir=EXPORT_DIR, prefix=".export-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, EXPORT_DIR / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ExportJob.Status.RUNNING or locked.attempts != job.attempts:
            (EXPORT_DIR / name).unlink(missing_ok=True)  # a later attempt owns the job now
            return locked.status
        now = timezone.now()
        locked.status, locked.file_path, locked.file_name = ExportJob.Status.DONE, name, export.file_name[:255]
        locked.file_size, locked.rows_written, locked.total_rows = len(content), len(rows), len(rows)
        locked.finished_at, locked.expires_at = now, now + timedelta(hours=EXPIRE_HOURS)
        locked.save()
        _audit(actor, export, len(rows), locked)
    return ExportJob.Status.DONE


def resume_stalled() -> list[int]:
    """Queue again the jobs whose worker died (periodic duty; safe from several processes at once: the
    run claims the job under a lock, and only a stalled one)."""
    from renrentong.exports import tasks

    cutoff = timezone.now() - timedelta(seconds=STALLED_AFTER_SECONDS)
    stalled = list(ExportJob.objects.filter(status=ExportJob.Status.RUNNING, heartbeat_at__lt=cutoff)
                   .values_list("pk", flat=True)[:100])
    for pk in stalled:
        tasks.run_export.enqueue(pk)
    return stalled


def purge_expired() -> int:
    """Delete the files of exports past their time and mark them expired (periodic duty)."""
    now = timezone.now()
    purged = 0
    for pk, path in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now).values_list(
            "pk", "file_path"):
        if ExportJob.objects.filter(pk=pk, status=ExportJob.Status.DONE).update(
                status=ExportJob.Status.EXPIRED, file_path=""):
            if path:
                (EXPORT_DIR / path).unlink(missing_ok=True)
            purged += 1
    return purged
