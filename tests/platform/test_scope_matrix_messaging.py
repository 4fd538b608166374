"""NFR-2 for issue 13: notices, inbox items, receipts, deliveries, posts, files and class groups of school B
stay out of reach of every role of school A and district X, whatever id is put in a URL or a body; the
city admin above both is the positive case for what region admins may read. Every refusal has the one
error shape, and no response carries a full ID number or phone (the reader of the foundation's matrix)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from renrentong.notices import fanout, pushing
from renrentong.push.models import Delivery

from tests.accounts.test_scope_matrix import ROLES_OF_A, Reader
from tests.factories import bearer


@pytest.fixture
def reader(client, world):
    return Reader(client, world)


@pytest.fixture
def school_b(client, world):
    """School B's objects, made through the API by B's own people."""
    sent = client.post("/api/v1/notices", {"title": "家长会", "body": "周五", "roles": ["parent", "student"],
                                           "class_ids": [world.class_b1.pk], "confirm_required": True},
                       content_type="application/json", **bearer(world.school_admin_b))
    assert sent.status_code == 201, sent.content
    notice = sent.json()["id"]
    fanout.fan_out(notice)
    pushing.ring_notice(notice)
    image = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(image, "PNG")
    image.seek(0)
    image.name = "b.png"
    uploaded = client.post("/api/v1/files", {"file": image}, **bearer(world.student_b))
    assert uploaded.status_code == 200, uploaded.content
    post = client.post("/api/v1/spaces/posts", {"text": "春天来了", "visibility": "class"},
                       content_type="application/json", **bearer(world.student_b))
    assert post.status_code == 201, post.content
    return {"notice": notice, "file": uploaded.json(), "post": post.json()["id"], "class": world.class_b1.pk}


def assert_refused(response, statuses=(404,)):
    assert response.status_code in statuses, (response.status_code, response.content)
    assert set(response.json()) == {"code", "message", "who_can_fix", "contact"}


READS = {
    "sender view": "/api/v1/notices/{notice}",
    "inbox item": "/api/v1/inbox/{notice}",
    "receipts": "/api/v1/receipts/{notice}",
    "unread of a class": "/api/v1/receipts/{notice}/classes/{class}/unread",
    "post": "/api/v1/spaces/posts/{post}",
    "class group": "/api/v1/class-groups/{class}",
    "class group members": "/api/v1/class-groups/{class}/members",
    "class group messages": "/api/v1/class-groups/{class}/messages",
    "class group files": "/api/v1/class-groups/{class}/files",
}
WRITES = {
    "confirm": ("post", "/api/v1/inbox/{notice}/confirm", {}),
    "recall": ("post", "/api/v1/notices/{notice}/recall", {}),
    "remind": ("post", "/api/v1/receipts/{notice}/remind", {}),
    "report a post": ("post", "/api/v1/spaces/posts/{post}/reports", {"reason": "spam"}),
    "remove a post": ("post", "/api/v1/spaces/posts/{post}/removal", {"reason": "不当"}),
    "post to a class group": ("post", "/api/v1/class-groups/{class}/messages", {"text": "hello"}),
}


@pytest.mark.parametrize("what", READS)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_read_what_school_b_has(reader, world, school_b, role, what):
    # A role that has no class groups or no inbox at all (an admin) may be told so with a 403.
    has_none = "class group" in what or what == "inbox item"
    assert_refused(reader.api(role, READS[what].format(**school_b)), (403, 404) if has_none else (404,))


@pytest.mark.parametrize("what", WRITES)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_act_on_what_school_b_has(reader, world, school_b, role, what):
    _, url, body = WRITES[what]
    response = reader.post(role, url.format(**school_b), body)
    assert_refused(response, (400, 403, 404))
    assert response.status_code != 400 or response.json()["code"] != "validation"


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a", "school_admin_a"])
def test_ids_of_school_b_in_a_body_send_nothing(reader, world, role):
    response = reader.post(role, "/api/v1/notices", {"title": "x", "roles": ["parent"], "class_ids": [world.class_b1.pk]})
    assert_refused(response, (403, 404))
    response = reader.post("district_admin_x", "/api/v1/notices",
                           {"title": "x", "roles": ["parent"], "school_ids": [world.school_b.pk]})
    assert_refused(response, (403, 404))


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_inbox_and_outbox_of_school_a_hold_nothing_of_school_b(reader, world, school_b, role):
    inbox = reader.api(role, "/api/v1/inbox")
    if inbox.status_code == 200:
        assert school_b["notice"] not in [item["notice_id"] for item in inbox.json()["items"]]
    else:
        assert_refused(inbox, (403,))  # admins have no inbox
    outbox = reader.api(role, "/api/v1/push/outbox")
    if outbox.status_code == 200:
        assert Delivery.objects.filter(ref_id=school_b["notice"]).exists()
        assert "家长会" not in outbox.content.decode()


@pytest.mark.parametrize("role", ROLES_OF_A + ["parent_b"])
def test_a_file_link_opens_only_for_the_account_it_was_made_for(reader, world, school_b, role, client):
    response = client.get(school_b["file"]["url"], **bearer(getattr(world, role)))
    assert response.status_code == 403  # the error page: a link is followed by a browser, not the API
    assert client.get(school_b["file"]["url"], **bearer(world.student_b)).status_code == 200


def test_city_admin_above_both_reads_school_b_receipts(reader, world, school_b):
    response = reader.api("city_admin", f"/api/v1/receipts/{school_b['notice']}")
    assert response.status_code == 200, response.content
