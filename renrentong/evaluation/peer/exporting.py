"""The school's peer evaluation aggregates as .xlsx through the shared formula-safe exporter
(renrentong.exports), with the page's filters. What is withheld on the page (rating still open, fewer than
MIN_RATERS raters) is withheld in the file, and the file says why."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.errors import in_language
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers

from renrentong.evaluation.peer import selectors

TITLE = _("Peer evaluation summary")


def params(school_year: int | None, grade_id: int | None, class_id: int | None) -> dict:
    return {"school_year": school_year, "grade_id": grade_id, "class_id": class_id}


def _int(value) -> int | None:
    return int(value) if value else None


def _distribution(cell) -> str:
    return " ".join(f"{g}{n}" for g, n in cell.counts.items())


@producers.producer
def results_export(actor: Actor, asked: dict) -> producers.Export:
    found = selectors.results(actor, _int(asked.get("school_year")), _int(asked.get("grade_id")),
                              _int(asked.get("class_id")))
    headers = ["姓名", "班级", "评价人数"]
    for criterion in found.criteria:
        headers += [f"{criterion.label}·平均", f"{criterion.label}·分布"]
    data = []
    for row in found.rows:
        line = [row.name, row.class_name, "" if row.raters is None else row.raters]
        for cell in row.cells:
            line += ["", "—"] if cell is None else [cell.average if cell.average is not None else "", _distribution(cell)]
        data.append(line)
    notes = [f"{found.school.name} · {found.school_year} 学年 · A=4 B=3 C=2 D=1"]
    if found.held:
        notes.append(in_language("互评进行中：关闭互评开关后显示等级。", "Rating is open: grades are shown once it closes."))
    notes.append(in_language(f"评价人数少于 {found.min_raters} 人的学生不显示等级，以免推知评价人。",
                             f"Grades from fewer than {found.min_raters} raters are not shown, so that no rater "
                             "can be told."))
    return producers.Export(
        file_name=f"学生互评汇总-{found.school.name}-{found.school_year}.xlsx",
        sheet=Sheet(name="学生互评汇总", headers=headers, rows=data, text_columns={"姓名", "班级"}, notes=notes),
        audit_verb="evaluation.peer_export", audit_details={"rows": len(data), **asked},
        school_id=found.school.pk)

