"""The yearly rollover (ORG-7): classes move up a grade, final-year classes graduate (校友录).

A grade is derived from the cohort's enrollment year, the school's school year and its school system,
so moving every class up is one change: School.school_year + 1. Graduating ends the open enrollments of
the final-year administrative classes (reason "graduated"), makes those classes "graduated" and the
students' accounts "graduated"; nothing else moves.

Each school rolls in one transaction of its own, its row locked: a run killed midway leaves every school
either fully rolled or untouched, and running it again rolls the rest. A school rolls into a school year
once (a school already in the target year is skipped, and a unique constraint holds even against two
concurrent runs), so running it twice changes nothing.

Admins run it by hand inside their region's window (EffectivePolicy.rollover_window_start/_end, 1 July
to 31 March in Zhejiang); on the set date (rollover_auto_date) `run_scheduled` rolls every school that
has not been rolled (the `rollover` management command, daily from cron, or the task in tasks.py).
A run can be undone inside the same window, as long as it is the school's latest.
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from renrentong.accounts.models import Account, Enrollment
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.bulk import among, bulk_insert, chunks
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import Cohort, School, SchoolClass
from renrentong.orgs.policy import EffectivePolicy, policy_for_school

from renrentong.rollover import access
from renrentong.rollover.models import Graduate, RolloverRun

# Accounts in these states become "graduated"; a frozen, left or deleted account keeps its state.
GRADUATING_STATUSES = (Account.Status.ACTIVE, Account.Status.PENDING)


# -- the calendar ------------------------------------------------------------------------------------

def _month_day(value: str) -> tuple[int, int]:
    month, day = value.split("-")
    return int(month), int(day)


def target_year(today: date, policy: EffectivePolicy) -> int:
    """The school year a school should be in on `today`: the window opens it (1 July 2026 opens 2026)."""
    start = _month_day(policy.rollover_window_start)
    return today.year if (today.month, today.day) >= start else today.year - 1


def window_of(year: int, policy: EffectivePolicy) -> tuple[date, date]:
    """The dates (inclusive) of the window that opens school year `year`."""
    start, end = _month_day(policy.rollover_window_start), _month_day(policy.rollover_window_end)
    opens = date(year, *start)
    closes = date(year if end >= start else year + 1, *end)
    return opens, closes


def in_window(today: date, policy: EffectivePolicy) -> bool:
    opens, closes = window_of(target_year(today, policy), policy)
    return opens <= today <= closes


def auto_date_of(year: int, policy: EffectivePolicy) -> date:
    start, auto = _month_day(policy.rollover_window_start), _month_day(policy.rollover_auto_date)
    return date(year if auto >= start else year + 1, *auto)


# -- what would change ---------------------------------------------------------------------------------

@dataclass
class ClassPlan:
    school_class: SchoolClass
    grade_before: int
    students: int


@dataclass
class SchoolPlan:
    school: School
    to_year: int
    state: str  # ready | done (already in the target year) | behind (more than a year behind)
    in_window: bool
    window: tuple[date, date]
    moving_up: list[ClassPlan] = field(default_factory=list)
    graduating: list[ClassPlan] = field(default_factory=list)

    @property
    def students_up(self) -> int:
        return sum(c.students for c in self.moving_up)

    @property
    def students_graduating(self) -> int:
        return sum(c.students for c in self.graduating)


def _schools(actor: Actor, school_ids: list[int] | None = None):
    """The schools the actor may roll: a school admin their school, a region admin every school below."""
    actor.require_identity()
    if not access.can_roll_over(actor):
        raise UserFacingError("rollover.not_allowed")
    # A school admin's scope is their one school; a region admin's every school below.
    schools = actor.scope.schools(School.objects.all())
    if school_ids is not None:
        schools = schools.filter(pk__in=school_ids)
        if schools.count() != len(set(school_ids)):
            raise UserFacingError("scope.not_found")
    return schools.select_related("district").order_by("code")


def _final(cohort: Cohort, school_year: int) -> bool:
    """In its stage's last grade this school year (or past it without having graduated)."""
    return school_year - cohort.enrollment_year >= cohort.stage.years - 1


def plan_school(school: School, today: date) -> SchoolPlan:
    policy = policy_for_school(school)
    year = target_year(today, policy)
    state = "done" if school.school_year >= year else ("ready" if school.school_year == year - 1 else "behind")
    plan = SchoolPlan(school, year, state, in_window(today, policy), window_of(year, policy))
    if state != "ready":
        return plan
    classes = list(SchoolClass.objects.filter(school=school, kind=SchoolClass.Kind.ADMINISTRATIVE)
                   .select_related("cohort__stage", "school")
                   .order_by("cohort__stage__level", "-cohort__enrollment_year", "number"))
    students = dict(Enrollment.objects.filter(school_id=school.pk, ended_on=None).values("school_class_id")
                    .annotate(n=Count("pk")).values_list("school_class_id", "n"))
    for c in classes:
        if c.cohort.is_graduated(school.school_year) and not _final(c.cohort, school.school_year):
            continue
        item = ClassPlan(c, c.cohort.grade_number(school.school_year), students.get(c.pk, 0))
        (plan.graduating if _final(c.cohort, school.school_year) else plan.moving_up).append(item)
    return plan


def preview(actor: Actor, school_ids: list[int] | None = None, today: date | None = None) -> list[SchoolPlan]:
    today = today or timezone.localdate()
    return [plan_school(school, today) for school in _schools(actor, school_ids)]


# -- doing it ------------------------------------------------------------------------------------------

def run(actor: Actor, school_ids: list[int] | None = None, today: date | None = None) -> list[RolloverRun]:
    """Roll every school in scope (or those named) that is due; one transaction per school. Refused
    outside the window; schools already rolled are skipped, so running it again changes nothing."""
    today = today or timezone.localdate()
    schools = list(_schools(actor, school_ids))
    done = []
    for school in schools:
        policy = policy_for_school(school)
        if not in_window(today, policy):
            opens, closes = window_of(target_year(today, policy), policy)
            raise UserFacingError("rollover.outside_window", start=f"{opens:%m-%d}", end=f"{closes:%m-%d}")
        year = target_year(today, policy)
        if school.school_year < year - 1:
            raise UserFacingError("rollover.school_behind", school=school.name, year=school.school_year)
    for school in schools:
        rolled = roll_school(school.pk, target_year(today, policy_for_school(school)), today, actor,
                             RolloverRun.Trigger.MANUAL)
        if rolled is not None:
            done.append(rolled)
        _test_pause()
    return done


def run_scheduled(today: date | None = None) -> list[RolloverRun]:
    """Roll every school whose set date has come and that nobody has rolled by hand (safe to run daily)."""
    today = today or timezone.localdate()
    done = []
    for school in School.objects.select_related("district").order_by("pk"):
        policy = policy_for_school(school)
        year = target_year(today, policy)
        if school.school_year != year - 1 or not in_window(today, policy) or today < auto_date_of(year, policy):
            continue
        rolled = roll_school(school.pk, year, today, None, RolloverRun.Trigger.SCHEDULED)
        if rolled is not None:
            done.append(rolled)
        _test_pause()
    return done


def _test_pause() -> None:
    # Lets a test kill a run between two schools; never set in production.
    delay = float(os.environ.get("RRT_ROLLOVER_SCHOOL_PAUSE", "0"))
    if delay:
        time.sleep(delay)


def roll_school(school_id: int, to_year: int, today: date, actor: Actor | None, trigger: str) -> RolloverRun | None:
    """One school, in one transaction; None when it is not one year behind `to_year` (already rolled)."""
    try:
        with transaction.atomic():
            return _roll_school(school_id, to_year, today, actor, trigger)
    except IntegrityError:
        # Another run rolled the school between our read and our write (the unique constraint): done.
        if RolloverRun.objects.filter(school_id=school_id, to_year=to_year, status=RolloverRun.Status.DONE).exists():
            return None
        raise


def _roll_school(school_id: int, to_year: int, today: date, actor: Actor | None, trigger: str) -> RolloverRun | None:
    school = School.objects.select_for_update().get(pk=school_id)
    if school.school_year != to_year - 1:
        return None
    classes = list(SchoolClass.objects.filter(school=school, kind=SchoolClass.Kind.ADMINISTRATIVE)
                   .select_related("cohort__stage"))
    graduating = [c for c in classes if _final(c.cohort, school.school_year)]
    taken = set(SchoolClass.objects.filter(cohort__in={c.cohort_id for c in graduating},
                                           kind=SchoolClass.Kind.GRADUATED).values_list("cohort_id", "number"))
    # A class whose number is already taken among the cohort's graduated classes cannot become one;
    # it stays as it is (it shows as graduated by its cohort) and its students still graduate.
    becoming = [c.pk for c in graduating if (c.cohort_id, c.number) not in taken]
    graduating_ids = [c.pk for c in graduating]
    enrollments = list(Enrollment.objects.filter(school_class_id__in=graduating_ids, ended_on=None)
                       .values_list("pk", "person_id", "school_class_id", "reason"))
    people = [person for _, person, _, _ in enrollments]
    accounts: dict[int, tuple[int, str]] = {}
    for chunk in chunks(people):
        accounts.update({person: (pk, status) for pk, person, status in Account.objects.filter(
            among("person_id", chunk)).values_list("pk", "person_id", "status")})
    now = timezone.now()
    moving_up = [c.pk for c in classes if c.pk not in set(graduating_ids)
                 and not c.cohort.is_graduated(school.school_year)]
    students_up = Enrollment.objects.filter(school_class_id__in=moving_up, ended_on=None).count() if moving_up else 0
    run_row = RolloverRun.objects.create(
        school=school, from_year=school.school_year, to_year=to_year, trigger=trigger,
        run_by=actor.account if actor else None, run_on=today, graduated_classes=becoming,
        counts={"classes_up": len(moving_up), "students_up": students_up, "classes_graduated": len(graduating),
                "students_graduated": len(enrollments)},
    )
    bulk_insert(Graduate, [
        {"run_id": run_row.pk, "school_id": school.pk, "enrollment_id": pk, "person_id": person,
         "school_class_id": klass,
         "previous_reason": reason, "account_id": accounts.get(person, (None, ""))[0],
         "previous_status": accounts.get(person, (None, ""))[1]}
        for pk, person, klass, reason in enrollments
    ], ids=False)
    for chunk in chunks([pk for pk, _, _, _ in enrollments]):
        Enrollment.objects.filter(among("pk", chunk)).update(ended_on=today, reason="graduated")
    for chunk in chunks([pk for pk, status in accounts.values() if status in GRADUATING_STATUSES]):
        Account.objects.filter(among("pk", chunk)).update(status=Account.Status.GRADUATED, status_changed_at=now)
    SchoolClass.objects.filter(pk__in=becoming).update(kind=SchoolClass.Kind.GRADUATED)
    School.objects.filter(pk=school.pk).update(school_year=to_year)
    audit.record(actor, "rollover.run", run_row, {"from_year": run_row.from_year, "to_year": to_year,
                                                  "trigger": trigger, **run_row.counts}, school_id=school.pk)
    return run_row


def runs_in_scope(actor: Actor):
    return RolloverRun.objects.filter(school__in=_schools(actor)).select_related("school", "run_by").order_by(
        "-created_at", "-pk")


def run_in_scope(actor: Actor, run_id: int) -> RolloverRun:
    found = runs_in_scope(actor).filter(pk=run_id).first()
    if found is None:
        raise UserFacingError("scope.not_found")
    return found


def undo(actor: Actor, run_id: int, today: date | None = None) -> RolloverRun:
    """Step the school's year back and un-graduate what the run graduated, inside the window, for the
    school's latest run. A graduate enrolled somewhere since keeps that enrollment (counted)."""
    today = today or timezone.localdate()
    found = run_in_scope(actor, run_id)
    with transaction.atomic():
        school = School.objects.select_for_update().get(pk=found.school_id)
        run_row = RolloverRun.objects.select_for_update().get(pk=found.pk)
        if run_row.status != RolloverRun.Status.DONE:
            raise UserFacingError("rollover.wrong_state", state=run_row.get_status_display())
        policy = policy_for_school(school)
        opens, closes = window_of(run_row.to_year, policy)
        if not opens <= today <= closes:
            raise UserFacingError("rollover.outside_window", start=f"{opens:%m-%d}", end=f"{closes:%m-%d}")
        if school.school_year != run_row.to_year:
            raise UserFacingError("rollover.not_latest", school=school.name)
        graduates = list(run_row.graduates.values_list("enrollment_id", "person_id", "previous_reason", "account_id",
                                                       "previous_status"))
        report = Counter()
        enrolled_since: set[int] = set()
        for chunk in chunks([person for _, person, _, _, _ in graduates]):
            enrolled_since.update(Enrollment.objects.filter(among("person_id", chunk), ended_on=None)
                                  .values_list("person_id", flat=True))
        by_reason: dict[str, list[int]] = defaultdict(list)
        for enrollment, person, reason, _, _ in graduates:
            if person in enrolled_since:
                report["graduates_enrolled_since"] += 1
            else:
                by_reason[reason].append(enrollment)
        for reason, enrollments in by_reason.items():
            for chunk in chunks(enrollments):
                report["enrollments_reopened"] += Enrollment.objects.filter(
                    among("pk", chunk), ended_on=run_row.run_on, reason="graduated").update(
                    ended_on=None, reason=reason)
        by_status: dict[str, list[int]] = defaultdict(list)
        for _, person, _, account, status in graduates:
            if account and status in GRADUATING_STATUSES and person not in enrolled_since:
                by_status[status].append(account)
        now = timezone.now()
        for status, accounts in by_status.items():
            for chunk in chunks(accounts):
                report["accounts_restored"] += Account.objects.filter(
                    among("pk", chunk), status=Account.Status.GRADUATED).update(status=status, status_changed_at=now)
        report["classes_restored"] = SchoolClass.objects.filter(
            pk__in=run_row.graduated_classes, kind=SchoolClass.Kind.GRADUATED).update(
            kind=SchoolClass.Kind.ADMINISTRATIVE)
        School.objects.filter(pk=school.pk).update(school_year=run_row.from_year)
        run_row.status, run_row.undone_at, run_row.undone_by = RolloverRun.Status.UNDONE, now, actor.account
        run_row.counts = {**run_row.counts, "undo": dict(report)}
        run_row.save(update_fields=["status", "undone_at", "undone_by", "counts"])
        audit.record(actor, "rollover.undo", run_row, dict(report), school_id=school.pk)
    return run_row


# -- the alumni list (校友录) ---------------------------------------------------------------------------

@dataclass
class AlumniClass:
    school_class: SchoolClass
    graduation_year: int
    names: list[str]


def alumni(actor: Actor, school_id: int | None = None) -> list[AlumniClass]:
    """Graduated classes of the schools in scope, newest first, with their graduates' names."""
    schools = _schools(actor, [school_id] if school_id else None)
    classes = list(SchoolClass.objects.filter(school__in=schools, kind=SchoolClass.Kind.GRADUATED)
                   .select_related("cohort__stage", "school")[:500])
    names: dict[int, list[str]] = defaultdict(list)
    for klass, name in Enrollment.objects.filter(school_class__in=classes, reason="graduated").order_by(
            "person__name").values_list("school_class_id", "person__name"):
        names[klass].append(name)
    found = [AlumniClass(c, c.cohort.enrollment_year + c.cohort.stage.years, names.get(c.pk, [])) for c in classes]
    return sorted(found, key=lambda a: (-a.graduation_year, a.school_class.school.code, a.school_class.number))
