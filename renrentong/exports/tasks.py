"""Export work for the task worker; safe to run twice (the job's status and attempt say what is left)."""

from django_tasks import task

from renrentong.exports import worker


@task()
def run_export(job_id: int) -> str:
    return worker.run(job_id)
