"""NFR-2 for evaluation (issue 14): school B's written records stay out of reach of every role of school A
and district X, whatever id is put in a URL or a body, through the API and the pages; every refusal has the
one error shape, and no response carries a full ID number or phone (the foundation matrix's reader)."""

from __future__ import annotations

import json

import pytest

from tests.accounts.test_scope_matrix import ROLES_OF_A, Reader
from tests.factories import as_user, bearer, make_evaluation_catalogue, open_evaluation_windows
from tests.platform.test_scope_matrix_messaging import assert_refused


@pytest.fixture
def reader(client, world):
    return Reader(client, world)


@pytest.fixture
def record_b(client, world):
    """A submitted record of student B, made through the API by B's parent."""
    make_evaluation_catalogue(world.city)
    open_evaluation_windows(world)
    from renrentong.evaluation.models import EvidenceItem

    item = EvidenceItem.objects.get(code="volunteer_service")
    made = client.post("/api/v1/evaluation/records", json.dumps({
        "text": "社区服务", "happened_on": "2026-10-01", "item_id": item.pk}), content_type="application/json",
        **bearer(world.parent_b))
    assert made.status_code == 201, made.content
    draft = client.post("/api/v1/evaluation/records", json.dumps({"text": "草稿", "happened_on": "2026-10-02"}),
                        content_type="application/json", **bearer(world.student_b))
    submitted = client.post("/api/v1/evaluation/submissions", json.dumps({"record_ids": [made.json()["id"]]}),
                            content_type="application/json", **bearer(world.parent_b))
    assert submitted.status_code == 200, submitted.content
    return {"pending": made.json()["id"], "draft": draft.json()["id"], "student": world.student_b.person_id}


WRITES = {
    "edit": ("patch", "/api/v1/evaluation/records/{draft}", {"text": "改"}),
    "delete": ("delete", "/api/v1/evaluation/records/{draft}", None),
    "withdraw": ("post", "/api/v1/evaluation/records/{pending}/withdraw", {}),
    "reopen": ("post", "/api/v1/evaluation/records/{pending}/reopen", {}),
    "decide": ("post", "/api/v1/evaluation/records/{pending}/decision", {"approve": True}),
    "submit": ("post", "/api/v1/evaluation/submissions", {"record_ids": ["{draft}"]}),
    "write for B's child": ("post", "/api/v1/evaluation/records", {"text": "x", "happened_on": "2026-10-01",
                                                                    "student_id": "{student}"}),
}


def _filled(value, ids):
    if isinstance(value, str) and value.startswith("{"):
        return ids[value.strip("{}")]
    if isinstance(value, list):
        return [_filled(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES_OF_A + ["city_admin", "province_admin"])
def test_role_outside_school_b_cannot_read_its_records(reader, world, record_b, role):
    for record in (record_b["pending"], record_b["draft"]):
        assert_refused(reader.api(role, f"/api/v1/evaluation/records/{record}"))
    listed = reader.api(role, "/api/v1/evaluation/records", student_id=record_b["student"])
    assert listed.status_code == 200 and listed.json() == []


@pytest.mark.parametrize("what", WRITES)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_change_school_bs_records(client, world, record_b, role, what):
    method, url, body = WRITES[what]
    headers = bearer(getattr(world, role))
    target = url.format(**record_b)
    if method == "delete":
        response = client.delete(target, **headers)
    else:
        response = getattr(client, method)(target, json.dumps(_filled(body, record_b)),
                                          content_type="application/json", **headers)
    # Roles that keep no material at all (teachers, admins) may be told so with a 403.
    assert_refused(response, (403, 404))
    if role in ("student_a", "parent_a"):
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_open_school_bs_record_pages(client, world, record_b, role):
    as_user(client, getattr(world, role))
    for record in (record_b["pending"], record_b["draft"]):
        assert client.get(f"/evaluation/records/{record}/").status_code == 404
        assert client.post(f"/evaluation/records/{record}/withdraw/").status_code == 404
        assert client.post(f"/evaluation/records/{record}/delete/").status_code == 404
    if role in ("student_a", "parent_a"):
        assert client.get(f"/evaluation/growth/?student={record_b['student']}").status_code == 404


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_school_bs_records_are_never_in_school_as_review_queue_nor_decided_by_it(client, world, record_b, role):
    queue = client.get("/api/v1/evaluation/review", {"state": "pending"}, **bearer(getattr(world, role)))
    if queue.status_code == 200:
        assert record_b["pending"] not in [r["id"] for r in queue.json()["items"]]
    else:
        assert_refused(queue, (403,))
    decided = client.post("/api/v1/evaluation/review/decisions", json.dumps({"record_ids": [record_b["pending"]],
                                                                             "approve": True}),
                          content_type="application/json", **bearer(getattr(world, role)))
    if decided.status_code == 200:
        assert decided.json()[0]["decided"] is False
    else:
        assert_refused(decided, (403,))
    from renrentong.evaluation.models import WrittenRecord

    assert WrittenRecord.objects.get(pk=record_b["pending"]).state == "pending"


# -- Academic scores (EVA-6) ---------------------------------------------------------------------------------

@pytest.fixture
def scores_b(world):
    """School B's own score import (committed) and a score of student B, made through the API by B's admin."""
    from tests.evaluation.scores.helpers import by_account, imported

    make_evaluation_catalogue(world.city)
    job = imported(world.school_admin_b, [by_account(world.student_b, "体育平时成绩", "80")])
    assert job["status"] == "committed", job
    return {"job": job["id"], "student": world.student_b.person_id}


SCORE_WRITES = ("commit", "cancel", "undo")


@pytest.mark.parametrize("role", ROLES_OF_A + ["city_admin", "province_admin"])
def test_role_outside_school_b_cannot_reach_its_score_import_or_scores(client, reader, world, scores_b, role):
    job = scores_b["job"]
    for path in (f"/api/v1/evaluation/scores/imports/{job}", f"/api/v1/evaluation/scores/imports/{job}/rows",
                 f"/api/v1/evaluation/scores/imports/{job}/rejected", f"/api/v1/rosters/imports/{job}"):
        assert_refused(reader.api(role, path), (403, 404))
    for action in SCORE_WRITES:
        response = client.post(f"/api/v1/evaluation/scores/imports/{job}/{action}", "{}",
                               content_type="application/json", **bearer(getattr(world, role)))
        assert_refused(response, (403, 404))
    mine = reader.api(role, "/api/v1/evaluation/scores/mine", student_id=scores_b["student"])
    assert_refused(mine, (403, 404))
    table = reader.api(role, "/api/v1/evaluation/scores")
    if table.status_code == 200:
        assert table.json()["total"] == 0
    else:
        assert_refused(table, (403,))
    as_user(client, getattr(world, role))
    assert client.get(f"/evaluation/scores/imports/{job}/").status_code in (403, 404)
    assert client.post(f"/evaluation/scores/imports/{job}/undo/").status_code in (403, 404)
    from renrentong.evaluation.models import AcademicScore

    assert AcademicScore.objects.filter(student_id=scores_b["student"]).count() == 1
