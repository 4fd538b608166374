"""Evaluation progress (EVA-4): per school, class and student, how many records were uploaded, submitted,
are waiting, passed or failed, and why a student shows 0.

Counted in the database with GROUP BY, never a query per student: a school's page is one aggregate over the
school's records of its school year grouped by student (the index on school_id, student serves it), one read
of its current enrollments and one of its classes, merged in memory; a region's page groups by school.
Uploaded is every record, submitted is pending + approved + failed. Records count at the school they were
filed at (school_id), for the school's current school year; a student's own progress counts every record of
that year, wherever it was filed. Every read starts from what the actor may see; another school's or
class's id is "not found" (NFR-2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from renrentong.accounts.models import Enrollment, Person
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError, in_language
from renrentong.orgs.models import Region, School, SchoolClass

from renrentong.evaluation import selectors as evaluation
from renrentong.evaluation.models import EvidenceItem, ProgressReminder, WrittenRecord
from renrentong.evaluation.progress import access

State = WrittenRecord.State


@dataclass
class Counts:
    uploaded: int = 0
    draft: int = 0
    pending: int = 0
    approved: int = 0
    failed: int = 0

    @property
    def submitted(self) -> int:
        return self.pending + self.approved + self.failed

    def add(self, other: Counts) -> None:
        for name in ("uploaded", "draft", "pending", "approved", "failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNTED = {
    "uploaded": Count("pk"),
    "draft": Count("pk", filter=Q(state=State.DRAFT)),
    "pending": Count("pk", filter=Q(state=State.PENDING)),
    "approved": Count("pk", filter=Q(state=State.APPROVED)),
    "failed": Count("pk", filter=Q(state=State.FAILED)),
}


def _counts(row: dict) -> Counts:
    return Counts(row["uploaded"], row["draft"], row["pending"], row["approved"], row["failed"])


def reasons(counts: Counts) -> list[str]:
    """What a student (or their parent, or their teacher) should do next, in the reader's language."""
    lines = []
    if counts.uploaded == 0:
        lines.append(in_language("还没有上传材料：请先在成长记录中记录。",
                                 "Nothing uploaded yet: write the first record on the growth record."))
    elif counts.submitted == 0:
        lines.append(in_language(f"已上传 {counts.uploaded} 条，已上报 0 条：请先分类再上报。",
                                 f"Uploaded {counts.uploaded}, submitted 0: sort and submit them."))
    if counts.pending:
        lines.append(in_language(f"{counts.pending} 条已上报，等待学校审核。",
                                 f"{counts.pending} submitted, waiting for the school's review."))
    if counts.failed:
        lines.append(in_language(f"{counts.failed} 条未通过：请查看原因，修改后重新上报。",
                                 f"{counts.failed} not passed: see the reasons, change them and submit again."))
    return lines


@dataclass
class SchoolRow:
    school: School
    students: int
    counts: Counts
    nothing_submitted: int


@dataclass
class ClassRow:
    school_class: SchoolClass
    name: str
    students: int
    counts: Counts
    nothing_submitted: int


@dataclass
class StudentRow:
    person_id: int
    name: str
    class_id: int
    class_name: str
    counts: Counts

    @property
    def reason(self) -> str:
        return " ".join(reasons(self.counts)) if self.counts.submitted == 0 else ""


@dataclass
class ItemRow:
    item_id: int | None
    label: str
    dimension: str
    counts: Counts


@dataclass
class StudentProgress:
    student: Person
    school: School
    class_name: str
    school_year: int
    counts: Counts
    items: list[ItemRow] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return reasons(self.counts)


# Scope ------------------------------------------------------------------------------------------------------

def schools_in_scope(actor: Actor) -> QuerySet[School]:
    """The schools whose progress the actor sees: below a region admin, a school admin's, a head teacher's."""
    if not access.sees_progress_page(actor):
        raise UserFacingError("evaluation.progress_not_allowed")
    if access.is_region_admin(actor):
        return actor.scope.schools(School.objects.all())
    return School.objects.filter(pk=actor.identity.school_id)


def school_for(actor: Actor, school_id: int) -> School:
    found = schools_in_scope(actor).filter(pk=school_id).first()
    if found is None:
        raise UserFacingError("evaluation.progress_not_found")
    return found


def home_school(actor: Actor) -> School | None:
    """Where a school's page starts: the school of a school admin or head teacher, none for a region admin."""
    if access.is_region_admin(actor):
        return None
    return schools_in_scope(actor).first()


def classes_in_scope(actor: Actor, school: School) -> QuerySet[SchoolClass]:
    found = (SchoolClass.objects.filter(school=school).exclude(kind=SchoolClass.Kind.GRADUATED)
             .select_related("cohort__stage", "school").order_by("cohort__enrollment_year", "cohort_id", "number", "pk"))
    if access.is_region_admin(actor) or access.is_school_admin(actor):
        return found
    return found.filter(pk__in=access.headed_class_ids(actor))


def class_for(actor: Actor, class_id: int) -> SchoolClass:
    """A class whose students the actor sees: the school admin's school's, a head teacher's own."""
    if not access.sees_student_names(actor):
        raise UserFacingError("evaluation.progress_not_found")
    school = home_school(actor)
    found = classes_in_scope(actor, school).filter(pk=class_id).first() if school else None
    if found is None:
        raise UserFacingError("evaluation.progress_not_found")
    return found


def filtered_classes(actor: Actor, school: School, grade_id: int | None, class_id: int | None) -> list[SchoolClass]:
    """The classes the actor sees, of one grade or one class if chosen; a grade or class not among them is
    "not found" rather than an empty table, so another school's id learns nothing."""
    classes = list(classes_in_scope(actor, school))
    if grade_id is not None:
        classes = [c for c in classes if c.cohort_id == grade_id]
    if class_id is not None:
        classes = [c for c in classes if c.pk == class_id]
    if (grade_id is not None or class_id is not None) and not classes:
        raise UserFacingError("evaluation.progress_not_found")
    return classes


def grades_of(actor: Actor, school: School) -> list[tuple[int, str]]:
    """The grades (cohorts) of the classes the actor sees, for the grade filter."""
    seen: dict[int, str] = {}
    for school_class in classes_in_scope(actor, school):
        cohort = school_class.cohort
        if cohort.pk not in seen:
            seen[cohort.pk] = cohort.stage.grade_label(cohort.grade_number(school.school_year))
    return list(seen.items())


# Counting ---------------------------------------------------------------------------------------------------

def _enrolled(school: School, class_ids: list[int]) -> list[tuple[int, int]]:
    """(person_id, class_id) of the students in these classes today."""
    return list(Enrollment.objects.filter(school=school, school_class_id__in=class_ids, ended_on__isnull=True)
                .values_list("person_id", "school_class_id"))


def _counts_by_student(school: School, person_ids) -> dict[int, Counts]:
    """One GROUP BY over the school's records of its school year, for these students (a subquery or ids)."""
    rows = (WrittenRecord.objects.filter(school_id=school.pk, school_year=school.school_year, student_id__in=person_ids)
            .order_by().values("student_id").annotate(**COUNTED))
    return {row["student_id"]: _counts(row) for row in rows}


def _enrolled_ids(school: School, class_ids: list[int]) -> QuerySet:
    return Enrollment.objects.filter(school=school, school_class_id__in=class_ids, ended_on__isnull=True
                                     ).values("person_id")


def school_rows(actor: Actor, district_id: int | None = None) -> list[SchoolRow]:
    """A region admin's view: one row per school below them (three GROUP BY queries for any number)."""
    schools = schools_in_scope(actor).select_related("district").order_by("district__name", "name", "pk")
    if district_id is not None:
        schools = schools.filter(district_id=district_id)
    schools = list(schools)
    ids = [s.pk for s in schools]
    year = {s.pk: s.school_year for s in schools}
    enrolled = Enrollment.objects.filter(school_id__in=ids, ended_on__isnull=True)
    students = dict(enrolled.order_by().values("school_id").annotate(n=Count("person_id")).values_list("school_id", "n"))
    counts: dict[int, Counts] = {}
    for row in (WrittenRecord.objects.filter(school_id__in=ids).order_by()
                .values("school_id", "school_year").annotate(**COUNTED)):
        if year.get(row["school_id"]) == row["school_year"]:
            counts[row["school_id"]] = _counts(row)
    submitting: dict[int, int] = {}
    for row in (WrittenRecord.objects.filter(school_id__in=ids, student_id__in=enrolled.values("person_id"))
                .exclude(state=State.DRAFT).order_by().values("school_id", "school_year")
                .annotate(n=Count("student_id", distinct=True))):
        if year.get(row["school_id"]) == row["school_year"]:
            submitting[row["school_id"]] = row["n"]
    return [SchoolRow(s, students.get(s.pk, 0), counts.get(s.pk, Counts()),
                      students.get(s.pk, 0) - submitting.get(s.pk, 0)) for s in schools]


def class_rows(actor: Actor, school: School, *, grade_id: int | None = None, class_id: int | None = None,
               only_nothing: bool = False) -> list[ClassRow]:
    """A school's view: one row per class the actor sees (the head teacher's: their own)."""
    classes = filtered_classes(actor, school, grade_id, class_id)
    class_ids = [c.pk for c in classes]
    by_student = _counts_by_student(school, _enrolled_ids(school, class_ids))
    rows = {c.pk: ClassRow(c, c.display_name(school.school_year), 0, Counts(), 0) for c in classes}
    for person_id, in_class in _enrolled(school, class_ids):
        row = rows[in_class]
        counts = by_student.get(person_id, Counts())
        row.students += 1
        row.counts.add(counts)
        row.nothing_submitted += counts.submitted == 0
    found = list(rows.values())
    return [r for r in found if r.nothing_submitted] if only_nothing else found


def student_rows(actor: Actor, school: School, *, grade_id: int | None = None, class_id: int | None = None,
                 only_nothing: bool = False) -> list[StudentRow]:
    """The students of the classes the actor sees (one class, a grade, or the whole school), by class and name."""
    if not access.sees_student_names(actor):
        raise UserFacingError("evaluation.progress_not_found")
    classes = filtered_classes(actor, school, grade_id, class_id)
    names = {c.pk: c.display_name(school.school_year) for c in classes}
    order = {pk: i for i, pk in enumerate(names)}
    enrolled = (Enrollment.objects.filter(school=school, school_class_id__in=list(names), ended_on__isnull=True)
                .values_list("person_id", "person__name", "school_class_id"))
    by_student = _counts_by_student(school, _enrolled_ids(school, list(names)))
    rows = [StudentRow(pid, name, cid, names[cid], by_student.get(pid, Counts())) for pid, name, cid in enrolled]
    if only_nothing:
        rows = [r for r in rows if r.counts.submitted == 0]
    return sorted(rows, key=lambda r: (order[r.class_id], r.name, r.person_id))


def student_progress(actor: Actor, student_id: int | None) -> StudentProgress:
    """One student's counts and per item: their own (a student), a linked child's (a parent), or one of the
    classes the actor sees (school admin, head teacher)."""
    if access.sees_own_progress(actor):
        student = evaluation.student_for(actor, student_id)
    else:
        student = _student_in_view(actor, student_id)
    place = evaluation.place_of(student)
    school = place.school
    rows = (WrittenRecord.objects.filter(student=student, school_year=school.school_year).order_by()
            .values("item_id", "state").annotate(n=Count("pk")))
    catalogue = evaluation.catalogue_at_school(school.pk, school.school_year)
    known = {i.pk: i for d in catalogue.dimensions for i in d.items}
    total, per_item = Counts(), {}
    for row in rows:
        one = Counts(uploaded=row["n"], **{row["state"]: row["n"]})
        total.add(one)
        per_item.setdefault(row["item_id"], Counts()).add(one)
    items = []
    for item_id, counts in per_item.items():
        item = known.get(item_id)
        if item is None and item_id is not None:
            item = EvidenceItem.objects.select_related("dimension").get(pk=item_id)
        items.append(ItemRow(item_id, item.label if item else in_language("未分类", "Not classified"),
                             item.dimension.label if item else "", counts))
    position = {pk: n for n, pk in enumerate(known)}
    items.sort(key=lambda r: (r.item_id is None, position.get(r.item_id, len(position)), r.label))
    school_class = SchoolClass.objects.select_related("cohort__stage", "school").get(pk=place.class_id)
    return StudentProgress(student, school, school_class.display_name(school.school_year), school.school_year,
                           total, items)


def own_progress(actor: Actor, student_id: int | None) -> StudentProgress:
    """A student's own progress, a parent's child's (the growth page's block, /mine in the API)."""
    if not access.sees_own_progress(actor):
        raise UserFacingError("evaluation.not_for_you")
    return student_progress(actor, student_id)


def _student_in_view(actor: Actor, student_id: int | None) -> Person:
    school = home_school(actor) if access.sees_progress_page(actor) and access.sees_student_names(actor) else None
    if school is None or student_id is None:
        raise UserFacingError("evaluation.progress_not_found")
    class_ids = list(classes_in_scope(actor, school).values_list("pk", flat=True))
    enrollment = (Enrollment.objects.filter(school=school, school_class_id__in=class_ids, person_id=student_id,
                                            ended_on__isnull=True).select_related("person").first())
    if enrollment is None:
        raise UserFacingError("evaluation.progress_not_found")
    return enrollment.person


def reminded_today(school: School, class_ids: list[int], on) -> dict[int, ProgressReminder]:
    return {r.class_id: r for r in ProgressReminder.objects.filter(school_id=school.pk, class_id__in=class_ids,
                                                                   sent_on=on)}


def districts_of(actor: Actor) -> list[Region]:
    """The districts below a region admin that hold schools, for the district filter."""
    if not access.is_region_admin(actor):
        return []
    ids = schools_in_scope(actor).values("district_id")
    return list(Region.objects.filter(pk__in=ids).order_by("name", "pk"))
