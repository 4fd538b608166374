"""Class groups through the API (SPC-3): members with counts, messages reaching the inbox, replies as the
class setting allows, files, join requests by class code or invite link, removal, and the scope matrix."""

import pytest
from django.utils import translation

from renrentong.accounts.models import Guardianship
from renrentong.notices.models import InboxItem, Notice
from tests.factories import bearer, make_parent, make_student, make_teacher

API = "/api/v1/class-groups"


def get(client, account, url, **kw):
    return client.get(f"{API}{url}", HTTP_ACCEPT_LANGUAGE="en", **bearer(account), **kw)


def post(client, account, url, body=None):
    return client.post(f"{API}{url}", body or {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
                       **bearer(account))


def put(client, account, url, body):
    return client.put(f"{API}{url}", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
                      **bearer(account))


def test_members_are_the_class_teachers_students_and_their_parents_with_counts(client, world):
    a1 = world.class_a1.pk
    found = get(client, world.parent_a, f"/{a1}")
    assert found.status_code == 200, found.content
    body = found.json()
    assert (body["teachers"], body["students"], body["parents"]) == (2, 1, 1)
    assert body["code"] == world.class_a1.code and body["my_role"] == "parent"
    members = get(client, world.head_teacher_a, f"/{a1}/members").json()
    by_role = {(m["role"], m["account_id"]) for m in members}
    assert by_role == {("teacher", world.teacher_a.pk), ("teacher", world.head_teacher_a.pk),
                       ("student", world.student_a.pk), ("parent", world.parent_a.pk)}
    parent = next(m for m in members if m["role"] == "parent")
    assert parent["children"] == ["李小明"] and "phone" not in parent
    assert [g["class_id"] for g in get(client, world.parent_a, "/").json()] == [a1]


def test_a_teacher_message_reaches_every_member_inbox_once(client, world, run_tasks_now,
                                                            django_capture_on_commit_callbacks):
    a1 = world.class_a1.pk
    with django_capture_on_commit_callbacks(execute=True):
        sent = post(client, world.teacher_a, f"/{a1}/messages", {"text": "明天带尺子"})
    assert sent.status_code == 201, sent.content
    notice = Notice.objects.get(pk=sent.json()["notice_id"])
    assert notice.kind == Notice.Kind.CLASS_MESSAGE and notice.status == Notice.Status.SENT
    assert notice.audience["class_ids"] == [a1] and notice.school_id == world.school_a.pk
    with translation.override("zh-hans"):
        assert "尺子" not in notice.title and world.class_a1.display_name() in notice.title  # a push shows no text
    readers = set(InboxItem.objects.filter(notice=notice).values_list("account_id", flat=True))
    assert readers == {world.parent_a.pk, world.student_a.pk, world.teacher_a.pk, world.head_teacher_a.pk}
    listed = get(client, world.parent_a, f"/{a1}/messages").json()
    assert [m["text"] for m in listed] == ["明天带尺子"]


def test_parents_and_students_do_not_post_messages(client, world):
    for account in (world.parent_a, world.student_a):
        refused = post(client, account, f"/{world.class_a1.pk}/messages", {"text": "hi"})
        assert refused.status_code == 403 and refused.json()["code"] == "classgroups.teachers_post"
    assert not Notice.objects.exists()


def test_parents_reply_as_the_class_setting_allows(client, world, run_tasks_now, django_capture_on_commit_callbacks):
    a1 = world.class_a1.pk
    with django_capture_on_commit_callbacks(execute=True):
        message = post(client, world.teacher_a, f"/{a1}/messages", {"text": "作业"}).json()
    # Default: replies under a message, seen by the group.
    replied = post(client, world.parent_a, f"/{a1}/replies", {"text": "收到", "message_id": message["id"]})
    assert replied.status_code == 201, replied.content
    assert [r["text"] for r in get(client, world.student_a, f"/{a1}/messages").json()[0]["replies"]] == ["收到"]
    # Only the head teacher changes the setting.
    assert put(client, world.teacher_a, f"/{a1}/settings", {"parents_may_post": "no"}).status_code == 403
    assert put(client, world.head_teacher_a, f"/{a1}/settings", {"parents_may_post": "no"}).json()[
        "parents_may_post"] == "no"
    refused = post(client, world.parent_a, f"/{a1}/replies", {"text": "收到", "message_id": message["id"]})
    assert refused.status_code == 403 and refused.json()["code"] == "classgroups.parents_may_not_post"
    assert refused.json()["who_can_fix"] == "the class head teacher"
    # To a teacher: private, seen by the two of them only.
    put(client, world.head_teacher_a, f"/{a1}/settings", {"parents_may_post": "to_teacher"})
    public = post(client, world.parent_a, f"/{a1}/replies", {"text": "公开", "message_id": message["id"]})
    assert public.json()["code"] == "classgroups.private_to_teacher"
    not_teacher = post(client, world.parent_a, f"/{a1}/replies", {"text": "私信", "to_account_id": world.student_a.pk})
    assert not_teacher.status_code == 404
    private = post(client, world.parent_a, f"/{a1}/replies", {"text": "孩子今天请假", "to_account_id": world.teacher_a.pk})
    assert private.status_code == 201 and private.json()["private"] is True
    assert [r["text"] for r in get(client, world.teacher_a, f"/{a1}/private").json()] == ["孩子今天请假"]
    assert get(client, world.head_teacher_a, f"/{a1}/private").json() == []
    assert get(client, world.student_a, f"/{a1}/private").json() == []


def test_files_are_shared_by_teachers_and_read_through_signed_links_by_members(client, world, png):
    a1 = world.class_a1.pk
    from django.core.files.uploadedfile import SimpleUploadedFile

    up = client.post(f"{API}/{a1}/files", {"file": SimpleUploadedFile("a.png", png)}, **bearer(world.teacher_a))
    assert up.status_code == 201, up.content
    listed = get(client, world.parent_a, f"/{a1}/files").json()
    assert [f["name"] for f in listed] == ["a.png"]
    refused = client.post(f"{API}/{a1}/files", {"file": SimpleUploadedFile("b.png", png)}, **bearer(world.parent_a))
    assert refused.status_code == 403
    svg = client.post(f"{API}/{a1}/files", {"file": SimpleUploadedFile("x.svg", b"<svg></svg>")},
                      **bearer(world.teacher_a))
    assert svg.status_code == 400 and svg.json()["code"] == "uploads.type_refused"


def test_the_class_code_alone_grants_nothing(client, world):
    stranger = make_parent(world.student_b, name="陌生家长")
    code = world.class_a1.code
    refused = post(client, stranger, "/join", {"code": code})
    assert refused.status_code == 403
    assert refused.json()["code"] == "classgroups.not_guardian_of_class"
    assert refused.json()["who_can_fix"] == "the school admin"
    teacher = post(client, world.teacher_b, "/join", {"code": code})
    assert teacher.json()["code"] == "classgroups.not_teaching_class"
    admin = post(client, world.school_admin_a, "/join", {"code": code})
    assert admin.json()["code"] == "classgroups.join_not_for_you"
    unknown = post(client, world.parent_a, "/join", {"code": "NOPE"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "classgroups.code_unknown"
    assert get(client, stranger, f"/{world.class_a1.pk}").status_code == 404


def test_a_guardian_of_an_enrolled_child_is_already_in(client, world):
    joined = post(client, world.parent_a, "/join", {"code": world.class_a1.code.lower()})
    assert joined.status_code == 200 and joined.json()["state"] == "member"


def test_removed_parent_stays_out_until_the_head_teacher_approves_a_request(client, world, run_tasks_now,
                                                                           django_capture_on_commit_callbacks):
    a1, parent = world.class_a1.pk, world.parent_a
    assert post(client, world.teacher_a, f"/{a1}/members/remove",
                {"account_id": parent.pk, "role": "parent"}).status_code == 403
    removed = post(client, world.head_teacher_a, f"/{a1}/members/remove", {"account_id": parent.pk, "role": "parent"})
    assert removed.status_code == 204, removed.content
    out = get(client, parent, f"/{a1}")
    assert out.status_code == 403 and out.json()["code"] == "classgroups.removed"
    assert get(client, world.head_teacher_a, f"/{a1}").json()["parents"] == 0
    assert get(client, parent, "/").json() == []
    # Still a guardian of an enrolled child, but messages skip the removed parent's inbox.
    with django_capture_on_commit_callbacks(execute=True):
        message = post(client, world.teacher_a, f"/{a1}/messages", {"text": "家长会"}).json()
    assert not InboxItem.objects.filter(notice_id=message["notice_id"], account_id=parent.pk).exists()
    assert InboxItem.objects.filter(notice_id=message["notice_id"], account_id=world.student_a.pk).exists()
    assert Notice.objects.get(pk=message["notice_id"]).addressed == 3
    # The class code opens a request; the head teacher approves it.
    asked = post(client, parent, "/join", {"code": world.class_a1.code})
    assert asked.json()["state"] == "pending"
    again = post(client, parent, "/join", {"code": world.class_a1.code})
    assert again.json()["request_id"] == asked.json()["request_id"]
    queue = get(client, world.head_teacher_a, f"/{a1}/requests").json()
    assert [(r["account_id"], r["role"], r["via"]) for r in queue] == [(parent.pk, "parent", "code")]
    assert get(client, world.teacher_a, f"/{a1}/requests").status_code == 403
    decided = post(client, world.head_teacher_a, f"/{a1}/requests/{queue[0]['id']}", {"approve": True})
    assert decided.status_code == 204, decided.content
    assert get(client, parent, f"/{a1}").status_code == 200
    assert get(client, world.head_teacher_a, f"/{a1}/requests").json() == []


def test_a_request_is_checked_again_at_approval(client, world):
    a1, parent = world.class_a1.pk, world.parent_a
    post(client, world.head_teacher_a, f"/{a1}/members/remove", {"account_id": parent.pk, "role": "parent"})
    request_id = post(client, parent, "/join", {"code": world.class_a1.code}).json()["request_id"]
    Guardianship.objects.filter(guardian=parent.person).delete()
    refused = post(client, world.head_teacher_a, f"/{a1}/requests/{request_id}", {"approve": True})
    assert refused.status_code == 403 and refused.json()["code"] == "classgroups.not_guardian_of_class"


def test_invite_link_opens_a_request_and_a_forged_one_is_refused(client, world):
    a1 = world.class_a1.pk
    link = post(client, world.head_teacher_a, f"/{a1}/invite").json()["url"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    post(client, world.head_teacher_a, f"/{a1}/members/remove", {"account_id": world.student_a.pk, "role": "student"})
    asked = post(client, world.student_a, "/join", {"token": token})
    assert asked.json()["state"] == "pending"
    queue = get(client, world.head_teacher_a, f"/{a1}/requests").json()
    assert queue[0]["via"] == "link"
    forged = post(client, world.student_a, "/join", {"token": token[:-2] + "xx"})
    assert forged.status_code == 400 and forged.json()["code"] == "classgroups.link_expired"
    outsider = post(client, world.student_b, "/join", {"token": token})
    assert outsider.json()["code"] == "classgroups.not_enrolled"


def test_a_teacher_who_teaches_there_joins_a_new_class_group(client, world):
    newcomer = make_teacher(world.school_a, teaches=[world.class_a1], name="新老师")
    assert post(client, newcomer, "/join", {"code": world.class_a1.code}).json()["state"] == "member"
    assert get(client, world.parent_a, f"/{world.class_a1.pk}").json()["teachers"] == 3


@pytest.mark.parametrize("who", ["parent_b", "teacher_b", "student_a2", "school_admin_a", "district_admin_x"])
def test_another_class_group_is_not_found_with_ids_changed_in_url_and_body(client, world, who,
                                                                             run_tasks_now,
                                                                             django_capture_on_commit_callbacks):
    a1 = world.class_a1.pk
    with django_capture_on_commit_callbacks(execute=True):
        message = post(client, world.teacher_a, f"/{a1}/messages", {"text": "只给本班"}).json()
    account = getattr(world, who)
    for url in (f"/{a1}", f"/{a1}/members", f"/{a1}/messages", f"/{a1}/files", f"/{a1}/private"):
        found = get(client, account, url)
        assert found.status_code == 404, (who, url, found.content)
        assert found.json()["code"] == "classgroups.not_found"
    assert post(client, account, f"/{a1}/replies", {"text": "x", "message_id": message["id"]}).status_code == 404
    assert post(client, account, f"/{a1}/messages", {"text": "x"}).status_code == 404
    assert post(client, account, f"/{a1}/members/remove", {"account_id": world.parent_a.pk, "role": "parent"}
                ).status_code == 404


def test_ids_from_another_class_in_the_body_are_not_found(client, world, run_tasks_now,
                                                          django_capture_on_commit_callbacks):
    make_parent(world.student_a2, name="二班家长")
    with django_capture_on_commit_callbacks(execute=True):
        other = post(client, world.head_teacher_a, f"/{world.class_a1.pk}/messages", {"text": "一班"}).json()
    # The head teacher of 1班 removes, decides and replies only within 1班.
    from renrentong.accounts.models import HeadTeacher, Identity
    HeadTeacher.objects.create(teacher=Identity.objects.get(account=world.teacher_a), school_class=world.class_a2)
    a2 = world.class_a2.pk
    assert post(client, world.teacher_a, f"/{a2}/replies", {"text": "x", "message_id": other["id"]}).json()[
        "code"] == "classgroups.reply_needs_message"
    assert post(client, world.teacher_a, f"/{a2}/members/remove",
                {"account_id": world.parent_a.pk, "role": "parent"}).json()["code"] == "classgroups.member_not_found"
    assert post(client, world.teacher_a, f"/{a2}/requests/1", {"approve": True}).status_code == 404


def test_huge_and_odd_ids_never_500(client, world):
    huge = 2**63
    assert get(client, world.parent_a, f"/{huge}").status_code in (400, 404)
    assert get(client, world.parent_a, f"/{2**63 - 1}").status_code == 404
    assert post(client, world.parent_a, f"/{world.class_a1.pk}/replies",
                {"text": "x", "message_id": huge}).status_code == 400
    assert post(client, world.parent_a, "/join", {"code": "\x00"}).status_code == 404


def test_students_of_a_removed_class_member_still_count_right(client, world):
    sibling = make_student(world.class_a1, "李小华")
    make_parent(sibling, name="李小华妈妈")
    body = get(client, world.student_a, f"/{world.class_a1.pk}").json()
    assert (body["students"], body["parents"]) == (2, 2)
