"""Building practice through the API: the demo textbooks, a teacher's questions of every kind, a paper
published to a class."""

from __future__ import annotations

import json

from renrentong.demo.textbooks import install_demo_textbooks
from tests.factories import bearer

# (kind, body fields, a right answer, a wrong answer), the answers as PUT bodies
QUESTIONS = [
    ("single", {"stem": "1 分 = ? 秒", "options": ["10", "60", "100"], "key": 1,
                "knowledge_points": ["时间单位"], "explanation": "1 分等于 60 秒。"},
     {"choice": 1}, {"choice": 2}),
    ("multiple", {"stem": "哪些是长度单位？", "options": ["毫米", "吨", "千米", "秒"], "key": [0, 2],
                  "knowledge_points": ["长度单位"], "explanation": "毫米和千米量长度。"},
     {"choices": [2, 0]}, {"choices": [0]}),
    ("true_false", {"stem": "1 吨 = 1000 千克", "key": True, "knowledge_points": ["质量单位"],
                    "explanation": "1 吨等于 1000 千克。"},
     {"truth": True}, {"truth": False}),
    ("fill", {"stem": "Unit 1 My ___ (教室)", "key": [["classroom", "class room"]], "knowledge_points": ["词汇"],
              "explanation": "classroom 教室。"},
     {"blanks": ["  ＣｌａｓｓＲｏｏｍ "]}, {"blanks": ["school"]}),
    ("numeric", {"stem": "圆周率约为多少？", "key": {"value": "3.14", "tolerance": "0.01"},
                 "knowledge_points": ["时间单位"], "explanation": "π ≈ 3.14。"},
     {"number": "３.１５"}, {"number": "3.2"}),
]


def chapters(world) -> list[int]:
    """The demo province's textbooks in the world's province; the chapters of the first book."""
    from renrentong.resources.models import Chapter, Textbook

    if not Textbook.objects.filter(region_id=world.province.pk).exists():
        install_demo_textbooks(world.province)
    return list(Chapter.objects.order_by("textbook_id", "position").values_list("pk", flat=True)[:5])


def api(client, method: str, path: str, account, body=None, **extra):
    call = getattr(client, method)
    if body is None:
        return call(path, **bearer(account), **extra)
    return call(path, json.dumps(body), content_type="application/json", **bearer(account), **extra)


def make_questions(client, world, teacher=None) -> list[int]:
    chapter_ids = chapters(world)
    teacher = teacher or world.teacher_a
    made = []
    for n, (kind, fields, *_answers) in enumerate(QUESTIONS):
        response = api(client, "post", "/api/v1/practice/questions", teacher,
                       {"chapter_id": chapter_ids[n % len(chapter_ids)], "kind": kind, **fields})
        assert response.status_code == 201, response.content
        made.append(response.json()["id"])
    return made


def published_paper(client, world, teacher=None, school_class=None) -> tuple[int, list[int]]:
    """Every kind of question on one paper, published to class A1 by its teacher: (paper, question ids)."""
    teacher = teacher or world.teacher_a
    ids = make_questions(client, world, teacher)
    paper = api(client, "post", "/api/v1/practice/papers", teacher, {"title": "第一单元练习", "question_ids": ids})
    assert paper.status_code == 201, paper.content
    paper_id = paper.json()["id"]
    published = api(client, "post", f"/api/v1/practice/papers/{paper_id}/publications", teacher,
                    {"class_ids": [(school_class or world.class_a1).pk]})
    assert published.status_code == 200, published.content
    return paper_id, ids
