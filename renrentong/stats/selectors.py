"""Usage statistics (STAT-1) read from the rollups, never from events: one page of a province, city,
district, school or class, its rows one level down, and at the bottom the people of a class.

Every read starts from what the actor may see: a node outside it is "not found" (NFR-2), whatever id
arrives. The figures per row: accounts activated (all time), distinct people who logged in within the
last 7 and 30 days (from each person's last-active date), and over the chosen days: channel follows,
material uploaded and submitted, posts and personal spaces opened."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renrentong.accounts.models import Account
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_account_number
from renrentong.core.schemas import MAX_ID
from renrentong.orgs.models import Region, School, SchoolClass

from renrentong.stats import access
from renrentong.stats.models import NO_CLASS, DailyFigures, PersonActivity, Role, SchoolDay, SchoolTotals, Watermark

LEVELS = ("province", "city", "district", "school", "class")
URL_NAMES = {"province": "stats:region", "city": "stats:region", "district": "stats:region", "school": "stats:school",
             "class": "stats:class"}
CHILD_LEVEL = {"province": "city", "city": "district", "district": "school", "school": "class", "class": "person"}
ROLES = ("", Role.STUDENT, Role.PARENT, Role.TEACHER)
DEFAULT_DAYS = 30
MAX_DAYS = 366
PEOPLE_LIMIT = 2000


@dataclass
class Figures:
    activated: int = 0
    active_7: int = 0
    active_30: int = 0
    follows: int = 0
    uploaded: int = 0
    submitted: int = 0
    posts: int = 0
    spaces_opened: int = 0

    def add(self, other: "Figures") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


FIGURE_LABELS = {
    "activated": gettext_lazy("Accounts activated"), "active_7": gettext_lazy("Logged in, last 7 days"),
    "active_30": gettext_lazy("Logged in, last 30 days"), "follows": gettext_lazy("Channel follows"),
    "uploaded": gettext_lazy("Material uploaded"), "submitted": gettext_lazy("Material submitted"),
    "posts": gettext_lazy("Posts"), "spaces_opened": gettext_lazy("Spaces opened"),
}
DAILY = ("follows", "uploaded", "submitted", "posts", "spaces_opened")


@dataclass
class Row:
    level: str  # the row's own level: city, district, school, class
    node_id: int
    name: str
    figures: Figures = field(default_factory=Figures)
    drills: bool = True  # a teacher's "no class" row has nothing below it

    @property
    def url_name(self) -> str:
        return URL_NAMES[self.level]


@dataclass
class Crumb:
    level: str
    node_id: int
    name: str

    @property
    def url_name(self) -> str:
        return URL_NAMES[self.level]


@dataclass
class Report:
    level: str
    node_id: int
    name: str
    role: str
    days: int
    as_of: datetime | None
    path: list[Crumb]
    totals: Figures
    rows: list[Row]
    trend: list[tuple[date, int, int]]  # day, people logged in, logins
    activated_by_role: dict[str, int]

    @property
    def child_level(self) -> str:
        return CHILD_LEVEL[self.level]


@dataclass
class PersonRow:
    account_id: int
    name: str
    account: str  # masked (NFR-1)
    role: str
    activated_on: date | None
    last_active_on: date | None


@dataclass
class People:
    school_class: SchoolClass
    school: School
    role: str
    as_of: datetime | None
    path: list[Crumb]
    rows: list[PersonRow]
    truncated: bool


def check_filters(role: str, days: int) -> None:
    if role not in ROLES:
        raise UserFacingError("stats.role_unknown")
    if not 1 <= days <= MAX_DAYS:
        raise UserFacingError("stats.days_out_of_range")


def as_of() -> datetime | None:
    """The figures hold everything before this time: the oldest source's last completed catch-up."""
    found = Watermark.objects.aggregate(oldest=Min("caught_up_at"))["oldest"]
    missing = Watermark.objects.filter(caught_up_at__isnull=True).exists()
    return None if missing else found


def home_node(actor: Actor) -> tuple[str, int]:
    """Where the actor's statistics start: their region, or their school."""
    if access.is_region_admin(actor):
        region = actor.identity.region
        return region.kind, region.pk
    if access.is_school_admin(actor):
        return "school", actor.identity.school_id
    raise UserFacingError("stats.not_allowed")


def _allowed(actor: Actor) -> None:
    if actor.identity is None or not access.sees_statistics(actor):
        raise UserFacingError("stats.not_allowed")


def _region(actor: Actor, node_id: int) -> Region:
    region = Region.objects.filter(pk=node_id).first() if 1 <= node_id <= MAX_ID else None
    if region is None or not access.sees_region(actor, region.pk):
        raise UserFacingError("stats.not_found")
    return region


def _school(actor: Actor, node_id: int) -> School:
    school = actor.scope.schools(School.objects.all()).filter(pk=node_id).first() if 1 <= node_id <= MAX_ID else None
    if school is None:
        raise UserFacingError("stats.not_found")
    return school


def _class(actor: Actor, node_id: int) -> SchoolClass:
    found = (actor.scope.classes(SchoolClass.objects.select_related("school")).filter(pk=node_id).first()
             if 1 <= node_id <= MAX_ID else None)
    if found is None:
        raise UserFacingError("stats.not_found")
    return found


def _path(actor: Actor, region: Region | None, school: School | None = None,
          school_class: SchoolClass | None = None) -> list[Crumb]:
    """From the actor's own node down to this one: no crumb above what the actor may see."""
    crumbs: list[Crumb] = []
    if school_class is not None:
        crumbs.append(Crumb("class", school_class.pk, school_class.display_name(school.school_year)))
    if school is not None:
        crumbs.append(Crumb("school", school.pk, school.name))
        region = school.district if access.is_region_admin(actor) else None
    while region is not None and access.sees_region(actor, region.pk):
        crumbs.append(Crumb(region.kind, region.pk, region.name))
        region = region.parent
    return list(reversed(crumbs))


def _districts_below(region: Region) -> QuerySet:
    if region.kind == Region.Kind.DISTRICT:
        return Region.objects.filter(pk=region.pk)
    if region.kind == Region.Kind.CITY:
        return Region.objects.filter(parent=region, kind=Region.Kind.DISTRICT)
    return Region.objects.filter(parent__parent=region, kind=Region.Kind.DISTRICT)


def report(actor: Actor, level: str, node_id: int, *, role: str = "", days: int = DEFAULT_DAYS,
           today: date | None = None) -> Report:
    """A region's (level "region": its own kind decides) or a school's figures with its rows one level down;
    a class's people are people()."""
    _allowed(actor)
    check_filters(role, days)
    today = today or timezone.localdate()
    if level == "school":
        school = _school(actor, node_id)
        schools = [school.pk]
        name, path = school.name, _path(actor, None, school)
        classes = {c.pk: c.display_name(school.school_year) for c in SchoolClass.objects.filter(school=school)}
        grouped = _grouped(schools, "class_id", role, days, today)
        trend, by_role = _trend(DailyFigures, schools, role, days, today), _activated_by_role(schools, role)
        rows = [Row("class", pk, label, grouped.get(pk, Figures())) for pk, label in classes.items()]
        rows.sort(key=lambda r: r.name)
        if NO_CLASS in grouped:
            rows.append(Row("class", NO_CLASS, _("Teachers (no class)"), grouped[NO_CLASS], drills=False))
    else:
        region = _region(actor, node_id)
        level, name, path = region.kind, region.name, _path(actor, region)
        school_rows = list(School.objects.filter(district__in=_districts_below(region))
                           .values_list("pk", "name", "district_id", "district__parent_id"))
        schools = [s[0] for s in school_rows]
        grouped = _school_grouped(schools, role, days, today)
        trend, by_role = _trend(SchoolDay, schools, role, days, today), _school_activated_by_role(schools, role)
        if level == "district":
            rows = [Row("school", pk, label, grouped.get(pk, Figures())) for pk, label, _d, _c in school_rows]
        else:
            child = "district" if level == "city" else "city"
            children = {r.pk: Row(child, r.pk, r.name) for r in Region.objects.filter(parent=region, kind=child)}
            for pk, _label, district_id, city_id in school_rows:
                key = district_id if level == "city" else city_id
                if key in children and pk in grouped:
                    children[key].figures.add(grouped[pk])
            rows = list(children.values())
        rows.sort(key=lambda r: r.name)
    totals = Figures()
    for row in rows:
        totals.add(row.figures)
    return Report(level=level, node_id=node_id, name=name, role=role, days=days, as_of=as_of(), path=path,
                  totals=totals, rows=rows, trend=trend, activated_by_role=by_role)


def _daily(schools: list[int], role: str, since: date, today: date) -> QuerySet:
    rows = DailyFigures.objects.filter(school_id__in=schools, day__gte=since, day__lte=today)
    return rows.filter(role=role) if role else rows


def _persons(schools: list[int], role: str) -> QuerySet:
    rows = PersonActivity.objects.filter(school_id__in=schools)
    return rows.filter(role=role) if role else rows


def _grouped(schools: list[int], by: str, role: str, days: int, today: date) -> dict[int, Figures]:
    """The figures per school or per class: two grouped reads of the rollups, whatever the events."""
    found: dict[int, Figures] = {}
    since = today - timedelta(days=days - 1)
    for row in _daily(schools, role, since, today).values(by).annotate(**{f: Sum(f) for f in DAILY}):
        figures = found.setdefault(row[by], Figures())
        for f in DAILY:
            setattr(figures, f, row[f] or 0)
    people = _persons(schools, role).values(by).annotate(
        activated=Count("pk", filter=Q(activated_on__isnull=False)),
        active_7=Count("pk", filter=Q(last_active_on__gte=today - timedelta(days=6))),
        active_30=Count("pk", filter=Q(last_active_on__gte=today - timedelta(days=29))))
    for row in people:
        figures = found.setdefault(row[by], Figures())
        figures.activated, figures.active_7, figures.active_30 = row["activated"], row["active_7"], row["active_30"]
    return found


def _school_grouped(schools: list[int], role: str, days: int, today: date) -> dict[int, Figures]:
    """The figures per school from the school rollups: rows per school, role and day, never people."""
    since, d7, d30 = (today - timedelta(days=n - 1) for n in (days, 7, 30))
    rows = SchoolDay.objects.filter(school_id__in=schools, day__gte=min(since, d30), day__lte=today)
    rows = rows.filter(role=role) if role else rows
    found: dict[int, Figures] = {}
    window = Q(day__gte=since)
    for row in rows.values("school_id").annotate(
            active_7=Sum("last_active", filter=Q(day__gte=d7)), active_30=Sum("last_active", filter=Q(day__gte=d30)),
            **{f: Sum(f, filter=window) for f in DAILY}):
        found[row["school_id"]] = Figures(**{f: row[f] or 0 for f in ("active_7", "active_30", *DAILY)})
    totals = SchoolTotals.objects.filter(school_id__in=schools)
    for school_id, n in (totals.filter(role=role) if role else totals).values("school_id").annotate(
            n=Sum("activated")).values_list("school_id", "n"):
        found.setdefault(school_id, Figures()).activated = n or 0
    return found


def _school_activated_by_role(schools: list[int], role: str) -> dict[str, int]:
    counts = dict(SchoolTotals.objects.filter(school_id__in=schools).values("role").annotate(n=Sum("activated"))
                  .values_list("role", "n"))
    return {r.value: counts.get(r.value) or 0 for r in Role if not role or r.value == role}


def _trend(model, schools: list[int], role: str, days: int, today: date) -> list[tuple[date, int, int]]:
    since = today - timedelta(days=days - 1)
    rows = model.objects.filter(school_id__in=schools, day__gte=since, day__lte=today)
    rows = rows.filter(role=role) if role else rows
    found = {r["day"]: (r["active"] or 0, r["logins"] or 0) for r in
             rows.values("day").annotate(active=Sum("active"), logins=Sum("logins"))}
    return [(d, *found.get(d, (0, 0))) for d in (since + timedelta(days=n) for n in range(days))]


def _activated_by_role(schools: list[int], role: str) -> dict[str, int]:
    counts = dict(_persons(schools, role).filter(activated_on__isnull=False).values("role")
                  .annotate(n=Count("pk")).values_list("role", "n"))
    return {r.value: counts.get(r.value, 0) for r in Role if not role or r.value == role}


def people(actor: Actor, class_id: int, *, role: str = "", limit: int | None = PEOPLE_LIMIT) -> People:
    """The people of a class the figures count (students, their parents): names, masked account numbers,
    activation and last-active dates. Region admins reach it through the drill-down as well."""
    _allowed(actor)
    check_filters(role, DEFAULT_DAYS)
    school_class = _class(actor, class_id)
    school = school_class.school
    rows = _persons([school.pk], role).filter(class_id=school_class.pk).order_by("role", "account_id")
    listed = list(rows[:limit + 1] if limit is not None else rows)
    names = dict(Account.objects.filter(pk__in=[r.account_id for r in listed])
                 .values_list("pk", "person__name"))
    numbers = dict(Account.objects.filter(pk__in=[r.account_id for r in listed]).values_list("pk", "number"))
    return People(
        school_class=school_class, school=school, role=role, as_of=as_of(),
        path=_path(actor, None, school, school_class),
        rows=[PersonRow(r.account_id, names.get(r.account_id) or "", mask_account_number(numbers.get(r.account_id, "")),
                        r.role, r.activated_on, r.last_active_on) for r in listed[:limit]],
        truncated=limit is not None and len(listed) > limit)


def people_count(actor: Actor, class_id: int, role: str = "") -> int:
    school_class = _class(actor, class_id)
    return _persons([school_class.school_id], role).filter(class_id=school_class.pk).count()
