"""The inbox through the API (issue 13 item 2): newest first, keyset paging, the child filter, opening marks
read, confirm, the unread count, recalled and edited notices, attachments after the scope check."""

from datetime import timedelta

import pytest
from django.utils import timezone

from renrentong.notices.models import InboxItem, Notice
from tests.factories import make_parent, make_student
from tests.notices.helpers import get, post, send

API = "/api/v1/inbox"


def test_newest_first_and_the_unread_count(world, client):
    first = send(world.school_admin_a, class_ids=[world.class_a1.pk], title="第一条")
    second = send(world.teacher_a, class_ids=[world.class_a1.pk], title="第二条")
    body = get(client, API, world.parent_a).json()
    assert [i["notice_id"] for i in body["items"]] == [second.pk, first.pk]
    assert body["next_cursor"] is None
    assert body["items"][0]["sender"].startswith("王老师")
    assert all(not i["read"] for i in body["items"])
    count = get(client, f"{API}/unread-count", world.parent_a).json()
    assert count == {"count": 2, "display": "2"}


def test_keyset_paging_has_no_duplicates_or_gaps_while_notices_arrive(world, client):
    sent = [send(world.school_admin_a, class_ids=[world.class_a1.pk], title=f"通知{i}") for i in range(7)]
    # Same arrival time for some, so the id breaks the tie.
    InboxItem.objects.filter(notice_id__in=[n.pk for n in sent[2:5]]).update(sort_at=sent[2].send_at)
    page = get(client, f"{API}?limit=3", world.parent_a).json()
    seen = [i["notice_id"] for i in page["items"]]
    newcomer = send(world.school_admin_a, class_ids=[world.class_a1.pk], title="新来的")
    while page["next_cursor"]:
        page = get(client, f"{API}?limit=3&cursor={page['next_cursor']}", world.parent_a).json()
        seen += [i["notice_id"] for i in page["items"]]
    assert len(seen) == len(set(seen)) == 7 and newcomer.pk not in seen
    ordered = list(InboxItem.objects.filter(account_id=world.parent_a.pk).exclude(notice_id=newcomer.pk)
                   .order_by("-sort_at", "-id").values_list("notice_id", flat=True))
    assert seen == ordered
    assert get(client, API, world.parent_a).json()["items"][0]["notice_id"] == newcomer.pk


@pytest.mark.parametrize("cursor", ["garbage", "", "MTIzNDU2", "OTk5OTk5OTk5OTk5OTk5OTk5OTkuMQ", "!!", "a" * 64])
def test_a_bad_cursor_is_a_400_never_a_500(world, client, cursor):
    send(world.school_admin_a, class_ids=[world.class_a1.pk])
    response = get(client, f"{API}?cursor={cursor}", world.parent_a)
    assert response.status_code in (200, 400)
    if cursor and response.status_code == 400:
        assert response.json()["code"] in ("inbox.bad_cursor", "request.invalid")


def test_child_filter_shows_one_childs_notices_and_another_child_is_404(world, client):
    sibling = make_student(world.class_a2, "李小华")
    parent = make_parent(world.student_a, sibling, name="李妈妈")
    only_a1 = send(world.school_admin_a, class_ids=[world.class_a1.pk], title="一班")
    only_a2 = send(world.school_admin_a, class_ids=[world.class_a2.pk], title="二班")
    both = send(world.school_admin_a, class_ids=[world.class_a1.pk, world.class_a2.pk], title="全校")
    everything = [i["notice_id"] for i in get(client, API, parent).json()["items"]]
    assert everything == [both.pk, only_a2.pk, only_a1.pk]
    first = [i["notice_id"] for i in get(client, f"{API}?child_id={world.student_a.person_id}", parent).json()["items"]]
    assert first == [both.pk, only_a1.pk]
    second = [i["notice_id"] for i in get(client, f"{API}?child_id={sibling.person_id}", parent).json()["items"]]
    assert second == [both.pk, only_a2.pk]
    for stranger in (world.student_b.person_id, world.student_a2.person_id, 2**63 - 1):
        response = get(client, f"{API}?child_id={stranger}", parent)
        assert response.status_code == 404 and response.json()["code"] == "inbox.child_not_found"
    assert get(client, f"{API}?child_id={2**70}", parent).status_code == 400
    # Only a guardian filters by child.
    assert get(client, f"{API}?child_id={world.student_a.person_id}", world.student_a).status_code == 404


def test_opening_marks_read_once_and_keeps_the_first_time(world, client, freezer):
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk], body="请带好水杯。")
    opened = get(client, f"{API}/{notice.pk}", world.parent_a).json()
    assert opened["read"] and opened["body"] == "请带好水杯。" and opened["attachments"] == []
    first = opened["read_at"]
    freezer.tick(timedelta(minutes=5))
    assert get(client, f"{API}/{notice.pk}", world.parent_a).json()["read_at"] == first
    assert get(client, f"{API}/unread-count", world.parent_a).json()["count"] == 0


def test_confirm_receipt_only_when_asked(world, client):
    asks = send(world.school_admin_a, class_ids=[world.class_a1.pk], confirm=True)
    plain = send(world.school_admin_a, class_ids=[world.class_a1.pk])
    confirmed = post(client, f"{API}/{asks.pk}/confirm", world.parent_a)
    assert confirmed.status_code == 200
    assert confirmed.json()["confirmed_at"] and confirmed.json()["read"]
    again = post(client, f"{API}/{asks.pk}/confirm", world.parent_a)
    assert again.json()["confirmed_at"] == confirmed.json()["confirmed_at"]
    refused = post(client, f"{API}/{plain.pk}/confirm", world.parent_a)
    assert refused.status_code == 400 and refused.json()["code"] == "inbox.no_receipt"
    assert refused.json()["who_can_fix"]


def test_recalled_notice_has_no_body_and_edited_is_marked(world, client):
    recalled = send(world.school_admin_a, class_ids=[world.class_a1.pk], body="秘密", confirm=True)
    edited = send(world.school_admin_a, class_ids=[world.class_a1.pk], body="改过")
    Notice.objects.filter(pk=recalled.pk).update(status=Notice.Status.RECALLED, recalled_at=timezone.now())
    Notice.objects.filter(pk=edited.pk).update(edited_at=timezone.now())
    items = {i["notice_id"]: i for i in get(client, API, world.parent_a).json()["items"]}
    assert items[recalled.pk]["recalled"] and items[recalled.pk]["excerpt"] == ""
    assert items[edited.pk]["edited"] and not items[edited.pk]["recalled"]
    opened = get(client, f"{API}/{recalled.pk}", world.parent_a).json()
    assert opened["recalled"] and opened["body"] is None
    assert "秘密" not in get(client, f"{API}/{recalled.pk}", world.parent_a).content.decode()
    assert post(client, f"{API}/{recalled.pk}/confirm", world.parent_a).status_code == 409
    # A recalled unread notice does not ring the badge.
    assert get(client, f"{API}/unread-count", world.parent_a).json()["count"] == 1


def test_unread_count_caps_at_99_plus(world, client):
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk])
    now = timezone.now()
    InboxItem.objects.bulk_create([
        InboxItem(notice_id=notice.pk + 1 + i, account_id=world.parent_a.pk, school_id=world.school_a.pk, sort_at=now,
                  notice_at=now)
        for i in range(120)])
    Notice.objects.bulk_create([Notice(pk=notice.pk + 1 + i, school_id=world.school_a.pk, kind="school",
                                       sender=world.school_admin_a, sender_identity_id=1, sender_label="x",
                                       title="t", body="b", status="sent") for i in range(120)])
    assert get(client, f"{API}/unread-count", world.parent_a).json() == {"count": 100, "display": "99+"}


def test_someone_elses_notice_is_not_found_and_admins_have_no_inbox(world, client):
    notice = send(world.school_admin_b, class_ids=[world.class_b1.pk])
    for account in (world.parent_a, world.student_a, world.teacher_a):
        response = get(client, f"{API}/{notice.pk}", account)
        assert response.status_code == 404 and response.json()["code"] == "notices.not_found"
        assert post(client, f"{API}/{notice.pk}/confirm", account).status_code == 404
    assert get(client, f"{API}/{2**63 - 1}", world.parent_a).status_code == 404
    assert get(client, f"{API}/{2**64}", world.parent_a).status_code in (400, 404)
    assert get(client, API, world.school_admin_a).status_code == 403
    assert get(client, f"{API}/unread-count", world.district_admin_x).status_code == 403
    assert client.get(API).status_code == 401


def test_students_and_teachers_read_their_own(world, client):
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk], roles=("student", "teacher"))
    for account in (world.student_a, world.teacher_a, world.head_teacher_a):
        assert [i["notice_id"] for i in get(client, API, account).json()["items"]] == [notice.pk]
    assert get(client, API, world.student_a2).json()["items"] == []
    assert get(client, API, world.parent_a).json()["items"] == []


def test_attachments_come_as_signed_links_for_the_reader_only(world, client, settings, tmp_path):
    import io

    settings.MEDIA_ROOT = str(tmp_path)  # the stored file stays out of the working tree

    from PIL import Image

    from renrentong.notices.services import NoticeDraft, send_notice
    from renrentong.notices import fanout
    from renrentong.uploads.services import store_upload
    from tests.notices.helpers import actor

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    sender = actor(world.school_admin_a)
    stored = store_upload(sender, buffer.getvalue(), "通知.png", purpose="notice", school_id=world.school_a.pk)
    notice = send_notice(sender, NoticeDraft(title="附件", roles=["parent"], class_ids=[world.class_a1.pk],
                                             file_ids=[stored.pk]))
    fanout.fan_out(notice.pk)
    opened = get(client, f"{API}/{notice.pk}", world.parent_a).json()
    assert len(opened["attachments"]) == 1
    link = opened["attachments"][0]["url"]
    assert client.get(link, **{}).status_code in (302, 401, 403, 404)  # nobody logged in: not served
    from tests.factories import as_user
    as_user(client, world.parent_a)
    assert client.get(link).status_code == 200
    as_user(client, world.parent_b)
    assert client.get(link).status_code in (403, 404)
    # A recalled notice gives no links at all.
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.RECALLED, recalled_at=timezone.now())
    assert get(client, f"{API}/{notice.pk}", world.parent_a).json()["attachments"] == []


def test_the_first_page_costs_the_same_queries_for_one_notice_or_many_and_excerpts_long_bodies(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send(world.school_admin_a, class_ids=[world.class_a1.pk], body="长" * 200)

    def page_queries() -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as queries:
            body = get(client, API, world.parent_a).json()
        return len(queries), body

    one, body = page_queries()
    assert body["items"][0]["excerpt"] == "长" * 60 + "…"
    for i in range(6):
        send(world.teacher_a, class_ids=[world.class_a1.pk], title=f"作业{i}", body="短")
    many, body = page_queries()
    assert len(body["items"]) == 7 and body["items"][0]["excerpt"] == "短"
    assert many == one
