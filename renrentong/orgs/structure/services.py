"""Verbs that build a school's structure (ORG-4, ORG-5): campuses, stages, grades, classes, naming.

A grade is not a row: it is a cohort (the students of a stage who enrolled in one year) seen through the
school year (orgs/grades.py, Cohort.grade_number). "Add grade 3" therefore adds the cohort that enrolled
two years before the current school year; the rollover moves it up without touching it.

Who: the school admin of the school and the region admins above it. Every id is looked up inside the
actor's scope first, so another school's campus, stage, grade or class is "not found" (NFR-2), and only
then is the role checked. The school system is not changed here (ORG-6, orgs/tenants.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.text import normalize_text

from renrentong.orgs.policy import region_contact
from renrentong.orgs.selectors import school_in_scope
from renrentong.orgs.structure import access
from renrentong.orgs.models import Campus, Cohort, School, SchoolClass, Stage, new_class_codes

MAX_CLASS_NUMBER = 99
MAX_CLASSES_PER_GRADE = 50
MAX_NAME = 32
MAX_GRADE_NAME = 16


@dataclass
class Created:
    """What a batch created, for the page's summary and the API's answer."""

    campus_id: int | None = None
    stage_ids: list[int] = field(default_factory=list)
    cohort_ids: list[int] = field(default_factory=list)
    class_ids: list[int] = field(default_factory=list)
    skipped_numbers: list[int] = field(default_factory=list)  # classes that existed already


# --- Scope and permission -------------------------------------------------------------------------

def _require_editor(actor: Actor) -> None:
    actor.require_identity()
    if not access.may_build_structure(actor):
        raise UserFacingError("structure.not_allowed")


def editable_school(actor: Actor, school_id: int, *, lock: bool = False) -> School:
    school = school_in_scope(actor, school_id, lock=lock)
    _require_editor(actor)
    return school


def _in_scope(actor: Actor, qs, pk: int, school_path: str):
    found = qs.filter(pk=pk, **{f"{school_path}__in": actor.scope.schools(School.objects.all())}).first()
    if found is None:
        raise UserFacingError("scope.not_found")
    _require_editor(actor)
    return found


def editable_campus(actor: Actor, campus_id: int) -> Campus:
    return _in_scope(actor, Campus.objects.select_related("school"), campus_id, "school")


def editable_stage(actor: Actor, stage_id: int) -> Stage:
    return _in_scope(actor, Stage.objects.select_related("campus__school"), stage_id, "campus__school")


def editable_cohort(actor: Actor, cohort_id: int) -> Cohort:
    return _in_scope(actor, Cohort.objects.select_related("stage__campus__school"), cohort_id,
                     "stage__campus__school")


def editable_class(actor: Actor, class_id: int) -> SchoolClass:
    return _in_scope(actor, SchoolClass.objects.select_related("school", "cohort__stage__campus"), class_id,
                     "school")


# --- Reads for the pages ------------------------------------------------------------------------

def stage_preview(school: School, level: str) -> Stage:
    """An unsaved stage of the school's system: its grades and their names, before it exists."""
    return Stage(level=level, system=school.system)


def campus_levels(campus: Campus) -> set[str]:
    return set(campus.stages.values_list("level", flat=True))


def missing_grades(stage: Stage) -> list[tuple[int, str, int]]:
    """The grades of a stage that have no cohort yet: (grade number, name, enrollment year)."""
    school = stage.campus.school
    existing = set(stage.cohorts.values_list("enrollment_year", flat=True))
    return [(g, stage.grade_label(g), year) for g in range(stage.first_grade, stage.first_grade + stage.years)
            if (year := school.school_year - (g - stage.first_grade)) not in existing]


def class_numbers(cohort: Cohort) -> list[int]:
    return sorted(cohort.classes.filter(kind=SchoolClass.Kind.ADMINISTRATIVE).values_list("number", flat=True))


def grade_names(stage: Stage) -> list[tuple[int, str, str]]:
    """Per grade of the stage: (number, the name set here or "", the platform's name)."""
    return [(g, stage.grade_names.get(str(g), ""), str(Stage(level=stage.level).grade_label(g)))
            for g in range(stage.first_grade, stage.first_grade + stage.years)]


# --- Checks shared by the verbs ------------------------------------------------------------------

def _check_level(school: School, level: str) -> None:
    if level not in Stage.Level.values:
        raise UserFacingError("structure.unknown_level", level=level)
    if level not in school.registered_levels():
        raise UserFacingError("structure.level_not_registered", level=str(Stage.Level(level).label),
                              school=school.name, system=system_label(school.system),
                              contact=region_contact(school.district))


def system_label(system: str) -> str:
    return str(Stage.System(system).label)


def _check_counts(stage: Stage, counts: list[int]) -> None:
    if len(counts) > stage.years:
        raise UserFacingError("structure.too_many_grades", stage=str(stage.get_level_display()),
                              years=stage.years, system=system_label(stage.system))
    for count in counts:
        if not 0 <= count <= MAX_CLASSES_PER_GRADE:
            raise UserFacingError("structure.class_count", limit=MAX_CLASSES_PER_GRADE)


def _check_range(first: int, last: int) -> None:
    if not 1 <= first <= last <= MAX_CLASS_NUMBER:
        raise UserFacingError("structure.class_range", limit=MAX_CLASS_NUMBER)
    if last - first + 1 > MAX_CLASSES_PER_GRADE:
        raise UserFacingError("structure.class_count", limit=MAX_CLASSES_PER_GRADE)


def _clean_name(name: str) -> str:
    # Inner spaces stay ("东 校区" is rare but meant); full-width letters fold as everywhere else.
    cleaned = " ".join(normalize_text(part) for part in (name or "").split())
    if not cleaned or len(cleaned) > MAX_NAME:
        raise UserFacingError("structure.campus_name", limit=MAX_NAME)
    return cleaned


# --- Creating -------------------------------------------------------------------------------------

def _create_classes(school: School, cohort: Cohort, numbers: list[int], kind: str, created: Created) -> None:
    taken = set(SchoolClass.objects.filter(cohort=cohort, kind=kind, number__in=numbers)
                .values_list("number", flat=True))
    wanted = [n for n in numbers if n not in taken]
    codes = new_class_codes(len(wanted))
    made = SchoolClass.objects.bulk_create([
        SchoolClass(school=school, cohort=cohort, number=n, code=code, kind=kind) for n, code in zip(wanted, codes)
    ])
    created.class_ids += [c.pk for c in made]
    created.skipped_numbers += sorted(taken)


def _fill_stage(school: School, stage: Stage, counts: list[int], created: Created) -> None:
    """counts[i] classes in the i-th grade of the stage: grade first_grade + i, enrolled i years ago."""
    for offset, count in enumerate(counts):
        if count <= 0:
            continue
        cohort, made = Cohort.objects.get_or_create(stage=stage, enrollment_year=school.school_year - offset)
        if made:
            created.cohort_ids.append(cohort.pk)
        _create_classes(school, cohort, list(range(1, count + 1)), SchoolClass.Kind.ADMINISTRATIVE, created)


@transaction.atomic
def create_campus(actor: Actor, school_id: int, name: str, stages: dict[str, list[int]]) -> Created:
    """Quick creation (快速创建校区、年级、班级): a campus, its stages, and N classes in each grade."""
    school = editable_school(actor, school_id, lock=True)
    name = _clean_name(name)
    if not stages:
        raise UserFacingError("structure.no_stage")
    if Campus.objects.filter(school=school, name=name).exists():
        raise UserFacingError("structure.campus_exists", name=name)
    for level in stages:
        _check_level(school, level)
    campus = Campus.objects.create(school=school, name=name)
    created = Created(campus_id=campus.pk)
    for level in Stage.Level.values:
        if level in stages:
            stage = Stage(campus=campus, level=level, system=school.system)
            _check_counts(stage, stages[level])
            stage.save()
            created.stage_ids.append(stage.pk)
            _fill_stage(school, stage, stages[level], created)
    audit.record(actor, "structure.campus_create", campus, {
        "name": name, "stages": stages, "classes": len(created.class_ids)}, school_id=school.pk)
    return created


@transaction.atomic
def add_stage(actor: Actor, campus_id: int, level: str, counts: list[int]) -> Created:
    campus = editable_campus(actor, campus_id)
    school = School.objects.select_for_update().get(pk=campus.school_id)
    _check_level(school, level)
    if Stage.objects.filter(campus=campus, level=level).exists():
        raise UserFacingError("structure.stage_exists", stage=str(Stage.Level(level).label), campus=campus.name)
    stage = Stage(campus=campus, level=level, system=school.system)
    _check_counts(stage, counts)
    stage.save()
    created = Created(campus_id=campus.pk, stage_ids=[stage.pk])
    _fill_stage(school, stage, counts, created)
    audit.record(actor, "structure.stage_add", stage, {
        "campus": campus.name, "level": level, "counts": counts, "classes": len(created.class_ids)},
        school_id=school.pk)
    return created


@transaction.atomic
def add_grade(actor: Actor, stage_id: int, grade: int, first: int, last: int) -> Created:
    """Adds grade `grade` (1-12) to a stage, i.e. the cohort that enrolled (grade - first grade) years
    before this school year, with classes numbered first..last."""
    stage = editable_stage(actor, stage_id)
    school = School.objects.select_for_update().get(pk=stage.campus.school_id)
    if not stage.first_grade <= grade < stage.first_grade + stage.years:
        raise UserFacingError("structure.grade_outside_stage", grade=grade, stage=str(stage.get_level_display()),
                              first=stage.first_grade, last=stage.first_grade + stage.years - 1,
                              system=system_label(stage.system))
    _check_range(first, last)
    year = school.school_year - (grade - stage.first_grade)
    existing = Cohort.objects.filter(stage=stage, enrollment_year=year).first()
    if existing is not None:
        existing.stage = stage
        raise UserFacingError("structure.grade_exists", grade=existing.grade_name(school.school_year))
    cohort = Cohort.objects.create(stage=stage, enrollment_year=year)
    created = Created(campus_id=stage.campus_id, cohort_ids=[cohort.pk])
    _create_classes(school, cohort, list(range(first, last + 1)), SchoolClass.Kind.ADMINISTRATIVE, created)
    audit.record(actor, "structure.grade_add", cohort, {
        "grade": grade, "enrollment_year": year, "from": first, "to": last}, school_id=school.pk)
    return created


@transaction.atomic
def add_classes(actor: Actor, cohort_id: int, first: int, last: int,
                kind: str = SchoolClass.Kind.ADMINISTRATIVE) -> Created:
    """Classes numbered first..last in a grade; numbers that exist are left alone, so a repeat is a no-op."""
    cohort = editable_cohort(actor, cohort_id)
    cohort = Cohort.objects.select_for_update().select_related("stage__campus__school").get(pk=cohort.pk)
    school = cohort.stage.campus.school
    if kind not in (SchoolClass.Kind.ADMINISTRATIVE, SchoolClass.Kind.TEACHING):
        raise UserFacingError("structure.class_kind")
    if cohort.is_graduated(school.school_year):
        raise UserFacingError("structure.cohort_graduated", grade=cohort.grade_name(school.school_year))
    _check_range(first, last)
    created = Created(campus_id=cohort.stage.campus_id)
    _create_classes(school, cohort, list(range(first, last + 1)), kind, created)
    audit.record(actor, "structure.classes_add", cohort, {
        "from": first, "to": last, "kind": kind, "created": len(created.class_ids),
        "existing": created.skipped_numbers}, school_id=school.pk)
    return created


# --- Naming (ORG-5) -------------------------------------------------------------------------------

def clean_class_pattern(text: str) -> str:
    """"" (the platform's names) or a pattern holding {n} and maybe {grade}, and no other braces."""
    pattern = normalize_text(text)
    if pattern:
        rest = pattern.replace("{grade}", "").replace("{n}", "")
        if "{n}" not in pattern or "{" in rest or "}" in rest or len(pattern) > MAX_NAME:
            raise UserFacingError("structure.class_pattern", limit=MAX_NAME)
    return pattern


@transaction.atomic
def set_naming(actor: Actor, stage_id: int, grade_names: dict[int, str], class_pattern: str) -> Stage:
    """Grade names per grade number of the stage ("" = the platform's name) and the class name pattern
    ("" = the platform's; otherwise it must hold {n}, the class number, and may hold {grade})."""
    stage = editable_stage(actor, stage_id)
    stage = Stage.objects.select_for_update().select_related("campus__school").get(pk=stage.pk)
    grades = range(stage.first_grade, stage.first_grade + stage.years)
    names: dict[str, str] = {}
    for grade, name in grade_names.items():
        if grade not in grades:
            raise UserFacingError("structure.grade_outside_stage", grade=grade,
                                  stage=str(stage.get_level_display()), first=stage.first_grade,
                                  last=stage.first_grade + stage.years - 1, system=system_label(stage.system))
        cleaned = normalize_text(name)
        if len(cleaned) > MAX_GRADE_NAME or "{" in cleaned or "}" in cleaned:
            raise UserFacingError("structure.grade_name", limit=MAX_GRADE_NAME)
        if cleaned:
            names[str(grade)] = cleaned
    if len(set(names.values())) < len(names):
        raise UserFacingError("structure.grade_name_twice")
    pattern = clean_class_pattern(class_pattern)
    old = {"grade_names": stage.grade_names, "class_pattern": stage.class_pattern}
    stage.grade_names = names
    stage.class_pattern = pattern
    stage.save(update_fields=["grade_names", "class_pattern"])
    audit.record(actor, "structure.naming", stage, {
        "old": old, "new": {"grade_names": names, "class_pattern": pattern}}, school_id=stage.campus.school_id)
    return stage


# --- Deleting -------------------------------------------------------------------------------------

@transaction.atomic
def delete_class(actor: Actor, class_id: int) -> None:
    """Deletes an empty class. One with students is refused: move them first (批量调班). One that had
    students keeps their history (enrollments are never deleted, ARCHITECTURE), so it stays too."""
    found = editable_class(actor, class_id)
    school_class = SchoolClass.objects.select_for_update().select_related("school", "cohort__stage").get(
        pk=found.pk)
    counts = school_class.enrollments.aggregate(
        current=Count("pk", filter=Q(ended_on__isnull=True)), former=Count("pk", filter=Q(ended_on__isnull=False)))
    name = school_class.display_name()
    if counts["current"]:
        raise UserFacingError("structure.class_has_students", name=name, count=counts["current"])
    if counts["former"]:
        raise UserFacingError("structure.class_has_history", name=name, count=counts["former"])
    details = {"name": name, "code": school_class.code, "number": school_class.number, "kind": school_class.kind,
               "cohort_id": school_class.cohort_id}
    audit.record(actor, "structure.class_delete", school_class, details, school_id=school_class.school_id)
    school_class.delete()
