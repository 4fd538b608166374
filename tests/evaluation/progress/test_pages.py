"""The progress pages (EVA-4): the console page drilled down school → class → student with its filters,
its export and its reminder; the block on the phone's growth page; the desk's list as .xlsx."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.notices.models import Notice

from tests.factories import as_user, make_student, make_written_records

pytestmark = pytest.mark.django_db
PAGE = "/evaluation/progress/"


@pytest.fixture
def material(world, catalogue):
    make_written_records(world.student_a, draft=1, pending=2, failed=1)
    make_written_records(world.student_a2, draft=12)
    return make_student(world.class_a1, "赵小华")


def _sheet(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_school_admin_drills_down_from_classes_to_a_student(client, world, material):
    as_user(client, world.school_admin_a)
    page = client.get(PAGE).content.decode()
    assert 'data-level="classes"' in page and 'data-testid="nav-evaluation-progress"' in page
    assert f'data-class-id="{world.class_a2.pk}"' in page
    students = client.get(PAGE, {"school": world.school_a.pk, "class_id": world.class_a2.pk}).content.decode()
    assert 'data-level="students"' in students and "周小刚" in students and "李小明" not in students
    assert "已上传 12 条，已上报 0 条：请先分类再上报。" in students
    one = client.get(reverse("evaluation:progress_student", args=[world.student_a2.person_id])).content.decode()
    assert 'data-testid="progress-block"' in one and "周小刚" in one


def test_only_students_with_nothing_submitted_across_the_school(client, world, material):
    as_user(client, world.school_admin_a)
    page = client.get(PAGE, {"level": "students", "nothing": "1"}).content.decode()
    assert "周小刚" in page and "赵小华" in page and "李小明" not in page


def test_the_page_exports_what_it_shows(client, world, material):
    as_user(client, world.school_admin_a)
    export = client.get(PAGE, {"level": "students", "nothing": "1", "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    rows = _sheet(export.content)
    assert rows[1][0] == "仅未上报的学生"
    assert [r[1] for r in rows[3:]] == ["赵小华", "周小刚"]  # by class, then name
    classes = _sheet(client.get(PAGE, {"export": "xlsx"}).content)
    assert classes[1][0] == "班级" and [r[0] for r in classes[2:]] == ["三年级1班", "三年级2班"]


def test_region_admin_sees_schools_then_a_schools_classes(client, world, material):
    as_user(client, world.district_admin_x)
    page = client.get(PAGE).content.decode()
    assert 'data-level="schools"' in page and f'data-school-id="{world.school_a.pk}"' in page
    assert f'data-school-id="{world.school_b.pk}"' not in page
    classes = client.get(PAGE, {"school": world.school_a.pk}).content.decode()
    assert 'data-level="classes"' in classes and 'data-testid="class-link"' not in classes
    assert client.get(PAGE, {"school": world.school_b.pk}).status_code == 404


def test_head_teacher_reminds_from_the_page_once_a_day(client, world, material):
    as_user(client, world.head_teacher_a)
    page = client.get(PAGE, {"class_id": world.class_a1.pk, "nothing": "1"}).content.decode()
    assert 'data-testid="remind-form"' in page and "赵小华" in page
    sent = client.post(f"{PAGE}?school={world.school_a.pk}&class_id={world.class_a1.pk}&level=students")
    assert sent.status_code == 302
    assert Notice.objects.get().audience["student_ids"] == [material.person_id]
    again = client.post(f"{PAGE}?school={world.school_a.pk}&class_id={world.class_a1.pk}&level=students")
    assert again.status_code == 409 and 'data-code="evaluation.reminded_today"' in again.content.decode()
    assert 'data-testid="reminded-today"' in again.content.decode()


def test_teachers_who_head_no_class_and_keepers_get_the_refusal(client, world, material):
    for account in (world.teacher_a, world.student_a):
        as_user(client, account)
        refused = client.get(PAGE)
        assert refused.status_code == 403 and 'data-code="evaluation.progress_not_allowed"' in refused.content.decode()
    as_user(client, world.student_a)
    own = client.get(reverse("evaluation:progress_student", args=[world.student_a.person_id]))
    assert own.status_code == 403


def test_ids_out_of_reach_are_not_found(client, world, material):
    as_user(client, world.school_admin_a)
    assert client.get(PAGE, {"class_id": world.class_b1.pk}).status_code == 404
    assert client.get(reverse("evaluation:progress_student", args=[world.student_b.person_id])).status_code == 404
    assert client.get(reverse("evaluation:progress_student", args=[2**63])).status_code == 404
    assert client.get(PAGE, {"class_id": "x"}).status_code == 400


def test_growth_page_shows_the_students_progress_and_why(client, world, material):
    as_user(client, world.student_a2)
    page = client.get(reverse("evaluation:growth")).content.decode()
    assert 'data-testid="progress-block"' in page
    assert "已上传 12 条，已上报 0 条：请先分类再上报。" in page
    as_user(client, world.parent_a)
    parent = client.get(reverse("evaluation:growth")).content.decode()
    assert "1 条已上报" not in parent and "2 条已上报，等待学校审核。" in parent and "1 条未通过" in parent


def test_desk_list_exports_with_its_filters(client, world, material):
    as_user(client, world.parent_a)
    export = client.get(reverse("evaluation:desk"), {"student": world.student_a.person_id, "export": "xlsx",
                                                     "state": "pending"})
    assert export.status_code == 200, export.content[:300]
    rows = _sheet(export.content)
    assert rows[1][0] == "日期" and len(rows) == 2 + 2 and {r[6] for r in rows[2:]} == {"待审核"}
    assert AuditEvent.objects.filter(verb="evaluation.records_export").exists()
    everything = _sheet(client.get(reverse("evaluation:desk"), {"export": "xlsx"}).content)
    assert len(everything) == 2 + 4
    assert client.get(reverse("evaluation:desk"), {"student": world.student_b.person_id,
                                                   "export": "xlsx"}).status_code == 404
