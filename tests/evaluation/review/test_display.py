"""Public display (公示, issue 14 item 4): the school admin opens a display of approved material for a period
(the whole school or a grade); during it the school's students, parents and teachers see title, text, item,
the student's name and class only (never ID numbers, phones or health items); anyone of the school objects
with a reason; the admin upholds (the record fails with the note as its reason) or dismisses with a note."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.evaluation.models import WrittenRecord

from tests.evaluation.helpers import call, refused
from tests.evaluation.review.conftest import submit
from tests.factories import as_user, make_school_admin, make_teacher, open_evaluation_windows


def today():
    # Read when a test runs, not when the module is collected: a run that crosses midnight in Shanghai
    # would otherwise send yesterday's date.
    return timezone.localdate()


@pytest.fixture
def approved(world, catalogue):
    """Approved records of school A: volunteer service (A1), reading (A2) and a sports record (health, A1);
    one of school B."""
    open_evaluation_windows(world)
    made = {"a1": submit(world.student_a, "volunteer_service", "社区志愿服务三次"),
            "a2": submit(world.student_a2, "reading", "读完《草房子》"),
            "health": submit(world.parent_a, "sports_exercise", "每天跳绳一千下"),
            "b1": submit(world.student_b, "reading", "读完《城南旧事》")}
    for admin, keys in ((world.school_admin_a, ("a1", "a2", "health")), (world.school_admin_b, ("b1",))):
        outcome = call("post", "/review/decisions", admin, {"record_ids": [made[k] for k in keys], "approve": True})
        assert all(o["decided"] for o in outcome.json()), outcome.content
    return made


def open_display(admin, status=201, **fields):
    body = {"title": "2026 学年综评材料公示", "starts_on": str(today()), "ends_on": str(today() + timedelta(days=6)), **fields}
    response = call("post", "/review/displays", admin, body)
    assert response.status_code == status, response.content
    return response.json()


def shown(account, display_id) -> dict[int, dict]:
    response = call("get", f"/review/displays/{display_id}/records", account)
    assert response.status_code == 200, response.content
    return {r["record_id"]: r for r in response.json()}


def test_the_school_sees_its_approved_material_but_never_health_items(world, approved):
    display = open_display(world.school_admin_a)
    assert display["running"] and display["grade_id"] is None
    for role in ("student_a", "parent_a", "teacher_a", "head_teacher_a", "school_admin_a", "student_a2"):
        seen = shown(getattr(world, role), display["id"])
        assert sorted(seen) == sorted([approved["a1"], approved["a2"]]), role
    row = shown(world.parent_a, display["id"])[approved["a2"]]
    assert set(row) == {"record_id", "title", "text", "item_label", "dimension_label", "student_name", "class_name",
                        "my_objection"}
    assert row["student_name"] == world.student_a2.person.name and row["text"] == "读完《草房子》"
    assert row["class_name"]
    listed = call("get", "/review/displays", world.student_a).json()
    assert [d["id"] for d in listed] == [display["id"]]
    for role in ("student_b", "parent_b", "teacher_b", "school_admin_b", "district_admin_x", "city_admin"):
        refused(call("get", f"/review/displays/{display['id']}/records", getattr(world, role)),
                "evaluation.display_not_found", 404)
    assert call("get", "/review/displays", world.student_b).json() == []
    event = AuditEvent.objects.get(verb="evaluation.display_open")
    assert event.details["records"] == 2 and event.school_id == world.school_a.pk


def test_the_page_shows_names_and_classes_never_numbers(world, approved, settings):
    settings.LANGUAGE_CODE = "en"
    open_display(world.school_admin_a)
    html = as_user(Client(), world.parent_a).get("/evaluation/display/").content.decode()
    assert "社区志愿服务三次" in html and "读完《草房子》" in html and "每天跳绳一千下" not in html
    person = world.student_a2.person
    assert person.name in html
    assert person.reveal_id_number() not in html and world.parent_a.phone not in html
    assert not re.search(r"1[3-9]\d{9}", html)
    assert 'class="rr-phone"' in html


def test_a_display_of_one_grade_and_the_dates(world, approved):
    other_grade = world.class_b1.cohort_id  # not of school A
    refused(call("post", "/review/displays", world.school_admin_a, {
        "starts_on": str(today()), "ends_on": str(today()), "grade_id": other_grade}), "evaluation.remit_not_in_school", 404)
    refused(call("post", "/review/displays", world.school_admin_a, {
        "starts_on": str(today()), "ends_on": str(today() - timedelta(days=1))}), "evaluation.display_dates", 400)
    refused(call("post", "/review/displays", world.school_admin_a, {
        "starts_on": str(today()), "ends_on": str(today() + timedelta(days=90))}), "evaluation.display_dates", 400)
    refused(call("post", "/review/displays", world.school_admin_a, {
        "title": " ", "starts_on": str(today()), "ends_on": str(today())}), "evaluation.display_title", 400)
    grade = open_display(world.school_admin_a, grade_id=world.class_a1.cohort_id)
    assert grade["grade_id"] == world.class_a1.cohort_id
    later = open_display(world.school_admin_a, starts_on=str(today() + timedelta(days=3)))
    assert not later["running"]
    refused(call("get", f"/review/displays/{later['id']}/records", world.student_a), "evaluation.display_not_found", 404)


def test_nothing_approved_nothing_displayed(world, catalogue):
    refused(call("post", "/review/displays", world.school_admin_a, {
        "starts_on": str(today()), "ends_on": str(today())}), "evaluation.display_nothing", 409)


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a", "student_a", "parent_a", "district_admin_x"])
def test_only_the_school_admin_opens_closes_and_resolves(world, approved, role):
    display = open_display(world.school_admin_a)
    account = getattr(world, role)
    refused(call("post", "/review/displays", account, {"starts_on": str(today()), "ends_on": str(today())}),
            "evaluation.not_school_admin", 403)
    refused(call("post", f"/review/displays/{display['id']}/close", account), "evaluation.not_school_admin", 403)
    refused(call("get", "/review/objections", account), "evaluation.not_school_admin", 403)
    refused(call("post", "/review/objections/1/resolve", account, {"uphold": True, "note": "x"}),
            "evaluation.not_school_admin", 403)


def test_an_upheld_objection_fails_the_record_with_the_note(world, approved):
    display = open_display(world.school_admin_a)
    refused(call("post", f"/review/displays/{display['id']}/objections", world.parent_a,
                 {"record_id": approved["a2"], "reason": "  "}), "evaluation.objection_reason_required", 400)
    refused(call("post", f"/review/displays/{display['id']}/objections", world.parent_a,
                 {"record_id": approved["health"], "reason": "不实"}), "evaluation.record_not_found", 404)
    lodged = call("post", f"/review/displays/{display['id']}/objections", world.parent_a,
                  {"record_id": approved["a2"], "reason": "这本书是上学期读的"})
    assert lodged.status_code == 201 and lodged.json()["state"] == "open"
    again = call("post", f"/review/displays/{display['id']}/objections", world.parent_a,
                 {"record_id": approved["a2"], "reason": "再说一次"})
    assert again.status_code == 200 and again.json()["id"] == lodged.json()["id"]
    assert shown(world.parent_a, display["id"])[approved["a2"]]["my_objection"] == "open"
    teacher = call("post", f"/review/displays/{display['id']}/objections", world.teacher_a,
                   {"record_id": approved["a1"], "reason": "日期不对"})
    assert teacher.status_code == 201
    objections = call("get", "/review/objections", world.school_admin_a, state="open").json()
    assert {o["id"] for o in objections} == {lodged.json()["id"], teacher.json()["id"]}
    refused(call("post", f"/review/objections/{lodged.json()['id']}/resolve", world.school_admin_a,
                 {"uphold": True, "note": ""}), "evaluation.objection_note_required", 400)
    upheld = call("post", f"/review/objections/{lodged.json()['id']}/resolve", world.school_admin_a,
                  {"uphold": True, "note": "材料时间不在本学年，请补充本学年的阅读材料"})
    assert upheld.status_code == 200 and upheld.json()["state"] == "upheld"
    record = WrittenRecord.objects.get(pk=approved["a2"])
    assert record.state == "failed" and record.reason.startswith("材料时间不在本学年")
    assert call("get", f"/records/{approved['a2']}", world.student_a2).json()["reason"] == record.reason
    assert approved["a2"] not in shown(world.student_a, display["id"])
    # A second admin resolving it is told who did first; nothing changes.
    other = make_school_admin(world.school_a)
    body = refused(call("post", f"/review/objections/{lodged.json()['id']}/resolve", other,
                        {"uphold": False, "note": "驳回"}), "evaluation.objection_resolved", 409)
    assert world.school_admin_a.person.name in body["message"]
    dismissed = call("post", f"/review/objections/{teacher.json()['id']}/resolve", world.school_admin_a,
                     {"uphold": False, "note": "日期核实无误"})
    assert dismissed.json()["state"] == "dismissed"
    assert WrittenRecord.objects.get(pk=approved["a1"]).state == "approved"
    refused(call("post", "/review/objections/999999/resolve", world.school_admin_a, {"uphold": True, "note": "x"}),
            "evaluation.objection_not_found", 404)
    refused(call("post", f"/review/objections/{teacher.json()['id']}/resolve", world.school_admin_b,
                 {"uphold": True, "note": "x"}), "evaluation.objection_not_found", 404)
    verbs = list(AuditEvent.objects.filter(verb__startswith="evaluation.objection").values_list("verb", flat=True))
    assert sorted(verbs) == ["evaluation.objection", "evaluation.objection", "evaluation.objection_dismiss",
                             "evaluation.objection_uphold"]


def test_objections_only_while_the_display_runs(world, approved):
    display = open_display(world.school_admin_a)
    closed = call("post", f"/review/displays/{display['id']}/close", world.school_admin_a)
    assert closed.status_code == 200 and closed.json()["closed"] and not closed.json()["running"]
    refused(call("post", f"/review/displays/{display['id']}/objections", world.parent_a,
                 {"record_id": approved["a2"], "reason": "不实"}), "evaluation.display_not_found", 404)
    from renrentong.accounts.access import actor_for
    from renrentong.evaluation.models import PublicDisplay
    from renrentong.evaluation.review import services
    from renrentong.core.errors import UserFacingError

    PublicDisplay.objects.filter(pk=display["id"]).update(closed_at=None)
    admin = actor_for(world.school_admin_a, world.school_admin_a.identities.get())
    PublicDisplay.objects.filter(pk=display["id"]).update(ends_on=today() - timedelta(days=1),
                                                          starts_on=today() - timedelta(days=3))
    with pytest.raises(UserFacingError) as refusal:
        services.lodge_objection(admin, display["id"], approved["a2"], "不实")
    assert refusal.value.code == "evaluation.display_not_running"


def test_the_displays_page_opens_resolves_and_exports(world, approved, settings):
    settings.LANGUAGE_CODE = "en"
    admin = as_user(Client(), world.school_admin_a)
    page = admin.get("/evaluation/review/displays/")
    assert page.status_code == 200 and 'class="rr-console"' in page.content.decode()
    bad = admin.post("/evaluation/review/displays/", {"action": "open", "title": "公示", "starts_on": str(today()),
                                                      "ends_on": str(today() - timedelta(days=2))})
    assert bad.status_code == 400 and 'data-code="evaluation.display_dates"' in bad.content.decode()
    assert admin.post("/evaluation/review/displays/", {"action": "open", "title": "公示", "starts_on": str(today()),
                                                       "ends_on": str(today() + timedelta(days=2))}).status_code == 302
    display_id = call("get", "/review/displays", world.school_admin_a).json()[0]["id"]
    parent = as_user(Client(), world.parent_a)
    missing = parent.post("/evaluation/display/", {"display_id": display_id, "record_id": approved["a1"], "reason": ""})
    assert missing.status_code == 400 and 'data-code="evaluation.objection_reason_required"' in missing.content.decode()
    assert parent.post("/evaluation/display/", {"display_id": display_id, "record_id": approved["a1"],
                                                "reason": "不是本人做的"}).status_code == 302
    assert "不是本人做的" in parent.get("/evaluation/display/").content.decode()
    objection = call("get", "/review/objections", world.school_admin_a).json()[0]["id"]
    listed = admin.get("/evaluation/review/displays/").content.decode()
    assert "不是本人做的" in listed and world.parent_a.person.name in listed
    empty_note = admin.post("/evaluation/review/displays/", {"action": "dismiss", "objection_id": objection, "note": ""})
    assert empty_note.status_code == 400
    assert admin.post("/evaluation/review/displays/", {"action": "dismiss", "objection_id": objection,
                                                       "note": "经核实属实"}).status_code == 302
    export = admin.get("/evaluation/review/displays/", {"export": "xlsx", "state": "dismissed"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "编号" and len(rows) == 2 and "不是本人做的" in rows[1]
    assert all(world.parent_a.phone not in str(r) for r in rows)
    api = call("get", "/review/objections/export", world.school_admin_a, state="open")
    assert api.status_code == 200
    assert len(CalamineWorkbook.from_filelike(io.BytesIO(api.content)).get_sheet_by_index(0).to_python()) == 1
    assert admin.post("/evaluation/review/displays/", {"action": "close", "display_id": display_id}).status_code == 302
    assert "The school has no public display" in parent.get("/evaluation/display/").content.decode()
    assert AuditEvent.objects.filter(verb="evaluation.objections_export").count() == 2
    assert as_user(Client(), world.teacher_a).get("/evaluation/review/displays/").status_code == 403
    assert as_user(Client(), world.district_admin_x).get("/evaluation/display/").status_code == 404
    assert as_user(Client(), make_teacher(world.school_b)).get("/evaluation/display/").status_code == 200
