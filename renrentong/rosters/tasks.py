"""Import work for the task worker; each task is safe to run twice (the job's status and cursor say
what is left). Tasks run the worker side (rosters.worker); services queue them, never the reverse."""

from django_tasks import task

from renrentong.rosters import worker


@task()
def preview_import(job_id: int) -> str:
    return worker.run_preview(job_id).status


@task()
def commit_import(job_id: int) -> str:
    return worker.run_commit(job_id).status


def requeue_stalled() -> list[int]:
    """Queue again the jobs whose worker died; each is claimed first, so several callers at once queue
    each job once."""
    commits, previews = worker.claim_stalled()
    for pk in commits:
        commit_import.enqueue(pk)
    for pk in previews:
        preview_import.enqueue(pk)
    return commits + previews


@task()
def resume_stalled_imports() -> list[int]:
    return requeue_stalled()
