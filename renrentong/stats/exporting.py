"""Every statistics table as .xlsx with the page's filters (STAT-2), through the shared formula-safe exporter
(renrentong.exports): written in the request when small, as a task with progress when big (a class's
people). Counts and names only; account numbers masked as on the page (NFR-1)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers

from renrentong.stats import selectors

TITLE = _("Usage statistics")
HEADERS = ["名称", "已激活账号", "近7天登录人数", "近30天登录人数", "关注公众号", "上传材料", "上报材料", "发帖", "开通空间"]
ROLE_ZH = {"": "全部角色", "student": "学生", "parent": "家长", "teacher": "教师"}


def _int(value: object, default: int = 0) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


@producers.producer
def figures_export(actor: Actor, params: dict) -> producers.Export:
    level, node_id = str(params.get("level", "")), _int(params.get("node_id"))
    role, days = str(params.get("role", "")), _int(params.get("days"), selectors.DEFAULT_DAYS)
    now = f"{timezone.localtime():%Y-%m-%d %H:%M}"
    if level == "class":
        found = selectors.people(actor, node_id, role=role, limit=None)
        headers = ["姓名", "账号", "角色", "激活日期", "最近活跃日期"]
        data = [[p.name, p.account, ROLE_ZH.get(p.role, p.role), str(p.activated_on or ""),
                 str(p.last_active_on or "")] for p in found.rows]
        place = f"{found.school.name} {found.school_class.display_name(found.school.school_year)}"
        as_of, school_id = found.as_of, found.school.pk
    else:
        report = selectors.report(actor, level, node_id, role=role, days=days)
        headers = HEADERS
        data = [[r.name, *r.figures.as_dict().values()] for r in report.rows]
        data.append(["合计", *report.totals.as_dict().values()])
        place, as_of = report.name, report.as_of
        school_id = node_id if level == "school" else None
    notes = [f"使用统计 · {place} · {ROLE_ZH.get(role, role)} · 近{days}天 · 导出于 {now}",
             f"数据截至 {timezone.localtime(as_of):%Y-%m-%d %H:%M}" if as_of else "数据尚未统计"]
    return producers.Export(
        file_name=f"使用统计-{place}.xlsx",
        sheet=Sheet(name="使用统计", headers=headers, rows=data, text_columns={headers[0]}, notes=notes),
        audit_verb="stats.export", audit_target=None,
        audit_details={"level": level, "node_id": node_id, "role": role, "days": days, "rows": len(data)},
        school_id=school_id)


def export_size(actor: Actor, level: str, node_id: int, role: str) -> int | None:
    """A cheap upper bound of the rows: a class's people are counted, region and school tables are small."""
    if level == "class":
        return selectors.people_count(actor, node_id, role)
    return 0
