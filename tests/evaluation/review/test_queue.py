"""The start of the school's review (issue 14 item 4): the queue filtered by class, item and state, paged;
passing in bulk, where a record someone decided meanwhile is reported with who did and nothing is overwritten."""

from __future__ import annotations

import pytest

from renrentong.core.errors import UserFacingError
from renrentong.evaluation.review import selectors, services

from tests.evaluation.helpers import actor, call, item, refused, write
from tests.factories import make_school_admin, open_evaluation_windows


@pytest.fixture
def submitted(world, catalogue):
    open_evaluation_windows(world)
    made = {}
    for account, code in ((world.student_a, "volunteer_service"), (world.parent_a, "reading"),
                          (world.student_a2, "reading"), (world.student_b, "reading")):
        record = write(account, item_id=item(code).pk)
        assert call("post", "/submissions", account, {"record_ids": [record["id"]]}).status_code == 200
        made.setdefault(account.pk, []).append(record["id"])
    return made


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["items"]]


def test_the_queue_holds_the_schools_submitted_records_filtered(world, submitted):
    mine = [*submitted[world.student_a.pk], *submitted[world.parent_a.pk], *submitted[world.student_a2.pk]]
    admin = world.school_admin_a
    assert sorted(ids(call("get", "/review", admin))) == sorted(mine)
    assert ids(call("get", "/review", admin, class_id=world.class_a2.pk)) == submitted[world.student_a2.pk]
    assert sorted(ids(call("get", "/review", admin, item_id=item("reading").pk))) == sorted(
        submitted[world.parent_a.pk] + submitted[world.student_a2.pk])
    assert ids(call("get", "/review", admin, state="approved")) == []
    assert ids(call("get", "/review", world.school_admin_b)) == submitted[world.student_b.pk]


def test_the_queue_is_paged_newest_first(world, submitted, monkeypatch):
    monkeypatch.setattr(selectors, "REVIEW_PAGE", 2)
    first = call("get", "/review", world.school_admin_a).json()
    assert len(first["items"]) == 2 and first["next_before"] == first["items"][-1]["id"]
    rest = ids(call("get", "/review", world.school_admin_a, before=first["next_before"]))
    assert len(rest) == 1 and rest[0] < first["next_before"]


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a", "student_a", "parent_a", "district_admin_x"])
def test_only_school_admins_open_the_queue(world, submitted, role):
    refused(call("get", "/review", getattr(world, role)), "evaluation.review_not_allowed", 403)
    refused(call("post", "/review/decisions", getattr(world, role), {"record_ids": [1], "approve": True}),
            "evaluation.review_not_allowed", 403)


def test_bulk_pass_reports_what_someone_else_decided_first(world, submitted):
    queue = ids(call("get", "/review", world.school_admin_a))
    other = make_school_admin(world.school_a)
    call("post", f"/records/{queue[0]}/decision", other, {"approve": False, "reason": "照片不清楚"})
    outcome = call("post", "/review/decisions", world.school_admin_a,
                   {"record_ids": [*queue, *submitted[world.student_b.pk]], "approve": True}).json()
    by_id = {o["record_id"]: o for o in outcome}
    assert not by_id[queue[0]]["decided"] and other.person.name in by_id[queue[0]]["message"]
    assert all(by_id[r]["decided"] for r in queue[1:])
    assert not by_id[submitted[world.student_b.pk][0]]["decided"]  # another school's: not found, untouched
    assert ids(call("get", "/review", world.school_admin_a, state="failed")) == [queue[0]]
    assert ids(call("get", "/review", world.school_admin_b)) == submitted[world.student_b.pk]


def test_bulk_fail_needs_a_reason_and_nothing_chosen_is_refused(world, submitted):
    queue = ids(call("get", "/review", world.school_admin_a))
    refused(call("post", "/review/decisions", world.school_admin_a, {"record_ids": queue, "approve": False}),
            "evaluation.reason_required", 400)
    refused(call("post", "/review/decisions", world.school_admin_a, {"record_ids": [], "approve": True}),
            "request.invalid", 400)
    with pytest.raises(UserFacingError) as refusal:
        services.decide_many(actor(world.school_admin_a), [], True)
    assert refusal.value.code == "evaluation.nothing_chosen"
    assert ids(call("get", "/review", world.school_admin_a)) == queue
