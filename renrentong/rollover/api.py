"""The yearly rollover through the API (ORG-7): preview, run, runs, undo, alumni list."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from renrentong.core.schemas import ERRORS, MAX_ID

from renrentong.rollover import services
from renrentong.rollover.schemas import AlumniClassOut, ClassPlanOut, RolloverRunOut, RunIn, SchoolPlanOut, check_ids

router = Router(tags=["rollover"])
RUN_ERRORS = {**ERRORS, 409: ERRORS[400]}


def plan_out(plan: services.SchoolPlan) -> SchoolPlanOut:
    def classes(items):
        return [ClassPlanOut(class_id=c.school_class.pk, name=c.school_class.display_name(plan.school.school_year),
                             grade_before=c.grade_before, students=c.students) for c in items]

    return SchoolPlanOut(
        school_id=plan.school.pk, school_name=plan.school.name, school_year=plan.school.school_year,
        to_year=plan.to_year, state=plan.state, in_window=plan.in_window, window_start=plan.window[0],
        window_end=plan.window[1], classes_up=len(plan.moving_up), students_up=plan.students_up,
        classes_graduating=len(plan.graduating), students_graduating=plan.students_graduating,
        moving_up=classes(plan.moving_up), graduating=classes(plan.graduating),
    )


def run_out(run) -> RolloverRunOut:
    return RolloverRunOut(id=run.pk, school_id=run.school_id, school_name=run.school.name, from_year=run.from_year,
                          to_year=run.to_year, status=run.status, trigger=run.trigger, run_on=run.run_on,
                          created_at=run.created_at, undone_at=run.undone_at, counts=run.counts)


@router.get("/preview", response={200: list[SchoolPlanOut], **ERRORS},
            summary="What a rollover would change, per school: classes moving up, classes graduating, students")
def preview(request: HttpRequest, school_id: int | None = Query(None, ge=1, le=MAX_ID)):
    return [plan_out(p) for p in services.preview(request.auth, [school_id] if school_id else None)]


@router.post("/runs", response={200: list[RolloverRunOut], **RUN_ERRORS},
             summary="Roll over the schools (all in my scope that are due, or those named); one transaction each")
def run(request: HttpRequest, body: RunIn):
    check_ids(body.school_ids)
    return [run_out(r) for r in services.run(request.auth, body.school_ids)]


@router.get("/runs", response={200: list[RolloverRunOut], **ERRORS}, summary="Rollovers of the schools I may see")
def runs(request: HttpRequest):
    return [run_out(r) for r in services.runs_in_scope(request.auth)[:200]]


@router.post("/runs/{run_id}/undo", response={200: RolloverRunOut, **RUN_ERRORS},
             summary="Undo a school's latest rollover, inside the window")
def undo(request: HttpRequest, run_id: int):
    return run_out(services.undo(request.auth, run_id))


@router.get("/alumni", response={200: list[AlumniClassOut], **ERRORS},
            summary="The alumni list (校友录): graduated classes and their graduates")
def alumni(request: HttpRequest, school_id: int | None = Query(None, ge=1, le=MAX_ID)):
    return [AlumniClassOut(class_id=a.school_class.pk, school_id=a.school_class.school_id,
                           name=a.school_class.display_name(a.school_class.school.school_year),
                           graduation_year=a.graduation_year, graduates=a.names)
            for a in services.alumni(request.auth, school_id)]
