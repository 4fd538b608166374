"""A class's results per question and the question bank as .xlsx through the shared formula-safe exporter
(renrentong.exports). Results have one row per question of the paper: small, so written in the request; the bank
with the page's filters may be long, so it is written by the worker with a progress page when big."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers
from renrentong.resources.practice import selectors
from renrentong.resources.practice.grading import shown_key

TITLE = _("Practice results")
BANK_TITLE = _("Question bank")
BANK_LIMIT = 50_000
BANK_HEADERS = ["编号", "题型", "题干", "选项", "答案", "解析", "章节", "知识点", "学科", "来源", "更新时间"]


def params(paper_id: int, class_id: int) -> dict:
    return {"paper_id": paper_id, "class_id": class_id}


@producers.producer
def results_export(actor: Actor, params: dict) -> producers.Export:
    found = selectors.class_results(actor, int(params.get("paper_id") or 0), int(params.get("class_id") or 0))
    headers = ["题号", "题型", "题干", "知识点", "作答人数", "答对人数", "正确率", "常见错误答案"]
    rows = [[r.number, r.question.get_kind_display(), r.question.stem, "、".join(r.question.knowledge_points),
             r.answered, r.correct, f"{r.rate:.0%}" if r.rate is not None else "",
             "；".join(f"{shown} ({n})" for shown, n in r.wrong)] for r in found.questions]
    return producers.Export(
        file_name=f"练习结果-{found.paper.title}-{found.class_name}.xlsx",
        sheet=Sheet(name="练习结果", headers=headers, rows=rows, text_columns={"题干", "知识点", "常见错误答案"},
                    notes=[f"{found.paper.title} · {found.class_name} · 提交 {found.submitted}/{found.students}"]),
        audit_verb="practice.results_export", audit_target=found.paper,
        audit_details={"class": found.class_id, "rows": len(rows)}, school_id=found.paper.school_id)


def bank_params(*, chapter_id: int | None = None, kind: str = "", point: str = "") -> dict:
    return {"chapter_id": chapter_id, "kind": kind, "point": point}


def _bank(actor: Actor, params: dict):
    return selectors.bank(actor, chapter_id=params.get("chapter_id") or None, kind=str(params.get("kind") or ""),
                          point=str(params.get("point") or ""))


def _owner(q) -> str:
    if q.school_id is None:
        return "地区题库"
    return "共享题目" if q.shared else "本校题目"


@producers.producer
def bank_export(actor: Actor, params: dict) -> producers.Export:
    """The bank as its keepers see it (the key and the explanation too: the bank is for teachers only)."""
    found = _bank(actor, params)[:BANK_LIMIT]
    rows = [[q.pk, q.get_kind_display(), q.stem,
             "；".join(f"{chr(ord('A') + i)}. {text}" for i, text in enumerate(q.options[:26])),
             shown_key(q.kind, q.key), q.explanation, f"{q.chapter.textbook} · {q.chapter.number} {q.chapter.title}",
             "、".join(q.knowledge_points), q.subject, _owner(q), f"{timezone.localtime(q.updated_at):%Y-%m-%d %H:%M}"]
            for q in found]
    return producers.Export(
        file_name="练习题库.xlsx",
        sheet=Sheet(name="练习题库", headers=BANK_HEADERS, rows=rows, text_columns=set(BANK_HEADERS) - {"编号"}),
        audit_verb="practice.bank_export", audit_details={**params, "rows": len(rows)},
        school_id=actor.identity.school_id if actor.identity else None)


def bank_size(actor: Actor, params: dict) -> int:
    """The questions the export lists (refuses anyone who keeps no bank)."""
    return min(_bank(actor, params).count(), BANK_LIMIT)
