"""Taking a paper through the API (RES-2): answers saved as typed and idempotent, a lost connection loses
nothing, submit grades at once with the right answer and explanation, a second submit counts nothing, and
no response before submit carries a key or an explanation."""

import json

import pytest

from tests.resources.practice.helpers import QUESTIONS, api, published_paper

pytestmark = pytest.mark.django_db


def _open(client, world, paper_id):
    opened = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.student_a)
    assert opened.status_code == 200, opened.content
    return opened.json()


def test_student_saves_answers_reopens_and_sees_them_then_submit_grades_each(client, world):
    paper_id, ids = published_paper(client, world)
    attempt = _open(client, world, paper_id)
    assert [q["kind"] for q in attempt["questions"]] == [k for k, *_ in QUESTIONS]
    for qid, (_kind, _fields, right, _wrong) in zip(ids, QUESTIONS):
        for _ in range(2):  # sent twice, as a retry after a lost answer would
            saved = api(client, "put", f"/api/v1/practice/attempts/{attempt['id']}/answers/{qid}",
                        world.student_a, right)
            assert saved.status_code == 200, saved.content
    again = _open(client, world, paper_id)
    assert again["id"] == attempt["id"] and len(again["saved"]) == len(ids)
    assert again["saved"][str(ids[3])] == ["ＣｌａｓｓＲｏｏｍ"]  # as typed, trimmed; compared normalised
    done = api(client, "post", f"/api/v1/practice/attempts/{attempt['id']}/submit", world.student_a, {"answers": []})
    assert done.status_code == 200, done.content
    result = done.json()
    assert result["state"] == "submitted" and (result["correct"], result["total"]) == (5, 5)
    assert [g["correct"] for g in result["graded"]] == [True] * 5
    assert result["graded"][0]["right_answer"] == "B" and result["graded"][0]["explanation"] == "1 分等于 60 秒。"
    assert result["graded"][4]["right_answer"] == "3.14 ± 0.01"


def test_a_second_submit_counts_nothing_and_returns_the_same_result(client, world):
    from renrentong.resources.models import PracticeAttempt, PracticeGrade

    paper_id, ids = published_paper(client, world)
    attempt = _open(client, world, paper_id)
    body = {"answers": [{"question_id": qid, **wrong} for qid, (*_x, wrong) in zip(ids, QUESTIONS)]}
    first = api(client, "post", f"/api/v1/practice/attempts/{attempt['id']}/submit", world.student_a, body)
    second = api(client, "post", f"/api/v1/practice/attempts/{attempt['id']}/submit", world.student_a, body)
    assert first.status_code == second.status_code == 200
    assert first.json()["graded"] == second.json()["graded"]
    assert first.json()["correct"] == 0
    assert PracticeAttempt.objects.count() == 1 and PracticeGrade.objects.count() == 5
    late = api(client, "put", f"/api/v1/practice/attempts/{attempt['id']}/answers/{ids[0]}", world.student_a,
               {"choice": 1})
    assert late.status_code == 400 and late.json()["code"] == "practice.already_submitted"


def test_a_new_attempt_is_numbered_after_the_last_and_history_lists_both(client, world):
    paper_id, _ids = published_paper(client, world)
    first = _open(client, world, paper_id)
    api(client, "post", f"/api/v1/practice/attempts/{first['id']}/submit", world.student_a, {})
    second = _open(client, world, paper_id)
    assert second["number"] == 2 and second["saved"] == {}
    paper = api(client, "get", f"/api/v1/practice/papers/{paper_id}", world.student_a).json()
    assert [(a["number"], a["state"]) for a in paper["attempts"]] == [(1, "submitted"), (2, "open")]


def test_nothing_before_submit_carries_a_key_or_an_explanation(client, world):
    """Every response the student gets before submitting is scanned for every right answer's text and each
    explanation, and for the words key and explanation."""
    paper_id, ids = published_paper(client, world)
    bodies = [api(client, "get", "/api/v1/practice/papers", world.student_a),
              api(client, "get", f"/api/v1/practice/papers/{paper_id}", world.student_a)]
    opened = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.student_a)
    bodies.append(opened)
    attempt_id = opened.json()["id"]
    for qid, (*_x, wrong) in zip(ids, QUESTIONS):
        bodies.append(api(client, "put", f"/api/v1/practice/attempts/{attempt_id}/answers/{qid}", world.student_a,
                          wrong))
    bodies.append(api(client, "get", f"/api/v1/practice/attempts/{attempt_id}", world.student_a))
    bodies.append(api(client, "get", "/api/v1/practice/wrong-answers", world.student_a))
    secrets = [fields["explanation"] for _k, fields, *_ in QUESTIONS] + ["classroom", "3.14", '"key"',
                                                                           '"explanation"', "right_answer"]
    for response in bodies:
        assert response.status_code == 200, response.content
        text = response.content.decode()
        for secret in secrets:
            assert secret not in text, (secret, response.request["PATH_INFO"])
    graded = api(client, "post", f"/api/v1/practice/attempts/{attempt_id}/submit", world.student_a, {})
    assert "1 分等于 60 秒。" in graded.content.decode()


def test_comma_decimal_is_refused_with_its_own_message(client, world):
    paper_id, ids = published_paper(client, world)
    attempt = _open(client, world, paper_id)
    refused = api(client, "put", f"/api/v1/practice/attempts/{attempt['id']}/answers/{ids[4]}", world.student_a,
                  {"number": "3,14"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json()["code"] == "practice.number_comma" and "3.14 not 3,14" in refused.json()["message"]
    bad = api(client, "put", f"/api/v1/practice/attempts/{attempt['id']}/answers/{ids[4]}", world.student_a,
              {"number": "three"})
    assert bad.json()["code"] == "practice.number_invalid"


def test_answers_that_do_not_fit_are_refused(client, world):
    paper_id, ids = published_paper(client, world)
    attempt = _open(client, world, paper_id)
    url = f"/api/v1/practice/attempts/{attempt['id']}/answers/"
    assert api(client, "put", url + str(ids[0]), world.student_a, {"choice": 7}).json()["code"] == "practice.answer_invalid"
    assert api(client, "put", url + str(ids[3]), world.student_a, {"blanks": ["a", "b"]}).json()["code"] == (
        "practice.answer_invalid")
    other = published_paper(client, world)[1][0]
    assert api(client, "put", url + str(other), world.student_a, {"choice": 1}).json()["code"] == (
        "practice.question_not_in_paper")


def test_parents_are_told_to_switch_to_the_childs_identity(client, world):
    paper_id, _ = published_paper(client, world)
    refused = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.parent_a)
    assert refused.status_code == 403 and refused.json()["code"] == "practice.students_only"
    for path in ("/api/v1/practice/papers", f"/api/v1/practice/papers/{paper_id}"):
        assert api(client, "get", path, world.parent_a).json()["code"] == "practice.students_only"


def test_a_student_of_another_class_does_not_find_the_paper(client, world):
    paper_id, _ = published_paper(client, world)
    refused = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.student_a2)
    assert refused.status_code == 404 and refused.json()["code"] == "practice.not_found"
    assert api(client, "get", "/api/v1/practice/attempts/999999", world.student_a).json()["code"] == (
        "practice.attempt_not_found")


def test_a_student_cannot_take_more_than_the_limit(client, world, monkeypatch):
    from renrentong.resources.practice import services

    monkeypatch.setattr(services, "MAX_ATTEMPTS", 1)
    paper_id, _ = published_paper(client, world)
    attempt = _open(client, world, paper_id)
    api(client, "post", f"/api/v1/practice/attempts/{attempt['id']}/submit", world.student_a, {})
    refused = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.student_a)
    assert refused.status_code == 400 and refused.json()["code"] == "practice.too_many_attempts"
    assert json.loads(refused.content)["who_can_fix"]
