"""Reading the smart classroom (RES-1, RES-3), always from what the actor may see (NFR-2).

Who sees a resource: its owner always (a taken-down one too, with the reason); besides, while it is not taken
down, everyone of the owner's school when shared with the school, and everyone of the schools below the row's
region when shared with the district (a teacher's row names the school's district; a region admin's, their
region). A student and a teacher of school A therefore never see school B's "school" resources, and district
sharing stops at the district. An id outside this answers "not found", whatever arrives in a URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from renrentong.accounts.models import Enrollment
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import GRADE_NAMES, Region, School, StageLevel
from renrentong.resources.classroom import access, links
from renrentong.resources.models import Chapter, RecommendedCourse, Resource, Textbook

PAGE = 50
GRADES_WITHOUT_RESOURCES = (1, 2)  # seed 000: 一二年级不要求布置作业，所以暂时没有学习资源
STAGE_GRADES = {"primary": range(1, 7), "junior": range(6, 10), "senior": range(10, 13)}


def today() -> date:
    return timezone.localdate()


def current_term(on: date | None = None) -> str:
    """The autumn term runs from August to January, the spring term from February to July."""
    month = (on or today()).month
    return Resource.Term.SECOND if 2 <= month <= 7 else Resource.Term.FIRST


def grade_name(grade: int | None) -> str:
    return str(GRADE_NAMES.get(grade, "")) if grade else ""


def _chain(region: Region | None) -> list[int]:
    chain: list[int] = []
    while region is not None and len(chain) < 4:  # province, city, district: the tree is three deep
        chain.append(region.pk)
        region = region.parent if region.parent_id else None
    return chain


def _schools_regions(school_ids) -> list[int]:
    """The districts of these schools and every region above them."""
    found: set[int] = set()
    for school in School.objects.filter(pk__in=school_ids).select_related("district__parent__parent"):
        found.update(_chain(school.district))
    return sorted(found)


@dataclass(frozen=True)
class Reach:
    """The schools and regions whose shared resources the actor sees (besides their own)."""

    school_ids: frozenset[int]
    region_ids: frozenset[int]


def reach_of(actor: Actor) -> Reach:
    if actor.identity is None or not (access.browses(actor) or access.keeps_resources(actor)):
        return Reach(frozenset(), frozenset())
    if access.keeps_for_region(actor):
        above = _chain(Region.objects.select_related("parent__parent").filter(pk=actor.identity.region_id).first())
        return Reach(frozenset(), frozenset(actor.scope.region_ids) | frozenset(above))
    schools = frozenset(actor.scope.school_ids)
    return Reach(schools, frozenset(_schools_regions(schools)))


def _shared_with(reach: Reach) -> Q:
    return Q(taken_down_at__isnull=True) & (Q(sharing=Resource.Sharing.SCHOOL, school_id__in=reach.school_ids)
                                            | Q(sharing=Resource.Sharing.DISTRICT, region_id__in=reach.region_ids))


def visible(actor: Actor) -> QuerySet[Resource]:
    """Every resource the actor may open: their own, and what is shared with their school or region."""
    if actor.identity is None:
        return Resource.objects.none()
    shared = _shared_with(reach_of(actor))
    if access.keeps_resources(actor):
        shared |= Q(owner_id=actor.account.pk)
    return Resource.objects.filter(shared)


def resource_for(actor: Actor, resource_id: int) -> Resource:
    found = visible(actor).select_related("chapter__textbook", "file").filter(pk=resource_id).first()
    if found is None:
        raise UserFacingError("classroom.not_found")
    return found


def own_resource(actor: Actor, resource_id: int) -> Resource:
    """A resource the actor may change: seen and theirs."""
    if not access.keeps_resources(actor):
        raise UserFacingError("classroom.not_keeper")
    found = resource_for(actor, resource_id)
    if not access.owns(actor, found):
        raise UserFacingError("classroom.not_owner", owner=found.owner_name)
    return found


def school_shared(actor: Actor) -> QuerySet[Resource]:
    """What the school admin's school shares with the school or district, taken down ones included."""
    if not access.takes_down(actor):
        raise UserFacingError("classroom.not_takedown")
    return Resource.objects.filter(school_id=actor.identity.school_id).exclude(sharing=Resource.Sharing.ME)


def shared_for_takedown(actor: Actor, resource_id: int) -> Resource:
    found = school_shared(actor).filter(pk=resource_id).first()
    if found is None:
        raise UserFacingError("classroom.not_found")
    return found


# Browsing ----------------------------------------------------------------------------------------------

@dataclass
class Filters:
    stage: str = ""
    subject: str = ""
    grade: int | None = None
    term: str = ""
    edition: str = ""
    chapter_id: int | None = None
    module: str = ""
    kind: str = ""

    def as_params(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


@dataclass
class Place:
    """Where a student is today: their school, stage and grade (the classroom's default filters)."""

    school_id: int
    stage: str
    grade: int
    class_name: str


def student_place(actor: Actor) -> Place:
    enrollment = (Enrollment.objects.filter(person_id__in=actor.scope.person_ids, ended_on__isnull=True)
                  .select_related("school", "school_class__cohort__stage").order_by("-pk").first())
    if enrollment is None:
        raise UserFacingError("classroom.not_enrolled")
    school_class = enrollment.school_class
    school_class.school = enrollment.school
    cohort = school_class.cohort
    return Place(enrollment.school_id, cohort.stage.level, cohort.grade_number(enrollment.school.school_year),
                 school_class.display_name())


def opening_refusal(actor: Actor | None) -> UserFacingError | None:
    """Why this identity cannot browse the classroom, or None: a parent switches to the child's identity."""
    if access.browses(actor):
        return None
    if access.is_guardian(actor):
        return UserFacingError("classroom.switch_to_child")
    return UserFacingError("classroom.students_and_teachers")


def defaults_for(actor: Actor, asked: Filters) -> tuple[Filters, Place | None]:
    """The filters as asked, a student's own stage, grade and the current term filling the blanks."""
    refusal = opening_refusal(actor)
    if refusal is not None:
        raise refusal
    place = student_place(actor) if access.is_student(actor) else None
    filled = Filters(**asked.__dict__)
    if place is not None:
        filled.stage = filled.stage or place.stage
        filled.grade = filled.grade or place.grade
    filled.term = filled.term or current_term()
    if filled.grade in GRADES_WITHOUT_RESOURCES:
        raise UserFacingError("classroom.none_for_grade", grade=grade_name(filled.grade))
    return filled, place


def filtered(found: QuerySet[Resource], f: Filters) -> QuerySet[Resource]:
    for name in ("stage", "subject", "term", "module", "kind"):
        if getattr(f, name):
            found = found.filter(**{name: getattr(f, name)})
    if f.grade:
        found = found.filter(grade=f.grade)
    if f.edition:
        found = found.filter(Q(edition=f.edition) | Q(edition=""))
    if f.chapter_id:
        # A chapter's resources and its sections' (a chapter "3" holds "3.1", "3.2").
        found = found.filter(Q(chapter_id=f.chapter_id) | Q(chapter__parent_id=f.chapter_id))
    return found


def browse(actor: Actor, f: Filters, *, before: int | None = None) -> list[Resource]:
    """The classroom's list: what the actor sees with the filters, newest first, a page at a time."""
    found = filtered(visible(actor).filter(taken_down_at__isnull=True), f)
    if before:
        found = found.filter(pk__lt=before)
    return list(found.select_related("chapter", "file").order_by("-pk")[:PAGE])


def module_counts(actor: Actor, f: Filters) -> dict[str, int]:
    base = Filters(**{**f.__dict__, "module": "", "kind": ""})
    counts = dict.fromkeys(Resource.Module.values, 0)
    found = filtered(visible(actor).filter(taken_down_at__isnull=True), base)
    for row in found.order_by().values("module").annotate(n=Count("pk")):
        counts[row["module"]] = row["n"]
    return counts


@dataclass
class ModuleEntry:
    key: str
    label: str
    count: int
    link: str | None = None  # another room's page (online practice, personalised learning), when installed
    extra: list[tuple[str, str | None]] = field(default_factory=list)


def modules(actor: Actor, f: Filters) -> list[ModuleEntry]:
    """The five modules of seed 000 (知识梳理、专题学习、在线练习、个性学习、个人中心) as entries."""
    counts = module_counts(actor, f)
    entries = [ModuleEntry(key, str(label), counts[key]) for key, label in Resource.Module.choices]
    by_key = {e.key: e for e in entries}
    by_key["practice"].link = links.url_of(links.PRACTICE)
    by_key["personalised"].link = links.url_of(links.PERSONALISED)
    by_key["centre"].extra = [("wrong_answers", links.url_of(links.WRONG_ANSWERS)),
                              ("history", links.url_of(links.HISTORY))]
    return entries


def recommended(actor: Actor, f: Filters) -> list[RecommendedCourse]:
    """推荐课程 for the actor's school and the regions above it, for the stage and term (and subject)."""
    reach = reach_of(actor)
    found = RecommendedCourse.objects.filter(
        Q(school_id__in=reach.school_ids) | Q(region_id__in=reach.region_ids),
        resource__in=visible(actor).filter(taken_down_at__isnull=True), term=f.term or current_term())
    if f.stage:
        found = found.filter(stage=f.stage)
    if f.subject:
        found = found.filter(subject=f.subject)
    return list(found.select_related("resource").order_by("school_id", "-created_at")[:20])


def catalogue_regions(actor: Actor) -> list[int]:
    reach = reach_of(actor)
    return sorted(reach.region_ids)


def textbooks(actor: Actor, f: Filters) -> list[Textbook]:
    """The catalogue's books for the filters (kept by the province or city above the actor)."""
    found = Textbook.objects.filter(region_id__in=catalogue_regions(actor), retired_at__isnull=True)
    if f.subject:
        found = found.filter(subject=f.subject)
    if f.grade:
        found = found.filter(grade=f.grade)
    if f.term:
        found = found.filter(volume__in=[f.term, Textbook.Volume.WHOLE])
    if f.edition:
        found = found.filter(edition=f.edition)
    return list(found.order_by("grade", "subject", "edition")[:50])


def chapters_of(books: list[Textbook]) -> list[Chapter]:
    return list(Chapter.objects.filter(textbook__in=books).select_related("textbook").order_by("textbook_id",
                                                                                               "position")[:500])


def chapter_for(actor: Actor, chapter_id: int) -> Chapter:
    found = Chapter.objects.select_related("textbook").filter(
        pk=chapter_id, textbook__region_id__in=catalogue_regions(actor)).first()
    if found is None:
        raise UserFacingError("classroom.chapter_not_found")
    return found


def choices(actor: Actor) -> dict[str, list]:
    """What the filters offer: stages, subjects and editions found in the catalogue and the resources seen."""
    seen = visible(actor).filter(taken_down_at__isnull=True)
    books = Textbook.objects.filter(region_id__in=catalogue_regions(actor), retired_at__isnull=True)
    def distinct(qs, name: str) -> set[str]:
        return set(qs.order_by().values_list(name, flat=True).distinct()[:200])

    subjects = sorted(distinct(books, "subject") | distinct(seen, "subject"))
    editions = sorted(distinct(books, "edition") | distinct(seen.exclude(edition=""), "edition"))
    return {"stages": [(v, str(label)) for v, label in StageLevel.choices],
            "grades": [(g, grade_name(g)) for g in range(1, 13)],
            "terms": [(v, str(label)) for v, label in Resource.Term.choices],
            "subjects": subjects, "editions": editions,
            "modules": [(v, str(label)) for v, label in Resource.Module.choices],
            "kinds": [(v, str(label)) for v, label in Resource.Kind.choices]}


# Keepers --------------------------------------------------------------------------------------------------

def mine(actor: Actor, f: Filters, *, shared: bool = True) -> QuerySet[Resource]:
    """A keeper's own resources, and (shared=True) those shared with them; newest first."""
    if not access.keeps_resources(actor):
        raise UserFacingError("classroom.not_keeper")
    found = visible(actor) if shared else Resource.objects.filter(owner_id=actor.account.pk)
    return filtered(found, f).select_related("chapter", "file").order_by("-pk")


def managed_recommendations(actor: Actor) -> QuerySet[RecommendedCourse]:
    if not access.recommends(actor):
        raise UserFacingError("classroom.not_recommender")
    identity = actor.identity
    if access.takes_down(actor):
        found = RecommendedCourse.objects.filter(school_id=identity.school_id)
    else:
        found = RecommendedCourse.objects.filter(region_id=identity.region_id, school_id__isnull=True)
    return found.select_related("resource").order_by("stage", "subject", "-created_at")


def recommendation_for(actor: Actor, recommendation_id: int) -> RecommendedCourse:
    found = managed_recommendations(actor).filter(pk=recommendation_id).first()
    if found is None or not access.may_change_recommendation(actor, found):
        raise UserFacingError("classroom.recommendation_not_found")
    return found


def when(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""


def placement(resource: Resource) -> str:
    parts = [str(StageLevel(resource.stage).label) if resource.stage in StageLevel.values else resource.stage,
             resource.subject, grade_name(resource.grade), resource.get_term_display()]
    if resource.edition:
        parts.append(resource.edition)
    if resource.chapter_id:
        parts.append(str(resource.chapter))
    return " · ".join(p for p in parts if p)
