"""OneRoster 1.2 import (issue 17, Performance): the demo region's bulk package imported into an empty database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/bench_oneroster_import.py [--scale 1.0]
    .venv/bin/python bench/run.py oneroster_import     # SQLite at --scale 0.1 without DATABASE_URL (a smoke test)

RRT_BENCH_PROFILE=<file> writes a cProfile of the preview (<file>.preview) and of the commit; RRT_BENCH_STATEMENTS=<N>
prints the N statements that took the server longest in each (bench/common.py).

1. The demo region (renrentong/demo, `load_demo --scale`; 1.0 is about 19,000 students in 12 schools, with their
   parents and teachers) is loaded and exported as its province admin: `package.build`, the bulk package of every
   school (the same files GET /api/v1/oneroster/csv zips).
2. The database is emptied (`flush`), the province and its admin are made again, and the package goes through
   the import as an upload would: `rosters.services.accept_upload`, the preview (`worker.run_preview`: read,
   check, classify every object, write the job's rows), `request_commit` and the commit (`worker.run_commit`,
   chunk by chunk). The figure is the preview and the commit together, as the admin waits for them. Checked: the
   job is committed with every object created (the state org unchanged), and an export afterwards equals the
   first, row for row (the round trip of tests/integration/oneroster/test_import.py, here at full scale).
3. Baseline in the same run: the package's rows loaded raw, each file into a table of text columns (PostgreSQL:
   `COPY ... FROM STDIN` through psycopg; SQLite: executemany of the same rows), in one transaction.

Summary line (stdout):
  oneroster import <N> objects (<S> students): <s> | COPY of the same rows: <s> | ratio <import / COPY>
The goal (issue 17) is 45 s for 100,000 students on PostgreSQL; docs/benchmarks.md says what was measured.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


def export(actor) -> dict[str, bytes]:
    from renrentong.integration.oneroster import package

    return package.build(actor).files


def province_admin():
    from renrentong.accounts.access import actor_for
    from renrentong.orgs.models import Region
    from tests.factories import make_region_admin

    account = make_region_admin(Region.objects.get(parent=None), "省管理员")
    return actor_for(account, account.identities.get())


def copy_rows(files: dict[str, bytes]) -> tuple[float, int]:
    """Every row of the package's files into tables of text columns, raw; returns (seconds, rows)."""
    from django.db import connection, transaction

    tables = {name: next(csv.reader(io.StringIO(data.decode()))) for name, data in files.items()
              if name != "manifest.csv"}
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for name, header in tables.items():
            table = "bench_copy_" + name.removesuffix(".csv").lower()
            columns = ", ".join(f'"{c}" text' for c in header)
            cursor.execute(f"CREATE TABLE {table} ({columns})")
        started = time.perf_counter()
        for name, header in tables.items():
            table = "bench_copy_" + name.removesuffix(".csv").lower()
            data = files[name].decode()
            body = data.split("\r\n", 1)[1]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} FROM STDIN WITH (FORMAT csv)") as copy:
                    copy.write(body)
                rows += body.count("\r\n")
            else:
                lines = list(csv.reader(io.StringIO(body)))
                marks = ", ".join("?" * len(header))
                cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", lines)
                rows += len(lines)
        seconds = time.perf_counter() - started
        for name in tables:
            cursor.execute(f"DROP TABLE bench_copy_{name.removesuffix('.csv').lower()}")
    return seconds, rows


def lines(files: dict[str, bytes]) -> dict[str, list[str]]:
    return {name: sorted(data.decode().splitlines()[1:]) for name, data in files.items() if name != "manifest.csv"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=None,
                        help="load_demo's scale (default 1.0 on PostgreSQL, 0.1 on SQLite)")
    args = parser.parse_args()
    scale = args.scale if args.scale is not None else (1.0 if os.environ.get("DATABASE_URL") else 0.1)
    with common.bench_environment("oneroster_import") as env:
        common.django_setup(env)
        from django.core.management import call_command

        from renrentong.accounts.models import Enrollment
        from renrentong.exports.producers import write_documents
        from renrentong.orgs.models import Region
        from renrentong.rosters import services, worker

        call_command("load_demo", "--scale", str(scale), verbosity=0)
        students = Enrollment.objects.filter(ended_on__isnull=True).count()
        first = export(province_admin())
        objects = sum(len(data.decode().splitlines()) - 1 for name, data in first.items() if name != "manifest.csv")
        common.say(f"demo at scale {scale}: {students} students, {objects} objects, "
                   f"{sum(map(len, first.values())) / 1e6:.1f} MB of CSV")
        province = Region.objects.get(parent=None)
        kind, name, code = province.kind, province.name, province.code

        call_command("flush", interactive=False, verbosity=0)
        Region.objects.create(kind=kind, name=name, code=code)
        actor = province_admin()
        copy_seconds, copied = copy_rows(first)

        started = time.perf_counter()
        # zipped as the export worker zips the package for download
        upload = write_documents([lambda document=document: document for document in first.items()])
        job = services.accept_upload(actor, [upload], "demo.zip", "oneroster", registered_by_owner=True)
        with common.statements("preview"):
            if os.environ.get("RRT_BENCH_PROFILE"):  # a cProfile of the preview and of the commit, two files
                import cProfile

                cProfile.runctx("worker.run_preview(job.pk)", globals(), locals(),
                                os.environ["RRT_BENCH_PROFILE"] + ".preview")
                job.refresh_from_db()
            else:
                job = worker.run_preview(job.pk)
        previewed = time.perf_counter()
        assert job.status == "previewed", (job.status, job.error_code, job.result)
        services.request_commit(actor, job)
        with common.statements("commit"):
            if os.environ.get("RRT_BENCH_PROFILE"):
                cProfile.runctx("worker.run_commit(job.pk)", globals(), locals(), os.environ["RRT_BENCH_PROFILE"])
                job.refresh_from_db()
            else:
                job = worker.run_commit(job.pk)
        seconds = time.perf_counter() - started
        assert job.status == "committed", job.status
        assert set(job.counts) == {"create", "unchanged"}, job.counts
        common.say(f"preview {previewed - started:.1f} s, commit {seconds - (previewed - started):.1f} s; "
                   f"counts {job.counts}")
        again = export(province_admin())
        assert lines(again) == lines(first), "the round trip changed the package"
        common.say(f"round trip exact; {common.machine_note()}")
        common.emit(common.summary(f"oneroster import {objects} objects ({students} students)",
                                   common.secs(seconds), f"COPY of the same rows ({copied} rows)",
                                   common.secs(copy_seconds), seconds / copy_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
