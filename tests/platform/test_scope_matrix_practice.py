"""NFR-2 for online practice (issue 15 item 2): school B's questions, paper, attempt and class results stay out
of reach of every role of school A and district X, and of the city and province admins (who keep region
questions, not a school's), whatever id is put in a URL or a body, through the API and the pages; every
refusal has the one error shape and nothing of B changes."""

from __future__ import annotations

import json

import pytest

from tests.accounts.test_scope_matrix import ROLES_OF_A
from tests.factories import as_user, bearer
from tests.platform.test_scope_matrix_messaging import assert_refused
from tests.resources.practice.helpers import QUESTIONS, published_paper

ROLES = ROLES_OF_A + ["city_admin", "province_admin"]


@pytest.fixture
def practice_b(client, world):
    """A paper of teacher B's own questions published to class B1, and student B's open attempt on it with a
    saved answer."""
    paper_id, ids = published_paper(client, world, world.teacher_b, world.class_b1)
    opened = client.post(f"/api/v1/practice/papers/{paper_id}/attempts", **bearer(world.student_b))
    attempt = opened.json()["id"]
    saved = client.put(f"/api/v1/practice/attempts/{attempt}/answers/{ids[0]}", json.dumps(QUESTIONS[0][2]),
                       content_type="application/json", **bearer(world.student_b))
    assert saved.status_code == 200
    return {"paper": paper_id, "question": ids[0], "questions": ids, "attempt": attempt, "class": world.class_b1.pk}


READS = {
    "question": "/api/v1/practice/questions/{question}",
    "paper": "/api/v1/practice/papers/{paper}",
    "attempt": "/api/v1/practice/attempts/{attempt}",
    "class results": "/api/v1/practice/papers/{paper}/classes/{class}/results",
    "class results xlsx": "/api/v1/practice/papers/{paper}/classes/{class}/results.xlsx",
}

WRITES = {
    "edit question": ("put", "/api/v1/practice/questions/{question}",
                      {"chapter_id": 1, "kind": "true_false", "stem": "x", "key": True}),
    "retire question": ("post", "/api/v1/practice/questions/{question}/retire", {}),
    "change paper": ("put", "/api/v1/practice/papers/{paper}/questions", {"question_ids": ["{question}"]}),
    "publish paper": ("post", "/api/v1/practice/papers/{paper}/publications", {"class_ids": ["{class}"]}),
    "put B's question on a paper": ("post", "/api/v1/practice/papers", {"title": "x", "question_ids": ["{question}"]}),
    "open attempt": ("post", "/api/v1/practice/papers/{paper}/attempts", {}),
    "save answer": ("put", "/api/v1/practice/attempts/{attempt}/answers/{question}", {"choice": 0}),
    "submit": ("post", "/api/v1/practice/attempts/{attempt}/submit", {}),
}

PAGES = ["/practice/papers/{paper}/", "/practice/attempts/{attempt}/", "/practice/manage/papers/{paper}/",
         "/practice/manage/questions/{question}/", "/practice/manage/papers/{paper}/classes/{class}/",
         "/practice/manage/papers/{paper}/classes/{class}/?export=xlsx"]
POSTS = ["/practice/papers/{paper}/start/", "/practice/attempts/{attempt}/submit/",
         "/practice/attempts/{attempt}/answers/{question}/", "/practice/manage/papers/{paper}/"]


def _filled(value, ids):
    if isinstance(value, str) and value.startswith("{"):
        return ids[value.strip("{}")]
    if isinstance(value, list):
        return [_filled(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, ids) for k, v in value.items()}
    return value


def _unchanged(practice_b) -> None:
    from renrentong.resources.models import (
        PracticeAnswer, PracticeAttempt, PracticePublication, PracticeQuestion,
    )

    assert PracticeAttempt.objects.get(pk=practice_b["attempt"]).state == "open"
    assert PracticeAttempt.objects.filter(paper_id=practice_b["paper"]).count() == 1
    assert PracticeAnswer.objects.get(attempt_id=practice_b["attempt"]).response == 1
    assert PracticeQuestion.objects.get(pk=practice_b["question"]).retired_at is None
    assert list(PracticePublication.objects.filter(paper_id=practice_b["paper"]).values_list("class_id", flat=True)) == [
        practice_b["class"]]


@pytest.mark.parametrize("what", READS)
@pytest.mark.parametrize("role", ROLES)
def test_no_role_outside_school_b_reads_its_practice(client, world, practice_b, role, what):
    response = client.get(READS[what].format(**practice_b), **bearer(getattr(world, role)))
    assert_refused(response, (403, 404))
    # Who may read such an object at all is told it is not found; the others that they cannot read it.
    if (role in ("teacher_a", "head_teacher_a") and what != "attempt") or (
            role == "student_a" and what in ("paper", "attempt")):
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_lists_of_roles_outside_school_b_leave_its_practice_out(client, world, practice_b, role):
    headers = bearer(getattr(world, role))
    for path in ("/api/v1/practice/questions", "/api/v1/practice/papers"):
        response = client.get(path, **headers)
        if response.status_code == 200:
            assert practice_b["question"] not in [q["id"] for q in response.json()]
            assert practice_b["paper"] not in [p["id"] for p in response.json()]
        else:
            assert_refused(response, (403,))


@pytest.mark.parametrize("what", WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_no_role_outside_school_b_changes_its_practice(client, world, practice_b, role, what):
    method, url, body = WRITES[what]
    response = getattr(client, method)(url.format(**practice_b), json.dumps(_filled(body, practice_b)),
                                       content_type="application/json", **bearer(getattr(world, role)))
    assert_refused(response, (400, 403, 404))
    if what == "put B's question on a paper" and role in ("teacher_a", "head_teacher_a"):
        assert response.json()["code"] == "practice.question_unavailable"
    _unchanged(practice_b)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_outside_school_b_opens_or_posts_its_practice_pages(client, world, practice_b, role):
    as_user(client, getattr(world, role))
    for page in PAGES:
        assert client.get(page.format(**practice_b)).status_code in (403, 404), page
    for page in POSTS:
        assert client.post(page.format(**practice_b), {"class_ids": [practice_b["class"]]}).status_code in (
            403, 404), page
    _unchanged(practice_b)


def test_student_b_keeps_their_own_attempt(client, world, practice_b):
    response = client.get(f"/api/v1/practice/attempts/{practice_b['attempt']}", **bearer(world.student_b))
    assert response.status_code == 200 and response.json()["saved"] == {str(practice_b["question"]): 1}
