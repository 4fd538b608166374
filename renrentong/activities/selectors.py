"""Reading activities (ACT-1), always from what the actor may see: an organiser sees what they published, a
school admin also the social practice open to their school (and only their own children's sign-ups in it),
a parent the activities that reach their children. Any other id answers "not found" (NFR-2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renrentong.accounts.models import Enrollment, Guardianship, Person
from renrentong.activities import access
from renrentong.activities.models import Activity, Attendance, SignUp
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_phone
from renrentong.core.schemas import MAX_ID
from renrentong.orgs.models import Cohort, Region, School, SchoolClass, Stage


def when(at: datetime | None) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""


def region_chain(region_id: int | None) -> list[int]:
    """A region and the regions above it (district, city, province): the organisers that reach its schools."""
    region = Region.objects.select_related("parent__parent__parent").filter(pk=region_id).first() \
        if region_id is not None else None
    return _chain(region)


def _chain(region: Region | None) -> list[int]:
    chain: list[int] = []
    while region is not None and len(chain) < 4:  # province, city, district: the tree is three deep
        chain.append(region.pk)
        region = region.parent if region.parent_id else None
    return chain


@dataclass
class ChildPlace:
    """Where a child is today: what the audience of an activity is compared with."""

    person_id: int
    name: str
    school_id: int
    school_name: str
    class_id: int
    class_name: str
    grade: int
    grade_name: str
    regions: list[int] = field(default_factory=list)


def _places(person_ids) -> list[ChildPlace]:
    """Where each of these children is today, in one query whatever their number (ordered by person)."""
    enrollments = (Enrollment.objects.filter(person_id__in=person_ids, ended_on__isnull=True)
                   .select_related("person", "school__district__parent__parent", "school_class__cohort__stage")
                   .order_by("person_id"))
    places = []
    for enrollment in enrollments:
        school, school_class = enrollment.school, enrollment.school_class
        school_class.school = school  # display_name reads the school year from it
        cohort = school_class.cohort
        grade = cohort.grade_number(school.school_year)
        places.append(ChildPlace(enrollment.person_id, enrollment.person.name, school.pk, school.name, school_class.pk,
                                 school_class.display_name(), grade,
                                 cohort.stage.grade_label(grade) if 1 <= grade <= 12 else "", _chain(school.district)))
    return places


def child_place(person_id: int) -> ChildPlace | None:
    found = _places([person_id])
    return found[0] if found else None


def reaches(activity: Activity, place: ChildPlace) -> bool:
    """Whether the activity's organiser is the child's school or a region above it (the audience aside)."""
    if activity.region_id is not None:
        return activity.region_id in place.regions
    return activity.school_id == place.school_id


def grade_names(grades: list[int]) -> str:
    from renrentong.orgs.models import GRADE_NAMES

    return "、".join(str(GRADE_NAMES[g]) for g in sorted(grades) if g in GRADE_NAMES)


def audience_refusal(activity: Activity, place: ChildPlace) -> str | None:
    """Why the child is outside the activity's audience, in words for the parent; None when inside."""
    if not reaches(activity, place):
        if activity.region_id is not None:
            return _("it is for the schools of %(region)s only") % {"region": activity.organiser_name}
        return _("it is for the students of %(school)s only") % {"school": activity.organiser_name}
    if activity.school_ids and place.school_id not in activity.school_ids:
        return _("it is for chosen schools only, and %(school)s is not one of them") % {"school": place.school_name}
    if activity.grades and place.grade not in activity.grades:
        return _("it is for %(grades)s only, and %(child)s is in %(grade)s") % {
            "grades": grade_names(activity.grades), "child": place.name, "grade": place.grade_name}
    if activity.class_ids and place.class_id not in activity.class_ids:
        return _("it is for chosen classes only, and %(class)s is not one of them") % {"class": place.class_name}
    return None


# Parents -------------------------------------------------------------------------------------------

def my_children(actor: Actor) -> list[ChildPlace]:
    """A parent's linked children who are in a class today, in a stable order."""
    if not access.signs_up_children(actor):
        return []
    return _places(actor.scope.person_ids)


def _reaching(places: list[ChildPlace]) -> QuerySet[Activity]:
    schools = {p.school_id for p in places}
    regions = {r for p in places for r in p.regions}
    return Activity.objects.filter(Q(school_id__in=schools) | Q(region_id__in=regions))


@dataclass
class ChildChoice:
    child: ChildPlace
    refusal: str | None  # why the child may not sign up (outside the audience), or None
    sign_up: SignUp | None


@dataclass
class ParentActivity:
    activity: Activity
    children: list[ChildChoice]

    @property
    def open_to_some(self) -> bool:
        return any(c.refusal is None for c in self.children)


def _choices(activity: Activity, places: list[ChildPlace], signed: dict[tuple[int, int], SignUp]) -> list[ChildChoice]:
    return [ChildChoice(p, audience_refusal(activity, p), signed.get((activity.pk, p.person_id))) for p in places]


def activities_for_parent(actor: Actor) -> list[ParentActivity]:
    """Activities that reach the parent's children and are not over, soonest first, with each child's standing."""
    places = my_children(actor)
    if not places:
        return []
    found = list(_reaching(places).filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")[:100])
    signed = {(s.activity_id, s.child_id): s for s in SignUp.objects.filter(
        activity__in=found, child_id__in=[p.person_id for p in places])}
    result = [ParentActivity(a, _choices(a, places, signed)) for a in found]
    return [r for r in result if r.open_to_some or any(c.sign_up for c in r.children)]


def activity_for_parent(actor: Actor, activity_id: int) -> ParentActivity:
    places = my_children(actor)
    found = _reaching(places).filter(pk=activity_id).first() if places and 1 <= activity_id <= MAX_ID else None
    if found is None:
        raise UserFacingError("activities.not_found")
    signed = {(s.activity_id, s.child_id): s for s in SignUp.objects.filter(
        activity=found, child_id__in=[p.person_id for p in places])}
    return ParentActivity(found, _choices(found, places, signed))


def activity_for_child(actor: Actor, activity_id: int, child_id: int) -> tuple[Activity, ChildPlace | None]:
    """The activity, if it reaches the child (or, when not, another of the parent's children: then the
    refusal names why), with where the child is today; else "not found". The caller checked the child is
    the parent's."""
    place = child_place(child_id)
    found = Activity.objects.filter(pk=activity_id).first() if 1 <= activity_id <= MAX_ID else None
    if found is not None and place is not None and reaches(found, place):
        return found, place
    return activity_for_parent(actor, activity_id).activity, place


def campus_sign_up(actor: Actor, activity_id: int, child_id: int) -> tuple[Activity, ChildPlace] | None:
    """The sign-up's usual case in one statement: a campus activity of the child's school, with where the child is
    today, when the child is one the parent is linked to (the guardianships that make a parent's scope,
    accounts.access.scope_of) and inside its audience. None in every other case (not the parent's child, a
    region's activity, another school's, no class, outside the audience): the caller then checks the scope and
    takes activity_for_child and audience_refusal, which say why. A rush of sign-ups is CPU-bound in the ORM,
    and this one raw query replaces four of its statements (the parent's scope, the activity, the child's place
    with its school, class, cohort, stage and region chain): docs/benchmarks.md, activities. The place's class
    and grade names stay empty: only a refusal shows them, and a refusal never comes from here."""
    guardian_id = actor.account.person_id
    if not 1 <= activity_id <= MAX_ID or not access.signs_up_children(actor) or guardian_id is None:
        return None
    tables = {name: model._meta.db_table for name, model in (
        ("activity", Activity), ("enrollment", Enrollment), ("person", Person), ("school", School),
        ("class", SchoolClass), ("cohort", Cohort), ("stage", Stage), ("guardianship", Guardianship))}
    # The child's side is a subquery with its own LIMIT, the person's name and the guardianship scalar
    # subqueries: PostgreSQL plans each part apart. One flat join of all eight tables took 3-5 ms to plan
    # (its join orders), 25 times its run time and most of the database's CPU in a sign-up rush.
    found = next(iter(Activity.objects.raw(
        f"SELECT a.*, x.child_class_id, x.child_name, s.name AS child_school_name, "
        f"s.school_year AS child_school_year, co.enrollment_year AS child_enrollment_year, "
        f"st.level AS child_stage_level, st.system AS child_stage_system "
        f"FROM {tables['activity']} a "
        f"JOIN (SELECT e.school_id AS child_school_id, e.school_class_id AS child_class_id, "
        f"c.cohort_id AS child_cohort_id, (SELECT p.name FROM {tables['person']} p WHERE p.id = e.person_id) "
        f"AS child_name FROM {tables['enrollment']} e JOIN {tables['class']} c ON c.id = e.school_class_id "
        f"WHERE e.person_id = %s AND e.ended_on IS NULL AND EXISTS (SELECT 1 FROM {tables['guardianship']} g "
        f"WHERE g.student_id = e.person_id AND g.guardian_id = %s) ORDER BY e.id LIMIT 1) x "
        f"ON x.child_school_id = a.school_id "
        f"JOIN {tables['school']} s ON s.id = a.school_id "
        f"JOIN {tables['cohort']} co ON co.id = x.child_cohort_id "
        f"JOIN {tables['stage']} st ON st.id = co.stage_id "
        f"WHERE a.id = %s",
        [child_id, guardian_id, activity_id])), None)
    if found is None:
        return None
    stage = Stage(level=found.child_stage_level, system=found.child_stage_system)
    grade = stage.first_grade + found.child_school_year - found.child_enrollment_year
    place = ChildPlace(child_id, found.child_name, found.school_id, found.child_school_name, found.child_class_id,
                       "", grade, "")
    if found.school_ids or (found.grades and grade not in found.grades) or (
            found.class_ids and place.class_id not in found.class_ids):
        return None
    return found, place


def my_sign_ups(actor: Actor) -> list[SignUp]:
    """The sign-ups of the parent's children, newest activity first."""
    if not access.signs_up_children(actor):
        return []
    return list(SignUp.objects.filter(child_id__in=actor.scope.person_ids).select_related("activity", "child")
                .order_by("-activity__starts_at", "child_id")[:200])


def sign_up_for_parent(actor: Actor, sign_up_id: int) -> SignUp:
    found = SignUp.objects.select_related("activity", "child").filter(
        pk=sign_up_id, child_id__in=actor.scope.person_ids).first() \
        if access.signs_up_children(actor) and 1 <= sign_up_id <= MAX_ID else None
    if found is None:
        raise UserFacingError("activities.sign_up_not_found")
    return found


def waiting_position(sign_up: SignUp) -> int | None:
    """The child's number on the waiting list (1 moves up first), or None when not waiting."""
    if sign_up.status != SignUp.Status.WAITING:
        return None
    # Raw: every sign-up beyond the places asks this, and the ORM's count cost 0.7 ms of CPU against 0.1 ms
    # (docs/benchmarks.md, activities).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(SignUp._meta.db_table)} "
                       "WHERE activity_id = %s AND status = %s AND queue_number <= %s",
                       [sign_up.activity_id, SignUp.Status.WAITING.value, sign_up.queue_number])
        return cursor.fetchone()[0]


# Admins --------------------------------------------------------------------------------------------

def _managed(actor: Actor) -> QuerySet[Activity]:
    if not access.may_publish(actor):
        return Activity.objects.none()
    if access.publishes_for_region(actor):
        return Activity.objects.filter(region_id__in=actor.scope.region_ids)
    school = actor.identity.school
    return Activity.objects.filter(Q(school_id=school.pk) | Q(region_id__in=region_chain(school.district_id)))


def managed_activities(actor: Actor) -> list[Activity]:
    """An organiser's activities; a school admin's also include the social practice open to their school."""
    if not access.may_publish(actor):
        raise UserFacingError("activities.not_allowed")
    found = list(_managed(actor).order_by("-starts_at", "-pk")[:200])
    own_school = access.deciding_school(actor)
    return [a for a in found if access.organises(actor, a) or not a.school_ids or own_school in a.school_ids]


def activity_for_admin(actor: Actor, activity_id: int) -> Activity:
    if not access.may_publish(actor):
        raise UserFacingError("activities.not_allowed")
    found = _managed(actor).filter(pk=activity_id).first() if 1 <= activity_id <= MAX_ID else None
    own_school = access.deciding_school(actor)
    if found is None or not (access.organises(actor, found) or not found.school_ids or own_school in found.school_ids):
        raise UserFacingError("activities.not_found")
    return found


def organised_activity(actor: Actor, activity_id: int) -> Activity:
    found = activity_for_admin(actor, activity_id)
    if not access.organises(actor, found):
        raise UserFacingError("activities.not_organiser", organiser=found.organiser_name)
    return found


def sign_ups_of(actor: Actor, activity: Activity, status: str = "") -> QuerySet[SignUp]:
    """The activity's sign-ups the actor may see (the caller got `activity` from activity_for_admin): all of
    them for the organiser, only their own school's children for another school."""
    qs = SignUp.objects.filter(activity=activity)
    if not access.organises(actor, activity):
        qs = qs.filter(school_id=access.deciding_school(actor))
    if status in SignUp.Status.values:
        qs = qs.filter(status=status)
    return qs.select_related("child", "signed_up_by__person").order_by("queue_number", "pk")


def sign_up_for_admin(actor: Actor, sign_up_id: int) -> SignUp:
    found = SignUp.objects.select_related("activity").filter(pk=sign_up_id).first() \
        if access.may_publish(actor) and 1 <= sign_up_id <= MAX_ID else None
    if found is None or not (access.organises(actor, found.activity) or access.may_decide(actor, found)):
        raise UserFacingError("activities.sign_up_not_found")
    return found


@dataclass
class SignUpRow:
    sign_up: SignUp
    child: str
    school: str
    class_name: str
    parent: str
    phone: str  # masked (NFR-1)
    attended: bool | None


def sign_up_rows(sign_ups) -> list[SignUpRow]:
    """The admin list's rows: names of schools and classes read once, phones masked."""
    rows = list(sign_ups)
    schools = dict(School.objects.filter(pk__in={s.school_id for s in rows}).values_list("pk", "name"))
    classes = {c.pk: c for c in SchoolClass.objects.filter(pk__in={s.class_id for s in rows})
               .select_related("school", "cohort__stage")}
    attended = dict(Attendance.objects.filter(sign_up__in=[s.pk for s in rows]).values_list("sign_up_id", "attended"))
    out = []
    for s in rows:
        parent = s.signed_up_by
        school_class = classes.get(s.class_id)
        out.append(SignUpRow(s, s.child.name, schools.get(s.school_id, ""),
                             school_class.display_name() if school_class else "",
                             parent.person.name if parent.person_id else parent.number,
                             mask_phone(parent.phone) if parent.phone else "", attended.get(s.pk)))
    return out


def counts(actor: Actor, activity: Activity) -> list[tuple[str, str, int]]:
    """(status, label, how many) of the sign-ups the actor sees, in the statuses' order."""
    found = dict(sign_ups_of(actor, activity).order_by().values_list("status").annotate(n=Count("pk")))
    return [(value, label, found.get(value, 0)) for value, label in SignUp.Status.choices]


def pending_count(actor: Actor) -> int:
    """Sign-ups waiting for this school admin's approval (the console's badge)."""
    school = access.deciding_school(actor)
    if school is None:
        return 0
    return SignUp.objects.filter(school_id=school, status=SignUp.Status.PENDING).count()


def status_choices() -> list[tuple[str, str]]:
    return list(SignUp.Status.choices)


def audience_classes(actor: Actor) -> list[tuple[int, str]]:
    """The classes a school admin may name in the audience of a campus activity."""
    school = access.deciding_school(actor)
    if school is None:
        return []
    classes = SchoolClass.objects.filter(school_id=school, kind=SchoolClass.Kind.ADMINISTRATIVE).select_related(
        "school", "cohort__stage").order_by("cohort__stage__level", "-cohort__enrollment_year", "number")
    return [(c.pk, c.display_name()) for c in classes if not c.cohort.is_graduated(c.school.school_year)]


def audience_schools(actor: Actor) -> list[tuple[int, str]]:
    """The schools a region admin may name in the audience of a social practice."""
    if not access.publishes_for_region(actor):
        return []
    return [(s.pk, s.name) for s in actor.scope.schools(School.objects.all()).order_by("district__code", "code")[:500]]


def child_names(person_ids) -> dict[int, str]:
    return dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "name"))


# Filing attendance as evaluation material (issue 14 item 9) ------------------------------------------------

def filed_material(sign_up_ids) -> dict[int, int | None]:
    """The attended sign-ups among these, each with the record filed from it (None: not filed yet)."""
    return dict(Attendance.objects.filter(sign_up_id__in=list(sign_up_ids), attended=True,
                                          attended_at__isnull=False).values_list("sign_up_id", "material_id"))
