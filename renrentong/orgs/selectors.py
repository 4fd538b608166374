"""Reads of the region tree and school structure, always within the Actor's scope (ORG-1..ORG-3)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError

from renrentong.orgs import access
from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage


def visible_regions(actor: Actor) -> list[Region]:
    return list(actor.scope.regions(Region.objects.all()).order_by("code"))


def visible_districts(actor: Actor) -> list[Region]:
    """The districts within the actor's scope: where a region admin may register a school."""
    return [r for r in visible_regions(actor) if r.kind == Region.Kind.DISTRICT]


def region_in_scope(actor: Actor, region_id: int) -> Region:
    region = actor.scope.regions(Region.objects.all()).filter(pk=region_id).first()
    if region is None:
        raise UserFacingError("scope.not_found")
    return region


def visible_schools(actor: Actor, district_id: int | None = None) -> list[School]:
    qs = actor.scope.schools(School.objects.all()).select_related("district")
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    return list(qs.order_by("district__code", "code"))


def school_in_scope(actor: Actor, school_id: int, *, lock: bool = False) -> School:
    """A school within the actor's scope (locked for a change if asked), else "not found" (NFR-2)."""
    qs = actor.scope.schools(School.objects.all()).select_related("district")
    school = (qs.select_for_update(of=("self",)) if lock else qs).filter(pk=school_id).first()
    if school is None:
        raise UserFacingError("scope.not_found")
    return school


def school_for(actor: Actor, school_id: int | None = None, *, not_allowed: str, not_found: str = "scope.not_found",
               school_required: str | None = None, region_admins: bool = True) -> School:
    """The one school this actor may act on (the single answer to "which school?" for every app).

    A school admin acts on their own school; naming it (or naming none) gives it, naming another is
    `not_found`. A region admin (unless `region_admins` is False) must name a school within their scope:
    none named is `school_required` (default: `not_found`), one outside is `not_found`. Anyone else is
    refused with `not_allowed`. The codes are the caller's, so each app keeps the refusal it documents.
    """
    identity = actor.require_identity()
    if access.acts_as_school_admin(actor):
        if school_id not in (None, identity.school_id):
            raise UserFacingError(not_found)
        return identity.school
    if not (region_admins and access.acts_as_region_admin(actor)):
        raise UserFacingError(not_allowed)
    if school_id is None:
        raise UserFacingError(school_required or not_found)
    school = actor.scope.schools(School.objects.all()).select_related("district").filter(pk=school_id).first()
    if school is None:
        raise UserFacingError(not_found)
    return school


def level_labels(levels: list[str] | None = None) -> list[tuple[str, str]]:
    """(level, label) for the given stages, or for every stage in the school's order."""
    return [(level, str(Stage.Level(level).label)) for level in (School.LEVEL_ORDER if levels is None else levels)]


def school_systems() -> list[tuple[str, str]]:
    return list(Stage.System.choices)


def class_in_scope(actor: Actor, class_id: int) -> SchoolClass:
    found = (
        actor.scope.classes(SchoolClass.objects.all())
        .select_related("school", "cohort__stage__campus")
        .filter(pk=class_id)
        .first()
    )
    if found is None:
        raise UserFacingError("scope.not_found")
    return found


def current_member_count(school_class: SchoolClass) -> int:
    """Enrollments in the class that have not ended."""
    return school_class.enrollments.filter(ended_on__isnull=True).count()


@dataclass
class ClassNode:
    school_class: SchoolClass
    name: str
    students: int


@dataclass
class CohortNode:
    cohort: Cohort
    name: str
    classes: list[ClassNode] = field(default_factory=list)


@dataclass
class StageNode:
    stage: Stage
    cohorts: list[CohortNode] = field(default_factory=list)


@dataclass
class CampusNode:
    campus: Campus
    stages: list[StageNode] = field(default_factory=list)


def school_tree(actor: Actor, school_id: int) -> tuple[School, list[CampusNode]]:
    """Campus → stage → grade → class with student counts, in four queries whatever the size."""
    school = school_in_scope(actor, school_id)
    year = school.school_year
    campuses = {c.pk: CampusNode(c) for c in Campus.objects.filter(school=school).order_by("pk")}
    stages: dict[int, StageNode] = {}
    found_stages = Stage.objects.filter(campus__school=school)
    for stage in sorted(found_stages, key=lambda s: (s.campus_id, School.LEVEL_ORDER.index(s.level))):
        stages[stage.pk] = node = StageNode(stage)
        campuses[stage.campus_id].stages.append(node)
    cohorts: dict[int, CohortNode] = {}
    for cohort in Cohort.objects.filter(stage__in=list(stages)).order_by("-enrollment_year"):
        cohort.stage = stages[cohort.stage_id].stage
        cohorts[cohort.pk] = node = CohortNode(cohort, cohort.grade_name(year))
        stages[cohort.stage_id].cohorts.append(node)
    classes = (
        actor.scope.classes(SchoolClass.objects.filter(school=school))
        # A deleted student keeps their enrollment (the recycle bin restores every link) but is not a member.
        .annotate(students=Count("enrollments", filter=Q(enrollments__ended_on__isnull=True)
                                 & ~Q(enrollments__person__account__status="deleted")))
        .order_by("number")
    )
    for school_class in classes:
        cohort_node = cohorts[school_class.cohort_id]
        school_class.cohort = cohort_node.cohort
        school_class.school = school
        cohort_node.classes.append(ClassNode(school_class, school_class.display_name(year), school_class.students))
    if access.sees_own_branch_only(actor):
        for campus_node in campuses.values():
            for stage_node in campus_node.stages:
                stage_node.cohorts = [c for c in stage_node.cohorts if c.classes]
            campus_node.stages = [s for s in campus_node.stages if s.cohorts]
        return school, [c for c in campuses.values() if c.stages]
    return school, list(campuses.values())
