"""Statistics pages never scan raw events (issue 15, performance): the district page and its API read the
rollups the catch-up keeps, never the append-only event table nor the login records it is built from, so their
time depends on the rows shown, not on how many events there are."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from renrentong.accounts.models import LoginEvent
from renrentong.stats.models import DailyFigures, Event, SchoolDay, SchoolTotals

from tests.factories import as_user, bearer
from tests.stats.helpers import catch_up, log_in

pytestmark = pytest.mark.django_db
RAW = [Event._meta.db_table, LoginEvent._meta.db_table]
ROLLUPS = [SchoolDay._meta.db_table, SchoolTotals._meta.db_table, DailyFigures._meta.db_table]


@pytest.fixture
def counted(world):
    log_in(world.student_a, times=2)
    log_in(world.parent_a)
    log_in(world.teacher_b)
    catch_up()
    assert Event.objects.exists()  # there are raw events to scan, were a page to scan them
    return world


def _tables_read(request) -> str:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200, response.content[:500]
    return "\n".join(q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("role", ["", "student"])
def test_the_district_page_and_its_api_read_rollups_not_raw_events(counted, role):
    world = counted
    page = Client()
    as_user(page, world.district_admin_x)
    url = f"/stats/regions/{world.district_x.pk}/"
    for sql in (_tables_read(lambda: page.get(url, {"role": role, "days": 30})),
                _tables_read(lambda: Client().get(f"/api/v1/stats/regions/{world.district_x.pk}",
                                                  {"role": role, "days": 30}, **bearer(world.district_admin_x)))):
        assert any(re.search(rf"\b{table}\b", sql) for table in ROLLUPS)  # the figures were read, from rollups
        for table in RAW:
            assert not re.search(rf"\b{table}\b", sql), f"{table} read by a statistics page"
