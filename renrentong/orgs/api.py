from __future__ import annotations

from dataclasses import asdict

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router

from renrentong.accounts.selectors import students_of_class
from renrentong.core.schemas import ERRORS, MAX_ID, require_json_object

from . import selectors, services
from .policy import EffectivePolicy, weak_rules_of
from .models import School
from .schemas import (
    CampusOut, ClassMemberOut, ClassOut, GradeOut, PolicyIn, PolicyOut, RegionOut, SchoolOut, SchoolTreeOut,
    StageOut,
)

router = Router(tags=["orgs"])


def school_out(school: School) -> SchoolOut:
    return SchoolOut(id=school.pk, name=school.name, code=school.code, district_id=school.district_id,
                     district_name=school.district.name, registered=school.registered, school_year=school.school_year)


def region_out(region) -> RegionOut:
    return RegionOut(id=region.pk, kind=region.kind, name=region.name, code=region.code, parent_id=region.parent_id)


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="Regions within my scope")
def regions(request: HttpRequest):
    return [region_out(r) for r in selectors.visible_regions(request.auth)]


@router.get("/regions/{region_id}", response={200: RegionOut, **ERRORS}, summary="One region within my scope")
def region(request: HttpRequest, region_id: int):
    return region_out(selectors.region_in_scope(request.auth, region_id))


@router.get("/schools", response={200: list[SchoolOut], **ERRORS}, summary="Schools within my scope")
def schools(request: HttpRequest, district_id: int | None = Query(None, ge=1, le=MAX_ID)):
    return [school_out(s) for s in selectors.visible_schools(request.auth, district_id)]


@router.get("/schools/{school_id}", response={200: SchoolOut, **ERRORS}, summary="One school within my scope")
def school(request: HttpRequest, school_id: int):
    return school_out(selectors.school_in_scope(request.auth, school_id))


@router.get("/schools/{school_id}/tree", response={200: SchoolTreeOut, **ERRORS},
            summary="Campus, stage, grade and class tree of a school")
def school_tree(request: HttpRequest, school_id: int):
    found, campuses = selectors.school_tree(request.auth, school_id)
    return SchoolTreeOut(
        school=school_out(found),
        campuses=[
            CampusOut(id=c.campus.pk, name=c.campus.name, stages=[
                StageOut(id=s.stage.pk, level=s.stage.level, system=s.stage.system, grades=[
                    GradeOut(cohort_id=g.cohort.pk, enrollment_year=g.cohort.enrollment_year, name=g.name, classes=[
                        ClassOut(id=k.school_class.pk, name=k.name, code=k.school_class.code,
                                 kind=k.school_class.kind, school_id=found.pk, students=k.students)
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
    count = found.enrollments.filter(Q(ended_on__isnull=True)).count()
    return ClassOut(id=found.pk, name=found.display_name(), code=found.code, kind=found.kind,
                    school_id=found.school_id, students=count)


@router.get("/classes/{class_id}/students", response={200: list[ClassMemberOut], **ERRORS},
            summary="Students of a class whose members I may see")
def class_students(request: HttpRequest, class_id: int):
    return [
        ClassMemberOut(person_id=p.pk, name=p.name, sex=p.sex, account_number=number)
        for p, number in students_of_class(request.auth, class_id)
    ]


def policy_out(policy: EffectivePolicy) -> PolicyOut:
    return PolicyOut(**asdict(policy), weak_initial_rules=weak_rules_of(policy))


@router.get("/policy", response={200: PolicyOut, **ERRORS},
            summary="Account settings in force for my region or school (admins)")
def get_policy(request: HttpRequest):
    return policy_out(services.effective_policy(request.auth))


@router.patch("/policy", response={200: PolicyOut, **ERRORS},
              summary="Change my region's settings, or my school's overrides (school admins)")
def patch_policy(request: HttpRequest, body: PolicyIn):
    require_json_object(request)
    return policy_out(services.update_policy(request.auth, body.dict(exclude_none=True)))
