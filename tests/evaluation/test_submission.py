"""Sort, select and submit (EVA-3): every chosen record classified, both windows open; withdraw a pending
record to edit it, an approved one only after the school reopens it; one decision per record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from renrentong.evaluation.models import SubmissionWindow

from tests.evaluation.helpers import call, item, refused, write
from tests.factories import open_evaluation_windows


@pytest.fixture
def windows(world, catalogue):
    open_evaluation_windows(world)


def classified(account, code="volunteer_service", **fields):
    return write(account, item_id=item(code).pk, **fields)


def test_classified_records_are_submitted_and_wait_for_review(world, windows):
    first, second = classified(world.student_a), classified(world.parent_a, "reading")
    response = call("post", "/submissions", world.student_a, {"record_ids": [first["id"], second["id"]]})
    assert response.status_code == 200, response.content
    assert [r["state"] for r in response.json()] == ["pending", "pending"]
    assert all(r["submitted_at"] for r in response.json())
    assert [r["id"] for r in call("get", "/records", world.parent_a, state="pending").json()] == [second["id"], first["id"]]


def test_an_unclassified_record_is_refused_by_name(world, windows):
    good = classified(world.student_a)
    bad = write(world.student_a, "参加学校合唱团演出", title="合唱比赛")
    plain = write(world.student_a, "在家整理房间并洗碗做饭")
    response = call("post", "/submissions", world.student_a, {"record_ids": [good["id"], bad["id"], plain["id"]]},
                    language="zh-hans")
    body = refused(response, "evaluation.unclassified", 400)
    assert body["message"].startswith("有材料未进行分类")
    assert "合唱比赛（2026-10-01）" in body["message"] and "在家整理房间并洗碗做饭（2026-10-01）" in body["message"]
    assert all(r["state"] == "draft" for r in call("get", "/records", world.student_a).json())


def test_nothing_chosen_and_twice_submitted_are_refused(world, windows):
    refused(call("post", "/submissions", world.student_a, {"record_ids": []}), "evaluation.nothing_chosen", 400)
    made = classified(world.student_a, title="敬老院")
    call("post", "/submissions", world.student_a, {"record_ids": [made["id"]]})
    body = refused(call("post", "/submissions", world.student_a, {"record_ids": [made["id"]]}), "evaluation.not_draft", 409)
    assert "敬老院" in body["message"]


def test_someone_elses_record_cannot_be_submitted(world, windows):
    other = classified(world.student_b)
    refused(call("post", "/submissions", world.student_a, {"record_ids": [other["id"]]}), "evaluation.record_not_found", 404)
    refused(call("post", "/submissions", world.teacher_a, {"record_ids": [other["id"]]}), "evaluation.not_for_you", 403)


def test_a_submitted_record_is_not_edited_or_deleted(world, windows):
    made = classified(world.student_a)
    call("post", "/submissions", world.student_a, {"record_ids": [made["id"]]})
    refused(call("patch", f"/records/{made['id']}", world.student_a, {"text": "改"}), "evaluation.not_editable", 409)
    refused(call("delete", f"/records/{made['id']}", world.parent_a), "evaluation.not_editable", 409)


# Windows ---------------------------------------------------------------------------------------------------

def _submit(world):
    made = classified(world.student_a)
    return call("post", "/submissions", world.student_a, {"record_ids": [made["id"]]})


def test_without_the_city_window_the_message_names_the_city_admin(world, catalogue):
    body = refused(_submit(world), "evaluation.city_window_unset", 403)
    assert body["who_can_fix"] == "the city admin" and "2026" in body["message"]


def test_a_closed_city_window_says_when_it_opens(world, catalogue):
    today = timezone.localdate()
    opens, closes = today + timedelta(days=3), today + timedelta(days=20)
    assert call("put", "/windows", world.city_admin, {"school_year": 2026, "opens_on": opens.isoformat(),
                                                      "closes_on": closes.isoformat()}).status_code == 200
    body = refused(_submit(world), "evaluation.city_window_closed", 403)
    assert opens.isoformat() in body["message"] and closes.isoformat() in body["message"]


def test_the_school_window_must_be_open_too(world, catalogue):
    today = timezone.localdate()
    span = {"school_year": 2026, "opens_on": (today - timedelta(days=1)).isoformat(),
            "closes_on": (today + timedelta(days=1)).isoformat()}
    call("put", "/windows", world.city_admin, span)
    body = refused(_submit(world), "evaluation.school_window_unset", 403)
    assert body["who_can_fix"] == "the school admin"
    past = {"school_year": 2026, "opens_on": (today - timedelta(days=30)).isoformat(),
            "closes_on": (today - timedelta(days=2)).isoformat()}
    call("put", "/windows", world.school_admin_a, past)
    refused(_submit(world), "evaluation.school_window_closed", 403)
    call("put", "/windows", world.school_admin_a, span)
    assert _submit(world).status_code == 200
    windows = call("get", "/windows", world.student_a).json()
    assert windows["city"]["opens_on"] == span["opens_on"] and windows["school"]["closes_on"] == span["closes_on"]


def test_each_admin_sets_their_own_window(world, catalogue):
    today = timezone.localdate().isoformat()
    span = {"school_year": 2026, "opens_on": today, "closes_on": today}
    call("put", "/windows", world.city_admin, span)
    call("put", "/windows", world.school_admin_b, span)
    assert SubmissionWindow.objects.get(school_id__isnull=True).region_id == world.city.pk
    assert SubmissionWindow.objects.get(school_id__isnull=False).school_id == world.school_b.pk
    for role in ("teacher_a", "district_admin_x", "student_a", "parent_a"):
        refused(call("put", "/windows", getattr(world, role), span), "evaluation.window_not_yours", 403)
    refused(call("put", "/windows", world.city_admin, {**span, "opens_on": "2026-12-31", "closes_on": "2026-01-01"}),
            "evaluation.window_dates", 400)


# Withdraw, review, reopen ----------------------------------------------------------------------------------

def _pending(world, account=None):
    made = classified(account or world.student_a)
    call("post", "/submissions", account or world.student_a, {"record_ids": [made["id"]]})
    return made["id"]


def test_a_pending_record_is_withdrawn_to_edit(world, windows):
    record = _pending(world)
    withdrawn = call("post", f"/records/{record}/withdraw", world.parent_a)
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "draft"
    assert call("patch", f"/records/{record}", world.student_a, {"text": "改好了"}).json()["text"] == "改好了"
    refused(call("post", f"/records/{record}/withdraw", world.student_a), "evaluation.not_withdrawable", 409)


def test_an_approved_record_is_withdrawn_only_after_the_school_reopens_it(world, windows):
    record = _pending(world)
    refused(call("post", f"/records/{record}/reopen", world.school_admin_a), "evaluation.not_approved", 409)
    decided = call("post", f"/records/{record}/decision", world.school_admin_a, {"approve": True})
    assert decided.json()["state"] == "approved"
    body = refused(call("post", f"/records/{record}/withdraw", world.student_a), "evaluation.approved_locked", 409)
    assert body["who_can_fix"] == "the school admin"
    refused(call("post", f"/records/{record}/reopen", world.student_a), "evaluation.reopen_not_allowed", 403)
    refused(call("post", f"/records/{record}/reopen", world.school_admin_b), "evaluation.record_not_found", 404)
    reopened = call("post", f"/records/{record}/reopen", world.school_admin_a)
    assert reopened.json()["reopened"] is True and reopened.json()["state"] == "approved"
    assert call("post", f"/records/{record}/withdraw", world.student_a).json()["state"] == "draft"


def test_a_failed_record_shows_its_reason_and_can_be_withdrawn(world, windows):
    record = _pending(world)
    refused(call("post", f"/records/{record}/decision", world.school_admin_a, {"approve": False}),
            "evaluation.reason_required", 400)
    failed = call("post", f"/records/{record}/decision", world.school_admin_a, {"approve": False, "reason": "照片看不清"})
    assert failed.json()["state"] == "failed" and failed.json()["reason"] == "照片看不清"
    assert call("get", f"/records/{record}", world.parent_a).json()["reason"] == "照片看不清"
    assert call("post", f"/records/{record}/withdraw", world.student_a).json()["state"] == "draft"


def test_the_second_decision_is_told_who_decided_first(world, windows):
    from tests.factories import make_school_admin

    record = _pending(world)
    second_admin = make_school_admin(world.school_a)
    call("post", f"/records/{record}/decision", world.school_admin_a, {"approve": True})
    body = refused(call("post", f"/records/{record}/decision", second_admin, {"approve": False, "reason": "不符合"}),
                   "evaluation.changed_meanwhile", 409)
    assert world.school_admin_a.person.name in body["message"]
    assert call("get", f"/records/{record}", world.student_a).json()["state"] == "approved"


def test_only_the_school_reviews(world, windows):
    record = _pending(world)
    refused(call("post", f"/records/{record}/decision", world.student_a, {"approve": True}),
            "evaluation.review_not_allowed", 403)


def test_a_stale_version_changes_nothing(world, windows):
    from renrentong.evaluation import services
    from renrentong.evaluation.models import WrittenRecord
    from renrentong.core.errors import UserFacingError

    record = WrittenRecord.objects.get(pk=_pending(world))
    WrittenRecord.objects.filter(pk=record.pk).update(version=record.version + 1)
    with pytest.raises(UserFacingError) as refusal:
        services._transition(record, {"pending"}, state="draft")
    assert refusal.value.code == "evaluation.changed_meanwhile"
    assert WrittenRecord.objects.get(pk=record.pk).state == "pending"


def test_every_step_is_audited(world, windows):
    from renrentong.core.models import AuditEvent

    record = _pending(world)
    call("post", f"/records/{record}/withdraw", world.student_a)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"evaluation.record_create", "evaluation.submit", "evaluation.withdraw"} <= verbs
    assert AuditEvent.objects.filter(verb="evaluation.submit", school_id=world.school_a.pk).exists()
