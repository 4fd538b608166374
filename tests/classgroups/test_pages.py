"""Class group pages (SPC-3): the phone-width group page, joining by class code, the head teacher's page."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renrentong.classgroups.models import ClassGroupRemoval, JoinRequest
from renrentong.notices.models import InboxItem, Notice
from tests.factories import as_user


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def page(client, url, **kw):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en", **kw)


def test_group_page_shows_counts_and_tabs_to_a_parent(client, world):
    as_user(client, world.parent_a)
    url = reverse("classgroups:group", args=[world.class_a1.pk])
    shown = page(client, url)
    assert shown.status_code == 200
    html = shown.content.decode()
    assert 'data-testid="count-teachers" data-count="2"' in html and 'data-testid="count-parents" data-count="1"' in html
    assert 'data-testid="post-form"' not in html and 'data-testid="manage"' not in html
    members = page(client, url + "?tab=members").content.decode()
    assert f'data-testid="member-parent-{world.parent_a.pk}"' in members and "Parent of 李小明" in members
    assert "remove-" not in members
    assert page(client, url + "?tab=files").status_code == 200 and page(client, url + "?tab=circle").status_code == 200
    index = page(client, reverse("classgroups:index")).content.decode()
    assert f'data-testid="group-{world.class_a1.pk}"' in index


def test_teacher_posts_with_an_image_that_shows_in_the_class_circle(client, world, png, run_tasks_now,
                                                                    django_capture_on_commit_callbacks):
    as_user(client, world.teacher_a)
    a1 = world.class_a1.pk
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("classgroups:post", args=[a1]), {
            "text": "今天的手工作品", "roles": ["parent", "student"], "files": [SimpleUploadedFile("p.png", png)]})
    assert sent.status_code == 302
    notice = Notice.objects.get()
    assert notice.audience["roles"] == ["parent", "student"]
    assert set(InboxItem.objects.filter(notice=notice).values_list("account_id", flat=True)) == {
        world.parent_a.pk, world.student_a.pk}
    as_user(client, world.parent_a)
    circle = page(client, reverse("classgroups:group", args=[a1]) + "?tab=circle").content.decode()
    assert "今天的手工作品" in circle and "/files/" in circle


def test_empty_message_is_refused_on_the_page_with_the_reason(client, world):
    as_user(client, world.teacher_a)
    refused = client.post(reverse("classgroups:post", args=[world.class_a1.pk]), {"text": "  "},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "Write the message." in refused.content.decode()


def test_files_download_through_a_signed_link_after_the_membership_check(client, world, png):
    as_user(client, world.teacher_a)
    a1 = world.class_a1.pk
    assert client.post(reverse("classgroups:upload", args=[a1]), {"file": SimpleUploadedFile("plan.png", png)}
                       ).status_code == 302
    from renrentong.classgroups.models import GroupFile
    file_id = GroupFile.objects.get().pk
    as_user(client, world.parent_a)
    link = client.get(reverse("classgroups:file", args=[a1, file_id]))
    assert link.status_code == 302 and link["Location"].startswith("/files/")
    served = client.get(link["Location"])
    assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"
    as_user(client, world.parent_b)
    assert client.get(reverse("classgroups:file", args=[a1, file_id])).status_code == 404


def test_head_teacher_removes_then_approves_a_parent_who_asks_with_the_class_code(client, world):
    a1 = world.class_a1.pk
    as_user(client, world.head_teacher_a)
    members = page(client, reverse("classgroups:group", args=[a1]) + "?tab=members").content.decode()
    assert f'data-testid="remove-parent-{world.parent_a.pk}"' in members
    assert client.post(reverse("classgroups:remove", args=[a1]),
                       {"account_id": world.parent_a.pk, "role": "parent"}).status_code == 302
    assert ClassGroupRemoval.objects.filter(account=world.parent_a, lifted_at__isnull=True).exists()
    as_user(client, world.parent_a)
    assert page(client, reverse("classgroups:group", args=[a1])).status_code == 403
    asked = client.post(reverse("classgroups:index"), {"code": world.class_a1.code}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-state="pending"' in asked.content.decode()
    request = JoinRequest.objects.get()
    as_user(client, world.head_teacher_a)
    queue = page(client, reverse("classgroups:manage", args=[a1])).content.decode()
    assert f'data-testid="approve-{request.pk}"' in queue
    assert client.post(reverse("classgroups:manage", args=[a1]), {
        "action": "decide", "request_id": request.pk, "decision": "approve"}).status_code == 302
    as_user(client, world.parent_a)
    assert page(client, reverse("classgroups:group", args=[a1])).status_code == 200


def test_a_stranger_with_the_code_is_told_who_fixes_it(client, world):
    as_user(client, world.parent_b)
    refused = client.post(reverse("classgroups:index"), {"code": world.class_a1.code}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert "the school admin links parents" in refused.content.decode()
    assert not JoinRequest.objects.exists()


def test_manage_page_sets_the_setting_and_makes_an_invite_link(client, world):
    a1 = world.class_a1.pk
    as_user(client, world.head_teacher_a)
    assert client.post(reverse("classgroups:manage", args=[a1]), {
        "action": "setting", "parents_may_post": "to_teacher"}).status_code == 302
    made = client.post(reverse("classgroups:manage", args=[a1]), {"action": "invite"}).content.decode()
    assert 'data-testid="invite-url"' in made and "/class-groups/join/" in made
    as_user(client, world.teacher_a)
    assert page(client, reverse("classgroups:manage", args=[a1])).status_code == 403
    as_user(client, world.parent_a)
    group = page(client, reverse("classgroups:group", args=[a1])).content.decode()
    assert 'data-testid="private-form"' in group


def test_invite_page_opens_for_a_member_and_a_bad_token_is_refused(client, world):
    from renrentong.accounts.access import actor_for
    from renrentong.classgroups.services import invite_token
    token = invite_token(actor_for(world.head_teacher_a, world.head_teacher_a.identities.get()), world.class_a1.pk)
    as_user(client, world.parent_a)
    assert page(client, reverse("classgroups:invite", args=[token])).status_code == 200
    joined = client.post(reverse("classgroups:invite", args=[token]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-state="member"' in joined
    assert page(client, reverse("classgroups:invite", args=["nonsense"])).status_code == 400


def test_another_class_group_page_is_not_found_and_huge_ids_never_500(client, world):
    for account in (world.parent_b, world.teacher_b, world.school_admin_a, world.student_a2):
        as_user(client, account)
        for name in ("classgroups:group", "classgroups:manage"):
            assert page(client, reverse(name, args=[world.class_a1.pk])).status_code == 404, (account, name)
        assert client.post(reverse("classgroups:post", args=[world.class_a1.pk]), {"text": "x"}).status_code == 404
    as_user(client, world.parent_a)
    assert page(client, f"/class-groups/{2**64}/").status_code == 404
    assert page(client, f"/class-groups/{world.class_a1.pk}/files/{2**64}/").status_code == 404


def test_the_class_tab_home_pages_lead_to_the_class_group(client, world):
    for account in (world.parent_a, world.student_a, world.head_teacher_a):
        as_user(client, account)
        home = page(client, reverse("home")).content.decode()
        assert f'data-testid="class-group-{world.class_a1.pk}"' in home, account
    as_user(client, world.parent_a)
    group = page(client, reverse("classgroups:group", args=[world.class_a1.pk])).content.decode()
    assert 'data-testid="tab-class" aria-current="page"' in group
    as_user(client, world.school_admin_a)
    assert 'data-testid="class-groups-card"' not in page(client, reverse("home")).content.decode()


def test_teachers_at_a_desk_find_class_groups_in_the_sidebar_with_waiting_requests(client, world):
    from renrentong.accounts.access import actor_for
    from renrentong.classgroups import services
    head = actor_for(world.head_teacher_a, world.head_teacher_a.identities.get())
    services.remove_member(head, world.class_a1.pk, world.parent_a.pk, "parent")
    services.ask_to_join(actor_for(world.parent_a, world.parent_a.identities.get()), code=world.class_a1.code)
    as_user(client, world.head_teacher_a)
    html = page(client, reverse("home")).content.decode()
    assert 'data-testid="nav-class-groups"' in html and 'data-testid="nav-class-groups-count">1<' in html
    as_user(client, world.school_admin_a)
    assert 'data-testid="nav-class-groups"' not in page(client, reverse("home")).content.decode()
