from __future__ import annotations

from dataclasses import asdict

from django.db.models import Q
from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.orgs.admin_roles import services as admin_roles
from renrentong.accounts.selectors import students_of_class
from renrentong.core.schemas import ERRORS, MAX_ID, ErrorOut, require_json_object

from renrentong.orgs import selectors, services

from renrentong.orgs.structure import services as structure

from renrentong.orgs.tenants import services as tenants
from renrentong.orgs.models import AdminApplication, School, SystemChangeRequest
from renrentong.orgs.policy import EffectivePolicy, weak_rules_of
from renrentong.orgs.schemas import (
    AdminApplicationIn, AdminApplicationOut, AdminOut, ApprovalDecisionIn, AppointIn, CampusIn, CampusOut, ClassesIn,
    ClassMemberOut, ClassOut, DecisionStatus, GradeIn, GradeOut, NamingIn, NamingOut, PolicyIn, PolicyOut, RegionOut,
    SchoolIn, SchoolOut, SchoolPatch, SchoolTreeOut, StageOut, StageSpecIn, StructureCreatedOut, SystemRequestIn,
    SystemRequestOut,
)

router = Router(tags=["orgs"])
CHANGE_ERRORS = {**ERRORS, 409: ErrorOut}
Id = Path(..., ge=1, le=MAX_ID)


def school_out(school: School) -> SchoolOut:
    return SchoolOut(id=school.pk, name=school.name, code=school.code, district_id=school.district_id,
                     district_name=school.district.name, registered=school.registered, school_year=school.school_year,
                     system=school.system, levels=school.registered_levels())


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
    count = found.enrollments.filter(Q(ended_on__isnull=True)).count()
    return ClassOut(id=found.pk, name=found.display_name(), code=found.code, kind=found.kind,
                    school_id=found.school_id, students=count, enrollment_year=found.enrollment_year,
                    graduation_year=found.graduation_year)


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


# --- Structure (ORG-4, ORG-5): docs/structure.md ----------------------------------------------------

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


# --- Tenants and the school system (ORG-2, ORG-6) -----------------------------------------------------

@router.post("/schools", response={201: SchoolOut, **CHANGE_ERRORS},
             summary="Register a school as a tenant (region admins)")
def register_school(request: HttpRequest, body: SchoolIn):
    school = tenants.register_school(request.auth, body.district_id, body.name, body.code, body.system,
                                     list(body.levels), body.school_year)
    return Status(201, school_out(school))


@router.patch("/schools/{school_id}", response={200: SchoolOut, **CHANGE_ERRORS},
              summary="Register or suspend a school, set its school system and stages (region admins)")
def patch_school(request: HttpRequest, body: SchoolPatch, school_id: int = Id):
    require_json_object(request)
    levels = list(body.levels) if body.levels is not None else None
    return school_out(tenants.update_school(request.auth, school_id, registered=body.registered,
                                            system=body.system, levels=levels))


def system_request_out(r: SystemChangeRequest) -> SystemRequestOut:
    return SystemRequestOut(
        id=r.pk, school_id=r.school_id, school_name=r.school.name, system=r.system, levels=r.levels, reason=r.reason,
        status=r.status, requested_by=r.requested_by.person.name if r.requested_by.person_id else r.requested_by.number,
        requested_at=r.requested_at, decided_at=r.decided_at, decision_note=r.decision_note)


@router.post("/schools/{school_id}/system-requests", response={201: SystemRequestOut, **CHANGE_ERRORS},
             summary="Ask the district admin to change the school system or stages (school admins)")
def request_system_change(request: HttpRequest, body: SystemRequestIn, school_id: int = Id):
    found = tenants.request_system_change(request.auth, school_id, body.system, list(body.levels), body.reason)
    return Status(201, system_request_out(found))


@router.get("/system-requests", response={200: list[SystemRequestOut], **ERRORS},
            summary="School system change requests: the queue of schools below me, or my school's")
def system_requests(request: HttpRequest, status: DecisionStatus | None = Query("pending")):
    return [system_request_out(r) for r in tenants.system_requests(request.auth, status)]


@router.post("/system-requests/{request_id}/decision", response={200: SystemRequestOut, **CHANGE_ERRORS},
             summary="Approve (applies the change) or refuse (with a reason) a school system change request")
def decide_system_change(request: HttpRequest, body: ApprovalDecisionIn, request_id: int = Id):
    return system_request_out(tenants.decide_system_change(request.auth, request_id, body.approve, body.note))


@router.post("/system-requests/{request_id}/withdraw", response={200: SystemRequestOut, **CHANGE_ERRORS},
             summary="Withdraw my own pending school system change request")
def withdraw_system_change(request: HttpRequest, request_id: int = Id):
    return system_request_out(tenants.withdraw_system_change(request.auth, request_id))


# --- School admin roles (ADM-6) -----------------------------------------------------------------------

def admin_out(staff: admin_roles.SchoolStaff) -> AdminOut:
    return AdminOut(identity_id=staff.identity_id, account_id=staff.account_id, name=staff.name,
                    account_number=staff.account_number)


@router.get("/schools/{school_id}/admins", response={200: list[AdminOut], **ERRORS},
            summary="The school admins of a school")
def school_admins(request: HttpRequest, school_id: int = Id):
    return [admin_out(s) for s in admin_roles.school_admins(request.auth, school_id)]


@router.get("/schools/{school_id}/admin-candidates", response={200: list[AdminOut], **ERRORS},
            summary="Teachers of the school who could be appointed school admin (region admins)")
def admin_candidates(request: HttpRequest, school_id: int = Id):
    return [admin_out(s) for s in admin_roles.admin_candidates(request.auth, school_id)]


@router.post("/schools/{school_id}/admins", response={201: AdminOut, **CHANGE_ERRORS},
             summary="Appoint one of the school's teachers as school admin (region admins)")
def appoint_admin(request: HttpRequest, body: AppointIn, school_id: int = Id):
    identity = admin_roles.appoint_school_admin(request.auth, school_id, body.account_id)
    person = identity.account.person
    return Status(201, AdminOut(identity_id=identity.pk, account_id=identity.account_id,
                         name=person.name if person else "", account_number=identity.account.number))


@router.delete("/schools/{school_id}/admins/{identity_id}", response={204: None, **CHANGE_ERRORS},
               summary="Remove a school admin role; the teacher identity stays (region admins)")
def remove_admin(request: HttpRequest, school_id: int = Id, identity_id: int = Id):
    admin_roles.remove_school_admin(request.auth, school_id, identity_id)
    return Status(204, None)


def application_out(a: AdminApplication) -> AdminApplicationOut:
    return AdminApplicationOut(
        id=a.pk, school_id=a.school_id, school_name=a.school.name,
        applicant=a.account.person.name if a.account.person_id else "", account_number=a.account.number,
        reason=a.reason, status=a.status, requested_at=a.requested_at, decided_at=a.decided_at,
        decision_note=a.decision_note)


@router.post("/admin-applications", response={201: AdminApplicationOut, **CHANGE_ERRORS},
             summary="Apply to be school admin of my school (teachers)")
def apply_for_admin(request: HttpRequest, body: AdminApplicationIn):
    return Status(201, application_out(admin_roles.apply_for_school_admin(request.auth, body.reason)))


@router.get("/admin-applications", response={200: list[AdminApplicationOut], **ERRORS},
            summary="Applications: the queue of schools below me (region admins), otherwise my own")
def admin_applications(request: HttpRequest, status: DecisionStatus | None = Query(None)):
    actor = request.auth
    if actor.identity is not None and actor.identity.kind == "region_admin":
        found = admin_roles.applications_queue(actor, status or "pending")
    else:
        found = [a for a in admin_roles.my_applications(actor.account) if status is None or a.status == status]
    return [application_out(a) for a in found]


@router.post("/admin-applications/{application_id}/decision", response={200: AdminApplicationOut, **CHANGE_ERRORS},
             summary="Approve (grants the school admin identity) or refuse (with a reason) an application")
def decide_application(request: HttpRequest, body: ApprovalDecisionIn, application_id: int = Id):
    return application_out(admin_roles.decide_application(request.auth, application_id, body.approve, body.note))


@router.post("/admin-applications/{application_id}/withdraw", response={200: AdminApplicationOut, **CHANGE_ERRORS},
             summary="Withdraw my own pending application")
def withdraw_application(request: HttpRequest, application_id: int = Id):
    return application_out(admin_roles.withdraw_application(request.auth, application_id))
