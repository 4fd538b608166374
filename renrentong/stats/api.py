"""Usage statistics through the API under /api/v1/stats (STAT-1, STAT-2): the same selectors as the pages.
A node outside the actor's reach is 404 whatever id is asked for (NFR-2)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.core.web.downloads import download
from renrentong.exports import services as exports

from renrentong.stats import charts, exporting, selectors
from renrentong.stats.schemas import (
    StatsCrumbOut, StatsExportJobOut, StatsFiguresOut, StatsHomeOut, StatsPeopleOut, StatsPersonOut, StatsReportOut,
    StatsRowOut, StatsTrendOut,
)

router = Router(tags=["usage statistics"])
# Role, level and days are checked by the selectors, so a wrong one is the catalogue's refusal (HELP-1).
DAYS = Query(selectors.DEFAULT_DAYS, description="1 to 366")
ROLE = Query("", description="empty (all), student, parent or teacher")


def _crumbs(path: list[selectors.Crumb]) -> list[StatsCrumbOut]:
    return [StatsCrumbOut(level=c.level, node_id=c.node_id, name=c.name) for c in path]


@router.get("/home", response={200: StatsHomeOut, **ERRORS}, summary="Where the actor's statistics start")
def home(request: HttpRequest):
    level, node_id = selectors.home_node(request.auth)
    return StatsHomeOut(level=level, node_id=node_id)


@router.get("/{level}/{node_id}", response={200: StatsReportOut, **ERRORS},
            summary="A province, city, district or school: figures, rows one level down, trend, charts")
def figures(request: HttpRequest, level: str, node_id: int, role: str = ROLE, days: int = DAYS):
    report = selectors.report(request.auth, level, node_id if 0 < node_id <= MAX_ID else 0, role=role, days=days)
    return StatsReportOut(
        level=report.level, node_id=report.node_id, name=report.name, role=report.role, days=report.days,
        as_of=report.as_of, path=_crumbs(report.path), totals=StatsFiguresOut(**report.totals.as_dict()),
        rows=[StatsRowOut(level=r.level, node_id=r.node_id, name=r.name, drills=r.drills,
                          figures=StatsFiguresOut(**r.figures.as_dict())) for r in report.rows],
        trend=[StatsTrendOut(day=d, active=a, logins=n) for d, a, n in report.trend],
        activated_by_role=report.activated_by_role, charts=charts.all_charts(report))


@router.get("/class/{class_id}/people", response={200: StatsPeopleOut, **ERRORS},
            summary="The people of a class the figures count, masked (NFR-1)")
def class_people(request: HttpRequest, class_id: int, role: str = ROLE):
    found = selectors.people(request.auth, class_id if 0 < class_id <= MAX_ID else 0, role=role)
    return StatsPeopleOut(
        class_id=found.school_class.pk, class_name=found.school_class.display_name(found.school.school_year),
        school_id=found.school.pk, as_of=found.as_of, path=_crumbs(found.path), truncated=found.truncated,
        people=[StatsPersonOut(account_id=p.account_id, name=p.name, account=p.account, role=p.role,
                               activated_on=p.activated_on, last_active_on=p.last_active_on) for p in found.rows])


@router.get("/{level}/{node_id}/export", response={200: None, 202: StatsExportJobOut, **ERRORS},
            summary="The table as .xlsx with the page's filters: the file at once when small, else a task (202) "
                    "whose page shows its progress and then the file")
def export(request: HttpRequest, level: str, node_id: int, role: str = ROLE, days: int = DAYS):
    actor = request.auth
    selectors.check_filters(level, role, days)
    node_id = node_id if 0 < node_id <= MAX_ID else 0
    params = {"level": level, "node_id": node_id, "role": role, "days": days}
    estimate = exporting.export_size(actor, level, node_id, role)
    if estimate is not None and estimate <= exports.SYNC_ROWS:
        name, content = exports.write_now(actor, exporting.figures_export, params)
        return download(content, name)
    job = exports.start(actor, exporting.figures_export, params, str(exporting.TITLE))
    return Status(202, StatsExportJobOut(job_id=job.pk, page_url=reverse("exports:job", args=[job.pk])))
