"""Reading peer evaluation (学生互评, EVA-5), always from what the actor may see: a student their own class's
classmates and whom they have rated; a school admin their school's switches and aggregates per student and
criterion, never single ratings; a city admin the city's switch."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from renrentong.accounts.models import Enrollment, Person
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import Region, School, SchoolClass, StageLevel

from renrentong.evaluation import selectors as evaluation
from renrentong.evaluation.models import PeerCriterion, PeerRating, PeerSwitch
from renrentong.evaluation.peer import access
from renrentong.evaluation.peer.standard import GRADES, MIN_RATERS, POINTS

GRADUATING_GRADE = 9
GRADE_CHOICES = PeerRating.Grade.choices


def city_switch(city_id: int, school_year: int) -> PeerSwitch | None:
    return PeerSwitch.objects.filter(region_id=city_id, school_id__isnull=True, school_year=school_year).first()


def school_switch(school_id: int, school_year: int) -> PeerSwitch | None:
    return PeerSwitch.objects.filter(school_id=school_id, school_year=school_year).first()


def criteria_of(city_id: int, school_year: int) -> list[PeerCriterion]:
    return list(PeerCriterion.objects.filter(region_id=city_id, school_id__isnull=True, school_year=school_year)
                .order_by("position", "pk"))


def closed_reason(school: School, city: Region | None, school_year: int) -> UserFacingError | None:
    """Why rating is closed for a school in a year, naming the switch that is off and who turns it on; None
    when both are on. The city's switch is named first: the school's alone cannot open it."""
    if city is None:
        return UserFacingError("evaluation.no_city")
    found = city_switch(city.pk, school_year)
    if found is None or not found.is_on:
        return UserFacingError("evaluation.peer_city_off")
    found = school_switch(school.pk, school_year)
    if found is None or not found.is_on:
        return UserFacingError("evaluation.peer_school_off")
    if not PeerCriterion.objects.filter(region_id=city.pk, school_id__isnull=True, school_year=school_year).exists():
        return UserFacingError("evaluation.peer_no_criteria", year=school_year)
    return None


def is_graduating_class(school_class: SchoolClass, school_year: int) -> bool:
    """九年级: a junior secondary class in grade 9 this year (the last junior year in 6-3 and 5-4 alike)."""
    cohort = school_class.cohort
    return (cohort.stage.level == StageLevel.JUNIOR and not cohort.is_graduated(school_year)
            and cohort.grade_number(school_year) == GRADUATING_GRADE)


@dataclass
class Classmate:
    person: Person
    rated: bool


@dataclass
class Standing:
    """Where a student stands in peer evaluation: their class, whether rating is open (else why not, a
    catalogue refusal naming who can fix it), the criteria and their classmates with a "rated" mark."""

    person: Person
    school: School
    school_class: SchoolClass
    school_year: int
    closed: UserFacingError | None
    criteria: list[PeerCriterion] = field(default_factory=list)
    classmates: list[Classmate] = field(default_factory=list)

    @property
    def rated_count(self) -> int:
        return sum(1 for c in self.classmates if c.rated)


def _own_place(actor: Actor) -> tuple[Person, Enrollment]:
    if not access.rates_classmates(actor):
        raise UserFacingError("evaluation.peer_students_only")
    person = actor.account.person
    enrollment = (Enrollment.objects.filter(person=person, ended_on__isnull=True)
                  .select_related("school__district__parent", "school_class__cohort__stage").first())
    if person is None or enrollment is None:
        raise UserFacingError("evaluation.not_enrolled")
    return person, enrollment


def standing(actor: Actor) -> Standing:
    """The student's page and the API's status: refused for anyone but a student in a class; closed (with the
    reason) for a student outside grade 9 or while a switch is off, the classmates still listed for grade 9."""
    person, enrollment = _own_place(actor)
    school, school_class = enrollment.school, enrollment.school_class
    year = school.school_year
    if not is_graduating_class(school_class, year):
        return Standing(person, school, school_class, year, UserFacingError("evaluation.peer_grade_nine_only"))
    city = evaluation.city_of_school(school)
    found = Standing(person, school, school_class, year, closed_reason(school, city, year),
                     criteria_of(city.pk, year) if city else [])
    rated = rated_ids(person.pk, school.pk, year)
    found.classmates = [Classmate(p, p.pk in rated) for p in classmates_of(person, school_class)]
    return found


def classmates_of(person: Person, school_class: SchoolClass) -> list[Person]:
    """Everyone else enrolled in the class now, by name (never the student themselves)."""
    return list(Person.objects.filter(enrollments__school_class=school_class, enrollments__ended_on__isnull=True)
                .exclude(pk=person.pk).order_by("name_pinyin", "name", "pk"))


def rated_ids(rater_id: int, school_id: int, school_year: int) -> set[int]:
    """Whom a student has rated: read only for that student themselves."""
    return set(PeerRating.objects.filter(school_id=school_id, school_year=school_year, rater_id=rater_id)
               .values_list("ratee_id", flat=True).distinct())


# The switches -------------------------------------------------------------------------------------------

@dataclass
class Switches:
    school_year: int
    city: PeerSwitch | None
    school: PeerSwitch | None
    city_name: str = ""
    school_name: str = ""

    @property
    def open(self) -> bool:
        return bool(self.city and self.city.is_on and self.school and self.school.is_on)


def switches_for(actor: Actor, school_year: int | None = None) -> Switches:
    """The switches that apply to the actor: the city's, and below a city the school's (the student's own)."""
    if not (access.sets_switch(actor) or access.rates_classmates(actor)):
        raise UserFacingError("evaluation.peer_switch_not_yours")
    city, year = evaluation.home_city(actor)
    year = school_year or year or evaluation.windows_for(actor).school_year
    school_id = actor.identity.school_id or next(iter(sorted(actor.scope.school_ids)), None)
    school = School.objects.filter(pk=school_id).first() if school_id and not access.sets_city_switch(actor) else None
    return Switches(year, city_switch(city.pk, year) if city else None,
                    school_switch(school.pk, year) if school else None,
                    city.name if city else "", school.name if school else "")


@dataclass
class CityCriteria:
    school_year: int
    criteria: list[PeerCriterion]  # the year's; empty until the city first turns rating on or sets them
    in_use: bool  # a student has rated: they can no longer change


def city_criteria(actor: Actor, school_year: int | None = None) -> CityCriteria:
    """The city admin's criteria of a school year (default: the current one)."""
    if not access.sets_criteria(actor):
        raise UserFacingError("evaluation.peer_criteria_not_yours")
    city, year = evaluation.home_city(actor)
    year = school_year or year or evaluation.windows_for(actor).school_year
    criteria = criteria_of(city.pk, year)
    return CityCriteria(year, criteria, criteria_in_use(criteria))


def criteria_in_use(criteria: list[PeerCriterion]) -> bool:
    """Has a student rated on any of these criteria? Then they can no longer change."""
    return PeerRating.objects.filter(criterion__in=criteria).exists()


# The school's aggregates ----------------------------------------------------------------------------------

@dataclass
class Cell:
    """One student's grades on one criterion: shown only from MIN_RATERS raters on, once rating is closed."""

    counts: dict[str, int]
    average: float | None


@dataclass
class ResultRow:
    person_id: int
    name: str
    class_name: str
    raters: int | None  # None while rating is open
    cells: list[Cell | None]  # None: withheld (rating still open, or fewer than MIN_RATERS raters)


@dataclass
class Results:
    school: School
    school_year: int
    criteria: list[PeerCriterion]
    rows: list[ResultRow]
    held: bool  # rating is open: grades are shown when it closes
    grades: list[tuple[int, str]]  # the grade-9 cohorts to filter by
    classes: list[tuple[int, str]]
    years: list[int]
    progress: list[tuple[str, int]] = field(default_factory=list)  # while open: classmates rated, per class
    min_raters: int = MIN_RATERS

    @property
    def withheld(self) -> int:
        return sum(1 for r in self.rows if r.raters is not None and r.raters < self.min_raters)


def _own_school(actor: Actor) -> School:
    if not access.reads_results(actor):
        raise UserFacingError("evaluation.peer_results_not_yours")
    return School.objects.select_related("district__parent").get(pk=actor.identity.school_id)


def _graduating_classes(school: School, school_year: int, cohort_id: int | None) -> list[SchoolClass]:
    found = [c for c in SchoolClass.objects.filter(school=school, cohort__stage__level=StageLevel.JUNIOR)
             .exclude(kind=SchoolClass.Kind.TEACHING).select_related("cohort__stage", "school")
             if is_graduating_class(c, school_year)]
    if cohort_id is not None:
        found = [c for c in found if c.cohort_id == cohort_id]
    return sorted(found, key=lambda c: (c.cohort.stage_id, c.number))


def results(actor: Actor, school_year: int | None = None, cohort_id: int | None = None,
            class_id: int | None = None) -> Results:
    """Per student of the school's grade 9 (filtered by grade and class) and per criterion: how many
    classmates rated them, and A..D counts with the average, once rating is closed and only from
    MIN_RATERS raters on. Another school's grade or class is simply not among the choices: "not found"."""
    school = _own_school(actor)
    year = school_year or school.school_year
    city = evaluation.city_of_school(school)
    all_classes = _graduating_classes(school, year, None)
    classes = [c for c in all_classes if cohort_id is None or c.cohort_id == cohort_id]
    known_grades = {c.cohort_id for c in all_classes}
    if cohort_id is not None and cohort_id not in known_grades:
        raise UserFacingError("scope.not_found")
    if class_id is not None:
        classes = [c for c in classes if c.pk == class_id]
        if not classes:
            raise UserFacingError("scope.not_found")
    class_names = {c.pk: c.display_name(year) for c in classes}
    criteria = criteria_of(city.pk, year) if city else []
    held = closed_reason(school, city, year) is None
    ratings = PeerRating.objects.filter(school_id=school.pk, school_year=year, class_id__in=class_names)
    raters: dict[int, int] = dict(ratings.values("ratee_id").annotate(n=Count("rater_id", distinct=True))
                                  .values_list("ratee_id", "n"))
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(GRADES, 0))
    if not held:
        for ratee_id, criterion_id, grade, n in (ratings.values("ratee_id", "criterion_id", "grade")
                                                 .annotate(n=Count("pk"))
                                                 .values_list("ratee_id", "criterion_id", "grade", "n")):
            counts[(ratee_id, criterion_id)][grade] = n
    members = (Enrollment.objects.filter(school_class_id__in=class_names, ended_on__isnull=True)
               .select_related("person").order_by("school_class_id", "person__name_pinyin", "person__name"))
    rows = []
    for enrollment in members:
        person = enrollment.person
        n = raters.get(person.pk, 0)
        cells: list[Cell | None] = []
        for criterion in criteria:
            if held or n < MIN_RATERS:
                cells.append(None)
                continue
            grades = counts[(person.pk, criterion.pk)]
            total = sum(grades.values())
            average = round(sum(POINTS[g] * k for g, k in grades.items()) / total, 1) if total else None
            cells.append(Cell(grades, average))
        rows.append(ResultRow(person.pk, person.name, class_names[enrollment.school_class_id],
                              None if held else n, cells))
    cohorts = {c.cohort_id: c.cohort for c in all_classes}
    years = sorted({year, school.school_year} | set(
        PeerSwitch.objects.filter(school_id=school.pk).values_list("school_year", flat=True)), reverse=True)
    found = Results(school, year, criteria, rows, held,
                    [(pk, c.grade_name(year)) for pk, c in sorted(cohorts.items())],
                    [(c.pk, class_names.get(c.pk) or c.display_name(year)) for c in all_classes
                     if cohort_id is None or c.cohort_id == cohort_id], years)
    if held and criteria:
        # While rating is open, only how many classmate ratings each class submitted (one criterion's rows
        # count the pairs): nothing per student, so nobody can watch one student's count move as another rates.
        pairs = dict(ratings.filter(criterion=criteria[0]).values("class_id").annotate(n=Count("pk"))
                     .values_list("class_id", "n"))
        found.progress = [(name, pairs.get(pk, 0)) for pk, name in class_names.items()]
    return found
