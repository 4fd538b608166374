"""Workers claiming side by side (MSG-4): on PostgreSQL SELECT ... FOR UPDATE SKIP LOCKED, on SQLite IMMEDIATE
transactions; either way every due row is claimed exactly once."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from renrentong.push import engine
from renrentong.push.models import Delivery


@pytest.mark.django_db(transaction=True)
def test_four_workers_claim_every_row_exactly_once():
    now = timezone.now()
    Delivery.objects.bulk_create([
        Delivery(source="notice", ref_id=1, account_id=i, channel="outbox", title="t", sender="s", sent_at=now,
                 link="https://rrt.example.cn/n/1/") for i in range(400)])
    claimed: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(name):
        mine = claimed.setdefault(name, [])
        try:
            while True:
                rows = engine.claim(name, batch=7)
                if not rows:
                    break
                mine.extend(r.pk for r in rows)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    every = [pk for ids in claimed.values() for pk in ids]
    assert len(every) == len(set(every)) == 400
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sending"}
    for name, ids in claimed.items():
        assert set(Delivery.objects.filter(pk__in=ids).values_list("claimed_by", flat=True)) <= {name}
