"""The rollover on its set date, for the task worker; safe to run any number of times a day."""

from django_tasks import task

from renrentong.rollover import services


@task()
def run_scheduled_rollovers() -> list[int]:
    return [run.pk for run in services.run_scheduled()]
