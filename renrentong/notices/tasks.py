"""Notice work for the task worker; each task is safe to run twice (the notice's fan-out cursor says
what is left)."""

from django_tasks import task

from renrentong.notices import fanout


@task()
def fan_out_notice(notice_id: int) -> int:
    return fanout.fan_out(notice_id)
