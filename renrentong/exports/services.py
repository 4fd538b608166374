"""Exports (issue 12, item 5): one entry point for every spreadsheet download that may be big.

An app describes its export with a producer (exports.producers): a function marked @producer that takes the Actor and the
export's parameters, checks the actor's scope (raising UserFacingError as any service does) and returns
an Export: the sheet (rows as a list: its length is the total the progress bar shows), the file's name
and the audit record. A small export (an estimate at or below SYNC_ROWS) is written at once, in the
request, as before; a bigger one becomes an ExportJob the task worker writes into the export storage
while the page shows rows written of the total, then a download link. Either way the same audit record
is written once, when the file is made, and every download of a stored file is audited too.

Storage: settings.EXPORT_DIR (var/exports). A file is written under a temporary name and renamed when
complete, and the job is marked done only after that, so a killed worker never leaves a half file to
serve: its job is picked up again (resume_stalled, a periodic duty) or retried by its owner. Files expire
after EXPIRE_HOURS (purge_expired, a periodic duty).
"""

from __future__ import annotations

import os
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.spreadsheets.writer import write_xlsx

from renrentong.exports import selectors, tasks, worker
from renrentong.exports.models import ExportJob
from renrentong.exports.producers import Producer, producer_path, write_documents

# At or below this many rows an export is written in the request: writing 2,000 rows of a roster to
# .xlsx takes well under a second (docs/exports.md); above it, a task with a progress bar.
SYNC_ROWS = int(os.environ.get("RRT_EXPORT_SYNC_ROWS", "2000"))


def write_now(actor: Actor, function: Producer, params: dict) -> tuple[str, bytes]:
    """A small export, written in the request: (file name, content), audited."""
    export = function(actor, params)
    if export.documents is not None:
        rows = list(export.documents)
        content = write_documents(rows)
    else:
        rows = list(export.sheet.rows)
        export.sheet.rows = rows
        content = write_xlsx([export.sheet])
    with transaction.atomic():
        worker.record_made(actor, export, len(rows))
    return export.file_name, content


def start(actor: Actor, function: Producer, params: dict, title: str) -> ExportJob:
    """Queue a big export for the worker. The producer checks scope when the worker runs it, as the
    actor who asked; calling it here first would do the slow part twice, so callers check what is
    cheap to check (the school, the class) before they start."""
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
    path = worker.EXPORT_DIR / job.file_path
    if job.status != ExportJob.Status.DONE or not job.file_path or job.expires_at <= timezone.now() \
            or not path.is_file():
        raise UserFacingError("export.expired")
    content = path.read_bytes()
    with transaction.atomic():
        audit.record(actor, "export.download", job, {"file": job.file_name, "rows": job.total_rows},
                     school_id=job.school_id)
    return job.file_name, content


def resume_stalled() -> list[int]:
    """Queue again the jobs whose worker died (periodic duty; safe from several processes at once: the
    run claims the job under a lock, and only a stalled one)."""
    cutoff = timezone.now() - timedelta(seconds=worker.STALLED_AFTER_SECONDS)
    stalled = list(ExportJob.objects.filter(status=ExportJob.Status.RUNNING, heartbeat_at__lt=cutoff)
                   .values_list("pk", flat=True)[:100])
    for pk in stalled:
        tasks.run_export.enqueue(pk)
    return stalled


def watched(actor: Actor, job_id: int) -> ExportJob:
    """The actor's job as its progress page or a polling client sees it: queued again first if its worker
    died, so nobody waits for the periodic duty."""
    job = selectors.own_job(actor, job_id)
    if selectors.is_stalled(job):
        resume_stalled()
        job = selectors.own_job(actor, job_id)
    return job


def purge_expired() -> int:
    """Delete the files of exports past their time and mark them expired (periodic duty)."""
    now = timezone.now()
    purged = 0
    for pk, path in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now).values_list(
            "pk", "file_path"):
        if ExportJob.objects.filter(pk=pk, status=ExportJob.Status.DONE).update(
                status=ExportJob.Status.EXPIRED, file_path=""):
            if path:
                (worker.EXPORT_DIR / path).unlink(missing_ok=True)
            purged += 1
    return purged
