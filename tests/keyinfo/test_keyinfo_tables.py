"""The key information tables on the one table component: a region admin's schools, a school's
completion per class and one class's students; sorting, filters kept, pages and audited exports that
keep ID numbers masked."""

from __future__ import annotations

import io
import re

from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent

from tests.factories import SchoolFactory, as_user, make_class, make_student


def sheet(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_schools_table_pages_sorts_and_exports(client, world):
    for i in range(25):
        SchoolFactory(district=world.district_x, name=f"芙蓉{i:02d}校", code=f"X{i:04d}")
    as_user(client, world.district_admin_x)
    html = client.get("/school/keyinfo/").content.decode()
    assert html.count('data-testid="school-row-') == 20 and 'data-testid="page-2"' in html
    assert "26" in re.search(r'data-testid="schools-total">([^<]*)<', html).group(1)
    by_name = client.get("/school/keyinfo/?sort=-name&page=2").content.decode()
    assert 'aria-sort="descending" data-testid="schools-col-name"' in by_name
    assert html.count("天心") == 0  # district Y's school is not this admin's
    rows = sheet(client.get("/school/keyinfo/?export=xlsx"))
    assert len(rows) == 27 and AuditEvent.objects.get(verb="keyinfo.table_export").details["rows"] == 26


def test_completion_table_sorts_by_a_count_and_exports(client, world):
    a3 = make_class(world.school_a, 3)
    for i in range(3):
        make_student(a3, f"三班{i}")
    as_user(client, world.school_admin_a)
    html = client.get("/school/keyinfo/?sort=-total").content.decode()
    first = re.search(r'data-testid="completion-(\d+)"', html).group(1)
    assert first == str(a3.pk) and 'aria-sort="descending" data-testid="class-completion-col-total"' in html
    rows = sheet(client.get("/school/keyinfo/?export=xlsx&sort=-total"))
    assert rows[1][1] == "3" and len(rows) == 1 + 3


def test_class_table_filters_by_state_and_exports_masked(client, world):
    for i in range(4):
        make_student(world.class_a1, f"一班{i}")
    as_user(client, world.school_admin_a)
    url = f"/school/keyinfo/classes/{world.class_a1.pk}/"
    html = client.get(url, {"sort": "-name"}).content.decode()
    assert html.count('data-testid="student-') == 5
    assert 'href="?sort=name"' in html
    missing = client.get(url, {"state": "missing"}).content.decode()
    assert html.count('data-state="missing"') == missing.count('data-testid="student-')
    rows = sheet(client.get(url, {"export": "xlsx"}))
    full = world.student_a.person.reveal_id_number()
    assert len(rows) == 6 and full not in str(rows) and world.student_a.person.id_number_masked in str(rows)
    assert AuditEvent.objects.get(verb="keyinfo.table_export").details["table"] == "class"
    empty = client.get(url, {"state": "waiting"}).content.decode()
    assert 'data-testid="class-students-empty"' in empty
