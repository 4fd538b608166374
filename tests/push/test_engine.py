"""The engine (MSG-4): claims, a dead worker's rows taken again, backoff with jitter, pauses, quiet hours."""

import random
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from renrentong.push import engine, selectors
from renrentong.push.channels import Outcome, Result
from renrentong.push.models import ChannelPause, Delivery
from renrentong.push.outbox import OutboxChannel
from tests.push.helpers import drain_all, ring_notice, send, set_policy


def test_two_workers_never_claim_the_same_row_and_a_dead_workers_rows_are_taken_again(pworld, freezer):
    notice = send(pworld)
    total = ring_notice(notice)
    first = engine.claim("worker-1", batch=2)
    second = engine.claim("worker-2", batch=100)
    assert len(first) == 2 and len(second) == total - 2
    assert not {r.pk for r in first} & {r.pk for r in second}
    engine.process(second, "worker-2")
    # worker-1 dies with its two rows claimed: nobody else takes them until they are stale.
    assert engine.claim("worker-3") == []
    assert engine.reclaim_dead() == 0
    freezer.tick(engine.RECLAIM_AFTER + timedelta(seconds=1))
    assert engine.sweep()["reclaimed"] == 2
    again = engine.claim("worker-3")
    assert {r.pk for r in again} == {r.pk for r in first}
    assert all(r.attempts == 1 for r in again)  # the lost attempt counts
    engine.process(again, "worker-3")
    # worker-1 wakes up and tries to record: its claim is gone, the row stays as worker-3 left it.
    engine._record(first[0], "worker-1", Result(Outcome.FAILED, reason="late"))
    states = set(Delivery.objects.filter(ref_id=notice.pk).values_list("state", flat=True))
    assert states == {Delivery.State.DELIVERED}
    assert Delivery.objects.filter(ref_id=notice.pk).count() == total  # none lost, none doubled


def test_backoff_is_full_jitter_within_exponential_bounds():
    rng = random.Random(7)
    for attempts in range(1, 12):
        ceiling = min(engine.CAP_SECONDS, engine.BASE_SECONDS * 2 ** (attempts - 1))
        waits = [engine.backoff(attempts, rng).total_seconds() for _ in range(200)]
        assert all(1 <= w <= ceiling for w in waits)
        if ceiling > 60:
            assert max(waits) > ceiling / 2 and min(waits) < ceiling / 2  # spread, not fixed
    assert engine.backoff(50, rng) <= timedelta(hours=1)


class Flaky:
    name = "outbox"
    answers: list = []

    def reachable(self, region_id):
        return None

    def send(self, message):
        return self.answers.pop(0) if self.answers else Result(Outcome.DELIVERED)


@pytest.fixture
def flaky(monkeypatch):
    monkeypatch.setattr("renrentong.push.registry.load_channel", lambda name: Flaky())
    Flaky.answers = []
    return Flaky


def test_retries_back_off_and_give_up_after_the_maximum_with_the_reason(pworld, freezer, flaky):
    notice = send(pworld, roles=["parent"], class_ids=[pworld.class_a1.pk])
    assert ring_notice(notice) == 1
    flaky.answers = [Result(Outcome.RETRY, reason="HTTP 503")] * engine.MAX_ATTEMPTS
    row = Delivery.objects.get()
    for attempt in range(1, engine.MAX_ATTEMPTS):
        assert engine.drain() == 1
        row.refresh_from_db()
        assert row.state == Delivery.State.QUEUED and row.attempts == attempt and row.reason == "HTTP 503"
        wait = row.next_attempt_at - timezone.now()
        assert timedelta(seconds=1) <= wait <= timedelta(seconds=min(3600, 30 * 2 ** (attempt - 1)))
        assert engine.drain() == 0  # not due yet
        freezer.move_to(row.next_attempt_at)
    assert engine.drain() == 1
    row.refresh_from_db()
    assert row.state == Delivery.State.FAILED and row.attempts == engine.MAX_ATTEMPTS
    assert "HTTP 503" in row.reason


def test_paused_channel_waits_until_resume_without_using_attempts(pworld, freezer, flaky):
    notice = send(pworld)
    total = ring_notice(notice)
    resume = timezone.now() + timedelta(hours=3)
    flaky.answers = [Result(Outcome.PAUSED, reason="quota", resume_at=resume)]
    assert engine.drain() == total
    rows = list(Delivery.objects.filter(ref_id=notice.pk))
    assert all(r.state == Delivery.State.QUEUED and r.attempts == 0 for r in rows)
    assert ChannelPause.objects.get(channel="outbox").resume_at == resume
    assert selectors.finish_estimate(pworld.district_x.pk, "outbox") >= resume
    freezer.tick(timedelta(hours=1))
    Delivery.objects.filter(ref_id=notice.pk).update(next_attempt_at=timezone.now())  # even if due, paused
    assert engine.drain() == 0
    freezer.move_to(resume + timedelta(seconds=1))
    engine.sweep()
    assert drain_all() == total
    assert set(Delivery.objects.filter(ref_id=notice.pk).values_list("state", flat=True)) == {"delivered"}
    assert selectors.finish_estimate(pworld.district_x.pk, "outbox") is None


def _at_shanghai(hour, minute=0):
    """A local time (Asia/Shanghai) on the day after today, when the world's enrollments are under way."""
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def test_quiet_hours_hold_pushes_until_they_end_and_urgent_ones_pass(world, freezer):
    set_policy(world.province, push_quiet_start="21:30", push_quiet_end="07:00")
    freezer.move_to(_at_shanghai(22, 15))
    notice = send(world)
    total = ring_notice(notice)
    rows = Delivery.objects.filter(ref_id=notice.pk)
    assert set(rows.values_list("state", flat=True)) == {Delivery.State.HELD}
    assert timezone.localtime(rows.first().next_attempt_at).strftime("%H:%M") == "07:00"
    assert engine.drain() == 0
    # An urgent notice by an admin is pushed at once.
    urgent = send(world, title="停课通知")
    ring_notice(urgent, urgent=True)
    assert drain_all() == total
    assert set(Delivery.objects.filter(ref_id=urgent.pk).values_list("state", flat=True)) == {"delivered"}
    assert set(rows.values_list("state", flat=True)) == {Delivery.State.HELD}
    freezer.move_to(_at_shanghai(6, 59))
    assert engine.sweep().get("released", 0) == 0
    freezer.move_to(_at_shanghai(7, 0) + timedelta(days=1))
    assert engine.sweep()["released"] == total
    assert drain_all() == total
    assert set(rows.values_list("state", flat=True)) == {"delivered"}


def test_a_retry_falling_into_quiet_hours_is_held_not_sent(world, freezer):
    set_policy(world.province, push_quiet_start="21:30", push_quiet_end="07:00")
    freezer.move_to(_at_shanghai(21, 0))
    notice = send(world, roles=["parent"], class_ids=[world.class_a1.pk])
    ring_notice(notice)
    freezer.move_to(_at_shanghai(21, 45))
    assert engine.drain() == 1
    row = Delivery.objects.get()
    assert row.state == Delivery.State.HELD and row.attempts == 0


def test_outbox_refuses_with_debug_off(pworld, settings):
    settings.RRT_SMS_OUTBOX_ALLOWED = False
    notice = send(pworld)
    total = ring_notice(notice)
    assert drain_all() == total
    assert set(Delivery.objects.values_list("state", "reason")) == {("failed", "outbox_disabled")}
    assert OutboxChannel().send  # the channel itself refuses, not only the page


def test_a_channel_that_raises_is_retried_not_lost(pworld, monkeypatch):
    notice = send(pworld, roles=["parent"], class_ids=[pworld.class_a1.pk])
    ring_notice(notice)

    def boom(self, message):
        raise ConnectionError("down")

    monkeypatch.setattr(OutboxChannel, "send", boom)
    assert engine.drain() == 1
    row = Delivery.objects.get()
    assert row.state == Delivery.State.QUEUED and row.attempts == 1 and row.reason == "ConnectionError"


def test_drain_task_and_sweep_queue_work(pworld, settings):
    from renrentong.push.tasks import drain_pushes, sweep_pushes

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    notice = send(pworld)
    total = ring_notice(notice)
    assert sweep_pushes() == {"drains": 1}
    assert set(Delivery.objects.filter(ref_id=notice.pk).values_list("state", flat=True)) == {"delivered"}
    assert drain_pushes.call() == 0
    assert total


class Batched:
    """A channel answering a batch at once (send_many), recording how it was called."""
    name = "outbox"
    calls: list = []
    raise_at: int | None = None

    def reachable(self, region_id):
        return None

    def send(self, message):
        raise AssertionError("the engine prefers send_many")

    def send_many(self, messages):
        Batched.calls.append(len(messages))
        for index, message in enumerate(messages):
            if index == Batched.raise_at and len(Batched.calls) == 1:  # the first call only
                raise ConnectionError("dropped")
            yield Result(Outcome.ACCEPTED, reference=f"ref-{message.delivery_id}")


def test_a_batch_goes_to_send_many_and_its_outcomes_are_written_together(pworld, monkeypatch):
    monkeypatch.setattr("renrentong.push.registry.load_channel", lambda name: Batched())
    monkeypatch.setattr(engine, "FLUSH_EVERY", 2)
    Batched.calls, Batched.raise_at = [], None
    notice = send(pworld)
    total = ring_notice(notice)
    assert total >= 3
    assert engine.drain() == total
    assert Batched.calls == [total]  # one call for the batch, not one per message
    rows = Delivery.objects.filter(ref_id=notice.pk)
    assert {(r.state, r.reference) for r in rows} == {("accepted", f"ref-{r.pk}") for r in rows}
    assert all(r.attempts == 1 and r.finished_at for r in rows)


def test_a_batch_channel_that_raises_midway_retries_that_row_and_sends_the_rest(pworld, monkeypatch):
    monkeypatch.setattr("renrentong.push.registry.load_channel", lambda name: Batched())
    Batched.calls, Batched.raise_at = [], 1
    notice = send(pworld)
    total = ring_notice(notice)
    assert engine.drain() == total
    rows = list(Delivery.objects.filter(ref_id=notice.pk).order_by("pk"))
    assert rows[1].state == "queued" and rows[1].reason == "ConnectionError" and rows[1].attempts == 1
    assert Batched.calls == [total, total - 2]  # the rest went in a second call, from the next row on
    assert {r.state for r in rows[:1] + rows[2:]} == {"accepted"}


def test_outcomes_of_rows_another_worker_took_over_are_not_written(pworld, monkeypatch, freezer):
    monkeypatch.setattr("renrentong.push.registry.load_channel", lambda name: Batched())
    Batched.calls, Batched.raise_at = [], None
    notice = send(pworld)
    ring_notice(notice)
    mine = engine.claim("slow-worker")
    freezer.tick(engine.RECLAIM_AFTER + timedelta(seconds=1))
    engine.reclaim_dead()
    theirs = engine.claim("new-worker")
    assert {r.pk for r in theirs} == {r.pk for r in mine}
    engine.process(mine, "slow-worker")  # the slow worker's answers arrive late: dropped
    assert set(Delivery.objects.filter(ref_id=notice.pk).values_list("state", "claimed_by")) == {
        ("sending", "new-worker")}
    engine.process(theirs, "new-worker")
    assert set(Delivery.objects.filter(ref_id=notice.pk).values_list("state", flat=True)) == {"accepted"}
