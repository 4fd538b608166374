"""Roster exports (IMP-6) and account slips (IMP-5) through the API, within scope."""

import io

from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent

from tests.factories import bearer, make_student


def sheet(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_exports_cannot_run_formulas_and_mask_numbers(client, world):
    make_student(world.class_a1, "=1+2")
    rows = sheet(client.get("/api/v1/rosters/exports/students", **bearer(world.school_admin_a)))
    cells = [str(c) for r in rows for c in r]
    assert "'=1+2" in cells and "=1+2" not in cells
    assert world.student_a.person.reveal_id_number() not in cells
    assert world.student_a.person.id_number_masked in cells
    assert world.student_b.person.name not in cells  # another school
    assert AuditEvent.objects.filter(verb="roster.export").count() == 1


def test_parents_and_teachers_exports(client, world):
    admin = bearer(world.school_admin_a)
    parents = sheet(client.get("/api/v1/rosters/exports/parents", **admin))
    assert any(world.parent_a.person.name in r for r in parents)
    assert not any(world.parent_a.phone in map(str, r) for r in parents)
    teachers = sheet(client.get("/api/v1/rosters/exports/teachers", **admin))
    assert any(world.teacher_a.person.name in r for r in teachers)


def test_export_scope(client, world):
    assert client.get(f"/api/v1/rosters/exports/students?school_id={world.school_a.pk}",
                      **bearer(world.school_admin_b)).status_code == 404
    assert client.get(f"/api/v1/rosters/exports/students?school_id={world.school_a.pk}",
                      **bearer(world.district_admin_x)).status_code == 200
    assert client.get(f"/api/v1/rosters/exports/students?class_id={world.class_a2.pk}",
                      **bearer(world.teacher_a)).status_code == 404
    assert client.get(f"/api/v1/rosters/exports/students?class_id={world.class_a1.pk}",
                      **bearer(world.teacher_a)).status_code == 200
    assert client.get("/api/v1/rosters/exports/teachers", **bearer(world.teacher_a)).status_code == 404


def test_head_teacher_prints_slips_of_their_class_only(client, world):
    head = bearer(world.head_teacher_a)
    response = client.get(f"/api/v1/rosters/classes/{world.class_a1.pk}/slips", **head)
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    student = world.student_a
    assert student.person.name in text and student.number in text and f"Pw{student.number[-6:]}@" in text
    assert client.get(f"/api/v1/rosters/classes/{world.class_a2.pk}/slips", **head).status_code == 404
    teacher = client.get(f"/api/v1/rosters/classes/{world.class_a1.pk}/slips", **bearer(world.teacher_a))
    assert teacher.status_code == 403 and teacher.json()["code"] == "slips.not_allowed"
    assert AuditEvent.objects.filter(verb="slips.print").count() == 1
