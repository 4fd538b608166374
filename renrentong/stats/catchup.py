"""The catch-up (STAT-1): reads what happened from the owning apps' own tables, a source at a time, appends
it to the event table and raises the rollups, all in one transaction with the source's watermark.

Restart-safe and idempotent: the watermark row is locked (SELECT ... FOR UPDATE) and moved in the same
transaction as the figures, so two workers never read the same rows and a run cut short leaves nothing
half-counted; running again reads from where the last commit ended. A periodic duty of the worker
(settings.PERIODIC_DUTIES, every 30 seconds), so today's figures are at most a minute or two behind.

Sources are read by id (rows only ever appended) or, for submissions, by (time, id). A row is taken only
once it is LAG old, so a transaction still open when its neighbours committed is not skipped over;
one held open longer than LAG would be (documented in docs/statistics.md).

Stats sits above the apps it reads (accounts, wechat, spaces, evaluation); none of them imports stats."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity, LoginEvent
from renrentong.core.bulk import among, bulk_insert
from renrentong.evaluation.models import WrittenRecord
from renrentong.spaces.models import PersonalSpace, Post
from renrentong.wechat.models import Follower

from renrentong.stats import access
from renrentong.stats.models import (
    NO_CLASS, DailyFigures, Event, PersonActivity, Role, SchoolDay, SchoolTotals, Watermark,
)

BATCH = 5000
LAG = timedelta(seconds=5)
FIGURES = ("logins", "active", "activated", "follows", "uploaded", "submitted", "posts", "spaces_opened")
SCHOOL_FIGURES = (*FIGURES, "last_active")
KIND_FIGURE = {Event.Kind.LOGIN: "logins", Event.Kind.ACTIVATED: "activated", Event.Kind.FOLLOW: "follows",
               Event.Kind.UPLOADED: "uploaded", Event.Kind.SUBMITTED: "submitted", Event.Kind.POST: "posts",
               Event.Kind.SPACE_OPENED: "spaces_opened"}


@dataclass(frozen=True)
class Place:
    role: str
    school_id: int
    class_id: int


@dataclass(frozen=True)
class Happening:
    """A source row as the catch-up sees it: who, where (None: resolve from the account), when."""

    source_id: int
    at: datetime
    kind: str
    account_id: int
    place: Place | None = None


def places_of(account_ids: set[int]) -> dict[int, Place]:
    """Each account's role and place, set-based: a student's open class; a teacher's school; a parent
    their first child's class. The first role in access.counted_roles that has a place wins."""
    if not account_ids:
        return {}
    kinds: dict[int, set[str]] = defaultdict(set)
    teacher_school: dict[int, int] = {}
    for account_id, kind, school_id in (Identity.objects.filter(among("account_id", account_ids),
                                                                kind__in=list(access.ROLE_OF_KIND))
                                        .values_list("account_id", "kind", "school_id")):
        kinds[account_id].add(kind)
        if access.role_of_author(kind) == Role.TEACHER and school_id:
            teacher_school.setdefault(account_id, school_id)
    roles = {a: access.counted_roles(k) for a, k in kinds.items()}
    person_of = dict(Account.objects.filter(among("pk", list(roles)), person__isnull=False)
                     .values_list("pk", "person_id"))
    parents = [person_of[a] for a, r in roles.items() if Role.PARENT in r and a in person_of]
    child_of: dict[int, int] = {}
    for guardian, student in (Guardianship.objects.filter(among("guardian_id", parents))
                              .order_by("guardian_id", "student_id").values_list("guardian_id", "student_id")):
        child_of.setdefault(guardian, student)
    wanted = {person_of[a] for a, r in roles.items() if Role.STUDENT in r and a in person_of} | set(child_of.values())
    enrolled = {p: (s, c) for p, s, c in Enrollment.objects.filter(among("person_id", wanted), ended_on__isnull=True)
                .values_list("person_id", "school_id", "school_class_id")}
    found: dict[int, Place] = {}
    for account_id, account_roles in roles.items():
        person = person_of.get(account_id)
        for role in account_roles:
            if role == Role.STUDENT and person in enrolled:
                found[account_id] = Place(Role.STUDENT, *enrolled[person])
            elif role == Role.TEACHER and account_id in teacher_school:
                found[account_id] = Place(Role.TEACHER, teacher_school[account_id], NO_CLASS)
            elif role == Role.PARENT and child_of.get(person) in enrolled:
                found[account_id] = Place(Role.PARENT, *enrolled[child_of[person]])
            if account_id in found:
                break
    return found


# Each source: its name, and a function (watermark, cutoff) -> (happenings, new last_id, new last_at).
def _logins(mark: Watermark, cutoff: datetime):
    rows = list(LoginEvent.objects.filter(pk__gt=mark.last_id).order_by("pk")
                .values_list("pk", "at", "account_id", "outcome")[:BATCH])
    return _prefix(rows, cutoff, lambda r: Happening(r[0], r[1], Event.Kind.LOGIN, r[2])
                   if r[3] == "success" and r[2] else None, mark)


def _follows(mark: Watermark, cutoff: datetime):
    rows = list(Follower.objects.filter(pk__gt=mark.last_id).order_by("pk")
                .values_list("pk", "bound_at", "account_id")[:BATCH])
    return _prefix(rows, cutoff, lambda r: Happening(r[0], r[1], Event.Kind.FOLLOW, r[2]), mark)


def _uploads(mark: Watermark, cutoff: datetime):
    rows = list(WrittenRecord.objects.filter(pk__gt=mark.last_id).order_by("pk")
                .values_list("pk", "created_at", "author_id", "author_kind", "school_id", "class_id")[:BATCH])
    return _prefix(rows, cutoff, lambda r: Happening(r[0], r[1], Event.Kind.UPLOADED, r[2], _place(r[3], r[4], r[5])),
                   mark)


def _posts(mark: Watermark, cutoff: datetime):
    rows = list(Post.objects.filter(pk__gt=mark.last_id).order_by("pk")
                .values_list("pk", "created_at", "author_id", "author_kind", "school_id", "class_id")[:BATCH])
    return _prefix(rows, cutoff, lambda r: Happening(r[0], r[1], Event.Kind.POST, r[2], _place(r[3], r[4], r[5])),
                   mark)


def _spaces(mark: Watermark, cutoff: datetime):
    rows = list(PersonalSpace.objects.filter(pk__gt=mark.last_id).order_by("pk")
                .values_list("pk", "opened_at", "account_id", "school_id", "class_id")[:BATCH])
    return _prefix(rows, cutoff, lambda r: Happening(r[0], r[1], Event.Kind.SPACE_OPENED, r[2]), mark)


def _submissions(mark: Watermark, cutoff: datetime):
    """Submitting changes a row rather than adding one, so this source is read by (submitted_at, id); a
    record withdrawn and submitted again counts again, as a second submission."""
    since = mark.last_at or datetime(2000, 1, 1, tzinfo=timezone.get_current_timezone())
    # submitted_at >= since as well: the bound of a range read on evaluation's (submitted_at, id) index.
    rows = list(WrittenRecord.objects.filter(submitted_at__isnull=False, submitted_at__gte=since,
                                             submitted_at__lte=cutoff)
                .filter(Q(submitted_at__gt=since) | Q(submitted_at=since, pk__gt=mark.last_id))
                .order_by("submitted_at", "pk")
                .values_list("pk", "submitted_at", "author_id", "author_kind", "school_id", "class_id")[:BATCH])
    found = [Happening(r[0], r[1], Event.Kind.SUBMITTED, r[2], _place(r[3], r[4], r[5])) for r in rows]
    if not rows:
        return found, mark.last_id, mark.last_at
    return found, rows[-1][0], rows[-1][1]


def _place(author_kind: str, school_id: int, class_id: int | None) -> Place | None:
    role = access.role_of_author(author_kind)
    return Place(role, school_id, class_id or NO_CLASS) if role else None


def _prefix(rows, cutoff: datetime, read, mark: Watermark):
    """The rows up to the first one younger than the cutoff (those wait for the next run)."""
    found, last_id = [], mark.last_id
    for row in rows:
        if row[1] > cutoff:
            break
        last_id = row[0]
        happening = read(row)
        if happening is not None:
            found.append(happening)
    return found, last_id, mark.last_at


SOURCES = {"logins": _logins, "follows": _follows, "uploads": _uploads, "submissions": _submissions,
           "posts": _posts, "spaces": _spaces}


def catch_up(now: datetime | None = None, *, rounds: int = 50) -> dict[str, int]:
    """Every source up to now - LAG, a batch per transaction; returns the events appended per source."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    for source in SOURCES:
        Watermark.objects.get_or_create(source=source)
        total = 0
        for _ in range(rounds):
            added, more = _one_batch(source, now)
            total += added
            if not more:
                break
        if total:
            done[source] = total
    return done


@transaction.atomic
def _one_batch(source: str, now: datetime) -> tuple[int, bool]:
    mark = Watermark.objects.select_for_update().get(source=source)
    cutoff = now - LAG
    happenings, last_id, last_at = SOURCES[source](mark, cutoff)
    moved = (last_id, last_at) != (mark.last_id, mark.last_at)
    added = _apply(happenings) if happenings else 0
    mark.last_id, mark.last_at = last_id, last_at
    if not moved:
        # Nothing left before the cutoff: the figures hold everything up to it.
        mark.caught_up_at = cutoff
    mark.save(update_fields=["last_id", "last_at", "caught_up_at"])
    return added, moved


def _apply(happenings: list[Happening]) -> int:
    """Append the events and raise the figures and each person's dates, set-based."""
    resolved = places_of({h.account_id for h in happenings if h.place is None})
    events: list[dict] = []
    figures: dict[tuple[date, int, int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    people = _people_rows({(p.school_id, h.account_id): p for h in happenings
                           if (p := h.place or resolved.get(h.account_id))})
    changed: dict[int, _Person] = {}
    last_active: dict[tuple[date, int, str], int] = defaultdict(int)
    activated: dict[tuple[int, str], int] = defaultdict(int)
    tz = timezone.get_current_timezone()
    for h in happenings:
        place = h.place or resolved.get(h.account_id)
        if place is None:
            continue
        day = h.at.astimezone(tz).date()
        key = (day, place.school_id, place.class_id, place.role)
        figures[key][KIND_FIGURE[h.kind]] += 1
        events.append({"at": h.at, "day": day, "kind": h.kind, "account_id": h.account_id, "role": place.role,
                       "school_id": place.school_id, "class_id": place.class_id, "source_id": h.source_id})
        if h.kind != Event.Kind.LOGIN:
            continue
        person = people[(place.school_id, h.account_id)]
        if person.activated_on is None:
            person.activated_on = day
            figures[key]["activated"] += 1
            activated[(place.school_id, place.role)] += 1
            events.append({"at": h.at, "day": day, "kind": Event.Kind.ACTIVATED, "account_id": h.account_id,
                           "role": place.role, "school_id": place.school_id, "class_id": place.class_id,
                           "source_id": h.source_id})
        if person.last_active_on is None or person.last_active_on < day:
            if person.last_active_on is not None:
                last_active[(person.last_active_on, place.school_id, person.role)] -= 1
            last_active[(day, place.school_id, place.role)] += 1
            person.last_active_on = day
            figures[key]["active"] += 1
        person.class_id, person.role = place.class_id, place.role
        changed[id(person)] = person
    _append(events)
    _save_people(list(changed.values()))
    _raise_figures(figures)
    per_school: dict[tuple[date, int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(SCHOOL_FIGURES, 0))
    for (day, school_id, _class_id, role), counts in figures.items():
        for f in FIGURES:
            per_school[(day, school_id, role)][f] += counts[f]
    for key, delta in last_active.items():
        per_school[key]["last_active"] += delta
    _upsert(SchoolDay, ("day", "school_id", "role"), ("school_id", "day", "role"), SCHOOL_FIGURES, per_school)
    _upsert(SchoolTotals, ("school_id", "role"), ("school_id", "role"), ("activated",),
            {key: {"activated": n} for key, n in activated.items()})
    return len(events)


EVENT_COLUMNS = ("at", "day", "kind", "account_id", "role", "school_id", "class_id", "source_id")


def _append(events: list[dict]) -> None:
    """COPY on PostgreSQL (core.bulk); elsewhere one executemany, a fifth of bulk_create's time here."""
    if connection.vendor == "postgresql":
        bulk_insert(Event, events, ids=False)
        return
    at, day = connection.ops.adapt_datetimefield_value, connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {Event._meta.db_table} ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join(['%s'] * 8)})",
            [(at(e["at"]), day(e["day"]), *(e[c] for c in EVENT_COLUMNS[2:])) for e in events])


@dataclass
class _Person:
    """A PersonActivity row as the catch-up changes it (a model instance per row cost more than the rest)."""

    school_id: int
    account_id: int
    class_id: int
    role: str
    activated_on: date | None = None
    last_active_on: date | None = None


def _people_rows(places: dict[tuple[int, int], Place]) -> dict[tuple[int, int], _Person]:
    """The batch's people as they stand (one read), new ones added."""
    rows: dict[tuple[int, int], _Person] = {}
    accounts = sorted({account_id for _school, account_id in places})
    for start in range(0, len(accounts), 5000):
        for found in (PersonActivity.objects.filter(among("account_id", accounts[start:start + 5000]))
                      .values_list("school_id", "account_id", "class_id", "role", "activated_on", "last_active_on")):
            if (found[0], found[1]) in places:
                rows[(found[0], found[1])] = _Person(*found)
    for (school_id, account_id), place in places.items():
        rows.setdefault((school_id, account_id), _Person(school_id, account_id, place.class_id, place.role))
    return rows


def _save_people(rows: list[_Person]) -> None:
    """One upsert for new and changed rows alike; the values were decided under the logins watermark's lock."""
    _upsert(PersonActivity, ("school_id", "account_id", "class_id", "role", "activated_on", "last_active_on"),
            ("school_id", "account_id"), (),
            {(r.school_id, r.account_id, r.class_id, r.role, r.activated_on, r.last_active_on): {} for r in rows},
            replace=("class_id", "role", "activated_on", "last_active_on"))


def _raise_figures(figures: dict[tuple[date, int, int, str], dict[str, int]]) -> None:
    _upsert(DailyFigures, ("day", "school_id", "class_id", "role"), ("school_id", "class_id", "day", "role"),
            FIGURES, figures)


def _upsert(model, keys: tuple[str, ...], unique: tuple[str, ...], counts: tuple[str, ...], rows: dict, *,
            replace: tuple[str, ...] = ()) -> None:
    """INSERT ... ON CONFLICT DO UPDATE adding to the counts (or replacing `replace`). On PostgreSQL each column
    goes as one comma-joined text that the server splits and unnests (a placeholder per value made psycopg
    split a huge query in Python, and an array parameter is quoted element by element, as core.bulk.among
    says); the values are numbers, dates and role names, none holding a comma. Elsewhere one executemany."""
    if not rows:
        return
    table = model._meta.db_table
    columns = (*keys, *counts)
    sets = [f"{f} = {table}.{f} + excluded.{f}" for f in counts] + [f"{f} = excluded.{f}" for f in replace]
    conflict = f"ON CONFLICT ({', '.join(unique)}) DO UPDATE SET {', '.join(sets)}"
    values = [(*key, *(counts_of[f] for f in counts)) for key, counts_of in rows.items()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [model._meta.get_field(c).db_type(connection) for c in columns]
            arrays = ", ".join(f"string_to_array(%s, ',', '')::{t}[]" for t in types)
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) {conflict}",
                           [",".join("" if v is None else str(v) for v in column) for column in zip(*values)])
            return
        adapt = connection.ops.adapt_datefield_value
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) {conflict}",
            [[adapt(v) if isinstance(v, date) else v for v in row] for row in values])
