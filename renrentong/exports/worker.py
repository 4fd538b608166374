"""The worker side of export jobs (issue 12, item 5): what exports.tasks runs. Nothing here queues a task:
services queue them, tasks run this."""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.spreadsheets.writer import write_xlsx

from renrentong.exports.models import ExportJob
from renrentong.exports.producers import Export, load_producer, write_documents

logger = logging.getLogger(__name__)

EXPIRE_HOURS = 24
STALLED_AFTER_SECONDS = 60
PROGRESS_EVERY_ROWS = 500
PROGRESS_EVERY_SECONDS = 1.0
EXPORT_DIR = Path(settings.EXPORT_DIR)


def record_made(actor: Actor, export: Export, rows: int, job: ExportJob | None = None) -> None:
    details = {**export.audit_details, "rows": rows, **({"export_job": job.pk} if job else {})}
    audit.record(actor, export.audit_verb, export.audit_target, details, school_id=export.school_id)


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
            rows = list(export.documents if export.documents is not None else export.sheet.rows)
            ExportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))
            if export.documents is not None:
                content = write_documents(_CountedRows(job.pk, rows))
            else:
                export.sheet.rows = _CountedRows(job.pk, rows)
                content = write_xlsx([export.sheet])
    except UserFacingError as exc:  # the actor's scope changed since they asked
        _fail(job, exc.code)
        return ExportJob.Status.FAILED
    except Exception:
        logger.exception("export %s could not be written", job.pk)
        _fail(job, "export.failed")
        return ExportJob.Status.FAILED
    suffix = ".zip" if export.documents is not None else ".xlsx"
    name = f"{job.pk}-{job.attempts}-{secrets.token_urlsafe(8)}{suffix}"
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
        record_made(actor, export, len(rows), locked)
    return ExportJob.Status.DONE
