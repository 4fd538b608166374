"""Push work for the task worker: drain due deliveries a batch at a time; safe to run twice and side by side
(rows are claimed, never shared)."""

from django_tasks import task

from renrentong.push import engine

MAX_BATCHES = 50


@task()
def drain_pushes() -> int:
    """Drain batches until nothing is due (or MAX_BATCHES, so one task does not hold a worker forever;
    the sweep queues more)."""
    claimed = 0
    for _ in range(MAX_BATCHES):
        got = engine.drain()
        claimed += got
        if got < engine.BATCH:
            break
    return claimed


def sweep_pushes() -> dict[str, int]:
    """Periodic duty (settings.PERIODIC_DUTIES): the engine's sweep, queueing drains for what is due."""
    return engine.sweep(queue_drain=drain_pushes.enqueue)
