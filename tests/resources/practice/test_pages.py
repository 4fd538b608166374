"""Practice pages: a student takes a paper on the phone (autosave per question through htmx, reopening shows
the saved answers, submit shows each answer graded); the wrong-answer book and practising weak points; a
teacher keeps the bank, assembles and publishes a paper, reads a class's results and exports them."""

import pytest

from tests.factories import as_user
from tests.resources.export_jobs import cells, page_job, written
from tests.resources.practice.helpers import QUESTIONS, api, chapters, make_questions, published_paper

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _take(client, world, paper_id):
    as_user(client, world.student_a)
    started = client.post(f"/practice/papers/{paper_id}/start/")
    assert started.status_code == 302
    return int(started["Location"].rstrip("/").rsplit("/", 1)[1])


def test_student_answers_are_saved_as_typed_and_shown_again_then_graded(client, world):
    paper_id, ids = published_paper(client, world)
    attempt = _take(client, world, paper_id)
    saved = client.post(f"/practice/attempts/{attempt}/answers/{ids[0]}/", {f"q{ids[0]}-choice": "1"}, **HTMX)
    assert saved.status_code == 200 and 'data-saved="yes"' in saved.content.decode()
    client.post(f"/practice/attempts/{attempt}/answers/{ids[3]}/", {f"q{ids[3]}-blank": "ＣｌａｓｓＲｏｏｍ"}, **HTMX)
    page = client.get(f"/practice/attempts/{attempt}/").content.decode()
    assert 'value="ＣｌａｓｓＲｏｏｍ"' in page
    assert "1 分等于 60 秒" not in page  # no explanation before submit
    done = client.post(f"/practice/attempts/{attempt}/submit/", {
        f"q{ids[0]}-shown": "1", f"q{ids[0]}-choice": "1", f"q{ids[4]}-shown": "1", f"q{ids[4]}-number": "3.145"})
    assert done.status_code == 302
    result = client.get(f"/practice/attempts/{attempt}/").content.decode()
    assert 'data-testid="graded-1" data-correct="yes"' in result
    assert 'data-testid="graded-5" data-correct="yes"' in result
    assert 'data-testid="graded-3" data-correct="no"' in result
    assert "1 分等于 60 秒。" in result


def test_a_comma_in_a_number_is_refused_in_place_by_the_autosave(client, world):
    paper_id, ids = published_paper(client, world)
    attempt = _take(client, world, paper_id)
    refused = client.post(f"/practice/attempts/{attempt}/answers/{ids[4]}/", {f"q{ids[4]}-number": "3,14"},
                          HTTP_ACCEPT_LANGUAGE="en", **HTMX)
    assert refused.status_code == 400 and "3,14" in refused.content.decode()


def test_student_pages_list_papers_attempts_and_wrong_answers(client, world):
    paper_id, ids = published_paper(client, world)
    attempt = _take(client, world, paper_id)
    client.post(f"/practice/attempts/{attempt}/submit/", {})
    assert f'data-testid="paper-{paper_id}"' in client.get("/practice/").content.decode()
    assert 'data-testid="attempt-1"' in client.get(f"/practice/papers/{paper_id}/").content.decode()
    book = client.get("/practice/wrong/").content.decode()
    assert "1 分 = ? 秒" in book and 'data-testid="practise-weak"' in book
    by_point = client.get("/practice/wrong/?by=point").content.decode()
    assert "时间单位" in by_point
    made = client.post("/practice/wrong/practise/", {"points": ["时间单位"]})
    assert made.status_code == 302 and "/practice/attempts/" in made["Location"]


def test_a_parent_is_told_to_switch_to_the_childs_identity(client, world):
    as_user(client, world.parent_a)
    page = client.get("/practice/")
    assert page.status_code == 403 and "孩子的学生账号身份" in page.content.decode()


def test_teacher_adds_questions_assembles_publishes_and_reads_results(client, world):
    chapter_ids = chapters(world)
    as_user(client, world.teacher_a)
    assert client.get("/practice/manage/questions/new/").status_code == 200
    made = client.post("/practice/manage/questions/new/", {
        "kind": "multiple", "chapter_id": chapter_ids[0], "stem": "选出偶数", "options": "1\n2\n4", "answer": "B, C",
        "knowledge_points": "偶数，整除", "explanation": "2 和 4 能被 2 整除。"})
    assert made.status_code == 302, made.content.decode()[:2000]
    made = client.post("/practice/manage/questions/new/", {
        "kind": "numeric", "chapter_id": chapter_ids[0], "stem": "π", "answer": "３.14", "tolerance": "0.01"})
    assert made.status_code == 302
    bank = api(client, "get", "/api/v1/practice/questions", world.teacher_a).json()
    assert {q["kind"]: q["key"] for q in bank} == {"multiple": [1, 2], "numeric": {"value": "3.14",
                                                                                   "tolerance": "0.01"}}
    refused = client.post("/practice/manage/questions/new/", {
        "kind": "numeric", "chapter_id": chapter_ids[0], "stem": "π", "answer": "3,14"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "3,14" in refused.content.decode()
    assert client.get("/practice/manage/questions/").status_code == 200
    assert client.get(f"/practice/manage/questions/{bank[0]['id']}/").status_code == 200
    paper = client.post("/practice/manage/papers/new/", {"title": "单元练习", "question_ids": [q["id"] for q in bank]})
    assert paper.status_code == 302
    paper_id = int(paper["Location"].rstrip("/").rsplit("/", 1)[1])
    published = client.post(f"/practice/manage/papers/{paper_id}/", {"class_ids": [world.class_a1.pk]})
    assert published.status_code == 302
    assert client.get("/practice/manage/").status_code == 200
    results = client.get(f"/practice/manage/papers/{paper_id}/classes/{world.class_a1.pk}/")
    assert results.status_code == 200
    export = client.get(f"/practice/manage/papers/{paper_id}/classes/{world.class_a1.pk}/?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_teacher_cannot_publish_to_a_class_they_do_not_teach(client, world):
    ids = make_questions(client, world)
    paper = api(client, "post", "/api/v1/practice/papers", world.teacher_a, {"title": "x", "question_ids": ids})
    refused = api(client, "post", f"/api/v1/practice/papers/{paper.json()['id']}/publications", world.teacher_a,
                  {"class_ids": [world.class_a2.pk]})
    assert refused.status_code == 403 and refused.json()["code"] == "practice.class_not_taught"
    assert len(QUESTIONS) == len(ids)


def test_the_bank_page_exports_with_its_filters(client, world):
    make_questions(client, world)
    as_user(client, world.teacher_a)
    page = client.get("/practice/manage/questions/", {"kind": "true_false", "point": "质量单位"}).content.decode()
    assert 'href="?kind=true_false&amp;point=%E8%B4%A8%E9%87%8F%E5%8D%95%E4%BD%8D&amp;export=xlsx"' in page
    export = client.get("/practice/manage/questions/", {"kind": "true_false", "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    found = cells(export.content)
    assert "1 吨 = 1000 千克" in found and "T" in found and "1 分 = ? 秒" not in found
    as_user(client, world.student_a)
    assert client.get("/practice/manage/questions/", {"export": "xlsx"}).status_code == 403


def test_a_long_bank_exports_from_the_page_as_a_task(client, world, big_exports):
    make_questions(client, world)
    as_user(client, world.teacher_a)
    job_id = page_job(client.get("/practice/manage/questions/", {"kind": "fill", "export": "xlsx"}))
    made = written(job_id, world.teacher_a)
    assert "Unit 1 My ___ (教室)" in made and "classroom / class room" in made and "1 分 = ? 秒" not in made
