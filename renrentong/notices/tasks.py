"""Notice work for the task worker; each task is safe to run twice (the notice's fan-out cursor says
what is left)."""

from django_tasks import task

from renrentong.notices import fanout, pushing
from renrentong.notices.receipts import tallies


@task()
def fan_out_notice(notice_id: int) -> int:
    written = fanout.fan_out(notice_id)
    # The receipt tallies, once all rows are there, so the first look at the receipts is quick (MSG-3).
    tallies.build(notice_id)
    pushing.ring_notice(notice_id)
    return written


@task()
def ring_reminder(reminder_id: int) -> int:
    return pushing.ring_reminder(reminder_id)
