"""A class's results per question as .xlsx through the shared formula-safe exporter (renrentong.exports).
One row per question of the paper: small, so written in the request."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers
from renrentong.resources.practice import selectors

TITLE = _("Practice results")


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
