"""Peer evaluation through the API under /api/v1/evaluation/peer (EVA-5): the same services and selectors as
the pages. Students: their standing and ratings; city and school admins: the switches; the school admin:
aggregates and their .xlsx."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.core.web.downloads import download
from renrentong.exports import services as exports

from renrentong.evaluation.peer import exporting, selectors, services
from renrentong.evaluation.peer.schemas import (
    PeerCellOut, PeerClassmateOut, PeerClassProgressOut, PeerCriteriaIn, PeerCriteriaOut, PeerCriterionOut, PeerRatingIn, PeerRatingOut,
    PeerRefusalOut, PeerResultRowOut, PeerResultsOut, PeerStandingOut, PeerSwitchesOut, PeerSwitchIn, PeerSwitchOut,
)
from renrentong.evaluation.peer.standard import GRADES

router = Router(tags=["evaluation"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}


def _criterion(c) -> PeerCriterionOut:
    return PeerCriterionOut(id=c.pk, code=c.code, label=c.label, hint=c.hint)


def _switch(found) -> PeerSwitchOut:
    return PeerSwitchOut(on=bool(found and found.is_on), updated_at=found.updated_at if found else None)


@router.get("/me", response={200: PeerStandingOut, **ERRORS},
            summary="A student's peer evaluation: open or why closed, the criteria, classmates and whom you rated")
def standing(request: HttpRequest):
    found = selectors.standing(request.auth)
    return PeerStandingOut(
        school_year=found.school_year, class_name=found.school_class.display_name(found.school_year),
        open=found.closed is None, closed=PeerRefusalOut(**found.closed.as_dict()) if found.closed else None,
        criteria=[_criterion(c) for c in found.criteria], grades=list(GRADES),
        classmates=[PeerClassmateOut(id=c.person.pk, name=c.person.name, rated=c.rated) for c in found.classmates],
        rated=found.rated_count)


@router.post("/ratings", response={201: PeerRatingOut, **WRITE_ERRORS},
             summary="Rate a classmate on every criterion (once; final). Closed: 403 naming the switch that is off")
def rate(request: HttpRequest, body: PeerRatingIn):
    grades = {g.criterion_id: g.grade for g in body.grades}
    count = services.rate(request.auth, body.classmate_id, grades)
    return Status(201, PeerRatingOut(classmate_id=body.classmate_id, rated=True, rated_count=count))


@router.get("/switches", response={200: PeerSwitchesOut, **ERRORS},
            summary="The switches that apply: the city's and the school's (rating needs both on)")
def get_switches(request: HttpRequest, school_year: int | None = Query(None, ge=2000, le=2100)):
    found = selectors.switches_for(request.auth, school_year)
    city_only = found.school is None and not found.school_name
    return PeerSwitchesOut(school_year=found.school_year, open=found.open, city=_switch(found.city),
                           school=None if city_only else _switch(found.school))


@router.put("/switches", response={200: PeerSwitchOut, **WRITE_ERRORS},
            summary="Turn your switch on or off: a city admin the city's, a school admin the school's")
def put_switch(request: HttpRequest, body: PeerSwitchIn):
    return _switch(services.set_switch(request.auth, body.school_year, body.on))


def _criteria(found: selectors.CityCriteria) -> PeerCriteriaOut:
    return PeerCriteriaOut(school_year=found.school_year, in_use=found.in_use,
                           criteria=[_criterion(c) for c in found.criteria])


@router.get("/criteria", response={200: PeerCriteriaOut, **ERRORS},
            summary="The city's criteria of a school year (city admin); empty until set or rating is first turned on")
def get_criteria(request: HttpRequest, school_year: int | None = Query(None, ge=2000, le=2100)):
    return _criteria(selectors.city_criteria(request.auth, school_year))


@router.put("/criteria", response={200: PeerCriteriaOut, **WRITE_ERRORS},
            summary="Set the city's criteria of a school year, in order (city admin), until the first rating")
def put_criteria(request: HttpRequest, body: PeerCriteriaIn):
    year = body.school_year or selectors.city_criteria(request.auth).school_year
    services.set_criteria(request.auth, year, [(c.label, c.hint) for c in body.criteria])
    return _criteria(selectors.city_criteria(request.auth, year))


def _cell(criterion, cell) -> PeerCellOut:
    return PeerCellOut(criterion_id=criterion.pk, average=cell.average, a=cell.counts["A"], b=cell.counts["B"],
                       c=cell.counts["C"], d=cell.counts["D"])


@router.get("/results", response={200: PeerResultsOut, **ERRORS},
            summary="The school's aggregates per student and criterion (school admin): counts and average, shown "
                    "once rating is closed and only from min_raters raters on; never who rated whom")
def results(request: HttpRequest, school_year: int | None = Query(None, ge=2000, le=2100),
            grade_id: int | None = Query(None, ge=1, le=MAX_ID), class_id: int | None = Query(None, ge=1, le=MAX_ID)):
    found = selectors.results(request.auth, school_year, grade_id, class_id)
    return PeerResultsOut(
        school_year=found.school_year, held=found.held, min_raters=found.min_raters,
        criteria=[_criterion(c) for c in found.criteria],
        rows=[PeerResultRowOut(student_id=r.person_id, name=r.name, class_name=r.class_name, raters=r.raters,
                               cells=[_cell(c, cell) for c, cell in zip(found.criteria, r.cells) if cell])
              for r in found.rows],
        progress=[PeerClassProgressOut(class_name=name, ratings=n) for name, n in found.progress])


@router.get("/results.xlsx", response={200: None, **ERRORS},
            summary="The same aggregates as .xlsx (formula-safe), with the same filters")
def results_xlsx(request: HttpRequest, school_year: int | None = Query(None, ge=2000, le=2100),
                 grade_id: int | None = Query(None, ge=1, le=MAX_ID),
                 class_id: int | None = Query(None, ge=1, le=MAX_ID)):
    name, content = exports.write_now(request.auth, exporting.results_export,
                                      exporting.params(school_year, grade_id, class_id))
    return download(content, name)
