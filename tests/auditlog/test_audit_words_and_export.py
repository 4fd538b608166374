"""The audit page names objects in words and exports the filtered log (issue 10, item 9): no
"schoolclass#2", names masked, no ID numbers, formula-safe cells, and the export is itself audited."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE
from renrentong.core import audit
from renrentong.accounts.access import actor_for
from renrentong.core.models import AuditEvent
from renrentong.orgs.models import Campus

from tests.factories import bearer


def session_for(account) -> Client:
    client = Client()
    client.force_login(account)
    session = client.session
    session[SESSION_IDENTITY] = account.identities.get().pk
    session[SESSION_MUST_CHANGE] = False
    session.save()
    return client


def actor_of(account):
    return actor_for(account, account.identities.get())


def items(client, reader, language="zh-hans", **params):
    response = client.get("/api/v1/audit/events", params, HTTP_ACCEPT_LANGUAGE=language, **bearer(reader))
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.fixture
def class_event(world):
    admin = world.school_admin_a
    audit.record(actor_of(admin), "structure.classes_add", world.class_a1, school_id=world.school_a.pk)
    return world


def test_a_class_is_named_in_words_with_its_school(client, class_event):
    world = class_event
    [item] = items(client, world.school_admin_a, kind="structure.classes_add")
    assert "#" not in item["target"] and "schoolclass" not in item["target"]
    assert item["target"] == f"{world.class_a1.display_name()} (芙蓉第一小学)"
    assert "班" in item["target"]


def test_english_readers_get_english_words(client, class_event):
    world = class_event
    [item] = items(client, world.school_admin_a, kind="structure.classes_add", language="en")
    assert item["target"].endswith("(芙蓉第一小学)") and "class" in item["target"].lower()


def test_a_deleted_object_is_named_by_its_kind_never_its_id(client, world):
    campus = Campus.objects.create(school=world.school_a, name="东校区")
    audit.record(actor_of(world.school_admin_a), "structure.campus_create", campus, school_id=world.school_a.pk)
    [item] = items(client, world.school_admin_a, kind="structure.campus_create")
    assert item["target"] == "校区 东校区 (芙蓉第一小学)"
    campus_id = campus.pk
    campus.delete()
    [item] = items(client, world.school_admin_a, kind="structure.campus_create")
    assert item["target"] == "校区（已删除）" and str(campus_id) not in item["target"]


def test_the_page_names_objects_in_words(class_event):
    world = class_event
    html = session_for(world.school_admin_a).get("/audit/").content.decode()
    assert "schoolclass#" not in html and "芙蓉第一小学" in html and 'data-testid="audit-export"' in html


def read_xlsx(content: bytes) -> list[list[str]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_the_filtered_log_exports_as_a_workbook_and_the_export_is_audited(class_event):
    world = class_event
    admin = world.school_admin_a
    # A name typed by someone trying a formula: the cell must stay text.
    admin.person.name = "=HYPERLINK(\"http://x\")"
    admin.person.save()
    audit.record(actor_of(world.head_teacher_a), "password.reset", world.student_a, {"how": "default"},
                 school_id=world.school_a.pk)
    response = session_for(admin).get("/audit/export/", {"kind": "structure.classes_add"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response.content)
    text = "\n".join("\t".join(str(c) for c in row) for row in rows)
    header = rows[1]
    assert header[:3] == ["时间", "操作", "操作人"]
    data = rows[2:]
    assert len(data) == 1  # only the kind asked for
    assert data[0][1] and "structure." not in data[0][1]
    assert f"{world.class_a1.display_name()} (芙蓉第一小学)" in data[0][5]
    assert data[0][2].startswith("'=")  # neutralised, never a formula
    assert not re.search(r"\d{17}[\dX]", text)  # no ID number
    export = AuditEvent.objects.get(verb="audit.export")
    assert export.actor_account_id == admin.pk and export.details["rows"] == 1
    assert export.details["kind"] == "structure.classes_add" and export.school_id == world.school_a.pk
    # The export shows up in the log itself, in words.
    [item] = items(Client(), admin, kind="audit.export")
    assert item["kind_label"] == "导出审计日志" and "1 条记录" in item["how"]


def test_export_masks_whose_name(world):
    audit.record(actor_of(world.head_teacher_a), "password.reset", world.student_a, {"how": "default"},
                 school_id=world.school_a.pk)
    rows = read_xlsx(session_for(world.school_admin_a).get("/audit/export/").content)
    whose = [row[5] for row in rows[2:] if world.student_a.number in row[5]]
    assert whose and "李*明" in whose[0] and "李小明" not in whose[0]


def test_only_those_who_read_the_log_may_export_it(world):
    response = session_for(world.teacher_a).get("/audit/export/")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(verb="audit.export").exists()


def test_a_deleted_account_is_named_by_its_kind(client, world):
    from renrentong.accounts.models import Person

    person = Person.objects.create(name="临时人员")
    audit.record(actor_of(world.school_admin_a), "users.create", person, school_id=world.school_a.pk)
    person_id = person.pk
    person.delete()
    [item] = items(client, world.school_admin_a, kind="users.create")
    assert item["target"] == "人员（已删除）" and str(person_id) not in item["target"]
