"""Places under concurrent sign-ups (PostgreSQL): parents signing up at once for the last places never
overbook the activity; the rest wait, numbered in the order their sign-ups were decided."""

import threading

import pytest
from django.db import connection, connections

from renrentong.accounts.access import actor_for
from renrentong.activities import services
from renrentong.activities.models import Activity, SignUp
from tests.factories import build_world, make_activity, make_parent, make_student


@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ups_never_overbook():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers (IMMEDIATE transactions); the row lock is PostgreSQL's")
    world = build_world()
    children = [make_student(world.class_a1 if i % 2 else world.class_a2, f"学生{i}") for i in range(24)]
    parents = [make_parent(child, name=f"家长{i}") for i, child in enumerate(children)]
    activity = make_activity(world.school_admin_a, capacity=5)
    errors = []
    start = threading.Barrier(len(parents))

    def go(parent, child):
        try:
            start.wait()
            services.sign_up(actor_for(parent, parent.identities.get()), activity.pk, child.person_id)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=pair) for pair in zip(parents, children)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    statuses = list(SignUp.objects.filter(activity=activity).order_by("queue_number").values_list("status", flat=True))
    assert statuses.count("accepted") == 5 and statuses.count("waiting") == 19
    assert statuses[:5] == ["accepted"] * 5  # the first five decided got the places
    assert sorted(SignUp.objects.values_list("queue_number", flat=True)) == list(range(1, 25))
    assert Activity.objects.get(pk=activity.pk).places_taken == 5
