"""Structure through the API (ORG-4, ORG-5): docs/structure.md. Joined to the orgs router (orgs/api.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID, ErrorOut

from renrentong.orgs import selectors
from renrentong.orgs.schemas import (
    CampusIn, CampusOut, ClassesIn, ClassOut, GradeIn, GradeOut, NamingIn, NamingOut, SchoolOut,
    SchoolTreeOut, StageOut, StageSpecIn, StructureCreatedOut,
)
from renrentong.orgs.structure import services as structure

router = Router(tags=["orgs"])
CHANGE_ERRORS = {**ERRORS, 409: ErrorOut}
Id = Path(..., ge=1, le=MAX_ID)


@router.get("/schools/{school_id}/tree", response={200: SchoolTreeOut, **ERRORS},
            summary="Campus, stage, grade and class tree of a school")
def school_tree(request: HttpRequest, school_id: int):
    found, campuses = selectors.school_tree(request.auth, school_id)
    return SchoolTreeOut(
        school=SchoolOut.of(found),
        campuses=[
            CampusOut(id=c.campus.pk, name=c.campus.name, stages=[
                StageOut(id=s.stage.pk, level=s.stage.level, system=s.stage.system, first_grade=s.stage.first_grade,
                         years=s.stage.years, grade_names=s.stage.grade_names, class_pattern=s.stage.class_pattern,
                         grades=[
                    GradeOut(cohort_id=g.cohort.pk, enrollment_year=g.cohort.enrollment_year,
                             graduation_year=g.cohort.graduation_year, name=g.name, classes=[
                        ClassOut(id=k.school_class.pk, name=k.name, code=k.school_class.code,
                                 kind=k.school_class.kind, school_id=found.pk, students=k.students,
                                 enrollment_year=g.cohort.enrollment_year, graduation_year=g.cohort.graduation_year)
                        for k in g.classes
                    ])
                    for g in s.cohorts
                ])
                for s in c.stages
            ])
            for c in campuses
        ],
    )


@router.get("/classes/{class_id}", response={200: ClassOut, **ERRORS}, summary="One class within my scope")
def school_class(request: HttpRequest, class_id: int):
    found = selectors.class_in_scope(request.auth, class_id)
    count = selectors.current_member_count(found)
    return ClassOut(id=found.pk, name=found.display_name(), code=found.code, kind=found.kind,
                    school_id=found.school_id, students=count, enrollment_year=found.enrollment_year,
                    graduation_year=found.graduation_year)


def created_out(created: structure.Created) -> StructureCreatedOut:
    return StructureCreatedOut(**vars(created))


@router.post("/schools/{school_id}/campuses", response={201: StructureCreatedOut, **CHANGE_ERRORS},
             summary="Create a campus with stages, grades and N classes per grade in one step")
def create_campus(request: HttpRequest, body: CampusIn, school_id: int = Id):
    return Status(201, created_out(structure.create_campus(request.auth, school_id, body.name, dict(body.stages))))


@router.post("/campuses/{campus_id}/stages", response={201: StructureCreatedOut, **CHANGE_ERRORS},
             summary="Add a stage to a campus, with N classes in each of its grades")
def add_stage(request: HttpRequest, body: StageSpecIn, campus_id: int = Id):
    return Status(201, created_out(structure.add_stage(request.auth, campus_id, body.level, body.classes)))


@router.post("/stages/{stage_id}/grades", response={201: StructureCreatedOut, **CHANGE_ERRORS},
             summary="Add a grade (the cohort enrolled in the matching year) with classes numbered first-last")
def add_grade(request: HttpRequest, body: GradeIn, stage_id: int = Id):
    return Status(201, created_out(structure.add_grade(request.auth, stage_id, body.grade, body.first, body.last)))


@router.post("/cohorts/{cohort_id}/classes", response={201: StructureCreatedOut, **CHANGE_ERRORS},
             summary="Add classes numbered first-last to a grade; existing numbers are skipped")
def add_classes(request: HttpRequest, body: ClassesIn, cohort_id: int = Id):
    return Status(201, created_out(structure.add_classes(request.auth, cohort_id, body.first, body.last, body.kind)))


@router.put("/stages/{stage_id}/naming", response={200: NamingOut, **CHANGE_ERRORS},
            summary="Set the grade names and class name pattern of a stage (年级命名)")
def set_naming(request: HttpRequest, body: NamingIn, stage_id: int = Id):
    stage = structure.set_naming(request.auth, stage_id, body.grade_names, body.class_pattern)
    return NamingOut(stage_id=stage.pk, grade_names=stage.grade_names, class_pattern=stage.class_pattern)


@router.delete("/classes/{class_id}", response={204: None, **CHANGE_ERRORS},
               summary="Delete an empty class (one with students is refused: move them first)")
def delete_class(request: HttpRequest, class_id: int = Id):
    structure.delete_class(request.auth, class_id)
    return Status(204, None)
