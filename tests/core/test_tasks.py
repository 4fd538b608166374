"""The task worker runs queued work (here: pruning of login records) through the real queue."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from renrentong.accounts.models import ApiToken, LoginCounter, LoginEvent
from renrentong.accounts.tasks import LOGIN_EVENT_DAYS

from tests.factories import bearer


def run_worker() -> None:
    """Run the configured worker until the queue is empty: the database worker, or RQ on Redis."""
    if "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    else:
        call_command("rqworker", "default", "--burst", "--worker-class", "rq.worker.SimpleWorker",
                     "--job-class", "django_tasks_rq.backend.Job")


def test_worker_prunes_expired_tokens_and_old_login_events(transactional_db, client, world):
    bearer(world.student_a)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    fresh = bearer(world.student_b)
    LoginEvent.objects.create(outcome="success", at=timezone.now() - timedelta(days=LOGIN_EVENT_DAYS + 1))
    LoginEvent.objects.create(outcome="success")
    LoginCounter.objects.create(key="pw:old", count=5, window_start=int(time.time()) - 2 * 24 * 3600)
    LoginCounter.objects.create(key="pw:fresh", count=5, window_start=int(time.time()))
    call_command("prune_login_records")
    run_worker()
    assert ApiToken.objects.count() == 1
    assert LoginEvent.objects.count() == 1
    assert list(LoginCounter.objects.values_list("key", flat=True)) == ["pw:fresh"]
    # The token left is the unexpired one, and it still signs its holder in.
    assert ApiToken.objects.get().account == world.student_b
    me = client.get("/api/v1/me", **fresh)
    assert me.status_code == 200
    assert me.json()["account_number"] == world.student_b.number
