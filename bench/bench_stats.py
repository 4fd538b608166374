"""District usage statistics (issue 15, Performance): "District statistics (all figures of item 4, every
school): at most 1 s on PostgreSQL with 2 cores, printed beside the same figures computed from raw events in
the same run (goal: at least 10 times faster)."

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py stats
    .venv/bin/python bench/bench_stats.py [--scale 0.02] [--fresh] [--drop] [--explain]

The data: bench/generate_evaluation.py's city (100,000 students in 40 schools, a parent each, a head teacher
per class, 500,000 written records in every state), with every school moved into one district, then
1,000,000 successful logins over the last 30 days (students 60%, parents 30%, teachers 10%, in time order),
20,000 channel follows, 20,000 posts and 30,000 personal spaces opened. With DATABASE_URL it lives in the
kept database `bench_stats` (RRT_BENCH_STATS_DB; --fresh rebuilds, --drop drops it at the end); without, on
SQLite in a temporary directory at --scale (default 0.02), as a smoke test.

Then the catch-up (renrentong/stats/catchup.py, what the worker runs every 30 seconds) reads it all into
events and rollups, timed (on stderr, with the rate per second and the time one day's events would take).

Measured: the district page's selector (stats.selectors.report: every figure, a row per school, the trend and
the activation share) as the district admin, 20 times after a warm-up, median; baseline in the same run, the
same figures per school computed from the raw event table by one grouped SQL query (distinct people over 7
and 30 days, everyone activated, the day counts), median of 5. Both answers are compared, school by school.

Summary line (stdout):
  stats district <N> students: median <ms> (goal 1 s) | from raw events (<E> events): median <ms> | ratio <x.xx>
(ratio = rollups / raw events: below 0.10 meets the goal of 10 times faster).

--catch-up-again empties the events and rollups and times the catch-up over the kept data once more (the rate,
and what a city's day of 500,000 events would take against the goal of 60 s).

--scale-up (PostgreSQL) then takes the issue's bound for a city: 9,000,000 more logins over the same 30 days
and accounts (made by the server), caught up and timed; the district page again, checked against the raw events;
then the district's schools and rollups copied into 14 more districts of the same city (1.5 million students'
rollups; pages read nothing else) and the city page timed. Two more lines:
  stats district at 10 x logins (<E> events): median <ms> | at 1 x: median <ms> | ratio (goal: at most 1.20)
  stats city <N> students: median <ms> (goal 2 s) | district page: median <ms> | ratio
The kept data is then marked scaled up, so the next run rebuilds it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import generate_evaluation  # noqa: E402
from common import say  # noqa: E402

LOGINS = 1_000_000
FOLLOWS = 20_000
POSTS = 20_000
SPACES = 30_000
DAYS = 30
GOAL = 1.0
MARKER = "bench_stats_marker"
CITY_DAY = 15_000_000 // DAYS  # the city: about 15 million events over 30 days
CITY_DAY_GOAL = 60
CITY_COPIES = 15  # the city: 1.5 million students, 15 districts of the bench's 100,000


def _marker() -> str | None:
    from django.db import connection

    if MARKER not in connection.introspection.table_names():
        return None
    with connection.cursor() as c:
        c.execute(f"SELECT label FROM {MARKER}")
        row = c.fetchone()
    return row[0] if row else None


def generate_activity(scale: float, seed: int = 15) -> None:
    """Logins, follows, posts and spaces of the last 30 days, in time order, set-based."""
    from django.db import connection
    from django.utils import timezone

    from renrentong.accounts.models import Account, Enrollment, Identity, LoginEvent
    from renrentong.core.bulk import bulk_insert
    from renrentong.orgs.models import Region, School
    from renrentong.spaces.models import PersonalSpace, Post
    from renrentong.wechat.models import Follower, OfficialAccount

    rng = random.Random(seed)
    district = Region.objects.filter(kind="district").order_by("pk").first()
    School.objects.update(district=district)  # the district: all 40 schools in one
    students = list(Account.objects.filter(number__startswith="S").values_list("pk", flat=True))
    parents = list(Account.objects.filter(number__startswith="P").values_list("pk", flat=True))
    teachers = list(Account.objects.filter(number__startswith="T").values_list("pk", flat=True))
    now = timezone.now() - timedelta(minutes=1)
    start = now - timedelta(days=DAYS)
    logins = max(1000, int(LOGINS * scale))
    span = (now - start).total_seconds()
    batch = 50_000
    for first in range(0, logins, batch):
        rows = []
        for n in range(first, min(first + batch, logins)):
            pick = rng.random()
            pool = students if pick < 0.6 else parents if pick < 0.9 else teachers
            rows.append({"at": start + timedelta(seconds=span * n / logins), "account_id": rng.choice(pool),
                         "identifier": "S****", "channel": "api", "outcome": "success", "source": None})
        bulk_insert(LoginEvent, rows, ids=False)
        say(f"  {min(first + batch, logins)} logins")
    official = OfficialAccount.objects.create(region=district.parent, appid="wxbench", template_id="t",
                                              callback_token="c")
    followers = rng.sample(parents, min(len(parents), max(100, int(FOLLOWS * scale))))
    bulk_insert(Follower, [{"region_id": district.parent_id, "official_account_id": official.pk, "account_id": a,
                            "openid": f"o{a}", "bound_at": start + timedelta(seconds=span * n / len(followers)),
                            "changed_at": now, "school_id": None, "following": True, "how": "scene", "reason": ""}
                           for n, a in enumerate(followers)], ids=False)
    enrolled = dict(Enrollment.objects.filter(ended_on__isnull=True).values_list("person_id", "school_class_id"))
    person_of = dict(Account.objects.filter(pk__in=students).values_list("pk", "person_id"))
    school_of = dict(Identity.objects.filter(account_id__in=students, kind="student").values_list("account_id", "school_id"))
    identity_of = dict(Identity.objects.filter(account_id__in=students, kind="student").values_list("account_id", "pk"))
    posters = [rng.choice(students) for _ in range(max(100, int(POSTS * scale)))]
    bulk_insert(Post, [{"school_id": school_of[a], "class_id": enrolled.get(person_of[a]), "author_id": a,
                        "author_identity_id": identity_of[a], "author_label": "学生", "author_kind": "student",
                        "text": "今天的活动很有意思", "created_at": start + timedelta(seconds=span * n / len(posters)),
                        "kind": "mood", "visibility": "class", "status": "published", "held_words": [],
                        "moderation_reason": ""} for n, a in enumerate(posters)], ids=False)
    owners = rng.sample(students, min(len(students), max(100, int(SPACES * scale))))
    bulk_insert(PersonalSpace, [{"school_id": school_of[a], "class_id": enrolled.get(person_of[a]), "account_id": a,
                                 "opened_at": start + timedelta(seconds=span * n / len(owners))}
                                for n, a in enumerate(owners)], ids=False)
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def ensure_data(scale: float, fresh: bool) -> None:
    from django.db import connection

    shape = generate_evaluation.Shape() if scale == 1 else generate_evaluation.Shape.scaled(scale)
    label = f"{shape.label} logins={int(LOGINS * scale)}"
    if _marker() == label and not fresh:
        say(f"stats bench: reusing the data ({label})")
        return
    generate_evaluation.ensure_data(shape, fresh=True)
    started = time.perf_counter()
    generate_activity(scale)
    say(f"  activity generated in {time.perf_counter() - started:.0f} s")
    timed_catch_up()
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {MARKER}")
        c.execute(f"CREATE TABLE {MARKER} (label TEXT)")
        c.execute(f"INSERT INTO {MARKER} VALUES (%s)", [label])


def timed_catch_up(fresh: bool = False) -> None:
    """The catch-up over everything generated (all 30 days at once), timed; fresh: from nothing again, the
    event table and the rollups emptied and the watermarks reset first."""
    from django.db import connection

    from renrentong.stats.catchup import catch_up
    from renrentong.stats.models import DailyFigures, Event, PersonActivity, SchoolDay, SchoolTotals, Watermark

    if fresh:
        with connection.cursor() as c:
            for model in (Event, DailyFigures, SchoolDay, SchoolTotals, PersonActivity, Watermark):
                c.execute(f"DELETE FROM {model._meta.db_table}")
    started = time.perf_counter()
    done = catch_up(rounds=1_000_000)
    took = time.perf_counter() - started
    appended = sum(done.values())
    rate = appended / took if took else 0.0
    say(f"  catch-up: {appended:,} events appended in {took:.0f} s ({rate:,.0f} a second; this district's day, "
        f"{appended // DAYS:,} events, about {took / DAYS:.1f} s; a city's day, {CITY_DAY:,} events, about "
        f"{CITY_DAY / rate if rate else 0:.0f} s against the goal of {CITY_DAY_GOAL} s); {done}")
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


MORE_LOGINS_SQL = """
WITH pools AS (
    SELECT array_agg(id) FILTER (WHERE number LIKE 'S%%') AS s, array_agg(id) FILTER (WHERE number LIKE 'P%%') AS p,
           array_agg(id) FILTER (WHERE number LIKE 'T%%') AS t
    FROM accounts_account)
INSERT INTO accounts_loginevent (at, account_id, identifier, channel, outcome, source)
SELECT %s::timestamptz + make_interval(secs => n * %s / %s),
       CASE WHEN r < 0.6 THEN s[1 + floor(random() * cardinality(s))::int]
            WHEN r < 0.9 THEN p[1 + floor(random() * cardinality(p))::int]
            ELSE t[1 + floor(random() * cardinality(t))::int] END,
       'S****', 'api', 'success', NULL
FROM pools, (SELECT n, random() AS r FROM generate_series(0, %s - 1) AS n ORDER BY n) AS g
"""


def more_logins(extra: int) -> None:
    """`extra` more successful logins over the same 30 days and accounts, in time order, made by the server."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now() - timedelta(minutes=1)
    start = now - timedelta(days=DAYS)
    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute(MORE_LOGINS_SQL, [start, (now - start).total_seconds(), extra, extra])
    say(f"  {extra:,} more logins inserted in {time.perf_counter() - started:.0f} s")


def clone_into_city(copies: int):
    """The city of the issue's bound: the district's schools and their rollups `copies` times over, each copy a
    district of the same city (new regions, schools and rollup rows; the pages read nothing else). Returns the
    city."""
    from django.db import connection

    from renrentong.orgs.models import Region, School
    from renrentong.stats.models import DailyFigures, PersonActivity, SchoolDay, SchoolTotals

    district = School.objects.first().district
    schools = list(School.objects.filter(district=district).order_by("pk"))
    mapping: list[tuple[int, int]] = []
    for k in range(1, copies):
        copy = Region.objects.create(kind=Region.Kind.DISTRICT, name=f"{district.name}{k}",
                                     code=f"{district.code}{k:02d}", parent=district.parent)
        for school in schools:
            old = school.pk
            school.pk, school.district = None, copy
            school.name, school.code = f"{school.name}{k}", f"C{k:02d}{old:08d}"
            school.save()
            mapping.append((old, school.pk))
            school.pk = old
    with connection.cursor() as c:
        c.execute("CREATE TEMP TABLE bench_school_copy (old bigint, new bigint)")
        c.execute("INSERT INTO bench_school_copy SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
                  [[o for o, _ in mapping], [n for _, n in mapping]])
        for model in (DailyFigures, SchoolDay, SchoolTotals, PersonActivity):
            table = model._meta.db_table
            columns = [f.column for f in model._meta.concrete_fields if f.column not in ("id", "school_id")]
            c.execute(f"INSERT INTO {table} (school_id, {', '.join(columns)}) SELECT m.new, "
                      f"{', '.join('t.' + col for col in columns)} FROM {table} t JOIN bench_school_copy m "
                      f"ON m.old = t.school_id")
        c.execute("DROP TABLE bench_school_copy")
        c.execute("ANALYZE")
    return district.parent


def scale_up(actor, district, today, one_x: float, students: int) -> list[int]:
    """The issue's bound for a city: the district page at 10 times the logins against 1 time (at most 20 %
    apart), the catch-up of those logins, then the city page over 15 copies of the district (at most 2 s)."""
    from django.db import connection

    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account, Identity
    from renrentong.stats import charts, selectors
    from renrentong.stats.models import Event

    more_logins(LOGINS * 9)
    timed_catch_up()
    events = Event.objects.count()

    def page(who, level, node):
        report = selectors.report(who, level, node, today=today)
        charts.all_charts(report)
        return report

    ten_x = common.median(common.timed(lambda: page(actor, "district", district.pk), 20, warmup=2))
    raw = raw_figures(district.pk, today)
    mismatched = [r.node_id for r in page(actor, "district", district.pk).rows
                  if raw.get(r.node_id, (0,) * 8) != tuple(r.figures.as_dict().values())]
    if mismatched:
        say(f"  MISMATCH between rollups and raw events at 10 x for schools {mismatched[:10]}")
    common.emit(common.summary(f"stats district at 10 x logins ({events} events)", f"median {common.millis(ten_x)}",
                               "at 1 x", f"median {common.millis(one_x)}", ten_x / one_x if one_x else 0.0))
    city = clone_into_city(CITY_COPIES)
    admin, _ = Account.objects.get_or_create(number="BENCHCITY", defaults={"password": "!"})
    identity, _ = Identity.objects.get_or_create(account=admin, kind=Identity.Kind.REGION_ADMIN, region=city)
    city_actor = actor_for(admin, identity)
    times = common.timed(lambda: page(city_actor, "city", city.pk), 20, warmup=2)
    report = page(city_actor, "city", city.pk)
    say(f"  city page: {len(report.rows)} districts, median {common.millis(common.median(times))}, max "
        f"{common.millis(max(times))}; totals {report.totals.as_dict()}")
    common.emit(common.summary(f"stats city {students * CITY_COPIES} students", f"median "
                               f"{common.millis(common.median(times))} (goal 2 s)", "district page",
                               f"median {common.millis(ten_x)}", common.median(times) / ten_x if ten_x else 0.0))
    with connection.cursor() as c:  # the kept data is no longer the plain district: the next run rebuilds it
        c.execute(f"UPDATE {MARKER} SET label = label || ' scaled up'")
    return mismatched


RAW_SQL = """
SELECT school_id,
       COUNT(DISTINCT CASE WHEN kind = 'activated' THEN account_id END),
       COUNT(DISTINCT CASE WHEN kind = 'login' AND day >= %s THEN account_id END),
       COUNT(DISTINCT CASE WHEN kind = 'login' AND day >= %s THEN account_id END),
       SUM(CASE WHEN kind = 'follow' AND day >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN kind = 'uploaded' AND day >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN kind = 'submitted' AND day >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN kind = 'post' AND day >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN kind = 'space_opened' AND day >= %s THEN 1 ELSE 0 END)
FROM stats_event WHERE school_id IN (SELECT id FROM orgs_school WHERE district_id = %s)
GROUP BY school_id
"""


def raw_figures(district_id: int, today) -> dict[int, tuple]:
    """Every figure per school straight from the event table: what a page would cost without rollups."""
    from django.db import connection

    d7, d30 = today - timedelta(days=6), today - timedelta(days=29)
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as c:
        c.execute(RAW_SQL, [adapt(d7), adapt(d30), *[adapt(d30)] * 5, district_id])
        return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in c.fetchall()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=None, help="the data's size (default 1 on PostgreSQL, "
                                                                  "0.02 on SQLite)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the kept database's data")
    parser.add_argument("--drop", action="store_true", help="drop the kept database at the end")
    parser.add_argument("--catch-up-again", action="store_true",
                        help="empty the events and rollups and time the catch-up over the kept data again")
    parser.add_argument("--scale-up", action="store_true",
                        help="then the city's bound (PostgreSQL): 9 million more logins caught up, the district page "
                             "again, the city page over 15 copies of the district (the kept data is rebuilt next run)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the raw query (PostgreSQL)")
    args = parser.parse_args(argv)
    postgres = bool(os.environ.get("DATABASE_URL"))
    scale = args.scale if args.scale is not None else (1.0 if postgres else 0.02)
    say(f"stats bench: {common.machine_note()}; {common.backend_label()}; scale {scale}")
    with common.bench_environment("stats", database="bench_stats", keep=True, drop=args.drop) as env:
        common.django_setup(env)
        ensure_data(scale, args.fresh)
        if args.catch_up_again:
            timed_catch_up(fresh=True)
        from django.utils import timezone

        from renrentong.accounts.access import actor_for
        from renrentong.accounts.models import Account, Enrollment, Identity
        from renrentong.orgs.models import School
        from renrentong.stats import charts, selectors
        from renrentong.stats.models import Event

        district = School.objects.first().district
        admin, _ = Account.objects.get_or_create(number="BENCHDISTRICT", defaults={"password": "!"})
        identity, _ = Identity.objects.get_or_create(account=admin, kind=Identity.Kind.REGION_ADMIN, region=district)
        actor = actor_for(admin, identity)
        today = timezone.localdate()
        students = Enrollment.objects.filter(ended_on__isnull=True, school__district=district).count()
        events = Event.objects.count()

        def page():
            report = selectors.report(actor, "district", district.pk, today=today)
            charts.all_charts(report)
            return report

        times = common.timed(page, 20, warmup=2)
        report = page()
        raw_times = common.timed(lambda: raw_figures(district.pk, today), 5, warmup=1)
        raw = raw_figures(district.pk, today)
        mismatched = [r.node_id for r in report.rows if raw.get(r.node_id, (0,) * 8) != tuple(
            r.figures.as_dict().values())]
        say(f"  district page: {len(report.rows)} schools, median {common.millis(common.median(times))}, max "
            f"{common.millis(max(times))}; raw events: median {common.millis(common.median(raw_times))}; "
            f"totals {report.totals.as_dict()}")
        if mismatched:
            say(f"  MISMATCH between rollups and raw events for schools {mismatched[:10]}")
        if args.explain and postgres:
            from django.db import connection

            with connection.cursor() as c:
                d30 = connection.ops.adapt_datefield_value(today - timedelta(days=29))
                c.execute("EXPLAIN ANALYZE " + RAW_SQL, [d30, d30, *[d30] * 5, district.pk])
                say("\n".join(r[0] for r in c.fetchall()))
        median, raw_median = common.median(times), common.median(raw_times)
        common.emit(common.summary(f"stats district {students} students",
                                   f"median {common.millis(median)} (goal 1 s)",
                                   f"from raw events ({events} events)", f"median {common.millis(raw_median)}",
                                   median / raw_median if raw_median else 0.0))
        if args.scale_up and postgres and not mismatched:
            mismatched = scale_up(actor, district, today, median, students)
        common.close_db()
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
