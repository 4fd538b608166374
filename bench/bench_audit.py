"""The tamper-evident audit log (issue 16 item 6): what chaining costs writers, and what checking costs.

Prints two summary lines:

  audit 8 writers in 8 schools: <writes/s> | unaudited writes: <writes/s> | ratio <audited / unaudited>
      8 processes, one school each, each transaction an admin's edit of a student (the person's name and the
      account's flag, two UPDATEs) plus, when audited, its audit entry (core.audit.record: the database's
      trigger numbers it in the school's chain, hashes it and holds the chain's advisory lock to commit).
      The same transactions without the entry are the baseline, in the same run. Goal: at least 0.8. This
      is the entry's cost at its worst: a transaction of two one-row UPDATEs and nothing else.
  audit 8 admins editing students: <edits/s> | the same edits unaudited: <edits/s> | ratio
      the same 8 schools' admins each renaming a student through the service the users page and its API call
      (schooladmin.users.services.update_user, a transaction each: the school and the student looked up and
      locked, the change saved, the entry recorded); the baseline makes core.audit.record a no-op.
  audit verify <N> entries: <s> | sequential scan: <s> | ratio <verify / scan>
      core.auditchain.verify() (every hash recomputed in one query, the latest seal checked) over N entries
      in 4,000 school chains, against a sequential scan that reads every row (`COPY core_auditevent TO
      STDOUT` into this process: what any verifier must at least read). Parallel workers off for both, so the
      ratio compares work, not cores. Goal: at most 5. On stderr also against `SELECT count(*)`, which
      reads the pages but no row's values.

Also on stderr: the writes' ratio against the same edit with an unchained audit entry (the chain's own
cost), and the time to write the N entries through the trigger.

PostgreSQL only (the production engine; SQLite writes one transaction at a time).
Environment: as bench/common.py, plus RRT_BENCH_AUDIT_ENTRIES (default 1000000) and RRT_BENCH_AUDIT_SECONDS
(default 15, per writer phase).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import say  # noqa: E402

ENTRIES = int(os.environ.get("RRT_BENCH_AUDIT_ENTRIES", "1000000"))
SECONDS = float(os.environ.get("RRT_BENCH_AUDIT_SECONDS", "15"))
WRITERS = 8
SCHOOLS = 4000


def _writer(env: dict[str, str], mode: str, school: int, seconds: float, out) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(common.BASE_DIR))
    import django

    django.setup()
    from django.db import connection, transaction

    from renrentong.accounts.models import Account, Person
    from renrentong.core import audit

    if mode.startswith("service"):
        return _service_writer(mode, school, seconds, out)
    person = Person.objects.get(name=f"bench-{school}")
    account = Account.objects.get(person=person)
    with connection.cursor() as cursor:  # the unchained entry: the same insert with the triggers off
        cursor.execute(f"SET session_replication_role = {'replica' if mode == 'unchained' else 'origin'}")
    done, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        with transaction.atomic():
            Person.objects.filter(pk=person.pk).update(name=f"bench-{school}")
            Account.objects.filter(pk=account.pk).update(credentials_epoch=done)
            if mode != "unaudited":
                audit.record(None, "users.update", account, {"fields": ["name"], "n": done}, account=account,
                             school_id=school)
        done += 1
    out.put(done)


def _service_writer(mode: str, school: int, seconds: float, out) -> None:
    """The school admin's edit of a student's name through the service the users page and API call
    (schooladmin.users.services.update_user: the school and the student looked up and locked, the change
    saved, the entry recorded), a transaction each, as a request runs it; unaudited, core.audit.record is a
    no-op in this process."""
    from django.db import transaction

    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account, Identity
    from renrentong.core import audit
    from renrentong.schooladmin.users.services import update_user

    if mode == "service-unaudited":
        audit.record = lambda *args, **kwargs: None
    admin = Identity.objects.select_related("account").get(kind="school_admin", school__code=f"B{school:03d}")
    actor = actor_for(admin.account, admin)
    student = Account.objects.get(number=f"8{school:011d}")
    done, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        actor.__dict__.pop("scope", None)  # computed again, as on each request
        with transaction.atomic():
            update_user(actor, student.pk, {"name": f"编辑{done % 2}"})  # a change every time
        done += 1
    out.put(done)


def _service_world() -> None:
    """A district with WRITERS schools, each with a class, a school admin and a student."""
    from datetime import date

    from renrentong.accounts.models import Account, Enrollment, Identity, Person
    from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage

    province = Region.objects.create(kind="province", name="湖南省", code="430000")
    city = Region.objects.create(kind="city", name="长沙市", code="430100", parent=province)
    district = Region.objects.create(kind="district", name="芙蓉区", code="430102", parent=city)
    for n in range(1, WRITERS + 1):
        school = School.objects.create(district=district, name=f"测试第{n}小学", code=f"B{n:03d}", school_year=2026)
        stage = Stage.objects.create(campus=Campus.objects.create(school=school, name="本部"), level="primary",
                                     system="6-3")
        school_class = SchoolClass.objects.create(school=school, cohort=Cohort.objects.create(
            stage=stage, enrollment_year=2026), number=1, code=f"B{n:03d}C1")
        admin = Account.objects.create(person=Person.objects.create(name=f"管理员{n}"), number=f"7{n:011d}",
                                       home_school=school)
        Identity.objects.create(account=admin, kind=Identity.Kind.SCHOOL_ADMIN, school=school)
        student = Person.objects.create(name="编辑1", sex="M")
        account = Account.objects.create(person=student, number=f"8{n:011d}", home_school=school)
        Identity.objects.create(account=account, kind=Identity.Kind.STUDENT, school=school)
        Enrollment.objects.create(person=student, school_class=school_class, school=school, started_on=date(2026, 9, 1))


def writers(env: dict[str, str], mode: str) -> float:
    """Writes a second of 8 processes, one school each, over SECONDS."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    processes = [context.Process(target=_writer, args=(env, mode, school, SECONDS, out))
                 for school in range(1, WRITERS + 1)]
    for process in processes:
        process.start()
    total = sum(out.get(timeout=SECONDS + 120) for _ in processes)
    for process in processes:
        process.join()
    return total / SECONDS


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        say("bench_audit needs DATABASE_URL (PostgreSQL): the chain's locks and the verify query are its")
        return 0
    say(f"audit bench: {WRITERS} writers, {ENTRIES} entries to verify; {common.machine_note()}")
    with common.bench_environment("audit") as env:
        common.django_setup(env)
        from django.db import connection

        from renrentong.accounts.models import Account, Person
        from renrentong.core import auditchain
        from renrentong.core.models import AuditEvent

        for school in range(1, WRITERS + 1):
            person = Person.objects.create(name=f"bench-{school}")
            Account.objects.create(person=person, number=f"9{school:011d}")
        common.close_db()
        writers(env, "unaudited")  # warm-up: connections, caches
        unaudited = writers(env, "unaudited")
        audited = writers(env, "audited")
        unchained = writers(env, "unchained")
        say(f"  writes/s: unaudited {unaudited:.0f}, audited and chained {audited:.0f}, audited unchained "
            f"{unchained:.0f} (chain's own cost: ratio {audited / unchained:.2f})")
        common.emit(common.summary(f"audit {WRITERS} writers in {WRITERS} schools", f"{audited:.0f} writes/s",
                                   "unaudited writes", f"{unaudited:.0f} writes/s", audited / unaudited))
        _service_world()
        common.close_db()
        writers(env, "service-unaudited")  # warm-up
        service_plain = writers(env, "service-unaudited")
        service = writers(env, "service")
        common.emit(common.summary(f"audit {WRITERS} admins editing students", f"{service:.0f} edits/s",
                                   "the same edits unaudited", f"{service_plain:.0f} edits/s",
                                   service / service_plain))

        with connection.cursor() as cursor:  # the writers' entries, the unchained ones among them
            cursor.execute("TRUNCATE core_auditevent")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"""
INSERT INTO core_auditevent (at, actor_account_id, actor_identity_id, verb, target_type, target_id, school_id,
                             details)
SELECT now() - make_interval(secs => {ENTRIES} - n), 1000 + n % 5000, NULL, 'password.reset', 'account', n,
       CASE WHEN n % 50 = 0 THEN NULL ELSE 100 + n % {SCHOOLS} END,
       jsonb_build_object('how', 'default', 'n', n)
FROM generate_series(1, {ENTRIES}) AS n""")
        written = time.perf_counter() - started
        entries = AuditEvent.objects.count()
        say(f"  {entries} entries written through the trigger in {written:.1f} s ({entries / written:.0f}/s)")
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            # The monthly partitions' sizes: a partitioned table's own is 0.
            cursor.execute("SELECT pg_size_pretty(sum(pg_total_relation_size(relid))) "
                           "FROM pg_partition_tree('core_auditevent')")
            say(f"  table and indexes: {cursor.fetchone()[0]}")

            cursor.execute("VACUUM ANALYZE core_auditevent")

            def count() -> None:
                cursor.execute("SELECT count(*) FROM core_auditevent")
                cursor.fetchone()

            def scan() -> None:
                # A partitioned table copies out through a query.
                with cursor.connection.cursor().copy("COPY (SELECT * FROM core_auditevent) TO STDOUT") as copy:
                    for _block in copy:
                        pass

            counts = common.timed(count, repeat=3)
            scans = common.timed(scan, repeat=3)
            verifies = common.timed(lambda: auditchain.verify(connection), repeat=3)
            breaks = auditchain.verify(connection)
        say(f"  verify: {[round(v, 2) for v in verifies]} s; every row read (COPY to this process): "
            f"{[round(s, 2) for s in scans]} s; count(*): {[round(c, 3) for c in counts]} s; breaks {breaks}")
        scan_s, verify_s = common.median(scans), common.median(verifies)
        say(f"  verify against count(*): ratio {verify_s / common.median(counts):.1f}")
        common.emit(common.summary(f"audit verify {entries} entries", common.secs(verify_s),
                                   "sequential scan reading every row", f"{scan_s:.2f} s", verify_s / scan_s))
        common.close_db()
        return 0 if not breaks else 1


if __name__ == "__main__":
    raise SystemExit(main())
