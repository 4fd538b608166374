"""Receipt tallies under concurrent reads (PostgreSQL): readers opening a notice while its tallies are
built are each counted exactly once, whichever of the two commits first."""

import threading

import pytest
from django.db import connection, connections

from renrentong.notices.receipts import selectors, tallies
from tests.factories import build_world, make_parent, make_student
from tests.notices.helpers import actor, send


@pytest.mark.django_db(transaction=True)
def test_reads_racing_the_build_are_counted_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the FOR SHARE gate is PostgreSQL's")
    world = build_world()
    parents = [make_parent(make_student(world.class_a1 if i % 2 else world.class_a2, f"学生{i}"), name=f"家长{i}")
               for i in range(24)]
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk, world.class_a2.pk], confirm=True)
    from renrentong.notices.inbox import services

    errors = []

    def read(account, confirm):
        try:
            if confirm:
                services.confirm_receipt(actor(account), notice.pk)
            else:
                services.open_notice(actor(account), notice.pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def build():
        try:
            tallies.build(notice.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(p, i % 3 == 0)) for i, p in enumerate(parents)]
    threads.insert(len(threads) // 2, threading.Thread(target=build))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    view = selectors.receipt_view(actor(world.school_admin_a), notice.pk)
    assert tallies.is_built(notice)
    assert sorted(selectors._grouped(view, "class_id")) == sorted(selectors._grouped_live(view, "class_id"))
