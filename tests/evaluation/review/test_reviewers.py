"""Reviewers (issue 14 item 4): the school admin appoints teachers of the school to review the whole school
or given classes and grades, and decides whether class head teachers review their own class; a reviewer
sees and decides only the records in their remit, and every appointment is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from renrentong.core.models import AuditEvent
from renrentong.evaluation.models import WrittenRecord

from tests.evaluation.helpers import call, refused
from tests.factories import as_user, make_teacher

API = "/review"


def queue_ids(account, **filters) -> list[int]:
    response = call("get", API, account, **filters)
    assert response.status_code == 200, response.content
    return sorted(r["id"] for r in response.json()["items"])


def appoint(world, teacher, **remit):
    response = call("post", f"{API}/reviewers", world.school_admin_a,
                    {"teacher_id": teacher.identities.get().pk, **remit})
    assert response.status_code == 201, response.content
    return response.json()


def test_an_appointed_class_reviewer_sees_and_decides_only_that_class(world, pending):
    refused(call("get", API, world.teacher_a), "evaluation.review_not_allowed", 403)
    appointment = appoint(world, world.teacher_a, class_ids=[world.class_a2.pk])
    assert appointment["class_ids"] == [world.class_a2.pk] and not appointment["whole_school"]
    assert queue_ids(world.teacher_a) == [pending["a2"]]
    refused(call("post", f"{API}/records/{pending['a1']}/decision", world.teacher_a, {"approve": True}),
            "evaluation.record_not_found", 404)
    decided = call("post", f"{API}/records/{pending['a2']}/decision", world.teacher_a, {"approve": True})
    assert decided.status_code == 200 and decided.json()["decided_by"] == "王老师"
    assert WrittenRecord.objects.get(pk=pending["a1"]).state == "pending"
    assert AuditEvent.objects.filter(verb="evaluation.reviewer_appoint", school_id=world.school_a.pk).exists()


def test_a_grade_or_whole_school_remit_and_ending_it(world, pending):
    appoint(world, world.teacher_a, grade_ids=[world.class_a1.cohort_id])
    cohort_classes = {world.class_a1.pk, world.class_a2.pk} if world.class_a2.cohort_id == world.class_a1.cohort_id \
        else {world.class_a1.pk}
    expected = sorted(pk for key, pk in pending.items() if key != "b1"
                      and WrittenRecord.objects.get(pk=pk).class_id in cohort_classes)
    assert queue_ids(world.teacher_a) == expected
    whole = appoint(world, world.teacher_a, whole_school=True)  # again: the remit is replaced
    assert queue_ids(world.teacher_a) == sorted([pending["a1"], pending["a1_parent"], pending["a2"]])
    listed = call("get", f"{API}/reviewers", world.school_admin_a).json()
    assert [r["id"] for r in listed["reviewers"]] == [whole["id"]]
    assert {t["name"] for t in listed["teachers"]} >= {"王老师", "刘班主任"}
    assert call("delete", f"{API}/reviewers/{whole['id']}", world.school_admin_a).status_code == 204
    refused(call("get", API, world.teacher_a), "evaluation.review_not_allowed", 403)
    refused(call("delete", f"{API}/reviewers/{whole['id']}", world.school_admin_a),
            "evaluation.appointment_not_found", 404)
    assert AuditEvent.objects.filter(verb="evaluation.reviewer_end").count() == 1


def test_head_teachers_review_their_own_class_when_the_school_says_so(world, pending):
    refused(call("get", API, world.head_teacher_a), "evaluation.review_not_allowed", 403)
    on = call("put", f"{API}/settings", world.school_admin_a, {"head_teachers_review": True})
    assert on.status_code == 200 and on.json() == {"head_teachers_review": True}
    assert queue_ids(world.head_teacher_a) == sorted([pending["a1"], pending["a1_parent"]])
    refused(call("get", f"{API}/records/{pending['a2']}", world.head_teacher_a), "evaluation.record_not_found", 404)
    call("put", f"{API}/settings", world.school_admin_a, {"head_teachers_review": False})
    refused(call("get", API, world.head_teacher_a), "evaluation.review_not_allowed", 403)
    assert AuditEvent.objects.filter(verb="evaluation.review_setting").count() == 2


def test_only_teachers_of_the_school_in_its_classes_are_appointed(world, pending):
    admin = world.school_admin_a
    refused(call("post", f"{API}/reviewers", admin, {"teacher_id": world.teacher_b.identities.get().pk,
                                                     "whole_school": True}), "evaluation.reviewer_not_teacher", 404)
    refused(call("post", f"{API}/reviewers", admin, {"teacher_id": world.student_a.identities.get().pk,
                                                     "whole_school": True}), "evaluation.reviewer_not_teacher", 404)
    teacher = world.teacher_a.identities.get().pk
    refused(call("post", f"{API}/reviewers", admin, {"teacher_id": teacher}), "evaluation.remit_empty", 400)
    refused(call("post", f"{API}/reviewers", admin, {"teacher_id": teacher, "class_ids": [world.class_b1.pk]}),
            "evaluation.remit_not_in_school", 404)
    refused(call("post", f"{API}/reviewers", admin, {"teacher_id": teacher, "grade_ids": [world.class_b1.cohort_id]}),
            "evaluation.remit_not_in_school", 404)


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a", "student_a", "parent_a", "district_admin_x"])
def test_only_the_school_admin_appoints_and_sets(world, pending, role):
    account = getattr(world, role)
    refused(call("get", f"{API}/reviewers", account), "evaluation.not_school_admin", 403)
    refused(call("post", f"{API}/reviewers", account, {"teacher_id": world.teacher_a.identities.get().pk,
                                                       "whole_school": True}), "evaluation.not_school_admin", 403)
    refused(call("put", f"{API}/settings", account, {"head_teachers_review": True}), "evaluation.not_school_admin", 403)


def test_the_reviewers_page_appoints_sets_and_ends(world, pending, settings):
    settings.LANGUAGE_CODE = "en"
    extra = make_teacher(world.school_a, name="钱老师")
    admin = as_user(Client(), world.school_admin_a)
    page = admin.get("/evaluation/review/reviewers/")
    assert page.status_code == 200 and "钱老师" in page.content.decode()
    assert admin.post("/evaluation/review/reviewers/", {"action": "appoint", "teacher_id": extra.identities.get().pk,
                                                        "class_ids": [world.class_a1.pk]}).status_code == 302
    assert admin.post("/evaluation/review/reviewers/", {"action": "setting", "head_teachers_review": "on"}
                      ).status_code == 302
    assert queue_ids(extra) == sorted([pending["a1"], pending["a1_parent"]])
    assert queue_ids(world.head_teacher_a) == sorted([pending["a1"], pending["a1_parent"]])
    empty = admin.post("/evaluation/review/reviewers/", {"action": "appoint", "teacher_id": extra.identities.get().pk})
    assert empty.status_code == 400 and 'data-code="evaluation.remit_empty"' in empty.content.decode()
    appointment = call("get", f"{API}/reviewers", world.school_admin_a).json()["reviewers"][0]["id"]
    assert admin.post("/evaluation/review/reviewers/", {"action": "end", "appointment_id": appointment}
                      ).status_code == 302
    assert call("get", f"{API}/reviewers", world.school_admin_a).json()["reviewers"] == []
    assert as_user(Client(), world.teacher_a).get("/evaluation/review/reviewers/").status_code == 403
