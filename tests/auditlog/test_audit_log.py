"""The audit log (AUTH-5: who, whose, when, how; NFR-1): school admins read what concerns their school,
region admins what concerns the schools and regions below them; filters, paging, the page and the API."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from freezegun import freeze_time
from django.test import Client

from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE
from renrentong.core.models import AuditEvent

from tests.factories import bearer


def reset(client, actor, targets, **body):
    response = client.post("/api/v1/resets", json.dumps({"account_ids": [t.pk for t in targets], **body}),
                           content_type="application/json", **bearer(actor))
    assert response.status_code == 200, response.content
    return response


def events(client, reader, **params):
    reader.refresh_from_db()  # a reset in the fixture may have moved the account's credentials epoch
    response = client.get("/api/v1/audit/events", params, **bearer(reader))
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def history(client, world):
    """A reset in school A (by its head teacher), one in school B (by its admin), one of a district admin."""
    reset(client, world.head_teacher_a, [world.student_a])
    reset(client, world.school_admin_b, [world.student_b], mode="custom", password="Start#2026x")
    reset(client, world.city_admin, [world.district_admin_x])
    return world


def accounts_reset(page: dict) -> set[str]:
    return {item["whose_account"] for item in page["items"]}


def test_school_admin_reads_the_records_of_their_school_only(client, history):
    world = history
    page = events(client, world.school_admin_a)
    assert accounts_reset(page) == {world.student_a.number}
    [item] = page["items"]
    assert item["kind"] == "password.reset" and item["kind_label"]
    assert item["who_name"] == "刘班主任" and item["who_account"] == world.head_teacher_a.number
    assert "芙蓉第一小学" in item["who_identity"]
    assert item["whose_name"] == "李*明"  # masked
    assert "默认密码" in item["how"] or "default" in item["how"]
    assert item["at"]


def test_region_admins_read_what_is_below_them(client, history):
    world = history
    assert accounts_reset(events(client, world.district_admin_x)) == {world.student_a.number}
    assert accounts_reset(events(client, world.district_admin_y)) == {world.student_b.number}
    below_city = {world.student_a.number, world.student_b.number, world.district_admin_x.number}
    assert accounts_reset(events(client, world.city_admin)) == below_city
    assert accounts_reset(events(client, world.province_admin)) == below_city


@pytest.mark.parametrize("role", ["student_a", "parent_a", "teacher_a", "head_teacher_a"])
def test_others_may_not_read_the_log(client, history, role):
    account = getattr(history, role)
    account.refresh_from_db()
    response = client.get("/api/v1/audit/events", **bearer(account))
    assert response.status_code == 403 and response.json()["code"] == "audit.not_allowed"


def test_filter_by_kind(client, history):
    world = history
    client.get(f"/api/v1/people/{world.student_a.person_id}/id-number", **bearer(world.school_admin_a))
    everything = events(client, world.school_admin_a)
    assert {i["kind"] for i in everything["items"]} == {"password.reset", "person.reveal_id_number"}
    only = events(client, world.school_admin_a, kind="person.reveal_id_number")
    assert [i["kind"] for i in only["items"]] == ["person.reveal_id_number"]
    assert only["items"][0]["whose_name"] == "李*明"


def test_filter_by_date(client, world, freezer):
    freezer.move_to("2026-09-01 10:00:00+08:00")
    reset(client, world.school_admin_a, [world.student_a])
    freezer.move_to("2026-09-03 23:30:00+08:00")
    reset(client, world.school_admin_a, [world.student_a2])
    admin = world.school_admin_a
    assert accounts_reset(events(client, admin, date_from="2026-09-02")) == {world.student_a2.number}
    assert accounts_reset(events(client, admin, date_to="2026-09-01")) == {world.student_a.number}
    # Days are local days: 23:30 in Beijing on the 3rd is still the 3rd.
    assert accounts_reset(events(client, admin, date_from="2026-09-03", date_to="2026-09-03")) == {
        world.student_a2.number}
    for day in ("2026-13-01", "0", "2026-02-30"):  # "0" is no Unix timestamp here
        bad = client.get("/api/v1/audit/events", {"date_from": day}, **bearer(admin))
        assert bad.status_code == 400 and bad.json()["code"] == "request.invalid"


def test_paging(client, world):
    base = datetime.fromisoformat("2026-09-01T08:00:00+08:00")
    with freeze_time(base):  # the log is append-only: its times are set as the rows go in
        AuditEvent.objects.bulk_create([
            AuditEvent(verb="password.reset", target_type="account", target_id=world.student_a.pk,
                       school_id=world.school_a.pk, actor_account=world.head_teacher_a, details={"how": "default"})
            for _ in range(120)
        ])
    first = events(client, world.school_admin_a)
    assert first["count"] == 120 and first["pages"] == 3 and len(first["items"]) == 50
    third = events(client, world.school_admin_a, page=3)
    assert third["page"] == 3 and len(third["items"]) == 20
    ids = {i["id"] for i in first["items"]} | {i["id"] for i in events(client, world.school_admin_a, page=2)["items"]}
    assert len(ids | {i["id"] for i in third["items"]}) == 120
    assert base + timedelta(0) == AuditEvent.objects.first().at


def test_children_links_appear_in_the_childs_schools_log(client, world):
    from tests.factories import make_parent

    parent = make_parent(name="孙家长")
    client.post("/api/v1/family/children/by-id-number", json.dumps(
        {"name": "陈小红", "id_number": world.student_b.person.reveal_id_number()}),
        content_type="application/json", **bearer(parent))
    [item] = events(client, world.school_admin_b)["items"]
    assert item["kind"] == "children.link_requested" and item["whose_name"] == "陈*红"
    assert item["who_name"] == "孙家长" and item["how"]
    assert events(client, world.school_admin_a)["items"] == []


# --- The page ---------------------------------------------------------------------------------------


def session_for(account) -> Client:
    client = Client()
    client.force_login(account)
    session = client.session
    session[SESSION_IDENTITY] = account.identities.get().pk
    session[SESSION_MUST_CHANGE] = False
    session.save()
    return client


def test_audit_page_shows_filters_and_rows(history):
    world = history
    client = session_for(world.school_admin_a)
    body = client.get("/audit/").content.decode()
    assert 'data-testid="audit-table"' in body and "李*明" in body and "刘班主任" in body
    assert world.student_b.number not in body
    assert world.student_a.person.reveal_id_number() not in body
    empty = client.get("/audit/", {"kind": "children.link"}).content.decode()
    assert 'data-testid="audit-empty"' in empty
    bad = client.get("/audit/", {"date_from": "not-a-date"})
    assert bad.status_code == 400 and 'data-code="audit.invalid_date"' in bad.content.decode()


def test_audit_page_refuses_a_teacher(history):
    response = session_for(history.teacher_a).get("/audit/")
    assert response.status_code == 403 and 'data-code="audit.not_allowed"' in response.content.decode()
