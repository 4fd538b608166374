"""Point-in-time restore of a 100,000-student database (issue 16 item 7), beside a plain copy of its data directory.

A cluster of its own (scripts/cluster.py) is started with the demo region scaled to about 100,000 students, a full
pgBackRest backup is taken, a change is made, the moment is noted, another change is made, and the database is
restored to that moment into a new cluster on its own port (`cluster.py restore`, which also runs audit_verify
on it). Baseline in the same run: `cp -a` of the primary's data directory (what restoring costs at the least:
the bytes written once). The cluster is destroyed at the end.

Prints:
  restore 100000 students to a moment: <s> (<MB> database, backup <s>) | copy of the data directory: <s> | ratio

Environment: RRT_BENCH_SCALE (the demo's scale, default 5.13: about 100,000 students).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

FIRST_SCHOOL = "UPDATE orgs_school SET admin_contact = '{}' WHERE id = (SELECT min(id) FROM orgs_school)"


def sql(port: int, query: str) -> str:
    return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "rrt", "-Atqc", query],
                          capture_output=True, text=True, check=True).stdout.strip()


def main() -> None:
    scale = os.environ.get("RRT_BENCH_SCALE", "5.13")
    common.say(f"starting a cluster with the demo at scale {scale}; {common.machine_note()}")
    started = time.monotonic()
    with common.own_cluster("rrt-bench-restore-", "--web", "1", "--workers", "1", "--demo-scale", scale) as (
            directory, status):
        ports = status["ports"]
        students = int(sql(ports["primary"], "SELECT count(*) FROM accounts_identity WHERE kind = 'student'"))
        size = int(sql(ports["primary"], "SELECT pg_database_size('rrt')"))
        common.say(f"  up in {time.monotonic() - started:.0f} s: {students} students, {size / 1e6:.0f} MB")

        backup = time.monotonic()
        common.cluster(directory, "backup")
        backup = time.monotonic() - backup
        time.sleep(1.5)  # pgBackRest picks a backup that ended before the moment, to the second
        sql(ports["primary"], FIRST_SCHOOL.format("before"))
        moment = sql(ports["primary"], "SELECT now()")
        time.sleep(1.1)
        sql(ports["primary"], FIRST_SCHOOL.format("after"))

        restoring = time.monotonic()
        out = common.cluster(directory, "restore", moment)
        restore = time.monotonic() - restoring
        inner = float(re.search(r"in ([0-9.]+) s", out.splitlines()[-1]).group(1))
        contact = sql(ports["restored"], "SELECT admin_contact FROM orgs_school ORDER BY id LIMIT 1")
        if contact != "before" or "audit log intact" not in out:
            raise SystemExit(f"the restore did not bring back the moment: {contact!r}\n{out}")
        common.say(f"  restore {restore:.1f} s in all ({inner:.1f} s from pgbackrest restore to the promoted copy; "
                   f"the rest is the WAL switch and archive check and audit_verify)")

        copying = time.monotonic()
        subprocess.run(["cp", "-a", str(directory / "pg" / "primary"), str(directory / "copy")], check=True)
        copy = time.monotonic() - copying
        common.emit(common.summary(
            f"restore {students} students to a moment", f"{restore:.1f} s (of which restore and replay {inner:.1f} s; "
            f"{size / 1e6:.0f} MB database, backup {backup:.1f} s)", "copy of the data directory", f"{copy:.1f} s", restore / copy))


if __name__ == "__main__":
    main()
