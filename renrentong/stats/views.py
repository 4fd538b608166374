"""The statistics pages (STAT-1, STAT-2) in the console: a region's or school's figures with a row per place
one level down, each drilling down, down to the people of a class; the charts beside the table; the
export of what is shown. Parse, call, render."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import render_page
from renrentong.exports.responses import export_response

from renrentong.stats import charts, exporting, selectors


def on_console(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.console_page = True
        return view(request, *args, **kwargs)

    return wrapped


def _filters(request: HttpRequest) -> tuple[str, int]:
    role = request.GET.get("role", "")
    try:
        days = int(request.GET.get("days") or selectors.DEFAULT_DAYS)
    except ValueError:
        raise UserFacingError("stats.days_out_of_range") from None
    selectors.check_filters(role, days)
    return role, days


@login_required
@on_console
def home_page(request: HttpRequest) -> HttpResponse:
    """使用统计: where the actor's statistics start (their region, or their school)."""
    level, node_id = selectors.home_node(request.actor)
    return redirect(selectors.URL_NAMES[level], node_id)


def _figures(request: HttpRequest, level: str, node_id: int) -> HttpResponse:
    """A region or a school with its rows one level down; a class lists its people."""
    role, days = _filters(request)
    query = urlencode({k: v for k, v in {"role": role, "days": days}.items() if v})
    if request.GET.get("export") == "xlsx":
        return export_response(request, exporting.figures_export,
                               {"level": level, "node_id": node_id, "role": role, "days": days},
                               estimate=exporting.export_size(request.actor, level, node_id, role),
                               title=str(exporting.TITLE))
    context: dict = {"role": role, "days": days, "query": query, "labels": selectors.FIGURE_LABELS,
                     "export_url": f"{request.path}?{query}&export=xlsx" if query else f"{request.path}?export=xlsx",
                     "day_choices": (1, 7, 30, 90)}
    if level == "class":
        context["people"] = selectors.people(request.actor, node_id, role=role)
        return render_page(request, "stats/people.html", context)
    report = selectors.report(request.actor, level, node_id, role=role, days=days)
    context.update(report=report, charts=charts.all_charts(report))
    return render_page(request, "stats/figures.html", context)


@login_required
@on_console
def region_page(request: HttpRequest, region_id: int) -> HttpResponse:
    """A province, city or district: a row per city, district or school."""
    return _figures(request, "region", region_id)


@login_required
@on_console
def school_page(request: HttpRequest, school_id: int) -> HttpResponse:
    """A school: a row per class, and the teachers'."""
    return _figures(request, "school", school_id)


@login_required
@on_console
def class_page(request: HttpRequest, class_id: int) -> HttpResponse:
    """A class: the people the figures count, masked."""
    return _figures(request, "class", class_id)
