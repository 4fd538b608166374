"""Background upkeep of login records; safe to run twice."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from renrentong.accounts.models import ApiToken, LoginCounter, LoginEvent

# China's Cybersecurity Law (art. 21) asks network operators to keep logs for at least six months.
LOGIN_EVENT_DAYS = 190
# Login counters run over minutes (throttle.py); a day-old one counts nothing any more.
LOGIN_COUNTER_SECONDS = 24 * 3600


@task()
def prune_login_records() -> dict[str, int]:
    now = timezone.now()
    tokens, _ = ApiToken.objects.filter(expires_at__lte=now).delete()
    events, _ = LoginEvent.objects.filter(at__lt=now - timedelta(days=LOGIN_EVENT_DAYS)).delete()
    counters, _ = LoginCounter.objects.filter(window_start__lt=int(now.timestamp()) - LOGIN_COUNTER_SECONDS).delete()
    return {"tokens": tokens, "events": events, "counters": counters}
