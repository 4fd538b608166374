"""The sender's notice pages (MSG-1): compose with the audience size, the sent list, detail, recall, correct."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from renrentong.notices.models import Notice
from tests.factories import as_user


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    """Pages speak the language of the switch's cookie, else the platform's default: English here, so the
    assertions read the English text (the API follows Accept-Language)."""
    settings.LANGUAGE_CODE = "en"

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 13) Mobile MicroMessenger", **EN}


def _png(name="a.png"):
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    # Uploaded objects go to a temporary directory, not the working tree.
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def run_tasks_now(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_teacher_compose_page_offers_only_taught_classes(world):
    client = as_user(Client(), world.teacher_a)
    page = client.get(reverse("notices:compose"), **PHONE)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-testid="pick-class-{world.class_a1.pk}"' in html
    assert f'data-testid="pick-class-{world.class_a2.pk}"' not in html
    assert 'data-testid="role-teacher"' not in html and 'name="urgent"' not in html


def test_school_admin_compose_page_offers_grades_and_urgent(world):
    html = as_user(Client(), world.school_admin_a).get(reverse("notices:compose"), **EN).content.decode()
    assert f'data-testid="pick-grade-{world.class_a1.cohort_id}"' in html
    assert f'data-testid="pick-class-{world.class_a2.pk}"' in html and 'name="urgent"' in html
    assert 'data-testid="nav-compose"' in html and 'data-testid="nav-sent"' in html


def test_region_admin_compose_page_lists_districts_and_schools(world):
    client = as_user(Client(), world.city_admin)
    html = client.get(reverse("notices:compose"), **EN).content.decode()
    assert f'data-testid="pick-district-{world.district_x.pk}"' in html
    html = client.get(reverse("notices:compose") + f"?district={world.district_x.pk}", **EN).content.decode()
    assert f'data-testid="pick-school-{world.school_a.pk}"' in html
    assert f'data-testid="pick-school-{world.school_b.pk}"' not in html
    assert client.get(reverse("notices:compose") + "?district=99999999999999999999999", **EN).status_code == 200


def test_audience_fragment_counts_and_names_refusals(world):
    client = as_user(Client(), world.school_admin_a)
    url = reverse("notices:audience")
    html = client.get(url, {"roles": ["parent", "student"], "class_ids": [world.class_a1.pk]}, **EN).content.decode()
    assert 'data-parent="1"' in html and 'data-student="1"' in html and "About 1 parents" in html
    teacher = as_user(Client(), world.teacher_a)
    html = teacher.get(url, {"roles": ["parent"], "class_ids": [world.class_a2.pk]}, **EN).content.decode()
    assert 'data-code="notices.class_not_taught"' in html
    assert as_user(Client(), world.parent_a).get(url, {"roles": ["parent"]}, **EN).status_code == 403
    assert teacher.get(url, {"class_ids": ["x"]}, **EN).status_code == 400


def test_teacher_sends_with_a_photo_and_sees_it_on_the_sent_pages(world, run_tasks_now, django_capture_on_commit_callbacks):
    client = as_user(Client(), world.teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notices:compose"), {
            "roles": ["parent"], "class_ids": [world.class_a1.pk], "title": "数学作业", "body": "练习册第 5 页",
            "confirm_required": "on", "files": [_png()]}, **PHONE)
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/notices/sent/{notice.pk}/?sent=1")
    assert notice.attachments.count() == 1 and notice.confirm_required
    detail = client.get(response["Location"], **PHONE).content.decode()
    assert 'data-testid="just-sent"' in detail and "/files/" in detail and 'data-status="sent"' in detail
    listing = client.get(reverse("notices:sent"), **PHONE).content.decode()
    assert f'data-testid="sent-{notice.pk}"' in listing


def test_a_refused_send_rerenders_the_form_with_the_reason_and_what_was_typed(world):
    client = as_user(Client(), world.teacher_a)
    response = client.post(reverse("notices:compose"), {
        "roles": ["parent"], "class_ids": [world.class_a2.pk], "title": "作业甲"}, **EN)
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-code="notices.class_not_taught"' in html and 'value="作业甲"' in html
    assert not Notice.objects.exists()


def test_a_stored_file_is_carried_when_the_send_is_refused_later(world):
    client = as_user(Client(), world.teacher_a)
    response = client.post(reverse("notices:compose"), {
        "roles": ["parent"], "class_ids": [world.class_a1.pk], "title": "", "files": [_png()]}, **EN)
    assert response.status_code == 400
    assert 'data-testid="kept-file-' in response.content.decode()


def test_scheduled_send_then_cancel(world):
    client = as_user(Client(), world.school_admin_a)
    response = client.post(reverse("notices:compose"), {
        "roles": ["parent"], "grade_ids": [world.class_a1.cohort_id], "title": "家长会", "send_at": "2099-01-01T08:00"},
        **EN)
    assert response.status_code == 400  # more than 30 days ahead
    from django.utils import timezone
    at = (timezone.localtime() + timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("notices:compose"), {
        "roles": ["parent"], "grade_ids": [world.class_a1.cohort_id], "title": "家长会", "send_at": at}, **EN)
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.status == Notice.Status.SCHEDULED
    page = client.get(reverse("notices:sent_detail", args=[notice.pk]), **EN).content.decode()
    assert "Cancel sending" in page
    assert client.post(reverse("notices:recall", args=[notice.pk]), **EN).status_code == 302
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECALLED
    again = client.post(reverse("notices:recall", args=[notice.pk]), **EN)
    assert again.status_code == 409


def test_correct_page(world):
    client = as_user(Client(), world.teacher_a)
    client.post(reverse("notices:compose"), {"roles": ["parent"], "class_ids": [world.class_a1.pk], "title": "作业",
                                             "files": [_png()]}, **EN)
    notice = Notice.objects.get()
    file_id = notice.attachments.get().file_id
    url = reverse("notices:correct", args=[notice.pk])
    page = client.get(url, **EN)
    assert page.status_code == 200 and f'data-testid="keep-{file_id}"' in page.content.decode()
    response = client.post(url, {"title": "作业（更正）", "body": "第 6 页", "keep_file_ids": [file_id]}, **EN)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "作业（更正）" and notice.edited_at and notice.attachments.count() == 1
    detail = client.get(reverse("notices:sent_detail", args=[notice.pk]), **EN).content.decode()
    assert 'data-testid="edited"' in detail
    refused = client.post(url, {"title": "", "keep_file_ids": [file_id]}, **EN)
    assert refused.status_code == 400


@pytest.mark.parametrize("who", ["teacher_b", "school_admin_b", "head_teacher_a", "parent_a", "district_admin_x"])
def test_other_people_get_404_on_every_sender_page(world, who):
    sender = as_user(Client(), world.teacher_a)
    sender.post(reverse("notices:compose"), {"roles": ["parent"], "class_ids": [world.class_a1.pk], "title": "作业"}, **EN)
    notice = Notice.objects.get()
    client = as_user(Client(), getattr(world, who))
    assert client.get(reverse("notices:sent_detail", args=[notice.pk]), **EN).status_code == 404
    assert client.get(reverse("notices:correct", args=[notice.pk]), **EN).status_code == 404
    assert client.post(reverse("notices:correct", args=[notice.pk]), {"title": "x"}, **EN).status_code == 404
    assert client.post(reverse("notices:recall", args=[notice.pk]), **EN).status_code == 404
    notice.refresh_from_db()
    assert notice.status != Notice.Status.RECALLED and notice.title == "作业"


def test_huge_ids_in_urls_are_404(world):
    client = as_user(Client(), world.teacher_a)
    huge = 2**64
    assert client.get(f"/notices/sent/{huge}/", **EN).status_code == 404
    assert client.post(f"/notices/sent/{huge}/recall/", **EN).status_code == 404
    assert client.get(f"/notices/sent/?before={huge}", **EN).status_code == 200


def test_parents_and_students_have_no_sender_pages(world):
    for account in (world.parent_a, world.student_a):
        client = as_user(Client(), account)
        assert client.get(reverse("notices:compose"), **EN).status_code == 403
        assert client.get(reverse("notices:sent"), **EN).status_code == 403


def test_status_line_polls_while_sending_and_stops_when_sent(world, run_tasks_now, django_capture_on_commit_callbacks):
    client = as_user(Client(), world.teacher_a)
    client.post(reverse("notices:compose"), {"roles": ["parent"], "class_ids": [world.class_a1.pk], "title": "作业"}, **EN)
    notice = Notice.objects.get()
    url = reverse("notices:sent_status", args=[notice.pk])
    assert f'hx-get="{url}"' in client.get(reverse("notices:sent_detail", args=[notice.pk]), **EN).content.decode()
    from renrentong.notices.fanout import fan_out
    fan_out(notice.pk)
    html = client.get(url, **EN).content.decode()
    assert 'data-status="sent"' in html and "hx-get" not in html and "Sent to 1 readers" in html
    assert as_user(Client(), world.teacher_b).get(url, **EN).status_code == 404


def test_sent_list_pages_with_before(world):
    client = as_user(Client(), world.teacher_a)
    for i in range(3):
        client.post(reverse("notices:compose"), {"roles": ["parent"], "class_ids": [world.class_a1.pk],
                                                 "title": f"作业{i}"}, **EN)
    ids = list(Notice.objects.order_by("-id").values_list("pk", flat=True))
    html = client.get(reverse("notices:sent") + f"?before={ids[0]}", **EN).content.decode()
    assert f'data-testid="sent-{ids[0]}"' not in html and f'data-testid="sent-{ids[2]}"' in html
    assert client.get(reverse("notices:sent") + "?before=x", **EN).status_code == 200


def test_district_admin_sends_to_a_whole_district_from_the_page(world, run_tasks_now, django_capture_on_commit_callbacks):
    client = as_user(Client(), world.district_admin_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notices:compose"), {
            "roles": ["parent", "teacher"], "district_ids": [world.district_x.pk], "title": "安全教育"}, **EN)
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.kind == Notice.Kind.REGION and notice.audience["school_ids"] == [world.school_a.pk]
    detail = client.get(response["Location"], **EN).content.decode()
    assert world.school_a.name in detail
    refused = client.post(reverse("notices:compose"), {
        "roles": ["parent"], "school_ids": [world.school_b.pk], "title": "安全教育"}, **EN)
    assert refused.status_code == 404 and 'data-code="notices.school_not_below"' in refused.content.decode()
