"""Evaluation progress through the API (EVA-4): counts per school, class and student, the reason a student
shows 0, who sees what, and the refusals."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.exports import services as export_services, worker as export_worker
from renrentong.exports.models import ExportJob

from tests.evaluation.helpers import call, item, refused
from tests.factories import bearer, make_school_admin, make_student, make_written_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def material(world, catalogue):
    """student_a: 3 drafts, 1 waiting, 1 passed, 1 not passed; student_a2 (class a2): 2 drafts; a third
    student in a1 with nothing at all; student_b: 1 waiting."""
    make_written_records(world.student_a, draft=3, pending=1, approved=1, failed=1)
    make_written_records(world.student_a2, draft=2)
    make_written_records(world.student_b, pending=1)
    return make_student(world.class_a1, "赵小华")


def _counts(row):
    c = row["counts"]
    return c["uploaded"], c["submitted"], c["pending"], c["approved"], c["failed"]


def test_school_admin_sees_each_class_with_students_at_zero(world, material):
    response = call("get", "/progress/classes", world.school_admin_a)
    assert response.status_code == 200, response.content
    rows = {r["class_id"]: r for r in response.json()}
    a1, a2 = rows[world.class_a1.pk], rows[world.class_a2.pk]
    assert (a1["students"], _counts(a1), a1["nothing_submitted"]) == (2, (6, 3, 1, 1, 1), 1)
    assert (a2["students"], _counts(a2), a2["nothing_submitted"]) == (1, (2, 0, 0, 0, 0), 1)
    assert a2["counts"]["draft"] == 2


def test_a_student_at_zero_says_why_in_the_readers_language(world, material):
    rows = call("get", "/progress/students", world.school_admin_a, only_nothing="true").json()
    reasons = {r["name"]: r["reason"] for r in rows}
    assert reasons == {"周小刚": "Uploaded 2, submitted 0: sort and submit them.",
                       "赵小华": "Nothing uploaded yet: write the first record on the growth record."}
    zh = call("get", "/progress/students", world.school_admin_a, language="zh-hans",
              class_id=world.class_a2.pk).json()
    assert zh[0]["reason"] == "已上传 2 条，已上报 0 条：请先分类再上报。"
    everyone = call("get", "/progress/students", world.school_admin_a).json()
    assert {r["name"]: r["reason"] for r in everyone}["李小明"] == ""  # something is submitted


def test_grade_filter_keeps_the_grades_classes(world, material):
    grade = world.class_a1.cohort_id
    rows = call("get", "/progress/classes", world.school_admin_a, grade_id=grade).json()
    assert {r["class_id"] for r in rows} >= {world.class_a1.pk}
    assert all(r["grade_id"] == grade for r in rows)
    only = call("get", "/progress/classes", world.school_admin_a, only_nothing="true", class_id=world.class_a2.pk)
    assert [r["class_id"] for r in only.json()] == [world.class_a2.pk]


def test_head_teacher_sees_the_class_they_head_only(world, material):
    rows = call("get", "/progress/classes", world.head_teacher_a).json()
    assert [r["class_id"] for r in rows] == [world.class_a1.pk]
    students = call("get", "/progress/students", world.head_teacher_a).json()
    assert {r["name"] for r in students} == {"李小明", "赵小华"}
    refused(call("get", "/progress/students", world.head_teacher_a, class_id=world.class_a2.pk),
            "evaluation.progress_not_found", 404)
    refused(call("get", f"/progress/students/{world.student_a2.person_id}", world.head_teacher_a),
            "evaluation.progress_not_found", 404)


def test_a_teacher_who_heads_no_class_and_keepers_see_no_console_figures(world, material):
    refused(call("get", "/progress/classes", world.teacher_a), "evaluation.progress_not_allowed", 403)
    refused(call("get", "/progress/schools", world.student_a), "evaluation.progress_not_allowed", 403)


def test_region_admins_see_per_school_rows_below_them(world, material):
    district = {r["school_id"]: r for r in call("get", "/progress/schools", world.district_admin_x).json()}
    assert list(district) == [world.school_a.pk]
    a = district[world.school_a.pk]
    assert (a["students"], _counts(a), a["nothing_submitted"]) == (3, (8, 3, 1, 1, 1), 2)
    city = {r["school_id"]: r for r in call("get", "/progress/schools", world.city_admin).json()}
    assert set(city) == {world.school_a.pk, world.school_b.pk}
    assert (_counts(city[world.school_b.pk]), city[world.school_b.pk]["nothing_submitted"]) == ((1, 1, 1, 0, 0), 0)
    only_y = call("get", "/progress/schools", world.city_admin, district_id=world.district_y.pk).json()
    assert [r["school_id"] for r in only_y] == [world.school_b.pk]
    # The district admin drills into a school's classes, never into another district's, nor into names.
    assert call("get", "/progress/classes", world.district_admin_x, school_id=world.school_a.pk).status_code == 200
    refused(call("get", "/progress/classes", world.district_admin_x, school_id=world.school_b.pk),
            "evaluation.progress_not_found", 404)
    refused(call("get", "/progress/students", world.district_admin_x, school_id=world.school_a.pk),
            "evaluation.progress_not_found", 404)


def test_last_years_records_are_not_counted(world, material):
    make_written_records(world.student_a2, approved=4, school_year=2025)
    rows = {r["class_id"]: r for r in call("get", "/progress/classes", world.school_admin_a).json()}
    assert _counts(rows[world.class_a2.pk]) == (2, 0, 0, 0, 0)


def test_student_and_parent_read_their_own_progress_per_item(world, material):
    mine = call("get", "/progress/mine", world.student_a)
    assert mine.status_code == 200, mine.content
    body = mine.json()
    assert _counts(body) == (6, 3, 1, 1, 1) and body["school_year"] == 2026
    assert body["reasons"] == ["1 submitted, waiting for the school's review.",
                               "1 not passed: see the reasons, change them and submit again."]
    volunteer = item("volunteer_service")
    items = {i["item_id"]: (i["label"], i["dimension"], _counts(i)) for i in body["items"]}
    assert items == {volunteer.pk: (volunteer.label, volunteer.dimension.label, (3, 3, 1, 1, 1)),
                     None: ("Not classified", "", (3, 0, 0, 0, 0))}
    child = call("get", "/progress/mine", world.parent_a).json()
    assert child["student_id"] == world.student_a.person_id and _counts(child) == (6, 3, 1, 1, 1)
    refused(call("get", "/progress/mine", world.parent_a, student_id=world.student_b.person_id),
            "evaluation.record_not_found", 404)
    refused(call("get", "/progress/mine", world.school_admin_a), "evaluation.not_for_you", 403)


def test_school_admin_reads_one_student_and_not_another_schools(world, material):
    found = call("get", f"/progress/students/{world.student_a2.person_id}", world.school_admin_a).json()
    assert found["reasons"] == ["Uploaded 2, submitted 0: sort and submit them."]
    refused(call("get", f"/progress/students/{world.student_b.person_id}", world.school_admin_a),
            "evaluation.progress_not_found", 404)


def test_export_carries_the_filters_and_is_audited(world, material):
    response = call("get", "/progress/export", world.school_admin_a, level="students", only_nothing="true")
    assert response.status_code == 200, response.content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    names = sorted(str(r[1]) for r in rows[3:])
    assert names == ["周小刚", "赵小华"]
    assert AuditEvent.objects.filter(verb="evaluation.progress_export").count() == 1


def test_a_big_export_runs_as_a_task_with_progress(world, material, monkeypatch, settings, tmp_path):
    from renrentong.exports import services as exports, worker
    from renrentong.exports.models import ExportJob

    monkeypatch.setattr(exports, "SYNC_ROWS", 1)
    monkeypatch.setattr(worker, "EXPORT_DIR", tmp_path)
    response = call("get", "/progress/export", world.school_admin_a, level="students")
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["page_url"] == f"/exports/{job['job_id']}/"
    assert job["status_url"] == f"/api/v1/exports/{job['job_id']}"
    assert worker.run(job["job_id"]) == "done"
    done = ExportJob.objects.get(pk=job["job_id"])
    assert (done.total_rows, done.rows_written) == (3, 3)


# Export jobs through the API (/api/v1/exports): the progress export is the one that answers 202 --------------

@pytest.fixture
def big_exports(monkeypatch, tmp_path):
    monkeypatch.setattr(export_services, "SYNC_ROWS", -1)
    monkeypatch.setattr(export_worker, "EXPORT_DIR", tmp_path / "exports")


def get(path, account, **headers):
    return Client().get(f"/api/v1{path}", **bearer(account), **headers)


def test_the_owner_polls_the_job_then_fetches_the_file_and_nobody_else_sees_it(world, material, big_exports):
    started = get("/evaluation/progress/export?level=students", world.school_admin_a)
    assert started.status_code == 202, started.content
    job_id = started.json()["job_id"]
    waiting = get(started.json()["status_url"].removeprefix("/api/v1"), world.school_admin_a)
    assert waiting.status_code == 200
    assert (waiting.json()["status"], waiting.json()["file_url"], waiting.json()["percent"]) == ("queued", "", 0)
    early = get(f"/exports/{job_id}/file", world.school_admin_a)
    assert early.status_code == 409 and early.json()["code"] == "export.not_ready"

    assert export_worker.run(job_id) == "done"
    done = get(f"/exports/{job_id}", world.school_admin_a).json()
    assert done["status"] == "done" and done["percent"] == 100 and done["rows_written"] == done["total_rows"] > 0
    assert done["file_url"] == f"/api/v1/exports/{job_id}/file" and done["file_name"].endswith(".xlsx")
    response = get(f"/exports/{job_id}/file", world.school_admin_a)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert len(rows) > 3
    assert AuditEvent.objects.filter(verb="export.download", target_id=job_id).count() == 1

    # Another admin of the same school, and the other school's: not found, and nothing downloaded.
    for other in (make_school_admin(world.school_a), world.school_admin_b):
        for path in (f"/exports/{job_id}", f"/exports/{job_id}/file"):
            refused = get(path, other)
            assert refused.status_code == 404 and refused.json()["code"] == "scope.not_found"
    assert AuditEvent.objects.filter(verb="export.download").count() == 1
    assert get("/exports/999999999", world.school_admin_a).status_code == 404


def test_an_expired_export_is_gone_and_its_owner_writes_it_again(world, material, big_exports):
    job_id = get("/evaluation/progress/export?level=students", world.school_admin_a).json()["job_id"]
    refused = Client().post(f"/api/v1/exports/{job_id}/retry", **bearer(world.school_admin_a))
    assert refused.status_code == 409 and refused.json()["code"] == "export.wrong_state"
    assert export_worker.run(job_id) == "done"
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.EXPIRED)
    gone = get(f"/exports/{job_id}/file", world.school_admin_a)
    assert gone.status_code == 410 and gone.json()["code"] == "export.expired"
    again = Client().post(f"/api/v1/exports/{job_id}/retry", **bearer(world.school_admin_a))
    assert again.status_code == 200 and again.json()["status"] == "queued"
    assert export_worker.run(job_id) == "done"
    assert get(f"/exports/{job_id}/file", world.school_admin_a).status_code == 200
