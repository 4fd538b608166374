"""Reading the catalogue, the windows and the material (EVA-1..EVA-3), always from what the actor may see:
a student sees their own records, a parent those of their linked children, a school admin their school's;
any other id is "not found" (NFR-2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse

from renrentong.accounts.models import Enrollment, Person
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import Region, School
from renrentong.orgs.policy import region_chain
from renrentong.uploads import selectors as uploads

from renrentong.evaluation import access
from renrentong.evaluation.models import Dimension, EvidenceItem, RecordFile, SubmissionWindow, WrittenRecord


@dataclass
class DimensionView:
    dimension: Dimension
    items: list[EvidenceItem] = field(default_factory=list)


@dataclass
class Catalogue:
    city: Region | None
    school_year: int
    dimensions: list[DimensionView]

    def uploaded_items(self, *, with_retired: bool = False) -> list[EvidenceItem]:
        return [i for d in self.dimensions for i in d.items
                if i.kind == EvidenceItem.Kind.UPLOADED and (with_retired or i.retired_at is None)]


@dataclass(frozen=True)
class Place:
    """Where a student is now: the school and class their material is filed under."""

    person: Person
    school: School
    class_id: int


def city_above(region: Region | None) -> Region | None:
    """The city a region belongs to (itself when it is one); None above a city or outside any."""
    return next((r for r in region_chain(region) if r.kind == Region.Kind.CITY), None)


def city_of_school(school: School) -> Region | None:
    return city_above(school.district)


def city_id_of_school(school_id: int) -> int | None:
    city = city_of_school(School.objects.select_related("district__parent").get(pk=school_id))
    return city.pk if city else None


def home_city(actor: Actor) -> tuple[Region | None, int | None]:
    """The city whose catalogue the actor reads and the school year it reads it for."""
    identity = actor.identity
    if identity is None:
        return None, None
    if identity.region_id:
        city = city_above(identity.region)
        return city, None
    school_id = identity.school_id or next(iter(sorted(actor.scope.school_ids)), None)
    if school_id is None:
        return None, None
    school = School.objects.select_related("district__parent").get(pk=school_id)
    return city_of_school(school), school.school_year


def catalogue(city: Region | None, school_year: int) -> Catalogue:
    if city is None:
        return Catalogue(None, school_year, [])
    views = {d.pk: DimensionView(d) for d in Dimension.objects.filter(
        region_id=city.pk, school_id__isnull=True, school_year=school_year).order_by("position", "pk")}
    for item in EvidenceItem.objects.filter(dimension_id__in=views).order_by("position", "pk"):
        views[item.dimension_id].items.append(item)
    return Catalogue(city, school_year, list(views.values()))


def catalogue_for(actor: Actor, school_year: int | None = None) -> Catalogue:
    """The catalogue of the actor's city: everyone below a city reads it, the city admin edits it."""
    city, year = home_city(actor)
    return catalogue(city, school_year or year or _default_year(city))


def catalogue_at_school(school_id: int, school_year: int) -> Catalogue:
    """The catalogue a school's material is classified with: its city's, for the record's school year."""
    return catalogue(city_of_school(School.objects.select_related("district__parent").get(pk=school_id)), school_year)


def _default_year(city: Region | None) -> int:
    """A region admin's year: the newest catalogue of the city, else the current calendar year's."""
    if city is not None:
        newest = Dimension.objects.filter(region_id=city.pk, school_id__isnull=True).order_by("-school_year").first()
        if newest:
            return newest.school_year
    today = date.today()
    return today.year if today.month >= 8 else today.year - 1


def school_years(city: Region | None) -> list[int]:
    if city is None:
        return []
    return sorted(set(Dimension.objects.filter(region_id=city.pk, school_id__isnull=True)
                      .values_list("school_year", flat=True)), reverse=True)


def item_in_city(city_id: int, school_year: int, item_id: int) -> EvidenceItem:
    found = EvidenceItem.objects.filter(pk=item_id, region_id=city_id, school_id__isnull=True,
                                        school_year=school_year).select_related("dimension").first()
    if found is None:
        raise UserFacingError("evaluation.item_unknown")
    return found


def students_of(actor: Actor) -> list[Person]:
    """Whose material the actor keeps: a student their own, a parent each linked child (by name)."""
    if not access.keeps_material(actor):
        return []
    return list(Person.objects.filter(pk__in=actor.scope.person_ids).order_by("name", "pk"))


def student_for(actor: Actor, student_id: int | None) -> Person:
    """The student a keeper acts for: the one given (in scope, else not found) or the only one."""
    if not access.keeps_material(actor):
        raise UserFacingError("evaluation.not_for_you")
    people = students_of(actor)
    if student_id is None:
        if len(people) == 1:
            return people[0]
        if not people:
            raise UserFacingError("evaluation.not_enrolled")
        raise UserFacingError("evaluation.choose_child")
    found = next((p for p in people if p.pk == student_id), None)
    if found is None:
        raise UserFacingError("evaluation.record_not_found")
    return found


def place_of(person: Person) -> Place:
    enrollment = (Enrollment.objects.filter(person=person, ended_on__isnull=True)
                  .select_related("school__district__parent").order_by("-started_on", "-pk").first())
    if enrollment is None:
        raise UserFacingError("evaluation.not_enrolled")
    return Place(person, enrollment.school, enrollment.school_class_id)


def records_in_scope(actor: Actor) -> QuerySet[WrittenRecord]:
    """Every record the actor may see: their own or their children's, or their school's (a school admin)."""
    base = WrittenRecord.objects.select_related("item__dimension", "student")
    if access.keeps_material(actor):
        return base.filter(student_id__in=actor.scope.person_ids)
    if access.sees_school_material(actor):
        return base.filter(school_id__in=actor.scope.school_ids)
    return base.none()


def records(actor: Actor, student_id: int | None = None, state: str | None = None) -> QuerySet[WrittenRecord]:
    found = records_in_scope(actor)
    if student_id is not None:
        found = found.filter(student_id=student_id)
    if state:
        found = found.filter(state=state)
    return found.order_by("-happened_on", "-pk")


def record_for(actor: Actor, record_id: int) -> WrittenRecord:
    found = records_in_scope(actor).filter(pk=record_id).first()
    if found is None:
        raise UserFacingError("evaluation.record_not_found")
    return found


def file_links(actor: Actor, found: list[WrittenRecord]) -> dict[int, list[dict]]:
    """Each record's files as signed links, issued only now that the records were read in scope. Anyone but
    the student and parents opens a file through the review's audited download (item 4)."""
    links: dict[int, list[dict]] = {}
    reviewer = not access.keeps_material(actor)
    for attached in (RecordFile.objects.filter(record_id__in=[r.pk for r in found]).select_related("file")
                     .order_by("record_id", "position")):
        stored = attached.file
        url = (reverse("evaluation:review_file", args=[attached.record_id, stored.pk]) if reviewer
               else uploads.signed_url(actor, stored))
        links.setdefault(attached.record_id, []).append({
            "id": stored.pk, "name": stored.name, "kind": stored.kind, "size": stored.size,
            "url": url, "thumbnail_url": uploads.thumbnail_url(actor, stored)})
    return links


def window_of_city(city_id: int, school_year: int) -> SubmissionWindow | None:
    return SubmissionWindow.objects.filter(region_id=city_id, school_id__isnull=True, school_year=school_year).first()


def window_of_school(school_id: int, school_year: int) -> SubmissionWindow | None:
    return SubmissionWindow.objects.filter(school_id=school_id, school_year=school_year).first()


@dataclass
class Windows:
    school_year: int
    city: SubmissionWindow | None
    school: SubmissionWindow | None
    school_name: str = ""


def windows_for(actor: Actor) -> Windows:
    """The windows the actor sets or submits under: the city's and (below a city) the school's."""
    city, year = home_city(actor)
    year = year or _default_year(city)
    school_id = actor.identity.school_id if actor.identity else None
    if school_id is None and access.keeps_material(actor):
        school_id = next(iter(sorted(actor.scope.school_ids)), None)
    school = School.objects.filter(pk=school_id).first() if school_id else None
    return Windows(year, window_of_city(city.pk, year) if city else None,
                   window_of_school(school.pk, year) if school else None, school.name if school else "")


def open_records_of(actor: Actor, ids: list[int]) -> list[WrittenRecord]:
    """The chosen records among those the actor keeps, in the order chosen; an id out of scope is not found."""
    wanted = list(dict.fromkeys(ids))
    found = {r.pk: r for r in records_in_scope(actor).filter(pk__in=wanted)} if access.keeps_material(actor) else {}
    if len(found) != len(wanted):
        raise UserFacingError("evaluation.record_not_found")
    return [found[i] for i in wanted]


def counts_by_state(actor: Actor, student_id: int) -> dict[str, int]:
    found = {s: 0 for s in WrittenRecord.State.values}
    for state in records(actor, student_id).values_list("state", flat=True):
        found[state] += 1
    return found
