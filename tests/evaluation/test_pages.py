"""The evaluation pages (EVA-1..EVA-3): the growth record on the phone, the written records desk in the
console, one record's page, the catalogue and the windows; the same rows as the API; foreign ids are
"not found"."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from renrentong.evaluation.models import WrittenRecord

from tests.evaluation.helpers import call, item, png, write
from tests.factories import as_user, open_evaluation_windows

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def client_for(account):
    return as_user(Client(), account)


def key_of(html: str) -> str:
    return re.search(r'name="client_key" value="([\w-]+)"', html).group(1)


def test_student_writes_on_the_growth_record_and_finds_it_on_the_desk_and_in_the_api(world, catalogue):
    student = client_for(world.student_a)
    page = student.get("/evaluation/growth/", **EN)
    assert page.status_code == 200 and 'class="rr-phone"' in page.content.decode()
    key = key_of(page.content.decode())
    form = {"kind": "growth", "title": "第一次骑车", "text": "学会了骑自行车", "happened_on": "2026-10-01",
            "item_id": "", "client_key": key}
    response = student.post(f"/evaluation/growth/?student={world.student_a.person_id}",
                            {**form, "images": [SimpleUploadedFile("bike.png", png(), "image/png")]}, **EN)
    assert response.status_code == 302, response.content
    record = WrittenRecord.objects.get()
    assert record.files.count() == 1 and record.client_key == key
    # A resubmitted form (the network retried it) makes nothing new, its photo included.
    again = student.post("/evaluation/growth/", {**form, "images": [SimpleUploadedFile("bike.png", png(), "image/png")]}, **EN)
    assert again.status_code == 302 and WrittenRecord.objects.count() == 1
    from renrentong.uploads.models import StoredFile

    assert StoredFile.objects.filter(owner=world.student_a).count() == 1
    desk = student.get("/evaluation/records/", **EN).content.decode()
    assert 'class="rr-console"' in desk and "第一次骑车" in desk
    assert [r["title"] for r in call("get", "/records", world.student_a).json()] == ["第一次骑车"]


def test_a_refused_form_shows_the_reason_beside_what_was_typed(world, catalogue):
    page = client_for(world.student_a).post("/evaluation/growth/", {
        "kind": "growth", "text": "明天的事", "happened_on": "2999-01-01", "client_key": "abc"}, **EN)
    assert page.status_code == 400
    html = page.content.decode()
    assert "later than today" in html and "明天的事" in html
    assert not WrittenRecord.objects.exists()


def test_parent_picks_a_child_and_another_childs_id_is_not_found(world, catalogue):
    parent = client_for(world.parent_a)
    page = parent.get(f"/evaluation/growth/?student={world.student_a.person_id}", **EN)
    assert page.status_code == 200 and "李小明" in page.content.decode()
    assert parent.get(f"/evaluation/growth/?student={world.student_b.person_id}", **EN).status_code == 404
    assert parent.get(f"/evaluation/records/?student={world.student_b.person_id}", **EN).status_code == 404
    children = client_for(world.parent_a).get("/family/children/", **EN).content.decode()
    assert 'data-testid="child-growth-link"' in children


def test_teachers_and_admins_have_no_growth_record(world, catalogue):
    for role in ("teacher_a", "school_admin_a", "district_admin_x"):
        assert client_for(getattr(world, role)).get("/evaluation/growth/", **EN).status_code == 403


def test_desk_classifies_and_submits_and_an_unclassified_choice_is_named(world, catalogue):
    open_evaluation_windows(world)
    first = write(world.student_a, "参加社区志愿服务", title="社区服务")
    second = write(world.student_a, "读完一本书", title="读书")
    desk = client_for(world.student_a)
    refused = desk.post("/evaluation/records/", {"action": "submit", "record_ids": [first["id"], second["id"]],
                                                 f"item_{first['id']}": str(item("volunteer_service").pk)}, **EN)
    assert refused.status_code == 400
    assert "Some records are not classified" in refused.content.decode() and "读书" in refused.content.decode()
    assert WrittenRecord.objects.get(pk=first["id"]).item_id == item("volunteer_service").pk
    done = desk.post("/evaluation/records/", {"action": "submit", "record_ids": [first["id"], second["id"]],
                                              f"item_{second['id']}": str(item("reading").pk)}, **EN)
    assert done.status_code == 302
    assert set(WrittenRecord.objects.values_list("state", flat=True)) == {"pending"}


def test_desk_creates_a_record_too(world, catalogue):
    desk = client_for(world.parent_a)
    key = key_of(desk.get("/evaluation/records/", **EN).content.decode())
    response = desk.post("/evaluation/records/", {"action": "create", "kind": "works", "text": "画了一幅画",
                                                  "happened_on": "2026-09-09", "client_key": key,
                                                  "item_id": str(item("art_works").pk)}, **EN)
    assert response.status_code == 302
    assert WrittenRecord.objects.get().item.code == "art_works"


def test_record_page_edits_deletes_and_withdraws(world, catalogue):
    open_evaluation_windows(world)
    made = write(world.student_a, title="旧标题")
    student = client_for(world.student_a)
    assert student.get(f"/evaluation/records/{made['id']}/", **EN).status_code == 200
    edited = student.post(f"/evaluation/records/{made['id']}/", {
        "kind": "growth", "title": "新标题", "text": "改过的内容", "happened_on": "2026-10-01",
        "item_id": str(item("labour_practice").pk), "client_key": "x"}, **EN)
    assert edited.status_code == 302
    record = WrittenRecord.objects.get()
    assert record.title == "新标题" and record.item.code == "labour_practice"
    call("post", "/submissions", world.student_a, {"record_ids": [record.pk]})
    page = student.get(f"/evaluation/records/{made['id']}/", **EN).content.decode()
    assert 'data-testid="record-withdraw"' in page and 'data-testid="edit-form"' not in page
    assert student.post(f"/evaluation/records/{made['id']}/withdraw/", **EN).status_code == 302
    assert WrittenRecord.objects.get().state == "draft"
    assert student.post(f"/evaluation/records/{made['id']}/delete/", **EN).status_code == 302
    assert not WrittenRecord.objects.exists()


def test_school_admin_reopens_an_approved_record_on_its_page(world, catalogue):
    open_evaluation_windows(world)
    made = write(world.student_a, item_id=item("honours").pk)
    call("post", "/submissions", world.student_a, {"record_ids": [made["id"]]})
    call("post", f"/records/{made['id']}/decision", world.school_admin_a, {"approve": True})
    student_page = client_for(world.student_a).get(f"/evaluation/records/{made['id']}/", **EN).content.decode()
    assert 'data-testid="approved-locked"' in student_page
    admin = client_for(world.school_admin_a)
    assert 'data-testid="record-reopen"' in admin.get(f"/evaluation/records/{made['id']}/", **EN).content.decode()
    assert admin.post(f"/evaluation/records/{made['id']}/reopen/", **EN).status_code == 302
    assert WrittenRecord.objects.get().reopened_at is not None
    assert client_for(world.school_admin_b).get(f"/evaluation/records/{made['id']}/", **EN).status_code == 404


def test_city_admin_edits_the_catalogue_page_and_others_read_it(world, catalogue):
    city = client_for(world.city_admin)
    page = city.get("/evaluation/catalogue/", **EN).content.decode()
    assert "思想品德" in page and 'data-testid="retire-volunteer_service"' in page
    volunteer = item("volunteer_service")
    assert city.post("/evaluation/catalogue/", {"action": "rename_item", "item_id": volunteer.pk,
                                                "label": "志愿者服务"}, **EN).status_code == 302
    assert city.post("/evaluation/catalogue/", {"action": "retire_item", "item_id": volunteer.pk}, **EN).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.label == "志愿者服务" and volunteer.retired_at is not None
    district = client_for(world.district_admin_x).get("/evaluation/catalogue/", **EN).content.decode()
    assert "志愿者服务" in district and 'data-testid="retire-' not in district
    refused = client_for(world.school_admin_a).post("/evaluation/catalogue/", {"action": "retire_item",
                                                                              "item_id": volunteer.pk}, **EN)
    assert refused.status_code == 403
    assert client_for(world.student_a).get("/evaluation/catalogue/", **EN).status_code == 403


def test_windows_page_sets_the_admins_own_window(world, catalogue):
    school = client_for(world.school_admin_a)
    assert school.get("/evaluation/windows/", **EN).status_code == 200
    bad = school.post("/evaluation/windows/", {"opens_on": "2026-12-01", "closes_on": "2026-11-01"}, **EN)
    assert bad.status_code == 400 and "earlier than the opening date" in bad.content.decode()
    assert school.post("/evaluation/windows/", {"opens_on": "2026-11-01", "closes_on": "2026-12-01"}, **EN).status_code == 302
    from renrentong.evaluation.models import SubmissionWindow

    assert SubmissionWindow.objects.get().school_id == world.school_a.pk
    assert client_for(world.teacher_a).get("/evaluation/windows/", **EN).status_code == 403


def test_the_menus_lead_to_the_pages(world, catalogue):
    student_tabs = client_for(world.student_a).get("/evaluation/growth/", **EN).content.decode()
    assert 'data-testid="tab-growth"' in student_tabs and 'href="/evaluation/growth/"' in student_tabs
    desk = client_for(world.student_a).get("/evaluation/records/", **EN).content.decode()
    assert 'data-testid="nav-evaluation-records"' in desk
    city = client_for(world.city_admin).get("/", **EN).content.decode()
    assert 'data-testid="nav-evaluation-catalogue"' in city and 'data-testid="nav-evaluation-windows"' in city


def test_the_date_field_starts_at_today_in_the_format_a_date_input_reads(world, catalogue, settings):
    from django.utils import timezone

    settings.LANGUAGE_CODE = "zh-hans"
    html = client_for(world.student_a).get("/evaluation/growth/").content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
