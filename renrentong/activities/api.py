"""API of activities (ACT-1) under /api/v1/activities/: the same services and selectors as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.activities import access, filing, selectors, services
from renrentong.activities.schemas import (
    ActivityAdminSignUpOut, ActivityAttendanceIn, ActivityBulkApproveIn, ActivityChildOut, ActivityCountOut,
    ActivityBulkFilingOut, ActivityIn, ActivityMaterialOut, ActivityNoticeOut, ActivityOut, ActivityRefuseIn,
    ActivitySignUpIn, ActivitySignUpOut,
)
from renrentong.core.schemas import ERRORS, MAX_ID

router = Router(tags=["activities"])
ActivityId = Path(..., ge=1, le=MAX_ID)
SignUpId = Path(..., ge=1, le=MAX_ID)


def activity_out(a) -> ActivityOut:
    return ActivityOut(id=a.pk, kind=a.kind, organiser=a.organiser_name, school_id=a.school_id, region_id=a.region_id,
                       title=a.title, starts_at=a.starts_at, ends_at=a.ends_at, place=a.place, programme=a.programme,
                       bring=a.bring, capacity=a.capacity, places_taken=a.places_taken, places_left=a.places_left,
                       grades=a.grades, class_ids=a.class_ids, school_ids=a.school_ids,
                       signup_opens_at=a.signup_opens_at, signup_closes_at=a.signup_closes_at,
                       cancel_until=a.cancel_until, approval=a.approval)


def sign_up_out(s, notice=None, position: int | None = None, child: str = "") -> ActivitySignUpOut:
    return ActivitySignUpOut(
        id=s.pk, activity_id=s.activity_id, activity=s.activity.title, child_id=s.child_id, child=child or s.child.name,
        status=s.status, status_label=s.get_status_display(),
        waiting_position=position or selectors.waiting_position(s), reason=s.reason, created_at=s.created_at,
        notice=ActivityNoticeOut(code=notice.code, message=notice.message, who_can_fix=notice.who_can_fix)
        if notice else None)


def _draft(body: ActivityIn) -> services.ActivityDraft:
    return services.ActivityDraft(**body.dict())


@router.get("/", response={200: list[ActivityOut], **ERRORS},
            summary="Activities: an admin's own (and a school's social practice); a parent's open to their children")
def activities(request: HttpRequest):
    actor = request.auth
    if access.signs_up_children(actor):
        return [activity_out(p.activity) for p in selectors.activities_for_parent(actor)]
    return [activity_out(a) for a in selectors.managed_activities(actor)]


@router.post("/", response={201: ActivityOut, **ERRORS},
             summary="Publish: a school admin a campus activity, a district or city admin a social practice")
def publish(request: HttpRequest, body: ActivityIn):
    return Status(201, activity_out(services.publish(request.auth, _draft(body))))


@router.get("/sign-ups/mine", response={200: list[ActivitySignUpOut], **ERRORS}, summary="My children's sign-ups")
def my_sign_ups(request: HttpRequest):
    return [sign_up_out(s) for s in selectors.my_sign_ups(request.auth)]


@router.post("/sign-ups/{sign_up_id}/cancel", response={200: ActivitySignUpOut, **ERRORS},
             summary="Cancel a child's sign-up before the cancel deadline (parents)")
def cancel(request: HttpRequest, sign_up_id: int = SignUpId):
    return sign_up_out(services.cancel(request.auth, sign_up_id))


@router.post("/sign-ups/{sign_up_id}/approve", response={200: ActivityAdminSignUpOut, **ERRORS},
             summary="Approve a sign-up (the school admin of the child's school)")
def approve(request: HttpRequest, sign_up_id: int = SignUpId):
    found = services.approve(request.auth, sign_up_id)
    return _admin_out(selectors.sign_up_rows([selectors.sign_up_for_admin(request.auth, found.pk)])[0])


@router.post("/sign-ups/{sign_up_id}/refuse", response={200: ActivityAdminSignUpOut, **ERRORS},
             summary="Refuse a sign-up with a reason the parents see; the first waiting child moves up")
def refuse(request: HttpRequest, body: ActivityRefuseIn, sign_up_id: int = SignUpId):
    found = services.refuse(request.auth, sign_up_id, body.reason)
    return _admin_out(selectors.sign_up_rows([selectors.sign_up_for_admin(request.auth, found.pk)])[0])


@router.get("/{activity_id}", response={200: ActivityOut, **ERRORS}, summary="An activity")
def activity(request: HttpRequest, activity_id: int = ActivityId):
    actor = request.auth
    if access.signs_up_children(actor):
        return activity_out(selectors.activity_for_parent(actor, activity_id).activity)
    return activity_out(selectors.activity_for_admin(actor, activity_id))


@router.put("/{activity_id}", response={200: ActivityOut, **ERRORS}, summary="Edit an activity (its organiser)")
def edit(request: HttpRequest, body: ActivityIn, activity_id: int = ActivityId):
    return activity_out(services.update(request.auth, activity_id, _draft(body)))


@router.get("/{activity_id}/children", response={200: list[ActivityChildOut], **ERRORS},
            summary="My children for this activity: who may sign up, why not, their sign-ups (parents)")
def children(request: HttpRequest, activity_id: int = ActivityId):
    found = selectors.activity_for_parent(request.auth, activity_id)
    return [ActivityChildOut(child_id=c.child.person_id, name=c.child.name, may_sign_up=c.refusal is None,
                             why_not=c.refusal or "", sign_up=sign_up_out(c.sign_up) if c.sign_up else None)
            for c in found.children]


@router.post("/{activity_id}/sign-ups", response={201: ActivitySignUpOut, **ERRORS},
             summary="Sign a linked child up (parents): accepted, waiting for approval, or on the waiting list")
def sign_up(request: HttpRequest, body: ActivitySignUpIn, activity_id: int = ActivityId):
    outcome = services.sign_up(request.auth, activity_id, body.child_id)
    return Status(201, sign_up_out(outcome.sign_up, outcome.notice, outcome.position, outcome.child_name))


def _admin_out(row: selectors.SignUpRow) -> ActivityAdminSignUpOut:
    s = row.sign_up
    return ActivityAdminSignUpOut(id=s.pk, queue_number=s.queue_number, child_id=s.child_id, child=row.child,
                                  school=row.school, class_name=row.class_name, parent=row.parent,
                                  parent_phone=row.phone, status=s.status, reason=s.reason, created_at=s.created_at,
                                  attended=row.attended)


@router.get("/{activity_id}/sign-ups", response={200: list[ActivityAdminSignUpOut], **ERRORS},
            summary="Sign-ups (admins: the organiser all, another school its own children), by status")
def sign_ups(request: HttpRequest, activity_id: int = ActivityId,
             status: str = Query("", max_length=10, description="pending | accepted | waiting | refused | cancelled")):
    found = selectors.activity_for_admin(request.auth, activity_id)
    return [_admin_out(r) for r in selectors.sign_up_rows(selectors.sign_ups_of(request.auth, found, status)[:2000])]


@router.post("/{activity_id}/sign-ups/approve", response={200: ActivityCountOut, **ERRORS},
             summary="Approve the chosen sign-ups of my school that wait for approval")
def approve_many(request: HttpRequest, body: ActivityBulkApproveIn, activity_id: int = ActivityId):
    return ActivityCountOut(count=services.approve_many(request.auth, activity_id, body.sign_up_ids))


@router.post("/{activity_id}/attendance", response={200: ActivityCountOut, **ERRORS},
             summary="Confirm per child who came (the organiser, once the activity has started)")
def attendance(request: HttpRequest, body: ActivityAttendanceIn, activity_id: int = ActivityId):
    return ActivityCountOut(count=services.confirm_attendance(request.auth, activity_id, body.attended, body.absent))


# Filing attendance as evaluation material (issue 14 item 9) ----------------------------------------------

@router.post("/sign-ups/{sign_up_id}/material", response={200: ActivityMaterialOut, **ERRORS},
             summary="File an attended activity as the child's evaluation material (the student or a parent; once)")
def file_material(request: HttpRequest, sign_up_id: int = SignUpId):
    record, created = filing.file_as_material(request.auth, sign_up_id)
    return ActivityMaterialOut(record_id=record.pk, student_id=record.student_id, state=record.state, created=created)


@router.post("/{activity_id}/attendance/material", response={200: ActivityBulkFilingOut, **ERRORS},
             summary="File the activity as material for every attended child of my school (school admins)")
def file_attended(request: HttpRequest, activity_id: int = ActivityId):
    done = filing.file_attended(request.auth, activity_id)
    return ActivityBulkFilingOut(filed=done.filed, already=done.already, elsewhere=done.elsewhere)

