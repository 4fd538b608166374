"""The question bank and papers through the API (RES-2): who keeps which questions (a teacher their school's,
shared to the district on request; a region admin their region's), what a question must hold, papers and
publishing, a class's results per question, the wrong-answer book and practising weak points (RES-1)."""

import pytest

from renrentong.core.models import AuditEvent
from renrentong.exports.models import ExportJob

from tests.factories import make_teacher
from tests.resources.export_jobs import api_job, cells, written
from tests.resources.practice.helpers import QUESTIONS, api, chapters, make_questions, published_paper

pytestmark = pytest.mark.django_db


def _question(chapter, **fields):
    body = {"chapter_id": chapter, "kind": "single", "stem": "题", "options": ["甲", "乙"], "key": 0}
    body.update(fields)
    return body


@pytest.mark.parametrize("fields, code", [
    ({"stem": "   "}, "practice.stem_required"),
    ({"options": ["甲"]}, "practice.options_invalid"),
    ({"options": ["甲", " "]}, "practice.options_invalid"),
    ({"key": 5}, "practice.key_invalid"),
    ({"kind": "multiple", "key": [0, 0]}, "practice.key_invalid"),
    ({"kind": "true_false", "key": "yes"}, "practice.key_invalid"),
    ({"kind": "fill", "key": [[" "]]}, "practice.blanks_invalid"),
    ({"kind": "fill", "key": []}, "practice.blanks_invalid"),
    ({"kind": "numeric", "key": {"value": "3,14", "tolerance": "0.01"}}, "practice.number_comma"),
    ({"kind": "numeric", "key": {"value": "abc", "tolerance": "0.01"}}, "practice.number_invalid"),
    ({"kind": "numeric", "key": {"value": "3.14", "tolerance": "-1"}}, "practice.tolerance_invalid"),
    ({"kind": "numeric", "key": "3.14"}, "practice.key_invalid"),
    ({"knowledge_points": ["x" * 64, "y", " ", "y"]}, None),
    ({"chapter_id": 999999}, "practice.chapter_not_found"),
])
def test_a_question_that_does_not_hold_together_is_refused(client, world, fields, code):
    chapter_id = chapters(world)[0]
    response = api(client, "post", "/api/v1/practice/questions", world.teacher_a, _question(chapter_id, **fields))
    if code is None:
        assert response.status_code == 201
        return
    assert response.status_code in (400, 404) and response.json()["code"] == code, response.content


def test_too_many_or_too_long_knowledge_points_are_refused(client, world):
    from renrentong.core.errors import UserFacingError
    from renrentong.resources.practice import services

    chapter_id = chapters(world)[0]
    from renrentong.accounts.access import actor_for

    teacher = actor_for(world.teacher_a, world.teacher_a.identities.get())
    with pytest.raises(UserFacingError) as refused:
        services.create_question(teacher, services.QuestionDraft(chapter_id=chapter_id, kind="true_false", stem="x",
                                                                 key=True, knowledge_points=["点" * 65]))
    assert refused.value.code == "practice.points_invalid"


def test_students_and_school_admins_keep_no_questions(client, world):
    for account in (world.student_a, world.parent_a, world.school_admin_a):
        refused = api(client, "get", "/api/v1/practice/questions", account)
        assert refused.status_code == 403 and refused.json()["code"] == "practice.not_a_keeper"


def test_a_shared_question_reaches_the_districts_other_schools_only(client, world):
    from tests.factories import SchoolFactory, make_class

    chapter_id = chapters(world)[0]
    neighbour = SchoolFactory(district=world.district_x, name="芙蓉第二小学", code="A0002")
    other_teacher = make_teacher(neighbour, teaches=[make_class(neighbour, 1)], name="钱老师")
    private = api(client, "post", "/api/v1/practice/questions", world.teacher_a, _question(chapter_id)).json()
    shared = api(client, "post", "/api/v1/practice/questions", world.teacher_a,
                 _question(chapter_id, shared=True)).json()
    seen = {q["id"] for q in api(client, "get", "/api/v1/practice/questions", other_teacher).json()}
    assert shared["id"] in seen and private["id"] not in seen
    assert api(client, "get", "/api/v1/practice/questions", world.teacher_b).json() == []
    refused = api(client, "put", f"/api/v1/practice/questions/{shared['id']}", other_teacher, _question(chapter_id))
    assert refused.status_code == 403 and refused.json()["code"] == "practice.not_editable"


def test_a_region_question_reaches_the_schools_below_and_only_its_region_edits_it(client, world):
    chapter_id = chapters(world)[0]
    made = api(client, "post", "/api/v1/practice/questions", world.city_admin, _question(chapter_id))
    assert made.status_code == 201 and made.json()["region_id"] == world.city.pk
    for teacher in (world.teacher_a, world.teacher_b):
        seen = api(client, "get", "/api/v1/practice/questions", teacher).json()
        assert [q["id"] for q in seen] == [made.json()["id"]] and seen[0]["editable"] is False
    refused = api(client, "put", f"/api/v1/practice/questions/{made.json()['id']}", world.teacher_a,
                  _question(chapter_id))
    assert refused.json()["code"] == "practice.not_editable"
    below = api(client, "get", "/api/v1/practice/questions", world.district_admin_x).json()
    assert [(q["id"], q["editable"]) for q in below] == [(made.json()["id"], False)]
    edited = api(client, "put", f"/api/v1/practice/questions/{made.json()['id']}", world.province_admin,
                 _question(chapter_id, stem="改过"))
    assert edited.status_code == 200 and edited.json()["stem"] == "改过"


def test_papers_refuse_bad_sizes_titles_foreign_questions_and_changes_once_published(client, world):
    ids = make_questions(client, world)
    b_ids = make_questions(client, world, world.teacher_b)
    for body, code in [({"title": "x", "question_ids": []}, "practice.paper_size"),
                       ({"title": "x", "question_ids": [ids[0], ids[0]]}, "practice.paper_size"),
                       ({"title": "  ", "question_ids": ids}, "practice.title_required"),
                       ({"title": "x", "question_ids": [ids[0], b_ids[0]]}, "practice.question_unavailable")]:
        refused = api(client, "post", "/api/v1/practice/papers", world.teacher_a, body)
        assert refused.status_code == 400 and refused.json()["code"] == code
    refused = api(client, "post", "/api/v1/practice/papers", world.school_admin_a, {"title": "x", "question_ids": ids})
    assert refused.status_code == 403 and refused.json()["code"] == "practice.teachers_only"
    paper = api(client, "post", "/api/v1/practice/papers", world.teacher_a, {"title": "x", "question_ids": ids}).json()
    changed = api(client, "put", f"/api/v1/practice/papers/{paper['id']}/questions", world.teacher_a,
                  {"question_ids": ids[:2]})
    assert changed.status_code == 200 and len(changed.json()["questions"]) == 2
    api(client, "post", f"/api/v1/practice/papers/{paper['id']}/publications", world.teacher_a,
        {"class_ids": [world.class_a1.pk]})
    refused = api(client, "put", f"/api/v1/practice/papers/{paper['id']}/questions", world.teacher_a,
                  {"question_ids": ids})
    assert refused.json()["code"] == "practice.paper_published"


def test_class_results_per_question_with_common_wrong_answers_and_export(client, world):
    from tests.factories import make_student

    paper_id, ids = published_paper(client, world)
    others = [make_student(world.class_a1, f"学生{i}") for i in range(3)]
    for n, student in enumerate([world.student_a, *others]):
        attempt = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", student).json()
        answers = [{"question_id": qid, **(right if n == 0 else wrong)}
                   for qid, (_k, _f, right, wrong) in zip(ids, QUESTIONS)]
        api(client, "post", f"/api/v1/practice/attempts/{attempt['id']}/submit", student, {"answers": answers})
    again = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.student_a).json()
    api(client, "post", f"/api/v1/practice/attempts/{again['id']}/submit", world.student_a, {})  # not counted
    found = api(client, "get", f"/api/v1/practice/papers/{paper_id}/classes/{world.class_a1.pk}/results",
                world.teacher_a).json()
    assert found["submitted"] == 4 and found["students"] == 4
    first = found["questions"][0]
    assert (first["answered"], first["correct"], first["correct_rate"]) == (4, 1, 0.25)
    assert first["common_wrong"] == [["C", 3]]
    assert found["questions"][3]["common_wrong"] == [["school", 3]]
    xlsx = api(client, "get", f"/api/v1/practice/papers/{paper_id}/classes/{world.class_a1.pk}/results.xlsx",
               world.head_teacher_a)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    stranger = make_teacher(world.school_a, teaches=[world.class_a2], name="赵老师")
    refused = api(client, "get", f"/api/v1/practice/papers/{paper_id}/classes/{world.class_a1.pk}/results", stranger)
    assert refused.status_code == 403 and refused.json()["code"] == "practice.results_not_allowed"
    from renrentong.core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="practice.submit").count() == 5
    assert AuditEvent.objects.filter(verb="practice.results_export").count() == 1


def test_the_wrong_answer_book_and_practising_weak_points(client, world):
    paper_id, ids = published_paper(client, world)
    refused = api(client, "post", "/api/v1/practice/weak-points/practice", world.student_a, {})
    assert refused.status_code == 400 and refused.json()["code"] == "practice.no_weak_points"
    attempt = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.student_a).json()
    answers = [{"question_id": qid, **(wrong if kind in ("single", "numeric") else right)}
               for qid, (kind, _f, right, wrong) in zip(ids, QUESTIONS)]
    api(client, "post", f"/api/v1/practice/attempts/{attempt['id']}/submit", world.student_a, {"answers": answers})
    book = api(client, "get", "/api/v1/practice/wrong-answers", world.student_a, by="chapter")
    book = api(client, "get", "/api/v1/practice/wrong-answers?by=point", world.student_a).json()
    assert [g["label"] for g in book] == ["时间单位"]
    assert {e["question_id"] for e in book[0]["entries"]} == {ids[0], ids[4]}
    assert book[0]["entries"][0]["explanation"]
    weak = api(client, "get", "/api/v1/practice/weak-points", world.student_a).json()
    assert weak == [{"point": "时间单位", "wrong": 2}]
    practice = api(client, "post", "/api/v1/practice/weak-points/practice", world.student_a, {"points": ["时间单位"]})
    assert practice.status_code == 201
    body = practice.json()
    assert {q["id"] for q in body["questions"]} == {ids[0], ids[4]} and body["state"] == "open"
    assert "explanation" not in practice.content.decode()
    done = api(client, "post", f"/api/v1/practice/attempts/{body['id']}/submit", world.student_a, {"answers": [
        {"question_id": ids[0], "choice": 1}, {"question_id": ids[4], "number": "3.14"}]})
    assert done.json()["correct"] == 2
    assert api(client, "get", "/api/v1/practice/wrong-answers", world.student_a).json() == []
    listed = api(client, "get", "/api/v1/practice/papers", world.student_a).json()
    assert {p["kind"] for p in listed} == {"class", "personal"}


def test_weak_points_with_every_question_retired_find_nothing_to_practise(client, world):
    paper_id, ids = published_paper(client, world)
    attempt = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.student_a).json()
    api(client, "post", f"/api/v1/practice/attempts/{attempt['id']}/submit", world.student_a, {})
    for qid in ids:
        assert api(client, "post", f"/api/v1/practice/questions/{qid}/retire", world.teacher_a).status_code == 200
    refused = api(client, "post", "/api/v1/practice/weak-points/practice", world.student_a, {})
    assert refused.status_code == 400 and refused.json()["code"] == "practice.no_questions_for_points"


def test_the_bank_exports_with_its_filters_key_and_explanation_formula_safe(client, world):
    make_questions(client, world)
    api(client, "post", "/api/v1/practice/questions", world.teacher_a,
        _question(chapters(world)[0], stem="=HYPERLINK(\"http://x\")"))
    response = api(client, "get", "/api/v1/practice/questions.xlsx?kind=single", world.teacher_a)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    found = cells(response.content)
    assert {"题干", "答案", "1 分 = ? 秒", "A. 10；B. 60；C. 100", "B", "1 分等于 60 秒。", "时间单位"} <= set(found)
    assert "哪些是长度单位？" not in found  # another kind: the filter holds
    assert not any(c.startswith("=") for c in found)
    points = cells(api(client, "get", "/api/v1/practice/questions.xlsx?point=长度单位", world.teacher_a).content)
    assert "哪些是长度单位？" in points and "1 分 = ? 秒" not in points
    assert AuditEvent.objects.filter(verb="practice.bank_export").count() == 2
    for account in (world.student_a, world.school_admin_a):
        refused = api(client, "get", "/api/v1/practice/questions.xlsx", account)
        assert refused.json()["code"] == "practice.not_a_keeper" and refused.json()["who_can_fix"]


def test_a_long_bank_exports_as_a_task(client, world, big_exports):
    make_questions(client, world)
    assert api(client, "get", "/api/v1/practice/questions.xlsx", world.student_a).status_code == 403
    assert not ExportJob.objects.exists()
    job_id = api_job(api(client, "get", "/api/v1/practice/questions.xlsx?kind=numeric", world.teacher_a))
    made = written(job_id, world.teacher_a)
    assert "圆周率约为多少？" in made and "3.14 ± 0.01" in made and "1 分 = ? 秒" not in made
