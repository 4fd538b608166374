"""Reading a student's archive (综合素质档案, issue 14 item 8): who the student is and where, every approved
record by dimension and item, the imported scores, and the decisions. Never an ID number or a phone: the
archive leaves the platform as a PDF.

Who reads it: the student, a parent of the student, and the admin of the school where the student is or
was last enrolled (a graduate's or a leaver's school keeps it; after a transfer the new school has it and
the old one gets "not found", NFR-2)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from renrentong.accounts.models import Enrollment, Person
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School, SchoolClass

from renrentong.evaluation.archive import access
from renrentong.evaluation.models import RecordFile, WrittenRecord


@dataclass(frozen=True)
class ScoreLine:
    """One imported score as the archive prints it (EVA-6 registers where they come from)."""

    school_year: int
    dimension: str
    item: str
    value: str
    note: str = ""


# Where imported scores come from: the scores area registers a reader (person_id -> lines) at start; with
# none registered (or no scores) the archive has no score section. Readers return lines for approved or
# published scores only.
ScoreReader = Callable[[int], list[ScoreLine]]
_score_readers: dict[str, ScoreReader] = {}


def register_score_reader(name: str, reader: ScoreReader) -> None:
    _score_readers[name] = reader


def scores_of(person_id: int) -> list[ScoreLine]:
    lines = [line for name in sorted(_score_readers) for line in _score_readers[name](person_id)]
    return sorted(lines, key=lambda s: (s.school_year, s.dimension, s.item))


@dataclass
class ArchiveRecord:
    title: str
    happened_on: date
    kind: str
    text: str
    files: list[str]
    decided_on: date | None
    decided_by: str


@dataclass
class ArchiveItem:
    label: str
    records: list[ArchiveRecord] = field(default_factory=list)


@dataclass
class ArchiveDimension:
    label: str
    items: list[ArchiveItem] = field(default_factory=list)


@dataclass
class Archive:
    student_id: int
    name: str
    school: str
    class_name: str
    attended: str  # 在校时间: first enrollment's start to the last one's end (or 至今)
    school_years: list[str]
    dimensions: list[ArchiveDimension]
    scores: list[ScoreLine]
    made_on: date
    school_id: int

    @property
    def record_count(self) -> int:
        return sum(len(i.records) for d in self.dimensions for i in d.items)


def last_enrollment(person_id: int) -> Enrollment | None:
    """The open enrollment, else the one that ended last (a graduate, a leaver)."""
    return (Enrollment.objects.filter(person_id=person_id).select_related("school", "school_class__cohort__stage",
                                                                           "school_class__school")
            .order_by("-started_on", "-pk").first())


def student_for_archive(actor: Actor, student_id: int) -> tuple[Person, Enrollment]:
    """The student whose archive the actor may read (else not found) and their last enrollment."""
    person = Person.objects.filter(pk=student_id).first() if 1 <= student_id <= 2**62 else None
    enrollment = last_enrollment(person.pk) if person is not None else None
    if person is None or enrollment is None or not access.may_read_archive(actor, person.pk, enrollment.school_id):
        raise UserFacingError("evaluation.archive_not_found")
    return person, enrollment


def school_year_name(year: int) -> str:
    return f"{year}-{year + 1}学年"


def archive_of(person: Person, enrollment: Enrollment) -> Archive:
    """The archive's content: approved records only, by dimension and item in the catalogue's order."""
    found = list(WrittenRecord.objects.filter(student=person, state=WrittenRecord.State.APPROVED)
                 .select_related("item__dimension", "decided_by__person")
                 .order_by("item__dimension__position", "item__position", "happened_on", "pk"))
    files: dict[int, list[str]] = {}
    for record_id, name in (RecordFile.objects.filter(record_id__in=[r.pk for r in found])
                            .order_by("record_id", "position").values_list("record_id", "file__name")):
        files.setdefault(record_id, []).append(name)
    dimensions: dict[str, ArchiveDimension] = {}
    items: dict[tuple[str, str], ArchiveItem] = {}
    for r in found:
        # Group by code across school years: each year's catalogue has its own rows with the same codes.
        dimension, item = r.item.dimension, r.item
        d = dimensions.setdefault(dimension.code, ArchiveDimension(dimension.label))
        i = items.get((dimension.code, item.code))
        if i is None:
            i = items[(dimension.code, item.code)] = ArchiveItem(item.label)
            d.items.append(i)
        who = r.decided_by.person.name if r.decided_by and r.decided_by.person else ""
        i.records.append(ArchiveRecord(
            title=r.title, happened_on=r.happened_on, kind=str(r.get_kind_display()), text=r.text,
            files=files.get(r.pk, []), decided_on=timezone.localdate(r.decided_at) if r.decided_at else None,
            decided_by=who))
    history = list(Enrollment.objects.filter(person=person).order_by("started_on", "pk")
                   .values_list("started_on", "ended_on"))
    first, last = history[0][0], history[-1][1]
    attended = f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}" if last else f"{first:%Y-%m-%d} 至今"
    years = sorted({r.school_year for r in WrittenRecord.objects.filter(student=person).only("school_year")})
    school: School = enrollment.school
    klass: SchoolClass = enrollment.school_class
    return Archive(student_id=person.pk, name=person.name, school=school.name, class_name=klass.display_name(),
                   attended=attended, school_years=[school_year_name(y) for y in years],
                   dimensions=list(dimensions.values()), scores=scores_of(person.pk),
                   made_on=timezone.localdate(), school_id=school.pk)


# The school admin's page and bulk export ----------------------------------------------------------------

def school_classes(actor: Actor) -> list[SchoolClass]:
    """The school's administrative and graduated classes, current first, for choosing whose archives."""
    if not access.reads_school_archives(actor):
        raise UserFacingError("evaluation.archive_not_allowed")
    found = SchoolClass.objects.filter(school_id=actor.identity.school_id).exclude(
        kind=SchoolClass.Kind.TEACHING).select_related("cohort__stage", "school")
    return sorted(found, key=lambda c: (c.kind == SchoolClass.Kind.GRADUATED, -c.cohort.enrollment_year, c.number))


def class_of_school(actor: Actor, class_id: int) -> SchoolClass:
    found = next((c for c in school_classes(actor) if c.pk == class_id), None)
    if found is None:
        raise UserFacingError("evaluation.archive_not_found")
    return found


def students_of_class(actor: Actor, school_class: SchoolClass) -> QuerySet[Person]:
    """Who was last enrolled in the class (graduates of a graduated class; today's students otherwise):
    a student who moved to another class or school since is listed there, not here."""
    school_id = actor.identity.school_id
    latest = {}
    for person_id, class_id, school in (Enrollment.objects.filter(
            person_id__in=Enrollment.objects.filter(school_class=school_class).values("person_id"))
            .order_by("person_id", "started_on", "pk").values_list("person_id", "school_class_id", "school_id")):
        latest[person_id] = (class_id, school)
    ids = [p for p, (c, s) in latest.items() if c == school_class.pk and s == school_id]
    return Person.objects.filter(pk__in=ids).order_by("name", "pk")


def graduates(actor: Actor) -> QuerySet[Person]:
    """The school's graduates: whose last enrollment here ended with graduation (rollover, ORG-7)."""
    if not access.reads_school_archives(actor):
        raise UserFacingError("evaluation.archive_not_allowed")
    school_id = actor.identity.school_id
    latest = {}
    for person_id, school, reason in (Enrollment.objects.filter(
            person_id__in=Enrollment.objects.filter(school_id=school_id, reason="graduated").values("person_id"))
            .order_by("person_id", "started_on", "pk").values_list("person_id", "school_id", "reason")):
        latest[person_id] = (school, reason)
    ids = [p for p, (s, reason) in latest.items() if s == school_id and reason == "graduated"]
    return Person.objects.filter(pk__in=ids).order_by("name", "pk")
