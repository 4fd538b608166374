"""An attended activity becomes the child's evaluation material in one click (issue 14 item 9).

After the organiser confirmed that a child came (Attendance.attended_at set), the child's parent or the
child themselves files it, or the school admin files it for all the school's attended children at once.
Filing writes a draft written record through evaluation (activities sits above it) with the activity's
title, date and a text made of its time, place, organiser and programme; the student or parent then
classifies and submits it like any other record.

The kind: a campus activity (校园活动) is a growth record; a social practice (社会实践, published by a
district or city) is volunteer service, the nearest of the record kinds (the student may change it while
the record is a draft).

Filed once: the attendance row keeps the record's id (material_id) and is locked while filing, so a second
click, a double submit or the admin's bulk filing return the same record. A record its student deleted
(a draft may be) is filed anew."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.evaluation import access as evaluation_access
from renrentong.evaluation.archive import services as material
from renrentong.evaluation.models import WrittenRecord

from renrentong.activities import access, selectors
from renrentong.activities.models import Activity, Attendance, SignUp


def kind_for(activity: Activity) -> str:
    return WrittenRecord.Kind.VOLUNTEER if activity.is_region_activity else WrittenRecord.Kind.GROWTH


def _filing(activity: Activity, attendance: Attendance) -> material.Filing:
    lines = [f"活动：{activity.title}",
             f"时间：{selectors.when(activity.starts_at)} 至 {selectors.when(activity.ends_at)}",
             f"地点：{activity.place}", f"发布方：{activity.organiser_name}"]
    if activity.programme:
        lines.append(f"活动流程：\n{activity.programme}")
    return material.Filing(
        student_id=attendance.child_id, kind=kind_for(activity), title=activity.title, text="\n".join(lines),
        happened_on=timezone.localdate(activity.starts_at),
        source={"activity": activity.pk, "sign_up": attendance.sign_up_id})


def _file(actor: Actor, activity: Activity, attendance: Attendance) -> tuple[WrittenRecord, bool]:
    """File one locked attendance row: the record filed before, or a new one linked to the row."""
    before = material.filed_record(attendance.material_id)
    if before is not None:
        return before, False
    record = material.file_material(actor, _filing(activity, attendance))
    Attendance.objects.filter(pk=attendance.pk).update(material_id=record.pk)
    audit.record(actor, "activity.file_material", activity, {"sign_up": attendance.sign_up_id,
                                                             "child": attendance.child_id, "record": record.pk},
                 school_id=attendance.school_id)
    return record, True


def own_sign_up(actor: Actor, sign_up_id: int) -> SignUp:
    """A sign-up of the student themselves or of a parent's linked child; any other id is not found."""
    found = SignUp.objects.select_related("activity").filter(
        pk=sign_up_id, child_id__in=actor.scope.person_ids).first() \
        if evaluation_access.keeps_material(actor) and 1 <= sign_up_id <= MAX_ID else None
    if found is None:
        raise UserFacingError("activities.sign_up_not_found")
    return found


@transaction.atomic
def file_as_material(actor: Actor, sign_up_id: int) -> tuple[WrittenRecord, bool]:
    """The parent's or student's one click: (record, created); a second click returns the same record."""
    sign_up = own_sign_up(actor, sign_up_id)
    attendance = Attendance.objects.select_for_update().filter(sign_up=sign_up).first()
    if attendance is None or not attendance.attended or attendance.attended_at is None:
        raise UserFacingError("activities.not_attended", organiser=sign_up.activity.organiser_name)
    return _file(actor, sign_up.activity, attendance)


@dataclass(frozen=True)
class BulkFiling:
    filed: int  # new records
    already: int  # filed before
    elsewhere: int  # children no longer at this school (transferred, left): theirs to file


@transaction.atomic
def file_attended(actor: Actor, activity_id: int) -> BulkFiling:
    """The school admin files every attended child of the school at once, in one transaction."""
    activity = selectors.activity_for_admin(actor, activity_id)
    school_id = access.deciding_school(actor)
    if school_id is None:
        raise UserFacingError("activities.not_allowed")
    filed = already = elsewhere = 0
    for attendance in (Attendance.objects.select_for_update().filter(
            activity=activity, school_id=school_id, attended=True, attended_at__isnull=False).order_by("pk")):
        try:
            _, created = _file(actor, activity, attendance)
        except UserFacingError as refusal:
            if refusal.code not in ("evaluation.not_enrolled", "evaluation.not_for_you"):
                raise
            elsewhere += 1
            continue
        filed, already = filed + created, already + (not created)
    return BulkFiling(filed, already, elsewhere)
