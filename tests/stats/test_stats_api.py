"""Usage statistics through the API (STAT-1): each level drills down one level, ending in the people of a
class (masked); a node outside the admin's region is not found whatever id is asked for; filters are
checked; exports carry the page's filters; each response says when its figures are as of."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent

from tests.factories import bearer
from tests.stats.helpers import call, catch_up, figures_of, log_in, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(world):
    log_in(world.student_a, times=2)
    log_in(world.parent_a)
    log_in(world.student_b)
    catch_up()
    return world


def test_province_drills_down_to_the_people_of_a_class(logged_in):
    world = logged_in
    province = call(f"/regions/{world.province.pk}", world.province_admin).json()
    assert province["as_of"] is not None
    assert [r["level"] for r in province["rows"]] == ["city"]
    assert figures_of(province, world.city.pk)["activated"] == 3
    city = call(f"/regions/{world.city.pk}", world.province_admin).json()
    assert {r["node_id"]: r["figures"]["activated"] for r in city["rows"]} == {world.district_x.pk: 2,
                                                                               world.district_y.pk: 1}
    district = call(f"/regions/{world.district_x.pk}", world.province_admin).json()
    assert [r["node_id"] for r in district["rows"]] == [world.school_a.pk]
    assert [c["level"] for c in district["path"]] == ["province", "city", "district"]
    school = call(f"/schools/{world.school_a.pk}", world.province_admin).json()
    assert figures_of(school, world.class_a1.pk)["active_7"] == 2
    people = call(f"/classes/{world.class_a1.pk}/people", world.province_admin).json()
    rows = {p["account_id"]: p for p in people["people"]}
    assert set(rows) == {world.student_a.pk, world.parent_a.pk}
    assert rows[world.student_a.pk]["name"] == "李小明" and rows[world.student_a.pk]["role"] == "student"
    assert world.student_a.number not in people.__repr__()  # account numbers are masked
    assert "*" in rows[world.student_a.pk]["account"]


def test_role_filter_counts_only_that_role(logged_in):
    world = logged_in
    parents = call(f"/schools/{world.school_a.pk}", world.school_admin_a, role="parent").json()
    assert parents["totals"]["activated"] == 1 and parents["activated_by_role"] == {"parent": 1}
    people = call(f"/classes/{world.class_a1.pk}/people", world.school_admin_a, role="student").json()
    assert [p["account_id"] for p in people["people"]] == [world.student_a.pk]


def test_an_admin_never_reaches_a_sibling_region_by_its_id(logged_in):
    world = logged_in
    x = world.district_admin_x
    refused(call(f"/regions/{world.district_y.pk}", x), "stats.not_found", 404)
    refused(call(f"/schools/{world.school_b.pk}", x), "stats.not_found", 404)
    refused(call(f"/classes/{world.class_b1.pk}/people", x), "stats.not_found", 404)
    refused(call(f"/regions/{world.city.pk}", x), "stats.not_found", 404)  # above them is out of reach too
    refused(call(f"/schools/{world.school_b.pk}", world.school_admin_a), "stats.not_found", 404)
    refused(call(f"/classes/{world.class_b1.pk}/people", world.school_admin_a), "stats.not_found", 404)
    refused(call("/schools/99999999", world.city_admin), "stats.not_found", 404)
    refused(call("/schools/9223372036854775808", world.city_admin), "stats.not_found", 404)
    district = call(f"/regions/{world.district_x.pk}", x).json()
    assert [c["level"] for c in district["path"]] == ["district"]  # no crumb above their own region


def test_only_admins_see_statistics(logged_in):
    world = logged_in
    for account in (world.student_a, world.parent_a, world.teacher_a, world.head_teacher_a):
        refused(call(f"/schools/{world.school_a.pk}", account), "stats.not_allowed", 403)
        refused(call("/home", account), "stats.not_allowed", 403)
    assert call("/home", world.school_admin_a).json() == {"level": "school", "node_id": world.school_a.pk}
    assert call("/home", world.city_admin).json() == {"level": "city", "node_id": world.city.pk}


def test_filters_outside_the_schema_are_refused(logged_in):
    world = logged_in
    school = f"/schools/{world.school_a.pk}"
    for params in ({"days": 0}, {"days": 367}, {"role": "admin"}):
        response = call(school, world.school_admin_a, **params)
        assert response.status_code in (400, 422) and set(response.json()) >= {"code", "message", "who_can_fix"}
    assert call(f"/classes/{world.class_a1.pk}/people", world.school_admin_a, role="x").status_code in (400, 422)


def test_charts_describe_figures_of_the_table(logged_in):
    world = logged_in
    body = call(f"/regions/{world.district_x.pk}", world.district_admin_x).json()
    total = body["totals"]
    assert str(total["active_7"]) in body["charts"]["trend"]["aria"]["label"]["description"]
    assert str(total["activated"]) in body["charts"]["share"]["aria"]["label"]["description"]
    bars = body["charts"]["bars"]
    assert bars["xAxis"]["data"] == [r["name"] for r in body["rows"]]
    assert bars["series"][0]["data"] == [r["figures"]["active_7"] for r in body["rows"]]


def test_export_is_the_table_with_the_pages_filters(logged_in):
    world = logged_in
    response = Client().get(f"/api/v1/stats/schools/{world.school_a.pk}/export", {"role": "student"},
                            **bearer(world.school_admin_a))
    assert response.status_code == 200, response.content
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert any("学生" in str(cell) for row in sheet[:3] for cell in row)
    header = next(i for i, row in enumerate(sheet) if row and row[0] == "名称")
    assert sheet[header][1] == "已激活账号"
    rows = {row[0]: row for row in sheet[header + 1:]}
    assert str(rows["合计"][1]).removesuffix(".0") == "1"  # the student only: the role filter holds
    assert AuditEvent.objects.filter(verb="stats.export").exists()
    people = Client().get(f"/api/v1/stats/classes/{world.class_a1.pk}/export", **bearer(world.school_admin_a))
    assert people.status_code == 200
    refused(Client().get(f"/api/v1/stats/classes/{world.class_b1.pk}/export", **bearer(world.school_admin_a)),
            "stats.not_found", 404)
    refused(Client().get(f"/api/v1/stats/regions/{world.district_y.pk}/export", **bearer(world.district_admin_x)),
            "stats.not_found", 404)


def test_a_big_class_export_is_a_task_the_client_polls(logged_in, monkeypatch, tmp_path):
    from renrentong.exports import services, worker

    world = logged_in
    monkeypatch.setattr(services, "SYNC_ROWS", 0)
    monkeypatch.setattr(worker, "EXPORT_DIR", tmp_path)
    admin = bearer(world.school_admin_a)
    response = Client().get(f"/api/v1/stats/classes/{world.class_a1.pk}/export", **admin)
    assert response.status_code == 202, response.content
    job_id = response.json()["job_id"]
    assert response.json() == {"job_id": job_id, "status_url": f"/api/v1/exports/{job_id}",
                               "page_url": f"/exports/{job_id}/"}
    assert worker.run(job_id) == "done"
    assert Client().get(f"/api/v1/exports/{job_id}", **admin).json()["status"] == "done"
    written = Client().get(f"/api/v1/exports/{job_id}/file", **admin)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(written.content)).get_sheet_by_index(0).to_python()
    assert "李小明" in [row[0] for row in sheet]
