"""The spaces pages (SPC-1, SPC-2): compose with images, feeds, a post, removal, personal/class/school spaces,
the review queue, the word list and statistics; foreign ids are "not found"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from renrentong.core.models import AuditEvent
from renrentong.spaces.models import ClassSpace, ClassSpaceAdmin, Post, SpaceVisit
from tests.factories import as_user, make_parent, make_student
from tests.spaces.helpers import png, post


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    """Pages speak the language of the switch's cookie, else the platform's default: English here, so the
    assertions read the English text (the API follows Accept-Language)."""
    settings.LANGUAGE_CODE = "en"

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def client_for(account):
    return as_user(Client(), account)


def test_student_posts_with_images_and_a_classmates_parent_sees_them(world):
    student = client_for(world.student_a)
    assert student.get("/spaces/new/", **EN).status_code == 200
    response = student.post("/spaces/new/", {
        "kind": "mood", "text": "春游真开心", "visibility": "class",
        "images": [SimpleUploadedFile("a.png", png(), "image/png"), SimpleUploadedFile("b.png", png((0, 9, 9)))],
    }, **EN)
    assert response.status_code == 302, response.content
    made = Post.objects.get()
    assert made.class_id == world.class_a1.pk and made.images.count() == 2
    classmate_parent = make_parent(make_student(world.class_a1, "王小丽"), name="王妈妈")
    page = client_for(classmate_parent).get("/spaces/?feed=class", **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "春游真开心" in html and html.count('data-testid="post-image"') == 2
    assert "春游真开心" not in client_for(world.student_a2).get("/spaces/", **EN).content.decode()


def test_compose_shows_the_refusal_beside_the_form(world):
    response = client_for(world.student_a).post("/spaces/new/", {"kind": "mood", "text": "大家好",
                                                                   "visibility": "public"}, **EN)
    assert response.status_code == 403
    assert 'data-code="spaces.public_not_allowed"' in response.content.decode()
    assert "大家好" in response.content.decode()
    assert client_for(world.school_admin_a).get("/spaces/new/", **EN).status_code == 403


def test_head_teacher_removes_with_a_reason_the_author_reads(world):
    made = post(world.student_a, "不当内容")
    head = client_for(world.head_teacher_a)
    assert 'data-testid="remove-form"' in head.get(f"/spaces/posts/{made['id']}/", **EN).content.decode()
    response = head.post(f"/spaces/posts/{made['id']}/remove/", {"reason": "含不文明用语"}, **EN)
    assert response.status_code == 302
    own = client_for(world.student_a).get(f"/spaces/posts/{made['id']}/", **EN).content.decode()
    assert "Removed: 含不文明用语" in own
    assert client_for(world.parent_a).get(f"/spaces/posts/{made['id']}/", **EN).status_code == 404


def test_foreign_and_huge_ids_are_not_found(world):
    made = post(world.student_a)
    other = client_for(world.student_b)
    for url in (f"/spaces/posts/{made['id']}/", f"/spaces/classes/{world.class_a1.pk}/",
                f"/spaces/schools/{world.school_a.pk}/", f"/spaces/people/{world.student_a.pk}/",
                f"/spaces/?feed=class&class_id={world.class_a1.pk}", f"/spaces/posts/{2**70}/",
                f"/spaces/classes/{2**64}/manage/"):
        assert other.get(url, **EN).status_code in (404, 400), url
    assert other.post(f"/spaces/posts/{made['id']}/report/", {"reason": "x"}, **EN).status_code == 404
    assert other.post(f"/spaces/posts/{made['id']}/delete/", **EN).status_code == 404


def test_report_from_the_page_lands_in_the_review_queue(world):
    made = post(world.student_a, "广告内容")
    parent = client_for(world.parent_a)
    response = parent.post(f"/spaces/posts/{made['id']}/report/", {"reason": "广告"}, **EN)
    assert response.status_code == 302
    admin = client_for(world.school_admin_a)
    queue = admin.get("/spaces/review/", **EN).content.decode()
    assert f'data-post-id="{made["id"]}"' in queue and "广告" in queue
    admin.post(f"/spaces/posts/{made['id']}/remove/", {"reason": "广告", "next": "review"}, **EN)
    assert 'data-testid="review-empty"' in admin.get("/spaces/review/", **EN).content.decode()
    assert client_for(world.head_teacher_a).get("/spaces/review/", **EN).status_code == 403


def test_class_space_is_managed_by_the_head_teacher_and_an_appointed_class_admin(world):
    head = client_for(world.head_teacher_a)
    assert client_for(world.student_a).get(f"/spaces/classes/{world.class_a1.pk}/manage/", **EN).status_code == 403
    response = head.post(f"/spaces/classes/{world.class_a1.pk}/manage/", {
        "title": "快乐一班", "intro": "我们是一家人", "cover": SimpleUploadedFile("c.png", png())}, **EN)
    assert response.status_code == 302
    assert ClassSpace.objects.get().title == "快乐一班"
    page = client_for(world.parent_a).get(f"/spaces/classes/{world.class_a1.pk}/", **EN).content.decode()
    assert "快乐一班" in page and 'data-testid="space-cover"' in page
    refused = head.post(f"/spaces/classes/{world.class_a1.pk}/admins/", {"account_number": world.student_a2.number}, **EN)
    assert refused.status_code == 404
    head.post(f"/spaces/classes/{world.class_a1.pk}/admins/", {"account_number": world.student_a.number}, **EN)
    assert ClassSpaceAdmin.objects.filter(account=world.student_a).exists()
    student = client_for(world.student_a)
    assert student.post(f"/spaces/classes/{world.class_a1.pk}/manage/", {"title": "一班", "intro": ""},
                        **EN).status_code == 302
    assert client_for(world.teacher_a).post(f"/spaces/classes/{world.class_a1.pk}/manage/", {"title": "x"},
                                            **EN).status_code == 403
    assert AuditEvent.objects.filter(verb="spaces.class_admin_appoint").exists()


def test_school_space_is_managed_by_the_school_admin(world):
    admin = client_for(world.school_admin_a)
    assert admin.post(f"/spaces/schools/{world.school_a.pk}/manage/", {"title": "芙蓉一小", "intro": "欢迎"},
                      **EN).status_code == 302
    assert "芙蓉一小" in client_for(world.student_a).get(f"/spaces/schools/{world.school_a.pk}/", **EN).content.decode()
    assert client_for(world.school_admin_b).get(f"/spaces/schools/{world.school_a.pk}/manage/", **EN).status_code == 404
    assert client_for(world.head_teacher_a).get(f"/spaces/schools/{world.school_a.pk}/manage/", **EN).status_code == 403


def test_statistics_count_spaces_posts_and_one_visit_per_visitor_and_day(world):
    post(world.student_a)
    post(world.student_a2, visibility="school")
    parent = client_for(world.parent_a)
    for _ in range(3):
        assert parent.get(f"/spaces/people/{world.student_a.pk}/", **EN).status_code == 200
    parent.get(f"/spaces/classes/{world.class_a1.pk}/", **EN)
    assert SpaceVisit.objects.count() == 2
    response = client_for(world.school_admin_a).get("/api/v1/spaces/stats", HTTP_ACCEPT_LANGUAGE="en",
                                                    **_bearer(world.school_admin_a))
    rows = {r["id"]: r for r in response.json()["rows"]}
    assert rows[world.class_a1.pk] == {**rows[world.class_a1.pk], "spaces_opened": 1, "posts": 1, "visits": 2}
    assert rows[world.class_a2.pk]["posts"] == 1  # a student's school post still counts for their class
    region = client_for(world.district_admin_x).get("/spaces/stats/", **EN)
    assert region.status_code == 200 and world.school_a.name in region.content.decode()
    assert world.school_b.name not in region.content.decode()
    one = client_for(world.district_admin_x).get(f"/spaces/stats/?school_id={world.school_a.pk}", **EN)
    assert one.status_code == 200
    assert client_for(world.district_admin_x).get(f"/spaces/stats/?school_id={world.school_b.pk}", **EN).status_code == 404
    assert client_for(world.student_a).get("/spaces/stats/", **EN).status_code == 403


def _bearer(account):
    from tests.factories import bearer

    return bearer(account)


def test_word_list_page_and_the_children_rule(world):
    city = client_for(world.city_admin)
    assert city.post("/spaces/words/", {"word": "赌博"}, **EN).status_code == 302
    assert "赌博" in client_for(world.district_admin_x).get("/spaces/words/", **EN).content.decode()
    assert client_for(world.school_admin_a).get("/spaces/words/", **EN).status_code == 403
    district = client_for(world.district_admin_x)
    assert district.post("/spaces/words/children-public/", {"allowed": "on"}, **EN).status_code == 302
    from datetime import date

    person = world.student_a.person
    person.birth_date = date(2016, 1, 1)
    person.save()
    made = post(world.student_a, "你好", visibility="public")
    assert made["status"] == "published"
    held = post(world.student_a, "赌 博")
    assert held["status"] == "held"
