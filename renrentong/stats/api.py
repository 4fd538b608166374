"""Usage statistics through the API under /api/v1/stats (STAT-1, STAT-2): the same selectors as the pages.
A region, school or class outside the actor's reach is 404 whatever id is asked for (NFR-2)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.exports.responses import EXPORT_RESPONSES, file_or_job

from renrentong.stats import charts, exporting, selectors
from renrentong.stats.schemas import (
    UsageCrumbOut, UsageFiguresOut, UsageHomeOut, UsagePeopleOut, UsagePersonOut, UsageReportOut,
    UsageRowOut, UsageTrendOut,
)

router = Router(tags=["usage statistics"])
Role = Literal["", "student", "parent", "teacher"]
DAYS = Query(selectors.DEFAULT_DAYS, ge=1, le=selectors.MAX_DAYS, description="follows, material, posts and "
             "spaces count these days")


def _id(value: int) -> int:
    return value if 0 < value <= MAX_ID else 0


def _crumbs(path: list[selectors.Crumb]) -> list[UsageCrumbOut]:
    return [UsageCrumbOut(level=c.level, node_id=c.node_id, name=c.name) for c in path]


def _report_out(report: selectors.Report) -> UsageReportOut:
    return UsageReportOut(
        level=report.level, node_id=report.node_id, name=report.name, role=report.role, days=report.days,
        as_of=report.as_of, path=_crumbs(report.path), totals=UsageFiguresOut(**report.totals.as_dict()),
        rows=[UsageRowOut(level=r.level, node_id=r.node_id, name=r.name, drills=r.drills,
                          figures=UsageFiguresOut(**r.figures.as_dict())) for r in report.rows],
        trend=[UsageTrendOut(day=d, active=a, logins=n) for d, a, n in report.trend],
        activated_by_role=report.activated_by_role, charts=charts.all_charts(report))


def _export(request: HttpRequest, level: str, node_id: int, role: str, days: int):
    actor = request.auth
    params = {"level": level, "node_id": node_id, "role": role, "days": days}
    return file_or_job(actor, exporting.figures_export, params,
                       estimate=exporting.export_size(actor, level, node_id, role), title=str(exporting.TITLE))


@router.get("/home", response={200: UsageHomeOut, **ERRORS}, summary="Where the actor's statistics start")
def home(request: HttpRequest):
    level, node_id = selectors.home_node(request.auth)
    return UsageHomeOut(level=level, node_id=node_id)


@router.get("/regions/{region_id}", response={200: UsageReportOut, **ERRORS},
            summary="A province, city or district: figures, a row per city, district or school, trend, charts")
def region(request: HttpRequest, region_id: int, role: Role = "", days: int = DAYS):
    return _report_out(selectors.report(request.auth, "region", _id(region_id), role=role, days=days))


@router.get("/schools/{school_id}", response={200: UsageReportOut, **ERRORS},
            summary="A school: figures, a row per class (and the teachers'), trend, charts")
def school(request: HttpRequest, school_id: int, role: Role = "", days: int = DAYS):
    return _report_out(selectors.report(request.auth, "school", _id(school_id), role=role, days=days))


@router.get("/classes/{class_id}/people", response={200: UsagePeopleOut, **ERRORS},
            summary="The people of a class the figures count, masked (NFR-1)")
def class_people(request: HttpRequest, class_id: int, role: Role = ""):
    found = selectors.people(request.auth, _id(class_id), role=role)
    return UsagePeopleOut(
        class_id=found.school_class.pk, class_name=found.school_class.display_name(found.school.school_year),
        school_id=found.school.pk, as_of=found.as_of, path=_crumbs(found.path), truncated=found.truncated,
        people=[UsagePersonOut(account_id=p.account_id, name=p.name, account=p.account, role=p.role,
                               activated_on=p.activated_on, last_active_on=p.last_active_on) for p in found.rows])


@router.get("/regions/{region_id}/export", response=EXPORT_RESPONSES,
            summary="The region's table as .xlsx with the page's filters: at once, or a task (202)")
def region_export(request: HttpRequest, region_id: int, role: Role = "", days: int = DAYS):
    return _export(request, "region", _id(region_id), role, days)


@router.get("/schools/{school_id}/export", response=EXPORT_RESPONSES,
            summary="The school's table as .xlsx with the page's filters: at once, or a task (202)")
def school_export(request: HttpRequest, school_id: int, role: Role = "", days: int = DAYS):
    return _export(request, "school", _id(school_id), role, days)


@router.get("/classes/{class_id}/export", response=EXPORT_RESPONSES,
            summary="The class's people as .xlsx: at once, or a task (202) for a big class")
def class_export(request: HttpRequest, class_id: int, role: Role = ""):
    return _export(request, "class", _id(class_id), role, selectors.DEFAULT_DAYS)
