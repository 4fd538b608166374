"""The smart classroom through its API (RES-1, RES-3): browsing with a student's defaults, the five modules,
recommended courses, grades 1-2, parents, teachers keeping resources, the school admin's take-down, exports."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.resources.models import Resource
from tests.factories import bearer, make_class, make_parent, make_region_admin, make_student
from tests.resources.export_jobs import api_job, written
from tests.resources.classroom.helpers import body, make, math_book, post, upload_pdf

URL = "/api/v1/resources/classroom/"
pytestmark = pytest.mark.django_db


def browse(client, account, **params):
    return client.get(URL, params, **bearer(account))


def on(monkeypatch, day: str) -> None:
    monkeypatch.setattr("renrentong.resources.classroom.selectors.today", lambda: date.fromisoformat(day))


def test_student_browses_their_grade_and_the_current_term_by_default(client, world, monkeypatch):
    on(monkeypatch, "2026-10-12")
    _, chapter, _ = math_book(world)
    mine = make(client, world.teacher_a, chapter_id=chapter.pk)
    make(client, world.teacher_a, title="四年级", grade=4)
    make(client, world.teacher_a, title="春季", term="second")
    got = browse(client, world.student_a)
    assert got.status_code == 200, got.content
    data = got.json()
    assert (data["stage"], data["grade"], data["term"]) == ("primary", 3, "first")
    assert [r["id"] for r in data["resources"]] == [mine["id"]]
    assert data["resources"][0]["chapter"] == "3 测量"
    assert [m["key"] for m in data["modules"]] == ["review", "topic", "practice", "personalised", "centre"]
    assert data["modules"][0]["count"] == 1


def test_spring_is_the_second_term(client, world, monkeypatch):
    on(monkeypatch, "2027-03-12")
    assert browse(client, world.student_a).json()["term"] == "second"


def test_browse_by_chapter_includes_its_sections_and_edition_fits_general_ones(client, world):
    _, chapter, section = math_book(world)
    whole = make(client, world.teacher_a, title="整章", chapter_id=chapter.pk)
    part = make(client, world.teacher_a, title="一节", chapter_id=section.pk)
    make(client, world.teacher_a, title="别的")
    data = browse(client, world.student_a, subject="数学", chapter_id=chapter.pk, term="first").json()
    assert {r["id"] for r in data["resources"]} == {whole["id"], part["id"]}
    assert data["resources"][0]["edition"] == "人教版"  # taken from the chapter's book
    other = browse(client, world.student_a, edition="北师大版", term="first").json()["resources"]
    assert {r["title"] for r in other} == {"别的"}  # a resource without an edition fits every edition


def test_module_filter_and_module_links_placeholders(client, world):
    make(client, world.teacher_a, title="专题", module="topic")
    make(client, world.teacher_a, title="回顾")
    data = browse(client, world.student_a, module="topic", term="first").json()
    assert [r["title"] for r in data["resources"]] == ["专题"]
    practice = next(m for m in data["modules"] if m["key"] == "practice")
    assert "link" in practice and set(next(m for m in data["modules"] if m["key"] == "centre")["extra"]) == {
        "wrong_answers", "history"}


def test_grade_one_student_is_told_no_resources_are_set_for_their_grade(client, world):
    young = make_student(make_class(world.school_a, 7, enrollment_year=2026), "小一")
    got = browse(client, young)
    assert got.status_code == 404
    assert got.json()["code"] == "classroom.none_for_grade"
    assert browse(client, world.student_a, grade=2).json()["code"] == "classroom.none_for_grade"


def test_parent_is_told_to_switch_to_the_childs_identity(client, world):
    got = browse(client, world.parent_a)
    assert got.status_code == 403 and got.json()["code"] == "classroom.switch_to_child"


def test_admins_are_told_the_classroom_is_for_students_and_teachers(client, world):
    for admin in (world.school_admin_a, world.district_admin_x):
        got = browse(client, admin)
        assert got.status_code == 403 and got.json()["code"] == "classroom.students_and_teachers"


def test_student_without_a_class_is_told_who_places_them(client, world):
    from renrentong.accounts.models import Enrollment

    Enrollment.objects.filter(person=world.student_a.person).delete()
    assert browse(client, world.student_a).json()["code"] == "classroom.not_enrolled"


def test_teacher_uploads_a_lesson_plan_file_and_students_download_it(client, world):
    file_id = upload_pdf(client, world.teacher_a)
    made = make(client, world.teacher_a, kind="lesson_plan", url="", file_id=file_id, title="教案一")
    assert made["file_name"].endswith(".pdf") and made["open_url"].startswith("/files/")
    seen = browse(client, world.student_a, term="first").json()["resources"]
    link = seen[0]["open_url"]
    assert client.get(link, **bearer(world.student_a)).status_code == 200
    assert AuditEvent.objects.filter(verb="classroom.create").count() == 1


def test_a_file_and_a_url_together_or_neither_is_refused(client, world):
    file_id = upload_pdf(client, world.teacher_a)
    both = post(client, world.teacher_a, URL, body(kind="courseware", file_id=file_id))
    neither = post(client, world.teacher_a, URL, body(kind="courseware", url=""))
    assert both.json()["code"] == neither.json()["code"] == "classroom.file_or_url"


def test_someone_elses_file_cannot_be_attached(client, world):
    file_id = upload_pdf(client, world.head_teacher_a)
    got = post(client, world.teacher_a, URL, body(kind="courseware", url="", file_id=file_id))
    assert got.json()["code"] == "classroom.file_not_yours"


def test_a_link_resource_needs_a_url(client, world):
    file_id = upload_pdf(client, world.teacher_a)
    got = post(client, world.teacher_a, URL, body(kind="video", url="", file_id=file_id))
    assert got.json()["code"] == "classroom.link_needs_url"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "https://", "http://exa mple.org",
                                 "data:text/html,hi", "//example.org/x"])
def test_only_whole_http_addresses_are_links(client, world, url):
    got = post(client, world.teacher_a, URL, body(url=url))
    assert got.status_code == 400 and got.json()["code"] == "classroom.url_invalid"


def test_title_stage_grade_and_chapter_are_checked(client, world):
    _, chapter, _ = math_book(world)
    assert post(client, world.teacher_a, URL, body(title="  ")).json()["code"] == "classroom.title_required"
    assert post(client, world.teacher_a, URL, body(stage="junior", grade=3)).json()["code"] == \
        "classroom.placement_invalid"
    assert post(client, world.teacher_a, URL, body(subject="语文", chapter_id=chapter.pk)).json()["code"] == \
        "classroom.chapter_mismatch"
    assert post(client, world.teacher_a, URL, body(chapter_id=10**9)).json()["code"] == "classroom.chapter_not_found"


def test_students_and_parents_cannot_keep_resources(client, world):
    for account in (world.student_a, world.parent_a):
        got = post(client, account, URL, body())
        assert got.status_code == 403 and got.json()["code"] == "classroom.not_keeper"


def test_sharing_only_me_school_and_district(client, world):
    only_me = make(client, world.teacher_a, title="私", sharing="me")
    school = make(client, world.teacher_a, title="校", sharing="school")
    district = make(client, world.teacher_a, title="区", sharing="district")
    student = {r["id"] for r in browse(client, world.student_a, term="first").json()["resources"]}
    assert student == {school["id"], district["id"]}
    teacher = {r["id"] for r in client.get(URL + "mine", **bearer(world.head_teacher_a)).json()}
    assert teacher == {school["id"], district["id"]}
    own = client.get(URL + "mine", {"shared": "false"}, **bearer(world.teacher_a)).json()
    assert {r["id"] for r in own} == {only_me["id"], school["id"], district["id"]}
    assert all(r["mine"] for r in own)
    # Another school of the same district sees the district's, never the school's.
    neighbour = make_student(make_class(_school_in(world.district_x), 1), "邻校")
    assert {r["id"] for r in browse(client, neighbour, term="first").json()["resources"]} == {district["id"]}
    # School B of another district sees none of them.
    assert browse(client, world.student_b, term="first").json()["resources"] == []


def _school_in(district):
    from tests.factories import SchoolFactory

    return SchoolFactory(district=district)


def test_region_admin_shares_with_their_whole_region(client, world):
    city = make(client, world.city_admin, title="市级", sharing="district")
    assert city["school_id"] is None and city["region_id"] == world.city.pk
    for student in (world.student_a, world.student_b):
        assert [r["id"] for r in browse(client, student, term="first").json()["resources"]] == [city["id"]]
    other_city = make_region_admin(_other_city(world), "外市管理员")
    got = client.get(URL + f"{city['id']}", **bearer(other_city))
    assert got.status_code == 404 and got.json()["code"] == "classroom.not_found"


def _other_city(world):
    from renrentong.orgs.models import Region

    return Region.objects.create(kind="city", name="株洲市", code="430200", parent=world.province)


def test_owner_edits_and_deletes_others_cannot(client, world):
    made = make(client, world.teacher_a)
    changed = client.put(URL + f"{made['id']}", json.dumps(body(title="改过", sharing="district")),
                         content_type="application/json", **bearer(world.teacher_a))
    assert changed.status_code == 200 and changed.json()["title"] == "改过"
    other = client.put(URL + f"{made['id']}", json.dumps(body()), content_type="application/json",
                       **bearer(world.head_teacher_a))
    assert other.status_code == 403 and other.json()["code"] == "classroom.not_owner"
    assert client.delete(URL + f"{made['id']}", **bearer(world.head_teacher_a)).json()["code"] == "classroom.not_owner"
    assert client.delete(URL + f"{made['id']}", **bearer(world.teacher_a)).status_code == 204
    assert not Resource.objects.exists()
    assert list(AuditEvent.objects.filter(verb__startswith="classroom.").values_list("verb", flat=True)
                .order_by("pk")) == ["classroom.create", "classroom.update", "classroom.delete"]


def test_school_admin_takes_down_a_shared_resource_with_a_reason(client, world):
    made = make(client, world.teacher_a)
    private = make(client, world.teacher_a, sharing="me")
    path = URL + f"{made['id']}/take-down"
    assert post(client, world.school_admin_a, path, {"reason": " "}).json()["code"] == "classroom.reason_required"
    got = post(client, world.school_admin_a, path, {"reason": "内容有误"})
    assert got.status_code == 200 and got.json()["taken_down_reason"] == "内容有误"
    assert post(client, world.school_admin_a, path, {"reason": "再次"}).json()["code"] == "classroom.already_down"
    assert browse(client, world.student_a, term="first").json()["resources"] == []
    owner_view = client.get(URL + f"{made['id']}", **bearer(world.teacher_a)).json()
    assert owner_view["taken_down_reason"] == "内容有误"
    assert client.get(URL + f"{made['id']}", **bearer(world.head_teacher_a)).status_code == 404
    assert post(client, world.school_admin_a, URL + f"{private['id']}/take-down",
                {"reason": "x"}).json()["code"] == "classroom.not_found"
    assert post(client, world.teacher_a, path, {"reason": "x"}).json()["code"] == "classroom.not_takedown"
    assert post(client, world.school_admin_b, path, {"reason": "x"}).json()["code"] == "classroom.not_found"
    event = AuditEvent.objects.get(verb="classroom.take_down")
    assert event.details["reason"] == "内容有误"


def test_recommended_courses_of_school_and_regions_reach_students(client, world):
    shared = make(client, world.teacher_a, title="好课")
    city = make(client, world.city_admin, title="市课", sharing="district")
    school = post(client, world.school_admin_a, URL + "recommendations",
                  {"resource_id": shared["id"], "stage": "primary", "subject": "数学", "term": "first"})
    assert school.status_code == 201, school.content
    by_city = post(client, world.city_admin, URL + "recommendations",
                   {"resource_id": city["id"], "stage": "primary", "subject": "数学", "term": "first", "note": "寒假"})
    assert by_city.status_code == 201
    again = post(client, world.city_admin, URL + "recommendations",
                 {"resource_id": city["id"], "stage": "primary", "subject": "数学", "term": "first"})
    assert again.status_code == 409 and again.json()["code"] == "classroom.already_recommended"
    seen_a = {c["title"] for c in browse(client, world.student_a, term="first").json()["recommended"]}
    seen_b = {c["title"] for c in browse(client, world.student_b, term="first").json()["recommended"]}
    assert seen_a == {"好课", "市课"} and seen_b == {"市课"}
    assert browse(client, world.student_a, term="second").json()["recommended"] == []
    listed = client.get(URL + "recommendations", **bearer(world.school_admin_a)).json()
    assert [c["title"] for c in listed] == ["好课"]
    assert client.delete(URL + f"recommendations/{by_city.json()['id']}",
                         **bearer(world.school_admin_a)).json()["code"] == "classroom.recommendation_not_found"
    assert client.delete(URL + f"recommendations/{by_city.json()['id']}", **bearer(world.city_admin)).status_code == 204


def test_only_admins_recommend_and_only_shared_resources(client, world):
    private = make(client, world.school_admin_a, sharing="me")
    wanted = {"resource_id": private["id"], "stage": "primary", "subject": "数学", "term": "first"}
    assert post(client, world.teacher_a, URL + "recommendations", wanted).json()["code"] == "classroom.not_recommender"
    assert post(client, world.school_admin_a, URL + "recommendations", wanted).json()["code"] == \
        "classroom.recommend_private"


def test_exports_of_my_and_the_schools_resources(client, world):
    make(client, world.teacher_a, title="=HYPERLINK(\"http://x\")")
    mine = client.get(URL + "mine/export", **bearer(world.teacher_a))
    assert mine.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(mine.content)).get_sheet_by_index(0).to_python()
    values = [v for row in rows for v in row if v]
    assert "标题" in values and not any(str(v).startswith("=") for v in values)
    school = client.get(URL + "school/export", **bearer(world.school_admin_a))
    assert school.status_code == 200
    assert client.get(URL + "school/export", **bearer(world.teacher_a)).json()["code"] == "classroom.not_takedown"
    assert AuditEvent.objects.filter(verb="classroom.export").count() == 2


def test_long_lists_export_as_tasks_with_the_same_filters(client, world, big_exports):
    make(client, world.teacher_a, title="测量 微课")
    make(client, world.teacher_a, title="四年级的课", grade=4)
    mine = api_job(client.get(URL + "mine/export", {"grade": 3}, **bearer(world.teacher_a)))
    made = written(mine, world.teacher_a)
    assert "测量 微课" in made and "四年级的课" not in made  # the filters travel with the job
    school = api_job(client.get(URL + "school/export", **bearer(world.school_admin_a)))
    assert {"测量 微课", "四年级的课"} <= set(written(school, world.school_admin_a))
    # Refused before any job is made: the school's list is its admin's.
    assert client.get(URL + "school/export", **bearer(world.teacher_a)).json()["code"] == "classroom.not_takedown"
    assert AuditEvent.objects.filter(verb="classroom.export").count() == 2


def test_chapters_for_the_filter(client, world):
    math_book(world)
    got = client.get(URL + "chapters", {"subject": "数学", "grade": 3, "term": "first"}, **bearer(world.student_a))
    assert [c["number"] for c in got.json()] == ["3", "3.1"]
    assert client.get(URL + "chapters", **bearer(world.parent_a)).json()["code"] == "classroom.switch_to_child"


def test_parent_of_a_young_child_also_gets_switch_message(client, world):
    child = make_student(make_class(world.school_a, 8, enrollment_year=2025), "小二")
    parent = make_parent(child, name="家长")
    assert browse(client, parent).json()["code"] == "classroom.switch_to_child"


def test_demo_resources_sit_on_the_demo_chapters_and_reach_the_students(client, world, monkeypatch):
    from renrentong.demo.classroom import publish_demo_resources
    from renrentong.demo.textbooks import install_demo_textbooks

    monkeypatch.setattr("renrentong.resources.classroom.selectors.today", lambda: date(2026, 10, 12))
    install_demo_textbooks(world.province)
    made = publish_demo_resources()
    assert len(made) >= 7 and Resource.objects.filter(chapter__isnull=True).count() == 0
    data = browse(client, world.student_a).json()
    assert {r["subject"] for r in data["resources"]} == {"数学", "语文"}
    assert {c["title"] for c in data["recommended"]} >= {"时、分、秒 微课"}
