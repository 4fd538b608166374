"""The inbox pages (issue 13 item 2): the 消息 tab lists the inbox on top with its badge, the child filter,
the "older" link; opening marks read; the receipt button; recalled and edited notices."""

from django.utils import timezone

from renrentong.notices.models import InboxItem, Notice
from tests.factories import as_user, make_parent, make_student
from tests.notices.helpers import send

MESSAGES = "/my/messages/"


def _page(client, account, url=MESSAGES, **kw):
    as_user(client, account)
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en", **kw)


def test_messages_tab_lists_the_inbox_newest_first_with_the_unread_badge(world, client):
    first = send(world.school_admin_a, class_ids=[world.class_a1.pk], title="第一条")
    second = send(world.school_admin_a, class_ids=[world.class_a1.pk], title="第二条", body="请带好水杯。")
    html = _page(client, world.parent_a).content.decode()
    assert html.index(f'data-notice-id="{second.pk}"') < html.index(f'data-notice-id="{first.pk}"')
    assert 'data-testid="tab-messages-badge">2<' in html
    assert "请带好水杯" in html  # the excerpt
    assert 'data-testid="messages-waiting"' in html


def test_older_link_pages_without_repeating(world, client):
    sent = [send(world.school_admin_a, class_ids=[world.class_a1.pk], title=f"通知{i}") for i in range(23)]
    html = _page(client, world.parent_a).content.decode()
    assert html.count('data-testid="inbox-item"') == 20 and 'data-testid="inbox-more"' in html
    cursor = html.split("inbox/more/?cursor=")[1].split('"')[0]
    rest = client.get(f"/notices/inbox/more/?cursor={cursor}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert rest.count('data-testid="inbox-item"') == 3 and 'data-testid="inbox-more"' not in rest
    for notice in sent[:3]:
        assert f'data-notice-id="{notice.pk}"' in rest
    assert client.get("/notices/inbox/more/?cursor=%%%", HTTP_ACCEPT_LANGUAGE="en").status_code == 400
    # Without script the link opens the 消息 tab at that page.
    assert _page(client, world.parent_a, f"{MESSAGES}?cursor={cursor}").content.decode().count('data-testid="inbox-item"') == 3


def test_parent_of_two_filters_per_child_and_another_child_is_404(world, client):
    sibling = make_student(world.class_a2, "李小华")
    parent = make_parent(world.student_a, sibling, name="李妈妈")
    a1 = send(world.school_admin_a, class_ids=[world.class_a1.pk], title="一班")
    a2 = send(world.school_admin_a, class_ids=[world.class_a2.pk], title="二班")
    html = _page(client, parent).content.decode()
    assert f'data-testid="inbox-child-{sibling.person_id}"' in html
    only = _page(client, parent, f"{MESSAGES}?child={sibling.person_id}").content.decode()
    assert f'data-notice-id="{a2.pk}"' in only and f'data-notice-id="{a1.pk}"' not in only
    assert _page(client, parent, f"{MESSAGES}?child={world.student_b.person_id}").status_code == 404
    assert _page(client, parent, f"{MESSAGES}?child=abc").status_code == 400


def test_opening_marks_read_and_confirm_button(world, client):
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk], confirm=True, body="请回执。")
    page = _page(client, world.parent_a, f"/notices/inbox/{notice.pk}/")
    assert page.status_code == 200 and 'data-testid="notice-confirm"' in page.content.decode()
    assert InboxItem.objects.get(notice=notice, account_id=world.parent_a.pk).read_at is not None
    done = client.post(f"/notices/inbox/{notice.pk}/confirm/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert 'data-testid="notice-confirmed"' in done.content.decode()
    assert InboxItem.objects.get(notice=notice, account_id=world.parent_a.pk).confirmed_at is not None
    assert 'tab-messages-badge' not in done.content.decode()


def test_recalled_shows_recalled_without_body_and_edited_is_marked(world, client):
    recalled = send(world.school_admin_a, class_ids=[world.class_a1.pk], body="原来的正文")
    edited = send(world.school_admin_a, class_ids=[world.class_a1.pk], body="新的正文")
    Notice.objects.filter(pk=recalled.pk).update(status=Notice.Status.RECALLED, recalled_at=timezone.now())
    Notice.objects.filter(pk=edited.pk).update(edited_at=timezone.now())
    html = _page(client, world.parent_a).content.decode()
    assert 'data-testid="inbox-recalled"' in html and 'data-testid="inbox-edited"' in html and "原来的正文" not in html
    opened = _page(client, world.parent_a, f"/notices/inbox/{recalled.pk}/").content.decode()
    assert 'data-testid="notice-recalled"' in opened and "原来的正文" not in opened
    assert 'data-testid="notice-edited"' in _page(client, world.parent_a, f"/notices/inbox/{edited.pk}/").content.decode()


def test_other_peoples_notices_and_huge_ids_are_404(world, client):
    theirs = send(world.school_admin_b, class_ids=[world.class_b1.pk])
    for url in (f"/notices/inbox/{theirs.pk}/", f"/notices/inbox/{2**64}/", f"/notices/inbox/{2**63 - 1}/"):
        assert _page(client, world.parent_a, url).status_code == 404
    assert client.post(f"/notices/inbox/{theirs.pk}/confirm/").status_code == 404
    assert _page(client, world.school_admin_a, f"/notices/inbox/{theirs.pk}/").status_code == 403


def test_teacher_at_a_desk_sees_the_unread_badge_in_the_console_header(world, client):
    send(world.school_admin_a, class_ids=[world.class_a1.pk], roles=("teacher",))
    html = _page(client, world.teacher_a, "/", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64)").content.decode()
    assert 'data-testid="header-inbox-badge">1<' in html
    admin = _page(client, world.school_admin_a, "/").content.decode()
    assert 'data-testid="header-inbox"' not in admin
