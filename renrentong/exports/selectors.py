"""Reads of export jobs: an export belongs to the actor (account and identity) who asked, and to no one else."""

from __future__ import annotations

from django.db.models import QuerySet

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError

from renrentong.exports.models import ExportJob


def own_jobs(actor: Actor) -> QuerySet[ExportJob]:
    identity = actor.require_identity()
    return ExportJob.objects.filter(created_by=actor.account, created_by_identity_id=identity.pk).order_by("-pk")


def own_job(actor: Actor, job_id: int) -> ExportJob:
    """The actor's own export; another admin's, even of the same school, is not found (404)."""
    job = own_jobs(actor).filter(pk=job_id).first()
    if job is None:
        raise UserFacingError("scope.not_found")
    return job


def is_working(job: ExportJob) -> bool:
    return job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


def is_stalled(job: ExportJob) -> bool:
    from datetime import timedelta

    from django.utils import timezone

    from renrentong.exports.worker import STALLED_AFTER_SECONDS

    return job.status == ExportJob.Status.RUNNING and job.heartbeat_at is not None and (
        job.heartbeat_at < timezone.now() - timedelta(seconds=STALLED_AFTER_SECONDS))


def percent(job: ExportJob) -> int:
    if job.status == ExportJob.Status.DONE:
        return 100
    return int(job.rows_written * 100 / job.total_rows) if job.total_rows else 0


def is_done(job: ExportJob) -> bool:
    return job.status == ExportJob.Status.DONE


def started(job: ExportJob) -> dict:
    """What an endpoint answers (202) when it handed its export to the worker: where to poll, where to look."""
    from django.urls import reverse

    return {"job_id": job.pk, "status_url": reverse("api:export_job", args=[job.pk]),
            "page_url": reverse("exports:job", args=[job.pk])}
