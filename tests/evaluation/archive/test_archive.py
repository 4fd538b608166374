"""The archive (综合素质档案, issue 14 item 8): a PDF of every approved record by dimension and item, the
imported scores and the decisions, for the student, a parent or the school admin; never an ID number or a
phone; a graduate's school keeps it; many at once as a .zip written by the export worker, audited."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import date

import pytest
from django.test import Client

from renrentong.accounts.models import Enrollment
from renrentong.core.models import AuditEvent
from renrentong.evaluation.archive import selectors as archive_selectors
from renrentong.exports import worker
from renrentong.exports.models import ExportJob
from renrentong.evaluation.models import WrittenRecord

from tests.evaluation.archive.helpers import approved_record
from tests.evaluation.helpers import call, item, refused, write
from tests.factories import as_user, bearer, make_student, open_evaluation_windows

API = "/api/v1/evaluation/archive"


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def archive(account, student) -> tuple[int, bytes]:
    response = Client().get(f"{API}/students/{student.person_id}/pdf", **bearer(account))
    return response.status_code, response.content


@pytest.fixture
def material(world, catalogue):
    open_evaluation_windows(world)
    approved_record(world.student_a, world.school_admin_a, "参加社区垃圾分类宣传", title="垃圾分类宣传")
    approved_record(world.student_a, world.school_admin_a, "读完《昆虫记》并写了读书笔记", code="reading",
                    happened_on="2026-09-15")
    pending = write(world.student_a, "尚未审核的材料", item_id=item("reading").pk)
    call("post", "/submissions", world.student_a, {"record_ids": [pending["id"]]})
    write(world.student_a, "草稿中的材料")


def test_the_archive_lists_the_approved_records_by_dimension_and_item_without_id_or_phone(world, material):
    status, pdf = archive(world.student_a, world.student_a)
    assert status == 200
    text = text_of(pdf)
    for expected in ("综合素质档案", "李小明", "芙蓉第一小学", world.class_a1.display_name(), "2026-2027学年",
                     "思想品德", "志愿服务", "垃圾分类宣传", "参加社区垃圾分类宣传", "宣传照片.png",
                     "学业水平", "阅读积累", "读完《昆虫记》并写了读书笔记", "2026-09-15", "审核通过"):
        assert expected in text, expected
    assert text.index("思想品德") < text.index("学业水平")  # the catalogue's order
    assert "尚未审核的材料" not in text and "草稿中的材料" not in text
    person = world.student_a.person
    id_number = person.reveal_id_number()
    for secret in (id_number, id_number[-4:] + "\n", world.parent_a.phone, world.student_a.phone or "no phone"):
        assert secret not in text, secret
    assert "身份证" not in text and "手机" not in text
    event = AuditEvent.objects.get(verb="evaluation.archive_pdf")
    assert event.details == {"records": 2, "scores": 0} and event.school_id == world.school_a.pk


def test_imported_scores_appear_when_a_reader_is_registered(world, material):
    line = archive_selectors.ScoreLine(2026, "身心健康", "体质健康测试成绩", "91.5", "优秀")
    archive_selectors.register_score_reader("test", lambda person_id: [line] if person_id == world.student_a.person_id
                                            else [])
    try:
        text = text_of(archive(world.parent_a, world.student_a)[1])
    finally:
        archive_selectors._score_readers.pop("test")
    assert "导入成绩" in text and "体质健康测试成绩" in text and "91.5" in text
    assert "导入成绩" not in text_of(archive(world.student_a, world.student_a)[1])


@pytest.mark.parametrize("role", ["student_a", "parent_a", "school_admin_a"])
def test_the_student_a_parent_and_the_school_admin_read_it(world, material, role):
    assert archive(getattr(world, role), world.student_a)[0] == 200


@pytest.mark.parametrize("role", ["student_a2", "parent_b", "student_b", "teacher_a", "head_teacher_a",
                                  "school_admin_b", "district_admin_x", "city_admin"])
def test_anyone_else_gets_not_found(world, material, role):
    response = Client().get(f"{API}/students/{world.student_a.person_id}/pdf", **bearer(getattr(world, role)))
    refused(response, "evaluation.archive_not_found", 404)


def test_an_unknown_student_is_not_found(world, material):
    refused(Client().get(f"{API}/students/999999/pdf", **bearer(world.school_admin_a)),
            "evaluation.archive_not_found", 404)


def graduate(world, account):
    """What the rollover does to a final-year student: the enrollment ends as graduated."""
    Enrollment.objects.filter(person=account.person, ended_on=None).update(ended_on=date(2026, 7, 1),
                                                                           reason="graduated")


def test_a_graduates_school_keeps_the_archive(world, material):
    graduate(world, world.student_a)
    assert archive(world.school_admin_a, world.student_a)[0] == 200
    text = text_of(archive(world.student_a, world.student_a)[1])
    assert "至 2026-07-01" in text and "参加社区垃圾分类宣传" in text


def test_the_school_exports_all_graduates_as_a_zip_of_pdfs(world, material, monkeypatch, tmp_path):
    monkeypatch.setattr(worker, "EXPORT_DIR", tmp_path)
    other = make_student(world.class_a1, "王小华")
    graduate(world, world.student_a)
    graduate(world, other)
    client = as_user(Client(), world.school_admin_a)
    page = client.get("/evaluation/archive/").content.decode()
    assert 'data-testid="graduate-count">2' in page
    response = client.post("/evaluation/archive/export/", {"graduates": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/exports/")
    job = ExportJob.objects.get()
    assert worker.run(job.pk) == "done"
    job.refresh_from_db()
    assert (job.total_rows, job.rows_written) == (2, 2)
    download = client.get(f"/exports/{job.pk}/file/")
    assert download["Content-Type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(download.content))
    names = sorted(files.namelist())
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    texts = {n: text_of(files.read(n)) for n in names}
    assert any("参加社区垃圾分类宣传" in t for t in texts.values())
    assert any("王小华" in t and "暂无审核通过的写实记录" in t for t in texts.values())
    made = AuditEvent.objects.get(verb="evaluation.archive_export")
    assert made.details["students"] == 2 and sorted(made.details["student_ids"]) == sorted(
        [world.student_a.person_id, other.person_id])


def test_a_class_export_and_nobody_to_export(world, material, monkeypatch, tmp_path):
    monkeypatch.setattr(worker, "EXPORT_DIR", tmp_path)
    client = as_user(Client(), world.school_admin_a)
    response = client.post("/evaluation/archive/export/", {"class_id": world.class_a1.pk})
    assert response.status_code == 302
    assert worker.run(ExportJob.objects.get().pk) == "done"
    # No graduates yet: refused on the page, no job.
    response = client.post("/evaluation/archive/export/", {"graduates": "1"})
    assert response.status_code == 400 and "所选范围内没有学生" in response.content.decode()
    assert 'data-code="evaluation.archive_nobody"' in response.content.decode()
    assert ExportJob.objects.count() == 1
    # Another school's class is not found.
    response = client.post("/evaluation/archive/export/", {"class_id": world.class_b1.pk})
    assert response.status_code == 404


def test_only_school_admins_export(world, material):
    client = as_user(Client(), world.teacher_a)
    response = client.get("/evaluation/archive/")
    assert response.status_code == 403 and "只有学校管理员可以导出" in response.content.decode()
    assert 'data-code="evaluation.archive_not_allowed"' in response.content.decode()


def test_pages_list_the_students_and_their_pdf(world, material):
    phone = as_user(Client(), world.parent_a).get("/evaluation/archive/").content.decode()
    assert f'data-testid="archive-pdf-{world.student_a.person_id}"' in phone
    client = as_user(Client(), world.school_admin_a)
    console = client.get("/evaluation/archive/").content.decode()
    assert f'data-testid="archive-class-{world.class_a1.pk}"' in console
    listed = client.get(f"/evaluation/archive/classes/{world.class_a1.pk}/").content.decode()
    assert "李小明" in listed and "周小刚" not in listed
    pdf = client.get(f"/evaluation/archive/students/{world.student_a.person_id}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and "李小明" in text_of(pdf.content)
    assert client.get(f"/evaluation/archive/classes/{world.class_b1.pk}/").status_code == 404


def test_a_student_who_changed_class_is_listed_in_the_new_class(world, material):
    moved = Enrollment.objects.get(person=world.student_a.person, ended_on=None)
    moved.ended_on, moved.reason = date.today(), "import_move"
    moved.save()
    Enrollment.objects.create(person=world.student_a.person, school=world.school_a, school_class=world.class_a2,
                              started_on=date.today(), reason="import_move")
    admin = as_user(Client(), world.school_admin_a)
    assert "李小明" not in admin.get(f"/evaluation/archive/classes/{world.class_a1.pk}/").content.decode()
    assert "李小明" in admin.get(f"/evaluation/archive/classes/{world.class_a2.pk}/").content.decode()
    # The records keep the class they were written in (docs/evaluation.md): a class change moves nothing.
    assert set(WrittenRecord.objects.filter(student=world.student_a.person).values_list("class_id", flat=True)) == {
        world.class_a1.pk}
