"""Keeping the OneRoster directory up to date (INT-2, INT-3): a school's rows rebuilt, compared and swept.

An export refreshes its own scope before writing. The REST service reads the directory as it stands, so the
worker refreshes every school in turn (the periodic duty `refresh_due`): each run takes the schools refreshed
longest ago, one transaction each, until its time is up; a school another worker holds is skipped."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from renrentong.orgs.models import Region, School

from renrentong.integration.models import App, RosterRefresh
from renrentong.integration.oneroster.directory import Directory, Entry
from renrentong.integration.oneroster.records import Record, region_orgs, school_records, sessions

SCHOOL_FILES = ("orgs", "courses", "classes", "users", "demographics", "roles", "enrollments")
SWEPT = ("courses", "classes", "users", "demographics", "roles", "enrollments")
BUDGET_SECONDS = 10.0


def regions_above(schools) -> list[Region]:
    """Every region above the schools, so that each parentSourcedId of a package resolves."""
    regions: dict[int, Region] = {}
    frontier = {s.district_id for s in schools}
    while frontier:
        found = list(Region.objects.filter(pk__in=frontier - regions.keys()))
        regions.update((r.pk, r) for r in found)
        frontier = {r.parent_id for r in found if r.parent_id and r.parent_id not in regions}
    return sorted(regions.values(), key=lambda r: r.pk)


def refresh_regions(directory: Directory, schools) -> dict[str, list[Entry]]:
    return {"orgs": directory.sync("orgs", region_orgs(regions_above(schools))),
            "academicSessions": directory.sync("academicSessions", sessions(s.school_year for s in schools))}


def refresh_school(directory: Directory, school: School, seen_people: set[int]
                   ) -> tuple[dict[str, list[Record]], dict[str, list[Entry]]]:
    """The school's objects as they are now, in the directory: changed rows dated, gone ones swept."""
    records = school_records(school, seen_people=seen_people)
    entries = {kind: directory.sync(kind, records.get(kind, [])) for kind in SCHOOL_FILES}
    for kind in SWEPT:
        # A person written by any school of this export so far is present; an object of the school, when found.
        present = seen_people if kind in ("users", "demographics") else {r.key for r in records.get(kind, [])}
        directory.sweep(kind, school.pk, present)
    mark_refreshed(school, directory.now)
    return records, entries


def mark_refreshed(school: School, now) -> None:
    RosterRefresh.objects.update_or_create(school_id=school.pk, defaults={"refreshed_at": now})


def refresh_due(budget_seconds: float = BUDGET_SECONDS) -> int:
    """The periodic duty: for about `budget_seconds`, refresh the schools not refreshed in the last
    RRT_ONEROSTER_REFRESH_MINUTES, longest ago (or never) first. Returns how many were refreshed. Nothing while no
    active app may read rosters: the directory is then only for exports, which refresh their own schools (and a
    platform without such apps pays no writes for it)."""
    if not any(app.roster_scopes for app in App.objects.filter(active=True).only("roster_scopes")):
        return 0
    known = set(RosterRefresh.objects.values_list("school_id", flat=True))
    RosterRefresh.objects.bulk_create([RosterRefresh(school_id=pk) for pk in School.objects.values_list("pk", flat=True)
                                       if pk not in known], ignore_conflicts=True)
    started, done = time.monotonic(), 0
    while time.monotonic() - started < budget_seconds:
        with transaction.atomic():
            due = (RosterRefresh.objects.select_for_update(skip_locked=True)
                   .order_by(F("refreshed_at").asc(nulls_first=True), "school_id").first())
            every = timedelta(minutes=settings.RRT_ONEROSTER_REFRESH_MINUTES)
            stale = due is not None and (due.refreshed_at is None or due.refreshed_at < timezone.now() - every)
            if not stale:
                return done
            school = School.objects.filter(pk=due.school_id).first()
            if school is None:
                due.delete()
                continue
            directory = Directory(timezone.now())
            refresh_regions(directory, [school])
            refresh_school(directory, school, set())
            done += 1
    return done
