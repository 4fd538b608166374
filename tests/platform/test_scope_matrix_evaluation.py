"""NFR-2 for evaluation (issue 14): school B's written records stay out of reach of every role of school A
and district X, whatever id is put in a URL or a body, through the API and the pages; every refusal has the
one error shape, and no response carries a full ID number or phone (the foundation matrix's reader)."""

from __future__ import annotations

import json

import pytest

from tests.accounts.test_scope_matrix import ROLES_OF_A, Reader
from tests.factories import as_user, bearer, make_evaluation_catalogue, open_evaluation_windows
from tests.platform.test_scope_matrix_messaging import assert_refused


@pytest.fixture
def reader(client, world):
    return Reader(client, world)


@pytest.fixture
def record_b(client, world):
    """A submitted record of student B, made through the API by B's parent."""
    make_evaluation_catalogue(world.city)
    open_evaluation_windows(world)
    from renrentong.evaluation.models import EvidenceItem

    item = EvidenceItem.objects.get(code="volunteer_service")
    made = client.post("/api/v1/evaluation/records", json.dumps({
        "text": "社区服务", "happened_on": "2026-10-01", "item_id": item.pk}), content_type="application/json",
        **bearer(world.parent_b))
    assert made.status_code == 201, made.content
    draft = client.post("/api/v1/evaluation/records", json.dumps({"text": "草稿", "happened_on": "2026-10-02"}),
                        content_type="application/json", **bearer(world.student_b))
    submitted = client.post("/api/v1/evaluation/submissions", json.dumps({"record_ids": [made.json()["id"]]}),
                            content_type="application/json", **bearer(world.parent_b))
    assert submitted.status_code == 200, submitted.content
    return {"pending": made.json()["id"], "draft": draft.json()["id"], "student": world.student_b.person_id}


WRITES = {
    "edit": ("patch", "/api/v1/evaluation/records/{draft}", {"text": "改"}),
    "delete": ("delete", "/api/v1/evaluation/records/{draft}", None),
    "withdraw": ("post", "/api/v1/evaluation/records/{pending}/withdraw", {}),
    "reopen": ("post", "/api/v1/evaluation/records/{pending}/reopen", {}),
    "decide": ("post", "/api/v1/evaluation/records/{pending}/decision", {"approve": True}),
    "submit": ("post", "/api/v1/evaluation/submissions", {"record_ids": ["{draft}"]}),
    "write for B's child": ("post", "/api/v1/evaluation/records", {"text": "x", "happened_on": "2026-10-01",
                                                                    "student_id": "{student}"}),
}


def _filled(value, ids):
    if isinstance(value, str) and value.startswith("{"):
        return ids[value.strip("{}")]
    if isinstance(value, list):
        return [_filled(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES_OF_A + ["city_admin", "province_admin"])
def test_role_outside_school_b_cannot_read_its_records(reader, world, record_b, role):
    for record in (record_b["pending"], record_b["draft"]):
        assert_refused(reader.api(role, f"/api/v1/evaluation/records/{record}"))
    listed = reader.api(role, "/api/v1/evaluation/records", student_id=record_b["student"])
    assert listed.status_code == 200 and listed.json() == []


@pytest.mark.parametrize("what", WRITES)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_change_school_bs_records(client, world, record_b, role, what):
    method, url, body = WRITES[what]
    headers = bearer(getattr(world, role))
    target = url.format(**record_b)
    if method == "delete":
        response = client.delete(target, **headers)
    else:
        response = getattr(client, method)(target, json.dumps(_filled(body, record_b)),
                                          content_type="application/json", **headers)
    # Roles that keep no material at all (teachers, admins) may be told so with a 403.
    assert_refused(response, (403, 404))
    if role in ("student_a", "parent_a"):
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_open_school_bs_record_pages(client, world, record_b, role):
    as_user(client, getattr(world, role))
    for record in (record_b["pending"], record_b["draft"]):
        assert client.get(f"/evaluation/records/{record}/").status_code == 404
        assert client.post(f"/evaluation/records/{record}/withdraw/").status_code == 404
        assert client.post(f"/evaluation/records/{record}/delete/").status_code == 404
    if role in ("student_a", "parent_a"):
        assert client.get(f"/evaluation/growth/?student={record_b['student']}").status_code == 404


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_school_bs_records_are_never_in_school_as_review_queue_nor_decided_by_it(client, world, record_b, role):
    queue = client.get("/api/v1/evaluation/review", {"state": "pending"}, **bearer(getattr(world, role)))
    if queue.status_code == 200:
        assert record_b["pending"] not in [r["id"] for r in queue.json()["items"]]
    else:
        assert_refused(queue, (403,))
    decided = client.post("/api/v1/evaluation/review/decisions", json.dumps({"record_ids": [record_b["pending"]],
                                                                             "approve": True}),
                          content_type="application/json", **bearer(getattr(world, role)))
    if decided.status_code == 200:
        assert decided.json()[0]["decided"] is False
    else:
        assert_refused(decided, (403,))
    from renrentong.evaluation.models import WrittenRecord

    assert WrittenRecord.objects.get(pk=record_b["pending"]).state == "pending"


# Peer evaluation (EVA-5): school B's grade-9 class, its ratings, switch and aggregates ---------------------

@pytest.fixture
def peer_b(world):
    """Grade-9 classes in A and B, peer evaluation open everywhere, and one rating made inside B."""
    from django.test import Client

    from renrentong.evaluation.models import PeerCriterion
    from tests.factories import make_peer_class, open_peer_evaluation

    _, (a_nine, *_a) = make_peer_class(world, 2)
    b_class, (b_one, b_two, *_b) = make_peer_class(world, 3, school=world.school_b)
    open_peer_evaluation(world)
    grades = [{"criterion_id": c.pk, "grade": "A"} for c in PeerCriterion.objects.all()]
    made = Client().post("/api/v1/evaluation/peer/ratings", json.dumps({"classmate_id": b_two.person_id,
                                                                         "grades": grades}),
                         content_type="application/json", **bearer(b_one))
    assert made.status_code == 201, made.content
    return {"class": b_class.pk, "grade": b_class.cohort_id, "student": b_one.person_id, "grades": grades,
            "a_nine": a_nine}


PEER_ROLES = ROLES_OF_A + ["a_nine", "city_admin", "province_admin"]


def _account(world, peer_b, role):
    return peer_b["a_nine"] if role == "a_nine" else getattr(world, role)


@pytest.mark.parametrize("role", PEER_ROLES)
def test_no_role_of_school_a_rates_school_bs_students_nor_sees_them(client, world, peer_b, role):
    from renrentong.evaluation.models import PeerRating

    headers = bearer(_account(world, peer_b, role))
    rated = client.post("/api/v1/evaluation/peer/ratings", json.dumps({"classmate_id": peer_b["student"],
                                                                       "grades": peer_b["grades"]}),
                        content_type="application/json", **headers)
    assert_refused(rated, (403, 404))
    if role == "a_nine":
        assert rated.status_code == 404 and rated.json()["code"] == "evaluation.peer_not_classmate"
    me = client.get("/api/v1/evaluation/peer/me", **headers)
    if me.status_code == 200:
        assert peer_b["student"] not in [c["id"] for c in me.json()["classmates"]]
    else:
        assert_refused(me, (403,))
    assert PeerRating.objects.filter(rater__enrollments__school=world.school_a).count() == 0
    as_user(client, _account(world, peer_b, role))
    page = client.get(f"/evaluation/peer/classmates/{peer_b['student']}/")
    assert page.status_code in (403, 404)


@pytest.mark.parametrize("role", PEER_ROLES)
def test_no_role_of_school_a_reads_school_bs_peer_aggregates(client, world, peer_b, role):
    headers = bearer(_account(world, peer_b, role))
    for path in ("/api/v1/evaluation/peer/results", "/api/v1/evaluation/peer/results.xlsx"):
        for asked in ({"class_id": peer_b["class"]}, {"grade_id": peer_b["grade"]}):
            response = client.get(path, asked, **headers)
            assert_refused(response, (403, 404))
            if role == "school_admin_a":
                assert response.status_code == 404
    own = client.get("/api/v1/evaluation/peer/results", **headers)
    if own.status_code == 200:
        assert all(r["student_id"] != peer_b["student"] for r in own.json()["rows"])
    else:
        assert_refused(own, (403,))


@pytest.mark.parametrize("role", PEER_ROLES)
def test_no_role_of_school_a_turns_school_bs_peer_switch(client, world, peer_b, role):
    from renrentong.evaluation.models import PeerSwitch

    response = client.put("/api/v1/evaluation/peer/switches", json.dumps({"school_year": 2026, "on": False}),
                          content_type="application/json", **bearer(_account(world, peer_b, role)))
    if response.status_code != 200:
        assert_refused(response, (403,))
    assert PeerSwitch.objects.get(school_id=world.school_b.pk).is_on is True
    if role == "city_admin":
        assert PeerSwitch.objects.get(region_id=world.city.pk).is_on is False
# Progress (EVA-4): school B's figures, classes, students and reminders, from every role of school A and
# district X; city and province admins see both schools' rows by right (tests/evaluation/progress).

PROGRESS_READS = {
    "school B's classes": ("/api/v1/evaluation/progress/classes", {"school_id": "{school}"}),
    "school B's students": ("/api/v1/evaluation/progress/students", {"school_id": "{school}"}),
    "class B1's students": ("/api/v1/evaluation/progress/students", {"class_id": "{class}"}),
    "student B": ("/api/v1/evaluation/progress/students/{student}", {}),
    "student B as a child": ("/api/v1/evaluation/progress/mine", {"student_id": "{student}"}),
    "school B's export": ("/api/v1/evaluation/progress/export", {"level": "students", "school_id": "{school}"}),
}


@pytest.fixture
def progress_b(world):
    make_evaluation_catalogue(world.city)
    from tests.factories import make_written_records

    make_written_records(world.student_b, draft=2)
    return {"school": world.school_b.pk, "class": world.class_b1.pk, "student": world.student_b.person_id}


@pytest.mark.parametrize("what", PROGRESS_READS)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_read_school_bs_progress(reader, world, progress_b, role, what):
    url, params = PROGRESS_READS[what]
    response = reader.api(role, url.format(**progress_b), **{k: v.format(**progress_b) for k, v in params.items()})
    assert_refused(response, (403, 404))


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_school_bs_rows_are_in_no_progress_table_of_school_a_or_district_x(reader, world, progress_b, role):
    for url in ("/api/v1/evaluation/progress/schools", "/api/v1/evaluation/progress/classes",
                "/api/v1/evaluation/progress/students"):
        response = reader.api(role, url)
        if response.status_code != 200:
            assert_refused(response, (403, 404))
            continue
        text = response.content.decode()
        assert world.school_b.name not in text and world.student_b.person.name not in text


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_remind_school_b(client, world, progress_b, role):
    from renrentong.notices.models import Notice

    for body in ({"school_id": world.school_b.pk}, {"class_id": world.class_b1.pk}):
        response = client.post("/api/v1/evaluation/progress/reminders", json.dumps(body),
                               content_type="application/json", **bearer(getattr(world, role)))
        assert_refused(response, (403, 404))
    assert not Notice.objects.exists()


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_open_school_bs_progress_pages(client, world, progress_b, role):
    as_user(client, getattr(world, role))
    for url in (f"/evaluation/progress/?school={world.school_b.pk}", f"/evaluation/progress/?class_id={world.class_b1.pk}",
                f"/evaluation/progress/students/{world.student_b.person_id}/",
                f"/evaluation/progress/?school={world.school_b.pk}&level=students&export=xlsx"):
        assert client.get(url).status_code in (403, 404), url
# The archive (综合素质档案, issue 14 item 8) and filing activity material (item 9) ---------------------------

@pytest.mark.parametrize("role", ROLES_OF_A + ["city_admin", "province_admin"])
def test_role_outside_school_b_cannot_read_a_school_b_students_archive(client, world, record_b, role):
    headers = bearer(getattr(world, role))
    assert_refused(client.get(f"/api/v1/evaluation/archive/students/{record_b['student']}/pdf", **headers))
    as_user(client, getattr(world, role))
    assert client.get(f"/evaluation/archive/students/{record_b['student']}/pdf/").status_code == 404
    if role == "school_admin_a":
        assert client.get(f"/evaluation/archive/classes/{world.class_b1.pk}/").status_code == 404
        response = client.post("/evaluation/archive/export/", {"class_id": world.class_b1.pk})
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_file_a_school_b_childs_attendance(client, world, role):
    from datetime import timedelta

    from django.utils import timezone

    from renrentong.activities.models import Activity
    from renrentong.evaluation.models import WrittenRecord
    from tests.factories import make_activity

    activity = make_activity(world.school_admin_b)
    signed = client.post(f"/api/v1/activities/{activity.pk}/sign-ups", json.dumps({"child_id": world.student_b.person_id}),
                         content_type="application/json", **bearer(world.parent_b)).json()
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    client.post(f"/api/v1/activities/{activity.pk}/attendance", json.dumps({"attended": [signed["id"]]}),
                content_type="application/json", **bearer(world.school_admin_b))
    headers = bearer(getattr(world, role))
    assert_refused(client.post(f"/api/v1/activities/sign-ups/{signed['id']}/material", "{}",
                               content_type="application/json", **headers))
    assert_refused(client.post(f"/api/v1/activities/{activity.pk}/attendance/material", "{}",
                               content_type="application/json", **headers), (403, 404))
    assert not WrittenRecord.objects.exists()


# The review (issue 14 item 4): school B's reviewer appointment, public display and objection stay out of
# reach of every role of school A and district X (and the city and province admins, who review nothing).

@pytest.fixture
def review_b(client, world, record_b):
    from datetime import timedelta

    from django.utils import timezone

    def send(method, url, account, body=None):
        return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json", **bearer(account))

    admin = world.school_admin_b
    decided = send("post", "/api/v1/evaluation/review/decisions", admin, {"record_ids": [record_b["pending"]],
                                                                           "approve": True})
    assert decided.json()[0]["decided"], decided.content
    appointment = send("post", "/api/v1/evaluation/review/reviewers", admin,
                       {"teacher_id": world.teacher_b.identities.get().pk, "whole_school": True})
    assert appointment.status_code == 201, appointment.content
    today = timezone.localdate()
    display = send("post", "/api/v1/evaluation/review/displays", admin,
                   {"starts_on": str(today), "ends_on": str(today + timedelta(days=3))})
    assert display.status_code == 201, display.content
    objection = send("post", f"/api/v1/evaluation/review/displays/{display.json()['id']}/objections", world.parent_b,
                     {"record_id": record_b["pending"], "reason": "不实"})
    assert objection.status_code == 201, objection.content
    return {**record_b, "appointment": appointment.json()["id"], "display": display.json()["id"],
            "objection": objection.json()["id"], "teacher_b": world.teacher_b.identities.get().pk}


REVIEW_WRITES = {
    "decide": ("post", "/api/v1/evaluation/review/records/{pending}/decision", {"approve": False, "reason": "x"}),
    "open a file": ("get", "/api/v1/evaluation/review/records/{pending}/files/1", None),
    "appoint B's teacher": ("post", "/api/v1/evaluation/review/reviewers", {"teacher_id": "{teacher_b}",
                                                                            "whole_school": True}),
    "end B's appointment": ("delete", "/api/v1/evaluation/review/reviewers/{appointment}", None),
    "close B's display": ("post", "/api/v1/evaluation/review/displays/{display}/close", {}),
    "object on B's display": ("post", "/api/v1/evaluation/review/displays/{display}/objections",
                              {"record_id": "{pending}", "reason": "不实"}),
    "resolve B's objection": ("post", "/api/v1/evaluation/review/objections/{objection}/resolve",
                              {"uphold": True, "note": "x"}),
}


@pytest.mark.parametrize("role", ROLES_OF_A + ["city_admin", "province_admin"])
def test_role_outside_school_b_cannot_read_its_review_objects(reader, world, review_b, role):
    assert_refused(reader.api(role, f"/api/v1/evaluation/review/records/{review_b['pending']}"), (403, 404))
    assert_refused(reader.api(role, f"/api/v1/evaluation/review/displays/{review_b['display']}/records"), (403, 404))
    displays = reader.api(role, "/api/v1/evaluation/review/displays")
    if displays.status_code == 200:
        assert review_b["display"] not in [d["id"] for d in displays.json()]
    else:
        assert_refused(displays, (403,))
    for url, key in (("/api/v1/evaluation/review/reviewers", "reviewers"), ("/api/v1/evaluation/review/objections", None)):
        listed = reader.api(role, url)
        if listed.status_code == 200:
            body = listed.json()
            ids = [r["id"] for r in (body[key] if key else body)]
            assert review_b["appointment"] not in ids and review_b["objection"] not in ids
        else:
            assert_refused(listed, (403,))


@pytest.mark.parametrize("what", REVIEW_WRITES)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_change_school_bs_review_objects(client, world, review_b, role, what):
    from renrentong.evaluation.models import DisplayObjection, PublicDisplay, ReviewerAppointment, WrittenRecord

    method, url, body = REVIEW_WRITES[what]
    headers = bearer(getattr(world, role))
    target = url.format(**review_b)
    if method in ("get", "delete"):
        response = getattr(client, method)(target, **headers)
    else:
        response = getattr(client, method)(target, json.dumps(_filled(body, review_b)),
                                          content_type="application/json", **headers)
    # A role without any review or display of its own may be told so with a 403; otherwise "not found".
    assert_refused(response, (403, 404))
    if role == "school_admin_a" and what != "appoint B's teacher":
        assert response.status_code == 404
    assert WrittenRecord.objects.get(pk=review_b["pending"]).state == "approved"
    assert ReviewerAppointment.objects.filter(pk=review_b["appointment"], ended_at__isnull=True).exists()
    assert ReviewerAppointment.objects.filter(school_id=world.school_a.pk).count() == 0
    assert PublicDisplay.objects.get(pk=review_b["display"]).closed_at is None
    assert DisplayObjection.objects.get(pk=review_b["objection"]).state == "open"
    assert DisplayObjection.objects.count() == 1


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_open_school_bs_review_pages(client, world, review_b, role):
    as_user(client, getattr(world, role))
    assert client.get(f"/evaluation/review/records/{review_b['pending']}/").status_code in (403, 404)
    assert client.get(f"/evaluation/review/records/{review_b['pending']}/files/1/").status_code in (403, 404)
    display = client.get("/evaluation/display/")
    if display.status_code == 200:
        assert "社区服务" not in display.content.decode()
    for page in ("/evaluation/review/", "/evaluation/review/displays/", "/evaluation/review/reviewers/"):
        response = client.get(page)
        if response.status_code == 200:
            assert "社区服务" not in response.content.decode() and "不实" not in response.content.decode()


# -- Academic scores (EVA-6) ---------------------------------------------------------------------------------

@pytest.fixture
def scores_b(world):
    """School B's own score import (committed) and a score of student B, made through the API by B's admin."""
    from tests.evaluation.scores.helpers import by_account, imported

    make_evaluation_catalogue(world.city)
    job = imported(world.school_admin_b, [by_account(world.student_b, "体育平时成绩", "80")])
    assert job["status"] == "committed", job
    return {"job": job["id"], "student": world.student_b.person_id}


SCORE_WRITES = ("commit", "cancel", "undo")


@pytest.mark.parametrize("role", ROLES_OF_A + ["city_admin", "province_admin"])
def test_role_outside_school_b_cannot_reach_its_score_import_or_scores(client, reader, world, scores_b, role):
    job = scores_b["job"]
    for path in (f"/api/v1/evaluation/scores/imports/{job}", f"/api/v1/evaluation/scores/imports/{job}/rows",
                 f"/api/v1/evaluation/scores/imports/{job}/rejected", f"/api/v1/rosters/imports/{job}"):
        assert_refused(reader.api(role, path), (403, 404))
    for action in SCORE_WRITES:
        response = client.post(f"/api/v1/evaluation/scores/imports/{job}/{action}", "{}",
                               content_type="application/json", **bearer(getattr(world, role)))
        assert_refused(response, (403, 404))
    mine = reader.api(role, "/api/v1/evaluation/scores/mine", student_id=scores_b["student"])
    assert_refused(mine, (403, 404))
    table = reader.api(role, "/api/v1/evaluation/scores")
    if table.status_code == 200:
        assert table.json()["total"] == 0
    else:
        assert_refused(table, (403,))
    as_user(client, getattr(world, role))
    assert client.get(f"/evaluation/scores/imports/{job}/").status_code in (403, 404)
    assert client.post(f"/evaluation/scores/imports/{job}/undo/").status_code in (403, 404)
    from renrentong.evaluation.models import AcademicScore

    assert AcademicScore.objects.filter(student_id=scores_b["student"]).count() == 1
