"""The statistics pages (STAT-1, STAT-2) in the console: the start page, drill-down links, the time the
figures are as of, charts' options beside the table, the export, and the refusals as pages."""

from __future__ import annotations

import json
import re

import pytest

from tests.factories import as_user
from tests.stats.helpers import catch_up, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(world):
    log_in(world.student_a, times=2)
    log_in(world.parent_a)
    catch_up()
    return world


def refused(response, status: int) -> str:
    """The refusal's code, as the console's error block carries it."""
    assert response.status_code == status, response.status_code
    found = re.search(r'data-testid="error" data-code="([a-z_.]+)"', response.content.decode())
    assert found, response.content.decode()[:500]
    return found.group(1)


def _charts(html: str) -> dict[str, dict]:
    found = re.findall(r'<script id="(stats-[a-z]+)" type="application/json">(.*?)</script>', html, re.S)
    return {name: json.loads(body) for name, body in found}


def test_start_page_goes_to_the_admins_own_region_or_school(client, logged_in):
    world = logged_in
    as_user(client, world.city_admin)
    assert client.get("/stats/").url == f"/stats/regions/{world.city.pk}/"
    as_user(client, world.school_admin_a)
    assert client.get("/stats/").url == f"/stats/schools/{world.school_a.pk}/"


def test_district_page_drills_to_schools_and_shows_when_its_figures_are_as_of(client, logged_in):
    world = logged_in
    as_user(client, world.district_admin_x)
    page = client.get(f"/stats/regions/{world.district_x.pk}/", {"role": "", "days": 7})
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="/stats/schools/{world.school_a.pk}/?days=7"' in html
    assert 'data-testid="stats-as-of"' in html and "数据截至" in html
    charts = _charts(html)
    assert set(charts) == {"stats-trend", "stats-bars", "stats-share"}
    assert "共 2 个：学生 1、家长 1、教师 0。" in charts["stats-share"]["aria"]["label"]["description"]
    assert 'nav-stats' in html  # the sidebar entry


def test_class_page_lists_people_masked(client, logged_in):
    world = logged_in
    as_user(client, world.school_admin_a)
    html = client.get(f"/stats/classes/{world.class_a1.pk}/").content.decode()
    assert "李小明" in html and "李大明" in html
    assert world.student_a.number not in html and world.parent_a.phone not in html


def test_a_sibling_or_a_child_asking_is_refused_as_a_page(client, logged_in):
    world = logged_in
    as_user(client, world.district_admin_x)
    assert client.get(f"/stats/regions/{world.district_y.pk}/").status_code == 404
    assert client.get(f"/stats/schools/{world.school_b.pk}/").status_code == 404
    assert client.get(f"/stats/classes/{world.class_b1.pk}/?export=xlsx").status_code == 404
    assert refused(client.get(f"/stats/regions/{world.district_x.pk}/?days=0"), 400) == "stats.days_out_of_range"
    assert refused(client.get(f"/stats/regions/{world.district_x.pk}/?days=x"), 400) == "stats.days_out_of_range"
    assert refused(client.get(f"/stats/regions/{world.district_x.pk}/?role=admin"), 400) == "stats.role_unknown"
    assert refused(client.get(f"/stats/classes/{world.class_a1.pk}/?role=admin"), 400) == "stats.role_unknown"
    assert refused(client.get(f"/stats/schools/{world.school_b.pk}/"), 404) == "stats.not_found"
    as_user(client, world.student_a)
    assert client.get("/stats/").status_code == 403
    assert refused(client.get(f"/stats/schools/{world.school_a.pk}/"), 403) == "stats.not_allowed"


def test_export_of_the_page(client, logged_in):
    world = logged_in
    as_user(client, world.school_admin_a)
    response = client.get(f"/stats/schools/{world.school_a.pk}/", {"export": "xlsx", "role": "parent"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    people = client.get(f"/stats/classes/{world.class_a1.pk}/", {"export": "xlsx"})
    assert people.status_code == 200
