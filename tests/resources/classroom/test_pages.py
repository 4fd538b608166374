"""The smart classroom's pages (RES-1, RES-3): the student's phone and desk pages with their defaults, the
grade 1-2 page, the parent's and the admins' pages, keeping resources, the school's take-down, exports."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from renrentong.core.models import AuditEvent
from renrentong.resources.models import Resource
from tests.factories import as_user, make_class, make_student
from tests.resources.classroom.helpers import make, math_book, upload_pdf
from tests.resources.export_jobs import page_job, written

pytestmark = pytest.mark.django_db
BASE = "/resources/classroom/"


@pytest.fixture(autouse=True)
def autumn(monkeypatch):
    monkeypatch.setattr("renrentong.resources.classroom.selectors.today", lambda: date(2026, 10, 12))


def page(account, url: str = BASE, **params):
    return as_user(Client(), account).get(url, params)


def test_student_phone_page_shows_modules_recommended_and_their_grades_resources(client, world):
    math_book(world)
    mine = make(client, world.teacher_a, title="测量 微课")
    make(client, world.teacher_a, title="四年级的", grade=4)
    got = page(world.student_a)
    html = got.content.decode()
    assert got.status_code == 200
    assert f'data-testid="resource-{mine["id"]}"' in html and "四年级的" not in html
    for key in ("review", "topic", "practice", "personalised", "centre"):
        assert f'data-testid="module-{key}"' in html
    assert 'data-testid="no-recommended"' in html
    assert 'name="grade"' in html and '<option value="3" selected>' in html
    assert 'data-testid="filter-chapter"' not in html  # a chapter needs a subject and a grade
    chosen = page(world.student_a, subject="数学").content.decode()
    assert 'data-testid="filter-chapter"' in chosen and "毫米、分米的认识" in chosen


def test_student_desk_page_is_the_console_shell(client, world):
    make(client, world.teacher_a, title="桌面")
    html = page(world.student_a, BASE + "desk/").content.decode()
    assert "桌面" in html and 'data-testid="to-phone"' in html and "sidebar" in html.lower()


def test_grade_one_student_gets_the_no_resources_page_not_an_empty_list(client, world):
    young = make_student(make_class(world.school_a, 7, enrollment_year=2026), "小一")
    got = page(young)
    html = got.content.decode()
    assert got.status_code == 200
    assert 'data-testid="none-for-grade"' in html and 'data-code="classroom.none_for_grade"' in html
    assert 'data-testid="resources"' not in html


def test_parent_is_told_to_switch_with_the_link(world):
    html = page(world.parent_a).content.decode()
    assert 'data-code="classroom.switch_to_child"' in html and 'data-testid="switch-identity"' in html
    assert 'href="/accounts/identities/"' in html


def test_admin_gets_a_clear_message_and_the_way_to_their_pages(world):
    html = page(world.school_admin_a).content.decode()
    assert 'data-code="classroom.students_and_teachers"' in html and 'data-testid="to-mine"' in html


def test_teacher_adds_a_link_and_a_file_on_the_pages(world):
    teacher = as_user(Client(), world.teacher_a)
    form = teacher.get(BASE + "new/", {"kind": "link"})
    assert form.status_code == 200 and 'data-testid="picker-file_ids"' in form.content.decode()
    fields = {"title": "免费资源", "kind": "link", "module": "topic", "stage": "primary", "subject": "数学",
              "grade": "3", "term": "first", "url": "https://example.org/free", "sharing": "school", "is_basic": "on"}
    made = teacher.post(BASE + "new/", fields)
    assert made.status_code == 302
    link = Resource.objects.get(title="免费资源")
    assert (link.module, link.sharing, link.is_basic) == ("topic", "school", True)
    bad = teacher.post(BASE + "new/", {**fields, "url": "javascript:alert(1)"})
    assert bad.status_code == 400 and 'data-code="classroom.url_invalid"' in bad.content.decode()
    file_id = upload_pdf(Client(), world.teacher_a)
    teacher.post(BASE + "new/", {**fields, "title": "教案", "kind": "lesson_plan", "url": "", "file_ids": [file_id]})
    plan = Resource.objects.get(title="教案")
    assert plan.file_id == file_id
    # Editing keeps the file when no other is chosen.
    edited = teacher.post(BASE + f"{plan.pk}/edit/", {**fields, "title": "教案二", "kind": "lesson_plan", "url": ""})
    assert edited.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.file_id) == ("教案二", file_id)
    shown = teacher.get(BASE + f"{plan.pk}/").content.decode()
    assert 'data-testid="open-resource"' in shown and "/files/" in shown
    listed = teacher.get(BASE + "mine/").content.decode()
    assert "免费资源" in listed and "教案二" in listed


def test_external_links_open_without_referrer(client, world):
    made = make(client, world.teacher_a)
    html = page(world.student_a, BASE + f"{made['id']}/").content.decode()
    assert 'rel="noopener noreferrer nofollow"' in html and 'href="https://example.org/lesson/1"' in html
    assert 'data-testid="edit-resource"' not in html


def test_other_teacher_cannot_open_edit_or_delete(client, world):
    made = make(client, world.teacher_a)
    other = as_user(Client(), world.head_teacher_a)
    assert other.get(BASE + f"{made['id']}/edit/").status_code == 403
    refused = other.post(BASE + f"{made['id']}/delete/")
    assert refused.status_code == 403 and 'data-code="classroom.not_owner"' in refused.content.decode()
    assert Resource.objects.filter(pk=made["id"]).exists()
    owner = as_user(Client(), world.teacher_a)
    assert owner.post(BASE + f"{made['id']}/delete/").status_code == 302
    assert not Resource.objects.filter(pk=made["id"]).exists()


def test_school_admin_takes_down_on_the_school_page(client, world):
    made = make(client, world.teacher_a)
    admin = as_user(Client(), world.school_admin_a)
    listed = admin.get(BASE + "school/").content.decode()
    assert f'data-testid="take-down-{made["id"]}"' in listed
    empty = admin.post(BASE + f"{made['id']}/take-down/", {"reason": ""})
    assert empty.status_code == 400 and 'data-code="classroom.reason_required"' in empty.content.decode()
    assert admin.post(BASE + f"{made['id']}/take-down/", {"reason": "版权不明"}).status_code == 302
    assert "版权不明" in admin.get(BASE + "school/").content.decode()
    assert AuditEvent.objects.filter(verb="classroom.take_down").exists()
    assert "版权不明" in page(world.teacher_a, BASE + f"{made['id']}/").content.decode()


def test_exports_from_the_pages(client, world):
    make(client, world.teacher_a)
    mine = page(world.teacher_a, BASE + "mine/", export="xlsx")
    assert mine.status_code == 200 and mine["Content-Disposition"].startswith("attachment")
    school = page(world.school_admin_a, BASE + "school/", export="xlsx")
    assert school.status_code == 200
    assert page(world.teacher_a, BASE + "school/").status_code == 403


def test_a_long_list_exports_from_the_page_as_a_task(client, world, big_exports):
    make(client, world.teacher_a, title="测量 微课")
    make(client, world.teacher_a, title="四年级的课", grade=4)
    job_id = page_job(page(world.teacher_a, BASE + "mine/", export="xlsx", grade=4))
    made = written(job_id, world.teacher_a)
    assert "四年级的课" in made and "测量 微课" not in made
    assert "四年级的课" in written(page_job(page(world.school_admin_a, BASE + "school/", export="xlsx")),
                              world.school_admin_a)


def test_recommendations_page(client, world):
    made = make(client, world.teacher_a, title="推荐的课")
    admin = as_user(Client(), world.school_admin_a)
    assert admin.post(BASE + "recommended/", {"resource_id": made["id"], "stage": "primary", "subject": "数学",
                                              "term": "first"}).status_code == 302
    listed = admin.get(BASE + "recommended/").content.decode()
    assert "推荐的课" in listed
    again = admin.post(BASE + "recommended/", {"resource_id": made["id"], "stage": "primary", "subject": "数学",
                                               "term": "first"})
    assert again.status_code == 409
    assert 'data-testid="recommended-' in page(world.student_a).content.decode()
    rec = Resource.objects.get(pk=made["id"]).recommendations.get()
    assert admin.post(BASE + "recommended/", {"action": "remove", "recommendation_id": rec.pk}).status_code == 302
    assert page(world.teacher_a, BASE + "recommended/").status_code == 403


def test_student_home_and_console_sidebar_lead_to_the_classroom(world):
    assert 'data-testid="classroom-entry"' in page(world.student_a, "/").content.decode()
    console = page(world.school_admin_a, "/").content.decode()
    assert 'data-testid="nav-classroom-school"' in console and 'data-testid="nav-classroom-recommended"' in console
