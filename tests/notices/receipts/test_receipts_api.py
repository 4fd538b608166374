"""Read receipts through the API (MSG-3): the figures per class and per school, who sees which part, the
unread by name with phones masked, reminders and their limits."""

from datetime import timedelta

import pytest

from renrentong.core.models import AuditEvent
from renrentong.notices.models import InboxItem, Reminder
from tests.factories import make_parent, make_student, make_teacher
from tests.notices.helpers import get, post, send

API = "/api/v1/receipts"


@pytest.fixture
def family(world):
    """A parent of two children in two classes of school A, and the notice to both classes."""
    sibling = make_student(world.class_a2, "李小华")
    parent = make_parent(world.student_a, sibling, name="李妈妈", phone="13812341234")
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk, world.class_a2.pk], roles=("parent",),
                  confirm=True)
    return parent, sibling, notice


def _groups(body):
    return {g["id"]: (g["addressed"], g["read"], g["confirmed"]) for g in body["groups"]}


def test_parent_of_two_children_counts_in_both_classes_with_one_inbox_item(world, client, family):
    parent, sibling, notice = family
    assert InboxItem.objects.filter(notice=notice, account_id=parent.pk).count() == 1
    body = get(client, f"{API}/{notice.pk}", world.school_admin_a).json()
    assert body["group_by"] == "class"
    assert _groups(body) == {world.class_a1.pk: (2, 0, 0), world.class_a2.pk: (1, 0, 0)}
    assert (body["totals"]["addressed"], body["totals"]["read"]) == (2, 0)
    post(client, f"/api/v1/inbox/{notice.pk}/confirm", parent)
    body = get(client, f"{API}/{notice.pk}", world.school_admin_a).json()
    assert _groups(body) == {world.class_a1.pk: (2, 1, 1), world.class_a2.pk: (1, 1, 1)}
    assert (body["totals"]["read"], body["totals"]["confirmed"], body["totals"]["unread"]) == (1, 1, 1)


def test_unread_names_mask_phones_and_name_the_child(world, client, family):
    parent, sibling, notice = family
    body = get(client, f"{API}/{notice.pk}/classes/{world.class_a1.pk}/unread", world.school_admin_a).json()
    names = [r["name"] for r in body["unread"]]
    assert "李小明's parent (138****1234)" in names
    assert all("13812341234" not in n for n in names)
    assert len(names) == 2  # 李大明 (parent_a) and 李妈妈, both parents of 李小明
    get(client, f"/api/v1/inbox/{notice.pk}", parent)
    body = get(client, f"{API}/{notice.pk}/classes/{world.class_a2.pk}/unread", world.school_admin_a).json()
    assert body["unread"] == []


def test_head_teacher_sees_own_class_only(world, client, family):
    parent, sibling, notice = family
    body = get(client, f"{API}/{notice.pk}", world.head_teacher_a).json()
    assert set(_groups(body)) == {world.class_a1.pk} and body["may_remind"]
    assert body["totals"]["addressed"] == 2
    post(client, f"/api/v1/inbox/{notice.pk}/confirm", parent)  # counted once, though two children
    totals = get(client, f"{API}/{notice.pk}", world.head_teacher_a).json()["totals"]
    assert (totals["addressed"], totals["read"], totals["confirmed"], totals["unread"]) == (2, 1, 1, 1)
    unread = get(client, f"{API}/{notice.pk}/classes/{world.class_a1.pk}/unread", world.head_teacher_a).json()
    assert len(unread["unread"]) == 1
    other = get(client, f"{API}/{notice.pk}/classes/{world.class_a2.pk}/unread", world.head_teacher_a)
    assert other.status_code == 404 and other.json()["code"] == "receipts.class_not_found"
    # A teacher who teaches but does not head the class, and a head teacher of another class: not theirs.
    head_a2 = make_teacher(world.school_a, heads=[world.class_a2], name="二班班主任")
    assert set(_groups(get(client, f"{API}/{notice.pk}", head_a2).json())) == {world.class_a2.pk}
    assert get(client, f"{API}/{notice.pk}", world.teacher_a).status_code == 404
    ids = [n["notice_id"] for n in get(client, API, world.head_teacher_a).json()]
    assert ids == [notice.pk]


@pytest.mark.parametrize("who", ["school_admin_b", "teacher_b", "district_admin_y", "parent_a", "student_a",
                                 "teacher_a", "parent_b"])
def test_outsiders_get_404_for_every_receipts_url(world, client, family, who):
    parent, sibling, notice = family
    account = getattr(world, who)
    assert get(client, f"{API}/{notice.pk}", account).status_code == 404
    assert get(client, f"{API}/{notice.pk}/classes/{world.class_a1.pk}/unread", account).status_code == 404
    response = post(client, f"{API}/{notice.pk}/remind", account, {"class_id": world.class_a1.pk})
    assert response.status_code == 404
    assert all(n["notice_id"] != notice.pk for n in (get(client, API, account).json()
                                                     if get(client, API, account).status_code == 200 else []))


def test_ids_changed_in_url_and_body_stay_in_scope(world, client, family):
    parent, sibling, notice = family
    theirs = send(world.school_admin_b, class_ids=[world.class_b1.pk])
    assert get(client, f"{API}/{theirs.pk}", world.school_admin_a).status_code == 404
    assert get(client, f"{API}/{notice.pk}/classes/{world.class_b1.pk}/unread", world.school_admin_a).status_code == 404
    assert get(client, f"{API}/{2**63 - 1}", world.school_admin_a).status_code == 404
    assert get(client, f"{API}/{2**64}", world.school_admin_a).status_code == 400
    # The sender reminds a class of another school: not a class of this notice.
    wrong = post(client, f"{API}/{notice.pk}/remind", world.school_admin_a, {"class_id": world.class_b1.pk})
    assert wrong.status_code == 404
    assert post(client, f"{API}/{notice.pk}/remind", world.school_admin_a, {"class_id": 2**64}).status_code == 400
    assert post(client, f"{API}/{notice.pk}/remind", world.head_teacher_a,
                {"class_id": world.class_a2.pk}).status_code == 404
    assert not Reminder.objects.exists()


def test_district_and_city_see_the_school_summed(world, client, family):
    parent, sibling, notice = family
    get(client, f"/api/v1/inbox/{notice.pk}", world.parent_a)
    for admin in (world.district_admin_x, world.city_admin, world.province_admin):
        body = get(client, f"{API}/{notice.pk}", admin).json()
        assert body["group_by"] == "school" and not body["may_remind"]
        assert _groups(body) == {world.school_a.pk: (3, 1, 0)}
        assert get(client, f"{API}/{notice.pk}/classes/{world.class_a1.pk}/unread", admin).status_code == 404
    assert get(client, f"{API}/{notice.pk}", world.district_admin_y).status_code == 404


def test_city_notice_per_school_and_each_school_sees_its_part(world, client):
    notice = send(world.city_admin, school_ids=[world.school_a.pk, world.school_b.pk], roles=("parent", "teacher"))
    get(client, f"/api/v1/inbox/{notice.pk}", world.parent_b)
    city = get(client, f"{API}/{notice.pk}", world.city_admin).json()
    assert city["group_by"] == "school" and city["may_remind"]
    assert _groups(city) == {world.school_a.pk: (3, 0, 0), world.school_b.pk: (2, 1, 0)}
    district = get(client, f"{API}/{notice.pk}", world.district_admin_y).json()
    assert _groups(district) == {world.school_b.pk: (2, 1, 0)} and district["totals"]["addressed"] == 2
    school = get(client, f"{API}/{notice.pk}", world.school_admin_a).json()
    assert school["group_by"] == "class" and school["totals"]["addressed"] == 3
    assert _groups(school) == {world.class_a1.pk: (1, 0, 0), 0: (2, 0, 0)}
    assert get(client, f"{API}/{notice.pk}", world.school_admin_b).json()["totals"]["addressed"] == 2
    assert [n["notice_id"] for n in get(client, API, world.district_admin_x).json()] == [notice.pk]


def test_remind_moves_the_unread_to_the_top_at_most_three_times_an_hour_apart(world, client, family, freezer):
    parent, sibling, notice = family
    later = send(world.school_admin_a, class_ids=[world.class_a1.pk])
    get(client, f"/api/v1/inbox/{notice.pk}", world.parent_a)
    freezer.tick(timedelta(minutes=1))
    done = post(client, f"{API}/{notice.pk}/remind", world.school_admin_a)
    assert done.status_code == 201 and done.json()["reminded"] == 1 and done.json()["class_id"] is None
    assert get(client, "/api/v1/inbox", parent).json()["items"][0]["notice_id"] == notice.pk
    assert get(client, "/api/v1/inbox", world.parent_a).json()["items"][0]["notice_id"] == later.pk
    item = InboxItem.objects.get(notice=notice, account_id=parent.pk)
    assert item.reminded_count == 1
    assert InboxItem.objects.get(notice=notice, account_id=world.parent_a.pk).reminded_count == 0
    from renrentong.notices import push_hooks
    assert push_hooks.reminded_accounts(done.json()["id"]) == [parent.pk]
    soon = post(client, f"{API}/{notice.pk}/remind", world.school_admin_a)
    assert soon.status_code == 429 and soon.json()["code"] == "receipts.remind_too_soon"
    # The head teacher's class reminder counts the sender's whole-notice reminder too.
    assert post(client, f"{API}/{notice.pk}/remind", world.head_teacher_a).json()["code"] == "receipts.remind_too_soon"
    freezer.tick(timedelta(hours=1, minutes=1))
    assert post(client, f"{API}/{notice.pk}/remind", world.head_teacher_a).status_code == 201
    freezer.tick(timedelta(hours=1, minutes=1))
    assert post(client, f"{API}/{notice.pk}/remind", world.school_admin_a, {"class_id": world.class_a2.pk}).status_code == 201
    freezer.tick(timedelta(hours=2))
    many = post(client, f"{API}/{notice.pk}/remind", world.school_admin_a)
    assert many.status_code == 429 and many.json()["code"] == "receipts.remind_too_many"
    assert Reminder.objects.filter(notice=notice).count() == 3
    assert AuditEvent.objects.filter(verb="notice.remind", target_id=notice.pk).count() == 3
    assert InboxItem.objects.get(notice=notice, account_id=parent.pk).reminded_count == 3


def test_nobody_unread_and_not_allowed_to_remind(world, client, family):
    parent, sibling, notice = family
    for reader in (parent, world.parent_a):
        get(client, f"/api/v1/inbox/{notice.pk}", reader)
    nobody = post(client, f"{API}/{notice.pk}/remind", world.school_admin_a)
    assert nobody.status_code == 400 and nobody.json()["code"] == "receipts.nobody_unread"
    city = send(world.city_admin, school_ids=[world.school_a.pk], roles=("parent",))
    refused = post(client, f"{API}/{city.pk}/remind", world.school_admin_a)
    assert refused.status_code == 403 and refused.json()["code"] == "receipts.not_allowed_to_remind"
    assert not Reminder.objects.exists()


def test_still_unread_for_the_push_engine(world, client, family):
    from renrentong.notices import push_hooks

    parent, sibling, notice = family
    get(client, f"/api/v1/inbox/{notice.pk}", parent)
    assert push_hooks.still_unread(notice.pk, [parent.pk, world.parent_a.pk, world.parent_b.pk]) == {world.parent_a.pk}
    assert push_hooks.still_unread(notice.pk, []) == set()
    message = push_hooks.push_message_of(notice.pk)
    assert message["title"] == notice.title and "body" not in message


def test_tallies_agree_with_the_live_count_whenever_they_are_built(world, client):
    from renrentong.notices.receipts import selectors, tallies
    from renrentong.notices.receipts.models import ReceiptTally
    from tests.notices.helpers import actor

    sibling = make_student(world.class_a2, "李小华")
    parent = make_parent(world.student_a, sibling, name="李妈妈")
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk, world.class_a2.pk],
                  roles=("parent", "student", "teacher"), confirm=True)
    post(client, f"/api/v1/inbox/{notice.pk}/confirm", parent)  # before the build: the build counts it
    assert not ReceiptTally.objects.filter(notice=notice).exists()
    assert tallies.build(notice.pk) and tallies.build(notice.pk)
    get(client, f"/api/v1/inbox/{notice.pk}", world.student_a)  # after: counted on the tallies
    post(client, f"/api/v1/inbox/{notice.pk}/confirm", world.student_a)
    get(client, f"/api/v1/inbox/{notice.pk}", world.head_teacher_a)
    get(client, f"/api/v1/inbox/{notice.pk}", world.head_teacher_a)  # a second opening counts nothing
    view = selectors.receipt_view(actor(world.school_admin_a), notice.pk)
    assert sorted(selectors._grouped(view, "class_id")) == sorted(selectors._grouped_live(view, "class_id"))
    assert sorted(selectors._grouped(view, "school_id")) == sorted(selectors._grouped_live(view, "school_id"))
    a1 = {g["id"]: g for g in get(client, f"{API}/{notice.pk}", world.school_admin_a).json()["groups"]}[world.class_a1.pk]
    assert (a1["addressed"], a1["read"], a1["confirmed"]) == (5, 3, 2)


def test_the_fan_out_task_builds_the_tallies(world, settings, django_capture_on_commit_callbacks):
    from renrentong.notices.receipts.models import NoticeTally
    from renrentong.notices.services import NoticeDraft, send_notice
    from tests.notices.helpers import actor

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_notice(actor(world.school_admin_a), NoticeDraft(title="通知", roles=["parent"],
                                                                      class_ids=[world.class_a1.pk]))
    assert NoticeTally.objects.get(notice_id=notice.pk).built
