"""Reading academic scores and their imports (EVA-6), always from what the actor may see: a score import is
found only by the admin whose level made it (scores.access.acts_on_job); the school's scores by its admin;
a student's by the student and their parents. Any other id is "not found" (NFR-2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School, SchoolClass
from renrentong.rosters import selectors as rosters

from renrentong.evaluation import selectors as evaluation
from renrentong.evaluation.archive.selectors import ScoreLine
from renrentong.evaluation.models import AcademicScore, EvidenceItem
from renrentong.evaluation.scores import access
from renrentong.evaluation.scores.importer import KIND
from renrentong.evaluation.standard import scale_of


def score_jobs(actor: Actor):
    """The actor's own level's score imports, newest first."""
    if not access.imports_scores(actor):
        raise UserFacingError("evaluation.scores_not_allowed")
    identity = actor.identity
    jobs = rosters.jobs_in_scope(actor, kinds=(KIND,)).select_related("school")
    if identity.school_id:
        return jobs.filter(school_id=identity.school_id)
    return jobs.filter(school__isnull=True, region_id=identity.region_id)


def score_job(actor: Actor, job_id: int):
    if not access.imports_scores(actor):
        raise UserFacingError("evaluation.scores_not_allowed")
    job = score_jobs(actor).filter(pk=job_id).first()
    if job is None or not access.acts_on_job(actor, job.school_id, job.region_id):
        raise UserFacingError("evaluation.score_import_not_found")
    return job


@dataclass(frozen=True)
class ImportableItem:
    item: EvidenceItem
    lowest: int
    highest: int
    decimals: int


def importable_items(actor: Actor) -> list[ImportableItem]:
    """The items the actor imports in their (school's) current school year, with each one's scale: what the
    template's notes and the upload page list."""
    if not access.imports_scores(actor):
        raise UserFacingError("evaluation.scores_not_allowed")
    city, year = evaluation.home_city(actor)
    if city is None:
        return []
    if year is None:  # the city admin: the newest year its schools are in
        year = max(School.objects.filter(district__parent=city).values_list("school_year", flat=True), default=None)
    if year is None:
        return []
    items = EvidenceItem.objects.filter(region_id=city.pk, school_id__isnull=True, school_year=year,
                                        kind=EvidenceItem.Kind.IMPORTED, source=access.source_of(actor),
                                        retired_at__isnull=True).order_by("dimension__position", "position", "pk")
    return [ImportableItem(i, scale_of(i.code).lowest, scale_of(i.code).highest, scale_of(i.code).decimals)
            for i in items]


# -- The scores ---------------------------------------------------------------------------------------------

def scores_of_student(actor: Actor, student_id: int | None) -> tuple:
    """A student's scores (their own, or a parent's linked child's), newest school year first."""
    if not access.reads_own_scores(actor):
        raise UserFacingError("evaluation.not_for_you")
    student = evaluation.student_for(actor, student_id)
    found = list(AcademicScore.objects.filter(student=student).select_related("item__dimension")
                 .order_by("-school_year", "item__dimension__position", "item__position"))
    return student, found


def archive_lines(person_id: int) -> list[ScoreLine]:
    """A student's imported scores as the archive (综合素质档案) prints them: registered with archive at start."""
    found = AcademicScore.objects.filter(student_id=person_id).select_related("item__dimension")
    return [ScoreLine(s.school_year, s.item.dimension.label, s.item.label, f"{s.score.normalize():f}") for s in found]


def school_scores(actor: Actor, *, school_year: int | None = None, item_id: int | None = None,
                  class_id: int | None = None, name: str = "") -> QuerySet[AcademicScore]:
    """The school's scores for its admin, filtered by school year, item, class and name."""
    if not access.reads_school_scores(actor):
        raise UserFacingError("evaluation.scores_not_for_you")
    found = AcademicScore.objects.filter(school_id__in=actor.scope.school_ids).select_related("student", "item")
    if school_year:
        found = found.filter(school_year=school_year)
    if item_id:
        found = found.filter(item_id=item_id)
    if class_id:
        found = found.filter(class_id=class_id)
    if name:
        found = found.filter(student__name__contains=name)
    return found


SORTS = {"name": ("student__name", "pk"), "score": ("score", "pk"), "item": ("item__position", "pk"),
         "class": ("class_id", "student__name", "pk")}


def ordered(found: QuerySet[AcademicScore], sort: str) -> QuerySet[AcademicScore]:
    keys = SORTS.get(sort.removeprefix("-"), SORTS["class"])
    if sort.startswith("-"):
        keys = tuple("-" + k for k in keys)
    return found.order_by(*keys)


def class_names(school_ids, class_ids) -> dict[int, str]:
    """Class names of the classes of scores already read in scope (`school_ids`: also within these schools)."""
    classes = SchoolClass.objects.filter(pk__in={c for c in class_ids if c})
    if school_ids is not None:
        classes = classes.filter(school_id__in=school_ids)
    return {c.pk: c.display_name() for c in classes.select_related("school", "cohort__stage")}


def school_filters(actor: Actor) -> dict:
    """What the scores table filters by: the school's years with scores, the imported items, its classes."""
    if not access.reads_school_scores(actor):
        raise UserFacingError("evaluation.scores_not_for_you")
    schools = actor.scope.school_ids
    years = sorted(set(AcademicScore.objects.filter(school_id__in=schools).values_list("school_year", flat=True)),
                   reverse=True)
    items = list(EvidenceItem.objects.filter(pk__in=AcademicScore.objects.filter(school_id__in=schools)
                                             .values("item_id").distinct()).order_by("school_year", "position"))
    classes = [(c.pk, c.display_name()) for c in SchoolClass.objects.filter(
        school_id__in=schools, kind=SchoolClass.Kind.ADMINISTRATIVE).select_related("school", "cohort__stage")
        .order_by("-cohort__enrollment_year", "number")]
    return {"years": years, "items": items, "classes": classes}


# The machinery's read of a job for the score import's status fragment (the job was found in scope first).
is_working = rosters.is_working
