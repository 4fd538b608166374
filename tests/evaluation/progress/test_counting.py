"""Progress is counted set-based (EVA-4): the number of queries of a school's, a class's and a region's table
does not grow with the students or the records (3,000 students and 100,000 records: docs/evaluation.md)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renrentong.evaluation.progress import selectors

from tests.evaluation.helpers import actor
from tests.factories import make_class, make_student, make_written_records

pytestmark = pytest.mark.django_db


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_queries_do_not_grow_with_students_records_or_classes(world, catalogue):
    admin, city = actor(world.school_admin_a), actor(world.city_admin)
    tables = {
        "classes": lambda: selectors.class_rows(admin, world.school_a),
        "students": lambda: selectors.student_rows(admin, world.school_a, only_nothing=True),
        "schools": lambda: selectors.school_rows(city),
    }
    make_written_records(world.student_a, draft=1)
    for call in tables.values():
        call()  # the actors' scopes, read once per actor
    before = {name: _queries(call) for name, call in tables.items()}
    for n in range(3, 8):
        school_class = make_class(world.school_a, n)
        for i in range(3):
            make_written_records(make_student(school_class, f"学生{n}{i}"), draft=i, pending=1, failed=i)
    after = {name: _queries(call) for name, call in tables.items()}
    assert after == before
    assert len(selectors.student_rows(admin, world.school_a)) == 2 + 15
