"""Import work for the task worker; each task is safe to run twice (the job's status and cursor say
what is left)."""

from django_tasks import task

from renrentong.rosters import services


@task()
def preview_import(job_id: int) -> str:
    return services.run_preview(job_id).status


@task()
def commit_import(job_id: int) -> str:
    return services.run_commit(job_id).status


@task()
def resume_stalled_imports() -> list[int]:
    return services.resume_stalled()
