"""Import jobs: accept a file, preview it, commit it in the background, cancel, undo (IMP-2..IMP-4).

The uploaded file is written to durable storage (fsync, then rename) before the job row exists, and
every step reads it from there, so a job survives a restart of the web server or the worker.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School
from renrentong.orgs.selectors import school_for

from renrentong.core.spreadsheets import reader

from renrentong.rosters import access, tasks, worker
from renrentong.rosters.models import ImportJob, ImportRow, purge_originals
from renrentong.rosters.selectors import ROSTER_KINDS
from renrentong.rosters.worker import IMPORTERS, STALLED_AFTER_SECONDS, forget_parsed, forget_upload


def _importer_schools(actor: Actor, school_id: int | None) -> tuple[School | None, list[int]]:
    """The school a job is for (None: the file names a school per row) and every school it may touch."""
    if not access.can_import(actor):
        raise UserFacingError("import.not_allowed")
    own = access.imports_for_own_school(actor)
    if school_id is None and not own:
        return None, list(actor.scope.schools(School.objects.all()).values_list("pk", flat=True))
    # A school admin's job is for their own school whatever id came with it.
    school = school_for(actor, None if own else school_id, not_allowed="import.not_allowed")
    return school, [school.pk]


def store_upload(chunks, original_name: str, screen=reader.screen_file) -> tuple[Path, str, int, str]:
    """Write the upload durably and screen it (`screen`: an importer that reads no spreadsheet brings its
    own); returns (path, sha256, size, format). Refuses oversize files while reading. The file is screened under its temporary name and only then given its
    content-addressed one, so a refused file is deleted at once and never takes the place (or the
    name) of an accepted upload of the same content."""
    worker.UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=worker.UPLOAD_DIR, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > reader.MAX_CSV_BYTES:  # the largest any roster may be; a workbook's own limit is smaller
                    raise UserFacingError("import.csv_too_large")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        fmt = screen(Path(tmp), original_name)
        final = worker.UPLOAD_DIR / f"{digest.hexdigest()}{Path(original_name).suffix.lower()[:8]}"
        os.replace(tmp, final)
    except BaseException:
        # A refused file (an executable, a zip bomb, a DTD) must not stay on the server's disk.
        Path(tmp).unlink(missing_ok=True)
        raise
    return final, digest.hexdigest(), size, fmt


def accept_upload(actor: Actor, chunks, original_name: str, kind: str, school_id: int | None = None, *,
                  registered_by_owner: bool = False) -> ImportJob:
    """Check the importer and the file, store it, create the job and queue its preview. A kind another app
    registered (worker.register_importer) is accepted only from that app (`registered_by_owner`), which has
    checked its own permissions first."""
    if kind not in IMPORTERS or (kind not in ROSTER_KINDS and not registered_by_owner):
        raise UserFacingError("import.kind_not_supported")
    school, _ = _importer_schools(actor, school_id)
    path, sha, size, fmt = store_upload(chunks, original_name,
                                        getattr(IMPORTERS[kind], "screen_file", reader.screen_file))
    identity = actor.require_identity()
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind, school=school, region=identity.region if school is None else None,
            created_by=actor.account, created_by_identity_id=identity.pk, file_name=original_name[:255],
            file_path=path.name, file_sha256=sha, file_size=size, file_format=fmt,
        )
        audit.record(actor, "import.upload", job, {"file": original_name, "sha256": sha},
                     school_id=school.pk if school else None)
    transaction.on_commit(lambda: tasks.preview_import.enqueue(job.pk))
    return job


@transaction.atomic
def request_commit(actor: Actor, job: ImportJob, create_missing_classes: bool = False) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.PREVIEWED:
        raise UserFacingError("import.wrong_state", state=job.get_status_display())
    job.status = ImportJob.Status.COMMITTING
    job.create_missing_classes = create_missing_classes
    job.heartbeat_at = job.phase_started_at = timezone.now()
    job.save()
    audit.record(actor, "import.commit", job, school_id=job.school_id)
    transaction.on_commit(lambda: tasks.commit_import.enqueue(job.pk))
    return job


@transaction.atomic
def cancel(actor: Actor, job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status in (ImportJob.Status.PREVIEWING, ImportJob.Status.PREVIEWED):
        job.status = ImportJob.Status.CANCELLED
        forget_parsed(job)
        forget_upload(job)
        purge_originals(job.pk)
    elif job.status == ImportJob.Status.COMMITTING:
        job.cancel_requested = True  # the worker stops after its chunk and undoes what it wrote
    else:
        raise UserFacingError("import.wrong_state", state=job.get_status_display())
    job.save()
    audit.record(actor, "import.cancel", job, school_id=job.school_id)
    return job


@transaction.atomic
def undo_import(actor: Actor, job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.COMMITTED:
        raise UserFacingError("import.wrong_state", state=job.get_status_display())
    report = IMPORTERS[job.kind].undo(job.pk, timezone.localdate())
    job.status = ImportJob.Status.UNDONE
    purge_originals(job.pk)  # nothing can be fixed and imported again from an undone job
    job.undone_at = timezone.now()
    job.result = {**job.result, "undo": report}
    job.save()
    audit.record(actor, "import.undo", job, report, school_id=job.school_id)
    return job


def is_stalled(job: ImportJob) -> bool:
    return job.heartbeat_at is not None and job.heartbeat_at < timezone.now() - timedelta(
        seconds=STALLED_AFTER_SECONDS)


# The full cells of rows that did not go in are kept (sealed) so the admin can download, fix and import
# them again; a month after the commit that work is done or abandoned, and the masked copy is enough.
REJECTED_ORIGINALS_KEPT_DAYS = 30


def purge_old_rejected_originals() -> int:
    """Forget the sealed cells of rejected rows of imports committed more than a month ago (NFR-1);
    set-based and safe to run any time (the worker's periodic duty)."""
    cutoff = timezone.now() - timedelta(days=REJECTED_ORIGINALS_KEPT_DAYS)
    return ImportRow.objects.filter(original_cipher__isnull=False, job__committed_at__lt=cutoff).update(
        original_key="", original_cipher=None)


def resume_stalled() -> list[int]:
    """Queue again the jobs whose worker died (no heartbeat for a while); safe to run any time, from
    several places at once (the worker's periodic duty, the job page, cron)."""
    return tasks.requeue_stalled()
