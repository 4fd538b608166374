"""One store of material (EVA-2): a student, or a parent for a linked child, writes, edits and deletes
written records with files; a retried create never makes a duplicate; nobody else sees them (NFR-2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from renrentong.core.errors import UserFacingError
from renrentong.evaluation import services
from renrentong.evaluation.models import RecordFile, WrittenRecord

from tests.evaluation.helpers import actor, call, item, png, refused, upload, write
from tests.factories import make_parent, make_person, make_account, make_student


def test_student_writes_a_record_and_reads_it_back(world, catalogue):
    made = write(world.student_a, "帮助同学补习数学", kind="honours", title="互助之星")
    assert made["state"] == "draft" and made["kind"] == "honours" and made["title"] == "互助之星"
    assert made["student_id"] == world.student_a.person_id and made["student_name"] == "李小明"
    listed = call("get", "/records", world.student_a).json()
    assert [r["id"] for r in listed] == [made["id"]]
    # The parent sees the same record: one store.
    assert [r["id"] for r in call("get", "/records", world.parent_a).json()] == [made["id"]]


def test_parent_writes_for_a_linked_child(world, catalogue):
    made = write(world.parent_a, "周末陪孩子去敬老院", kind="volunteer")
    assert made["student_id"] == world.student_a.person_id
    record = WrittenRecord.objects.get(pk=made["id"])
    assert record.author_id == world.parent_a.pk and record.author_kind == "guardian"
    assert record.school_id == world.school_a.pk and record.class_id == world.class_a1.pk
    assert [r["id"] for r in call("get", "/records", world.student_a).json()] == [made["id"]]


def test_parent_of_two_children_chooses_one(world, catalogue):
    sibling = make_student(world.class_a2, "李小华")
    parent = make_parent(world.student_a, sibling, name="李双亲")
    refused(call("post", "/records", parent, {"text": "记录", "happened_on": "2026-10-01"}), "evaluation.choose_child", 400)
    made = write(parent, student_id=sibling.person_id)
    assert made["student_id"] == sibling.person_id
    assert [r["id"] for r in call("get", "/records", parent, student_id=sibling.person_id).json()] == [made["id"]]


def test_parent_cannot_write_for_a_child_not_linked(world, catalogue):
    refused(call("post", "/records", world.parent_a, {"text": "记录", "happened_on": "2026-10-01",
                                                       "student_id": world.student_b.person_id}),
            "evaluation.record_not_found", 404)


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a", "school_admin_a", "district_admin_x", "city_admin"])
def test_only_students_and_parents_write_material(world, catalogue, role):
    refused(call("post", "/records", getattr(world, role), {"text": "记录", "happened_on": "2026-10-01"}),
            "evaluation.not_for_you", 403)


def test_a_student_not_in_a_class_cannot_file_material(world, catalogue):
    from renrentong.accounts.models import Identity

    person = make_person("游离生")
    account = make_account(person, school=world.school_a)
    Identity.objects.create(account=account, kind=Identity.Kind.STUDENT, school=world.school_a)
    body = refused(call("post", "/records", account, {"text": "记录", "happened_on": "2026-10-01"}),
                   "evaluation.not_enrolled", 409)
    assert body["who_can_fix"] == "the school admin"


def test_a_retried_create_with_the_same_key_makes_one_record(world, catalogue):
    first = write(world.student_a, client_key="k-1")
    again = write(world.student_a, client_key="k-1", status=200)
    assert again["id"] == first["id"]
    assert WrittenRecord.objects.filter(student_id=world.student_a.person_id).count() == 1
    other = write(world.student_a, client_key="k-2")
    assert other["id"] != first["id"]


def test_the_same_key_from_another_author_is_another_record(world, catalogue):
    first = write(world.student_a, client_key="same")
    second = write(world.parent_a, client_key="same")
    assert first["id"] != second["id"]


def test_files_uploaded_first_are_attached_and_shown_as_links(world, catalogue):
    photo = upload(world.student_a, upload_key="p-1")
    again = upload(world.student_a, upload_key="p-1")  # a retried upload: the same file
    assert again["id"] == photo["id"]
    made = write(world.student_a, file_ids=[photo["id"]])
    assert [f["id"] for f in made["files"]] == [photo["id"]]
    assert made["files"][0]["url"].startswith("/files/") and made["files"][0]["thumbnail_url"]
    assert RecordFile.objects.get(record_id=made["id"]).school_id == world.school_a.pk


def test_someone_elses_file_is_refused(world, catalogue):
    photo = upload(world.student_b)
    refused(call("post", "/records", world.student_a, {"text": "记录", "happened_on": "2026-10-01",
                                                        "file_ids": [photo["id"]]}), "evaluation.file_not_yours", 404)


def test_too_many_files_are_refused(world, catalogue):
    photos = [upload(world.student_a, png((i * 20, 0, 0)))["id"] for i in range(9)]
    student = actor(world.student_a)
    with pytest.raises(UserFacingError) as refusal:
        services.create_record(student, services.RecordDraft(text="记录", happened_on=date(2026, 10, 1),
                                                             file_ids=photos, uploads=[("x.png", png())]))
    assert refusal.value.code == "evaluation.too_many_files" and "9" in refusal.value.message


def test_text_title_date_and_kind_are_checked(world, catalogue):
    student = world.student_a
    refused(call("post", "/records", student, {"text": "   ", "happened_on": "2026-10-01"}), "evaluation.text_required", 400)
    refused(call("post", "/records", student, {"text": "记", "title": "标" * 61, "happened_on": "2026-10-01"}),
            "evaluation.title_too_long", 400)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused(call("post", "/records", student, {"text": "记", "happened_on": tomorrow}), "evaluation.date_in_future", 400)
    with pytest.raises(UserFacingError) as refusal:
        services.create_record(actor(student), services.RecordDraft(text="记", happened_on=date(2026, 10, 1), kind="diary"))
    assert refusal.value.code == "evaluation.kind_unknown"


def test_a_draft_is_edited_classified_and_deleted(world, catalogue):
    made = write(world.student_a)
    reading = item("reading")
    changed = call("patch", f"/records/{made['id']}", world.student_a,
                   {"text": "读完《红岩》并写了读后感", "kind": "reading", "item_id": reading.pk})
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["text"].startswith("读完") and body["item_label"] == "阅读积累" and body["dimension_label"] == "学业水平"
    assert call("patch", f"/records/{made['id']}", world.parent_a, {"unclassify": True}).json()["item_id"] is None
    assert call("delete", f"/records/{made['id']}", world.student_a).status_code == 204
    refused(call("get", f"/records/{made['id']}", world.student_a), "evaluation.record_not_found", 404)


def test_an_imported_item_cannot_classify_uploaded_material(world, catalogue):
    made = write(world.student_a)
    body = refused(call("patch", f"/records/{made['id']}", world.student_a, {"item_id": item("english_dialogue").pk}),
                   "evaluation.item_not_uploaded", 400)
    assert "英语人机对话成绩" in body["message"]
    refused(call("patch", f"/records/{made['id']}", world.student_a, {"item_id": 999999}), "evaluation.item_unknown", 404)


@pytest.mark.parametrize("role", ["student_a2", "parent_b", "student_b", "teacher_a", "head_teacher_a",
                                  "district_admin_x", "city_admin", "school_admin_b"])
def test_nobody_else_reads_or_changes_a_students_record(world, catalogue, role):
    made = write(world.student_a)
    who = getattr(world, role)
    refused(call("get", f"/records/{made['id']}", who), "evaluation.record_not_found", 404)
    refused(call("patch", f"/records/{made['id']}", who, {"text": "改"}), "evaluation.record_not_found", 404)
    refused(call("delete", f"/records/{made['id']}", who), "evaluation.record_not_found", 404)
    assert made["id"] not in [r["id"] for r in call("get", "/records", who).json()]


def test_no_id_number_or_phone_in_the_answers(world, catalogue):
    made = write(world.parent_a)
    person = world.student_a.person
    for response in (call("get", f"/records/{made['id']}", world.parent_a), call("get", "/records", world.parent_a)):
        text = response.content.decode()
        assert person.reveal_id_number() not in text and world.parent_a.phone not in text
