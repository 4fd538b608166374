"""Activity verbs (ACT-1): publish and edit, sign a child up, cancel, approve or refuse, confirm attendance.
Each takes the Actor first, checks through access and selectors, runs in one transaction and is audited.

Places: the activity row holds `places_taken`; a sign-up takes one with a conditional UPDATE of that row, and
every verb that frees one locks the row first (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions take the write lock at BEGIN), so two sign-ups for the last place are decided one after the other
and the activity is never overbooked (the check constraint activity_never_overbooked backs it). Beyond the places a sign-up waits in queue order;
a freed place goes to the first waiting child."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from renrentong.activities import access, selectors
from renrentong.activities.models import Activity, Attendance, SignUp
from renrentong.core.text import clean_text
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School, SchoolClass

MAX_CAPACITY = 10_000


@dataclass
class ActivityDraft:
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int
    signup_opens_at: datetime
    signup_closes_at: datetime
    cancel_until: datetime
    programme: str = ""
    bring: str = ""
    approval: str = Activity.Approval.AUTO
    grades: list[int] | None = None
    class_ids: list[int] | None = None
    school_ids: list[int] | None = None


def _aware(name: str, value: datetime) -> datetime:
    """A time as given, in the platform's time zone when it names none; one no database can hold is refused."""
    try:
        value = timezone.make_aware(value) if timezone.is_naive(value) else value
        return value.astimezone(dt_timezone.utc)
    except (OverflowError, ValueError):
        raise UserFacingError("field.invalid", field=name) from None


def _checked(actor: Actor, draft: ActivityDraft) -> dict:
    for name in ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at", "cancel_until"):
        setattr(draft, name, _aware(name, getattr(draft, name)))
    title, place = clean_text(draft.title)[:100], clean_text(draft.place)[:200]
    if not title or not place:
        raise UserFacingError("activities.title_required")
    if draft.ends_at <= draft.starts_at:
        raise UserFacingError("activities.ends_before_start")
    if draft.signup_closes_at <= draft.signup_opens_at or draft.signup_closes_at > draft.starts_at:
        raise UserFacingError("activities.window_invalid")
    if draft.cancel_until > draft.starts_at:
        raise UserFacingError("activities.cancel_deadline_invalid")
    if not 1 <= draft.capacity <= MAX_CAPACITY:
        raise UserFacingError("activities.capacity_invalid")
    if draft.approval not in Activity.Approval.values:
        raise UserFacingError("field.invalid", field="approval")
    grades = sorted(set(draft.grades or []))
    if any(not 1 <= g <= 12 for g in grades):
        raise UserFacingError("field.invalid", field="grades")
    class_ids, school_ids = sorted(set(draft.class_ids or [])), sorted(set(draft.school_ids or []))
    if access.publishes_for_region(actor):
        if class_ids or len(actor.scope.schools(School.objects.filter(pk__in=school_ids))) != len(school_ids):
            raise UserFacingError("activities.audience_outside")
    elif school_ids or len(SchoolClass.objects.filter(pk__in=class_ids, school_id=actor.identity.school_id)) != len(
            class_ids):
        raise UserFacingError("activities.audience_outside")
    return {"title": title, "place": place, "programme": clean_text(draft.programme)[:5000],
            "bring": clean_text(draft.bring)[:2000], "starts_at": draft.starts_at, "ends_at": draft.ends_at,
            "capacity": draft.capacity, "signup_opens_at": draft.signup_opens_at,
            "signup_closes_at": draft.signup_closes_at, "cancel_until": draft.cancel_until,
            "approval": draft.approval, "grades": grades, "class_ids": class_ids, "school_ids": school_ids}


def publish(actor: Actor, draft: ActivityDraft) -> Activity:
    """A school admin publishes a campus activity (校园活动); a district or city admin a social practice
    (社会实践) for the schools below them."""
    if not access.may_publish(actor):
        raise UserFacingError("activities.not_allowed")
    values = _checked(actor, draft)
    identity = actor.identity
    if access.publishes_for_region(actor):
        owner = {"region_id": identity.region_id, "school_id": None, "kind": Activity.Kind.PRACTICE,
                 "organiser_name": identity.region.name}
    else:
        owner = {"school_id": identity.school_id, "region_id": None, "kind": Activity.Kind.CAMPUS,
                 "organiser_name": identity.school.name}
    with transaction.atomic():
        activity = Activity.objects.create(**values, **owner, published_by=actor.account)
        audit.record(actor, "activity.publish", activity, {"title": activity.title, "capacity": activity.capacity},
                     school_id=activity.school_id)
    return activity


def update(actor: Actor, activity_id: int, draft: ActivityDraft) -> Activity:
    """The organiser edits the activity; more places let the waiting list move up, fewer than those taken
    are refused."""
    selectors.organised_activity(actor, activity_id)
    values = _checked(actor, draft)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity_id)
        if values["capacity"] < activity.places_taken:
            raise UserFacingError("activities.capacity_below_taken", taken=activity.places_taken)
        for name, value in values.items():
            setattr(activity, name, value)
        activity.updated_at = timezone.now()
        activity.save()
        moved = _fill_places(actor, activity)
        audit.record(actor, "activity.update", activity, {"title": activity.title, "capacity": activity.capacity,
                                                           "moved_up": moved}, school_id=activity.school_id)
    return activity


# Signing up ----------------------------------------------------------------------------------------

@dataclass
class SignUpOutcome:
    sign_up: SignUp
    position: int | None  # on the waiting list: its number
    notice: UserFacingError | None  # "full: waiting as number N", shown beside the result
    child_name: str


def _window(activity: Activity) -> dict:
    return {"opens": selectors.when(activity.signup_opens_at), "closes": selectors.when(activity.signup_closes_at),
            "organiser": activity.organiser_name}


def sign_up(actor: Actor, activity_id: int, child_id: int) -> SignUpOutcome:
    """A parent signs one linked child up: accepted (or waiting for the school's approval) while places are
    left, else on the waiting list in order."""
    if not access.signs_up_children(actor):
        raise UserFacingError("activities.parents_sign_up")
    found = selectors.campus_sign_up(actor, activity_id, child_id)
    if found is not None:
        activity, place = found
    else:
        if child_id not in actor.scope.person_ids:
            raise UserFacingError("activities.not_your_child")
        activity, place = selectors.activity_for_child(actor, activity_id, child_id)
        if place is None:
            raise UserFacingError("activities.child_not_enrolled",
                                  child=selectors.child_names([child_id]).get(child_id, ""))
        refusal = selectors.audience_refusal(activity, place)
        if refusal:
            raise UserFacingError("activities.not_in_audience", child=place.name, why=refusal,
                                  organiser=activity.organiser_name)
    now = timezone.now()
    if now < activity.signup_opens_at:
        raise UserFacingError("activities.window_not_open", **_window(activity))
    if now > activity.signup_closes_at:
        raise UserFacingError("activities.window_closed", **_window(activity))
    values = {"school_id": place.school_id, "class_id": place.class_id, "grade": max(place.grade, 0),
              "signed_up_by": actor.account, "reason": "", "created_at": now, "decided_by": None, "decided_at": None,
              "cancelled_at": None}
    try:
        found = _take_turn(actor, activity, place, values, again=None)
    except IntegrityError:  # the child has a sign-up already (one per child): say so, or sign up again
        existing = SignUp.objects.filter(activity=activity, child_id=child_id).first()
        if existing is None or existing.status != SignUp.Status.CANCELLED:
            raise UserFacingError("activities.already_signed_up", child=place.name,
                                  state=existing.get_status_display() if existing else "") from None
        found = _take_turn(actor, activity, place, values, again=existing)
    position = selectors.waiting_position(found)
    notice = UserFacingError("activities.full", child=place.name, position=position) if position else None
    return SignUpOutcome(found, position, notice, place.name)


def _next_in_line(activity: Activity) -> tuple[int, str]:
    """A place if one is left, else a waiting-list number, decided by one conditional UPDATE of the activity row
    (which takes the row's lock until the transaction ends, so the sign-ups for the last places are decided one
    after the other, and the place and the number are given together). The queue number and the status."""
    table = connection.ops.quote_name(Activity._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET places_taken = places_taken + 1, last_queue_number = last_queue_number + 1 "
                       "WHERE id = %s AND places_taken < capacity RETURNING last_queue_number, approval", [activity.pk])
        row = cursor.fetchone()
        if row is not None:
            return row[0], SignUp.Status.ACCEPTED if row[1] == Activity.Approval.AUTO else SignUp.Status.PENDING
        cursor.execute(f"UPDATE {table} SET last_queue_number = last_queue_number + 1 WHERE id = %s "
                       "RETURNING last_queue_number", [activity.pk])
        return cursor.fetchone()[0], SignUp.Status.WAITING


def _take_turn(actor: Actor, activity: Activity, place: selectors.ChildPlace, values: dict, *,
               again: SignUp | None) -> SignUp:
    """The sign-up with its place or waiting number, in one transaction; a first one is inserted (the unique
    constraint refuses a second), a cancelled one is taken up again, as the last in the queue."""
    with transaction.atomic():
        number, status = _next_in_line(activity)
        if again is None:
            # The place is decided first, then the row is written with it: the activity's row lock is held for
            # the insert and the audit record too, but two statements fewer than writing a placeholder before
            # it and correcting it after (the rush of 1,000 sign-ups is bound by the CPU, not by that lock:
            # docs/benchmarks.md, activities). A second sign-up of the child fails on the unique constraint and
            # rolls the number back with it.
            found = SignUp.objects.create(activity=activity, child_id=place.person_id, status=status,
                                          queue_number=number, **values)
            audit.record(actor, "activity.sign_up", found, {"activity": activity.pk, "child": place.person_id,
                                                            "status": status}, school_id=place.school_id)
            return found
        found = SignUp.objects.select_for_update().get(pk=again.pk)
        if found.status != SignUp.Status.CANCELLED:
            raise UserFacingError("activities.already_signed_up", child=place.name, state=found.get_status_display())
        for name, value in {**values, "status": status, "queue_number": number}.items():
            setattr(found, name, value)
        found.save()
        audit.record(actor, "activity.sign_up", found, {"activity": activity.pk, "child": place.person_id,
                                                        "status": status}, school_id=place.school_id)
    return found


def _fill_places(actor: Actor, activity: Activity) -> int:
    """Give free places to the first waiting children (the caller holds the activity's lock); how many moved."""
    moved = 0
    while activity.places_taken < activity.capacity:
        first = (SignUp.objects.select_for_update().filter(activity=activity, status=SignUp.Status.WAITING)
                 .order_by("queue_number").first())
        if first is None:
            break
        first.status = SignUp.Status.ACCEPTED if activity.approval == Activity.Approval.AUTO else SignUp.Status.PENDING
        first.save(update_fields=["status"])
        activity.places_taken += 1
        moved += 1
        audit.record(actor, "activity.move_up", first, {"activity": activity.pk, "child": first.child_id,
                                                        "status": first.status}, school_id=first.school_id)
    activity.save(update_fields=["places_taken"])
    return moved


def _leave(actor: Actor, sign_up: SignUp, status: str, **changes) -> SignUp:
    """End a sign-up as cancelled or refused, under the activity's lock; a held place goes to the first
    waiting child."""
    activity = Activity.objects.select_for_update().get(pk=sign_up.activity_id)
    locked = SignUp.objects.select_for_update().get(pk=sign_up.pk)
    held = locked.status in SignUp.HOLDS_PLACE
    locked.status = status
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    if held:
        activity.places_taken -= 1
        _fill_places(actor, activity)
    return locked


def cancel(actor: Actor, sign_up_id: int) -> SignUp:
    """A parent cancels a child's sign-up before the cancel deadline."""
    found = selectors.sign_up_for_parent(actor, sign_up_id)
    if found.status not in (SignUp.Status.PENDING, SignUp.Status.ACCEPTED, SignUp.Status.WAITING):
        raise UserFacingError("activities.not_cancellable", state=found.get_status_display())
    activity = found.activity
    if timezone.now() > activity.cancel_until:
        raise UserFacingError("activities.cancel_closed", deadline=selectors.when(activity.cancel_until),
                              organiser=activity.organiser_name)
    with transaction.atomic():
        done = _leave(actor, found, SignUp.Status.CANCELLED, cancelled_at=timezone.now())
        audit.record(actor, "activity.cancel", done, {"activity": activity.pk, "child": done.child_id},
                     school_id=done.school_id)
    return done


# The school's decisions ----------------------------------------------------------------------------

def _decidable(actor: Actor, sign_up_id: int) -> SignUp:
    found = selectors.sign_up_for_admin(actor, sign_up_id)
    if not access.may_decide(actor, found):
        raise UserFacingError("activities.school_decides")
    return found


def _approve(actor: Actor, found: SignUp) -> SignUp:
    Activity.objects.select_for_update().filter(pk=found.activity_id).first()
    locked = SignUp.objects.select_for_update().get(pk=found.pk)
    if locked.status != SignUp.Status.PENDING:
        raise UserFacingError("activities.not_pending", state=locked.get_status_display())
    locked.status, locked.decided_by, locked.decided_at = SignUp.Status.ACCEPTED, actor.account, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor, "activity.approve", locked, {"activity": locked.activity_id, "child": locked.child_id},
                 school_id=locked.school_id)
    return locked


def approve(actor: Actor, sign_up_id: int) -> SignUp:
    """The school admin of the child's school approves a sign-up that holds a place."""
    found = _decidable(actor, sign_up_id)
    with transaction.atomic():
        return _approve(actor, found)


def approve_many(actor: Actor, activity_id: int, sign_up_ids: list[int]) -> int:
    """Bulk approval: the chosen sign-ups of the actor's school that wait for approval; how many passed."""
    activity = selectors.activity_for_admin(actor, activity_id)
    school = access.deciding_school(actor)
    if school is None:
        raise UserFacingError("activities.school_decides")
    chosen = list(SignUp.objects.filter(activity=activity, school_id=school, pk__in=sign_up_ids[:1000],
                                        status=SignUp.Status.PENDING).order_by("queue_number"))
    with transaction.atomic():
        for found in chosen:
            _approve(actor, found)
    return len(chosen)


def refuse(actor: Actor, sign_up_id: int, reason: str) -> SignUp:
    """The school refuses a sign-up with a reason the parents see; its place goes to the first waiting child."""
    found = _decidable(actor, sign_up_id)
    text = clean_text(reason)[:200]
    if not text:
        raise UserFacingError("activities.reason_required")
    if found.status not in (SignUp.Status.PENDING, SignUp.Status.ACCEPTED, SignUp.Status.WAITING):
        raise UserFacingError("activities.not_refusable", state=found.get_status_display())
    with transaction.atomic():
        done = _leave(actor, found, SignUp.Status.REFUSED, reason=text, decided_by=actor.account,
                      decided_at=timezone.now())
        audit.record(actor, "activity.refuse", done, {"activity": done.activity_id, "child": done.child_id,
                                                      "reason": text}, school_id=done.school_id)
    return done


# Attendance ----------------------------------------------------------------------------------------

def confirm_attendance(actor: Actor, activity_id: int, attended: list[int], absent: list[int]) -> int:
    """After the activity starts, the organiser confirms per child who came (attended_at: the activity's
    start) and who did not; confirming again overwrites. How many rows were written."""
    activity = selectors.organised_activity(actor, activity_id)
    if timezone.now() < activity.starts_at:
        raise UserFacingError("activities.attendance_too_early", starts=selectors.when(activity.starts_at))
    wanted = {pk: True for pk in attended} | {pk: False for pk in absent if pk not in attended}
    rows = list(SignUp.objects.filter(activity=activity, pk__in=list(wanted)[:5000]))
    if len(rows) != len(wanted) or any(s.status != SignUp.Status.ACCEPTED for s in rows):
        raise UserFacingError("activities.attendance_not_accepted")
    now = timezone.now()
    with transaction.atomic():
        for s in rows:
            came = wanted[s.pk]
            Attendance.objects.update_or_create(
                school_id=s.school_id, activity=activity, child_id=s.child_id,
                defaults={"sign_up": s, "attended": came, "attended_at": activity.starts_at if came else None,
                          "confirmed_by": actor.account, "confirmed_at": now})
        audit.record(actor, "activity.attendance", activity, {"attended": sum(wanted.values()),
                                                               "absent": len(wanted) - sum(wanted.values())},
                     school_id=activity.school_id)
    return len(rows)
