"""The charts of a statistics page (STAT-2) as ECharts options, built here and embedded in the page as JSON
(json_script), so the static script only draws them (no inline script under CSP). Each carries ECharts'
aria description naming figures that the table beside it shows, so a screen reader hears the same numbers."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from renrentong.stats.selectors import Report

ROLE_LABELS = {"student": gettext_lazy("Students"), "parent": gettext_lazy("Parents"), "teacher": gettext_lazy("Teachers")}


def _aria(description: str) -> dict:
    return {"enabled": True, "label": {"enabled": True, "description": description}}


def trend(report: Report) -> dict:
    days = [d.strftime("%m-%d") for d, _active, _logins in report.trend]
    active = [a for _d, a, _l in report.trend]
    logins = [n for _d, _a, n in report.trend]
    description = _("Daily logins over the last %(days)s days: %(today)s people logged in on the last day; "
                    "%(week)s people logged in within the last 7 days (see the table's total).") % {
        "days": report.days, "today": active[-1] if active else 0, "week": report.totals.active_7}
    return {
        "aria": _aria(description), "animation": False, "tooltip": {"trigger": "axis"},
        "legend": {"top": 0}, "grid": {"left": 8, "right": 8, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {"type": "category", "data": days}, "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": _("People logged in"), "type": "line", "data": active},
                   {"name": _("Logins"), "type": "line", "data": logins}],
    }


def bars(report: Report) -> dict:
    rows = [r for r in report.rows if r.drills]
    names = [r.name for r in rows]
    top = max(rows, key=lambda r: r.figures.active_7, default=None)
    description = _("Logged in within the last 7 days and accounts activated per row of the table: "
                    "%(total)s people in all") % {"total": report.totals.active_7}
    if top is not None:
        description += _("; most: %(name)s with %(n)s") % {"name": top.name, "n": top.figures.active_7}
    return {
        "aria": _aria(description + "."), "animation": False, "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0}, "grid": {"left": 8, "right": 8, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30 if len(names) > 6 else 0}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": _("Logged in, last 7 days"), "type": "bar", "data": [r.figures.active_7 for r in rows]},
                   {"name": _("Accounts activated"), "type": "bar", "data": [r.figures.activated for r in rows]}],
    }


def share(report: Report) -> dict:
    parts = [{"name": str(ROLE_LABELS[role]), "value": n} for role, n in report.activated_by_role.items()]
    # The list's separator and full stop are the sentence's language's ("、" and "。" in Chinese).
    description = _("Accounts activated by role, %(total)s in all: %(parts)s.") % {
        "total": report.totals.activated, "parts": pgettext("list separator", ", ").join(
            f"{p['name']} {p['value']}" for p in parts)}
    return {
        "aria": _aria(description), "animation": False, "tooltip": {"trigger": "item"}, "legend": {"top": 0},
        "series": [{"name": _("Accounts activated"), "type": "pie", "radius": ["35%", "65%"], "top": 24,
                    "data": parts, "label": {"formatter": "{b}: {c} ({d}%)"}}],
    }


def all_charts(report: Report) -> dict[str, dict]:
    return {"trend": trend(report), "bars": bars(report), "share": share(report)}
