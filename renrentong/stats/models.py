"""Usage statistics (STAT-1, STAT-2): an append-only event table, and the rollups every page reads.

Pages never read `Event`: they read `DailyFigures` (one row per day, school, class and role) and
`PersonActivity` (one row per person and school: activated on, last active on), which the catch-up
(`catchup.py`) keeps up from the owning apps' own tables, a source at a time behind a `Watermark`.
Every table carries `school_id`; a teacher's rows have class 0 (no class)."""

from __future__ import annotations

from django.db import models

NO_CLASS = 0


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    PARENT = "parent", "Parent"
    TEACHER = "teacher", "Teacher"


class Event(models.Model):
    """One thing that happened (a login, a follow, material uploaded ...), written once, never changed.
    Kept for recounting and audits; a BRIN index on `at` on PostgreSQL (rows arrive in time order)."""

    class Kind(models.TextChoices):
        LOGIN = "login"
        ACTIVATED = "activated"
        FOLLOW = "follow"
        UPLOADED = "uploaded"
        SUBMITTED = "submitted"
        POST = "post"
        SPACE_OPENED = "space_opened"

    at = models.DateTimeField()
    day = models.DateField()  # the local date of `at`: the rollups' day
    kind = models.CharField(max_length=16, choices=Kind.choices)
    account_id = models.BigIntegerField()
    role = models.CharField(max_length=8, choices=Role.choices)
    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField(default=NO_CLASS)
    source_id = models.BigIntegerField()  # the owning app's row (login event, post, record ...)


class DailyFigures(models.Model):
    """The counts of one day, school, class and role; raised only by the catch-up, in the same
    transaction that moves its watermark, so a run repeated or cut short never counts twice."""

    day = models.DateField()
    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField(default=NO_CLASS)
    role = models.CharField(max_length=8, choices=Role.choices)
    logins = models.IntegerField(default=0)
    active = models.IntegerField(default=0)  # people who logged in that day (each once)
    activated = models.IntegerField(default=0)
    follows = models.IntegerField(default=0)
    uploaded = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)
    posts = models.IntegerField(default=0)
    spaces_opened = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "class_id", "day", "role"],
                                               name="stats_one_figures_row")]
        indexes = [models.Index(fields=["school_id", "day"], name="stats_figures_school_day")]


class SchoolDay(models.Model):
    """The same day counts per school and role (classes summed), for region pages: a district of 40 schools
    reads 40 x 3 rows a day instead of one per class. `last_active`: the people of the school and role whose
    last active date is this day (moved from their previous day when they log in again), so the distinct
    people active within 7 or 30 days is a sum over that many days, without reading people."""

    day = models.DateField()
    school_id = models.BigIntegerField()
    role = models.CharField(max_length=8, choices=Role.choices)
    logins = models.IntegerField(default=0)
    active = models.IntegerField(default=0)
    activated = models.IntegerField(default=0)
    follows = models.IntegerField(default=0)
    uploaded = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)
    posts = models.IntegerField(default=0)
    spaces_opened = models.IntegerField(default=0)
    last_active = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "day", "role"], name="stats_one_school_day")]


class SchoolTotals(models.Model):
    """Accounts activated per school and role, all time (a region page's first column)."""

    school_id = models.BigIntegerField()
    role = models.CharField(max_length=8, choices=Role.choices)
    activated = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "role"], name="stats_one_school_total")]


class PersonActivity(models.Model):
    """Each person's activation and last active date at a school: distinct logins in the last 7 or 30
    days are the rows with `last_active_on` in the window, counted without reading a single event."""

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField(default=NO_CLASS)
    account_id = models.BigIntegerField()
    role = models.CharField(max_length=8, choices=Role.choices)
    activated_on = models.DateField(null=True, blank=True)
    last_active_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "account_id"], name="stats_one_person_row")]
        indexes = [models.Index(fields=["school_id", "role", "last_active_on"], name="stats_person_active"),
                   models.Index(fields=["school_id", "class_id"], name="stats_person_class"),
                   models.Index(fields=["account_id"], name="stats_person_account")]


class Watermark(models.Model):
    """How far the catch-up has read one source: its last row id (and time, for a source read by time).
    A platform-wide row per source, not a school's: school_id stays None."""

    source = models.CharField(max_length=32, unique=True)
    school_id = models.BigIntegerField(null=True, blank=True)
    last_id = models.BigIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)
    caught_up_at = models.DateTimeField(null=True, blank=True)  # the figures hold everything before this
