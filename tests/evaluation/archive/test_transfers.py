"""Material follows the person (issue 14 item 8, NFR-2, NFR-3): after an approved transfer the new school
reviews all of a student's material and the old one finds none of it; leaving, deleting and restoring keep
everything; the move is part of the transfer's transaction."""

from __future__ import annotations

import json

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from renrentong.accounts import following
from renrentong.evaluation.models import RecordFile, WrittenRecord
from renrentong.schooladmin.models import TransferRequest

from tests.evaluation.archive.helpers import approved_record
from tests.evaluation.helpers import call, item, refused, write
from tests.factories import bearer, open_evaluation_windows


def school_api(method, path, account, body=None):
    send = getattr(Client(), method)
    return send(f"/api/v1/school{path}", json.dumps(body or {}), content_type="application/json", **bearer(account))


def transfer(world, student, to_school, to_class, from_admin, to_admin) -> int:
    response = school_api("post", "/transfers", student, {"to_school_id": to_school.pk, "to_class_id": to_class.pk})
    assert response.status_code == 201, response.content
    rid = response.json()["id"]
    assert school_api("post", f"/transfers/{rid}/approve", to_admin).status_code == 200
    response = school_api("post", f"/transfers/{rid}/approve", from_admin)
    assert response.status_code == 200, response.content
    return rid


def queue(admin, state, **filters) -> set[int]:
    response = call("get", "/review", admin, state=state, **filters)
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["items"]}


@pytest.fixture
def material(world, catalogue):
    """Student A at school A: an approved record with a photo, a pending one, a draft."""
    open_evaluation_windows(world)
    approved = approved_record(world.student_a, world.school_admin_a)
    pending = write(world.student_a, "阅读《红岩》", item_id=item("reading").pk)
    assert call("post", "/submissions", world.student_a, {"record_ids": [pending["id"]]}).status_code == 200
    draft = write(world.parent_a, "周末参观博物馆")
    return {"approved": approved["id"], "pending": pending["id"], "draft": draft["id"]}


def test_after_a_transfer_the_new_school_reviews_everything_and_the_old_one_finds_nothing(world, material):
    transfer(world, world.student_a, world.school_b, world.class_b1, world.school_admin_a, world.school_admin_b)

    assert queue(world.school_admin_b, "approved") == {material["approved"]}
    assert queue(world.school_admin_b, "pending", class_id=world.class_b1.pk) == {material["pending"]}
    # The new school decides the pending one.
    assert call("post", f"/records/{material['pending']}/decision", world.school_admin_b,
                {"approve": True}).status_code == 200
    # The old school: not in its queue, and each id is not found.
    assert queue(world.school_admin_a, "approved") == queue(world.school_admin_a, "pending") == set()
    for record_id in material.values():
        refused(call("get", f"/records/{record_id}", world.school_admin_a), "evaluation.record_not_found", 404)
    refused(call("post", f"/records/{material['approved']}/reopen", world.school_admin_a),
            "evaluation.record_not_found", 404)
    # Rows and files carry the new school; the student and parent still see all three.
    moved = WrittenRecord.objects.filter(pk__in=material.values())
    assert set(moved.values_list("school_id", "class_id")) == {(world.school_b.pk, world.class_b1.pk)}
    assert set(RecordFile.objects.filter(record__in=moved).values_list("school_id", flat=True)) == {world.school_b.pk}
    assert {r["id"] for r in call("get", "/records", world.student_a).json()} == set(material.values())


def test_the_move_is_in_the_transfers_transaction(world, material):
    """A mover that fails after the records moved rolls back the records and the transfer alike."""
    def broken(moves):
        raise RuntimeError("the scores could not be moved")

    following.register("zz.broken", broken)
    try:
        with pytest.raises(RuntimeError):
            transfer(world, world.student_a, world.school_b, world.class_b1, world.school_admin_a,
                     world.school_admin_b)
    finally:
        following._movers.pop("zz.broken")
    assert set(WrittenRecord.objects.filter(pk__in=material.values()).values_list("school_id", flat=True)) == {
        world.school_a.pk}
    assert TransferRequest.objects.get().status == "pending"
    assert world.student_a.identities.get(kind="student").school_id == world.school_a.pk
    # Run again, it completes, records included.
    rid = TransferRequest.objects.get().pk
    assert school_api("post", f"/transfers/{rid}/approve", world.school_admin_a).json()["status"] == "approved"
    assert set(WrittenRecord.objects.filter(pk__in=material.values()).values_list("school_id", flat=True)) == {
        world.school_b.pk}


def test_the_transfer_audit_counts_the_records_moved(world, material):
    from renrentong.core.models import AuditEvent

    transfer(world, world.student_a, world.school_b, world.class_b1, world.school_admin_a, world.school_admin_b)
    done = AuditEvent.objects.get(verb="transfer.complete")
    assert done.details["moved_evaluation.records"] == 3


@pytest.mark.parametrize("steps", [("leave",), ("delete",), ("delete", "restore"), ("leave", "delete", "restore")])
def test_leaving_deleting_and_restoring_keep_every_record(world, material, steps):
    for step in steps:
        response = school_api("post", f"/users/{world.student_a.pk}/{step}", world.school_admin_a)
        assert response.status_code == 200, response.content
    kept = WrittenRecord.objects.filter(pk__in=material.values())
    assert kept.count() == 3 and set(kept.values_list("school_id", flat=True)) == {world.school_a.pk}
    assert RecordFile.objects.filter(record__in=kept).count() == 1
    # The school still finds them, the approved one in its decided queue.
    assert queue(world.school_admin_a, "approved") == {material["approved"]}
    assert call("get", f"/records/{material['draft']}", world.school_admin_a).status_code == 200


def test_a_roster_import_taking_in_a_leaver_brings_the_material(world, material):
    """IMP-3a: a student who left school A and is imported by school B comes with their records, in the
    import's transaction; undoing the import takes them back."""
    from tests.roster_files import commit, csv_file, preview, row

    assert school_api("post", f"/users/{world.student_a.pk}/leave", world.school_admin_a).status_code == 200
    client, admin_b = Client(), bearer(world.school_admin_b)
    person = world.student_a.person
    job = preview(client, admin_b, csv_file([row(person.name, person.reveal_id_number(), world.class_b1)]))
    assert commit(client, admin_b, job["id"])["result"]["applied"]["transferred_in"] == 1
    records = WrittenRecord.objects.filter(pk__in=material.values())
    assert set(records.values_list("school_id", "class_id")) == {(world.school_b.pk, world.class_b1.pk)}
    assert queue(world.school_admin_b, "approved") == {material["approved"]}
    refused(call("get", f"/records/{material['draft']}", world.school_admin_a), "evaluation.record_not_found", 404)

    assert client.post(f"/api/v1/rosters/imports/{job['id']}/undo", **admin_b).status_code == 200
    assert set(records.values_list("school_id", flat=True)) == {world.school_a.pk}
    assert call("get", f"/records/{material['draft']}", world.school_admin_a).status_code == 200


def test_an_objection_to_a_moved_record_leaves_the_old_schools_display_and_queue(world, material):
    """The old school's 公示 and its objections stop showing the record once it followed the student, and the
    old school can no longer uphold an objection against it (that would fail the new school's record)."""
    display = call("post", "/review/displays", world.school_admin_a,
                   {"title": "公示", "starts_on": str(timezone.localdate()),
                    "ends_on": str(timezone.localdate() + timedelta(days=6))}).json()
    objection = call("post", f"/review/displays/{display['id']}/objections", world.teacher_a,
                     {"record_id": material["approved"], "reason": "日期不对"})
    assert objection.status_code == 201, objection.content
    transfer(world, world.student_a, world.school_b, world.class_b1, world.school_admin_a, world.school_admin_b)

    shown = call("get", f"/review/displays/{display['id']}/records", world.school_admin_a).json()
    assert material["approved"] not in {r["record_id"] for r in shown}
    assert call("get", "/review/objections", world.school_admin_a, state="open").json() == []
    refused(call("post", f"/review/objections/{objection.json()['id']}/resolve", world.school_admin_a,
                 {"uphold": True, "note": "不实"}), "evaluation.objection_not_found", 404)
    assert WrittenRecord.objects.get(pk=material["approved"]).state == "approved"
