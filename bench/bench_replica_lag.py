"""Replica lag while a 100,000-student import commits (issue 16): at most 2 s at the 99th percentile, beside the
import's own time, and a reader of the replica never sees half a chunk.

The databases of `make cluster` (scripts/cluster.py) are started in a temporary folder on free ports: the PostgreSQL
primary (WAL archived with pgBackRest, as in production) and its streaming replica, PgBouncer in transaction mode and
Redis; nginx, gunicorn, the RQ workers and SeaweedFS are left out, as nothing here goes through them (uploads are
kept in the cluster's folder instead of the S3 store). The schema is migrated on the primary and the world of
bench/generate_roster.py inserted there; once the replica has replayed it, a child process imports the roster as
the city admin, as the worker does: upload, preview, commit, through PgBouncer as the application's role, so every
write reaches the primary and the replica only by streaming.

While the commit runs, a sampler thread polls every 100 ms:
  - the lag: it reads the primary's flushed WAL position (pg_current_wal_flush_lsn), which every commit
    acknowledged by then is at or below, and notes when the replica's replay position (pg_last_wal_replay_lsn)
    reaches it. The time between is how long a write committed on the primary stays invisible on the replica,
    what a reader of the replica lives with. It is an upper bound, rounded up to the next poll (about 0.1 s).
    PostgreSQL's own figures are printed beside it on stderr: replay_lag of pg_stat_replication on the primary,
    and the lag core.replica (the application's health check) measures with lag_from and compares with
    RRT_REPLICA_MAX_LAG_SECONDS to send reads to the primary instead.
  - the chunk invariant: one query on the replica (one snapshot) reads the job's rows_done and result->'applied'
    and counts the accounts marked with the job (created_by_import); created_accounts + created_parents must
    equal that count in every sample, since a chunk's rows and the job's cursor commit in one transaction.

Prints:
  replica lag during a <n>-student import: p99 <s> (p50, max; samples, how many saw half a chunk)
      | import commit: <s> (preview <s>) | ratio <p99 / commit>
Any sample that saw half a chunk, a failed import or a count that differs from what the file implies makes it
exit 1. A p99 over 2 s is reported on stderr, not failed: on a busy shared machine it says more about the machine.
The cluster is destroyed at the end, also after a failure.

Environment: RRT_BENCH_LAG_ROWS (rows of the CSV, default 100000); RRT_IMPORT_CHUNK_ROWS (the commit's chunk,
default 5000) is passed on to the import.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import collections
from collections import Counter, deque
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import generate_roster  # noqa: E402

sys.path.insert(0, str(common.BASE_DIR / "scripts"))
import cluster  # noqa: E402

sys.path.insert(0, str(common.BASE_DIR))
from renrentong.core.replica import lag_from  # noqa: E402  (plain Python: no Django set up here)

ROWS = int(os.environ.get("RRT_BENCH_LAG_ROWS", "100000"))
CHUNK = os.environ.get("RRT_IMPORT_CHUNK_ROWS", "")
SEED = 2026
INTERVAL = 0.1
GOAL = 2.0
CATCH_UP = 300.0  # seconds the replica may take to replay the commit's end before the run counts as failed

PRIMARY_SQL = """SELECT pg_current_wal_flush_lsn() - '0/0'::pg_lsn,
                        (SELECT extract(epoch FROM max(replay_lag)) FROM pg_stat_replication)"""
# One statement, so one snapshot: the job's row and the accounts count are seen at the same replayed commit.
REPLICA_SQL = """SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn, pg_last_wal_receive_lsn() - '0/0'::pg_lsn,
                        extract(epoch FROM now() - pg_last_xact_replay_timestamp()),
                        j.status, j.rows_done,
                        coalesce((j.result -> 'applied' ->> 'created_accounts')::int, 0),
                        coalesce((j.result -> 'applied' ->> 'created_parents')::int, 0),
                        (SELECT count(*) FROM accounts_account a WHERE a.created_by_import = j.id)
                 FROM rosters_importjob j WHERE j.id = %s"""
REPLAY_SQL = "SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn"


# -- the child: the import, as the worker runs it -----------------------------------------------------------

def child(path: Path, account_id: int) -> int:
    """Upload, preview and commit `path` as the account; prints COMMIT <job> when the commit starts, then JSON."""
    sys.path.insert(0, str(common.BASE_DIR))
    import django

    django.setup()
    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account
    from renrentong.rosters import services, worker
    from renrentong.rosters.models import ImportJob

    account = Account.objects.get(pk=account_id)
    actor = actor_for(account, account.identities.get())  # with its scope rule, as a request builds it
    started = time.perf_counter()
    with path.open("rb") as f:
        job = services.accept_upload(actor, iter(lambda: f.read(64 * 1024), b""), path.name, "students", None)
    uploaded = time.perf_counter()
    job = worker.run_preview(job.pk)
    previewed = time.perf_counter()
    out = {"job": job.pk, "upload": uploaded - started, "preview": previewed - uploaded, "commit": 0.0}
    if job.status == ImportJob.Status.PREVIEWED:
        services.request_commit(actor, job)
        print(f"COMMIT {job.pk}", flush=True)
        committing = time.perf_counter()
        job = worker.run_commit(job.pk)
        out["commit"] = time.perf_counter() - committing
    out.update(status=job.status, error=job.error_code, counts=job.counts, applied=job.result.get("applied", {}),
               rows_done=job.rows_done, total_rows=job.total_rows)
    print(json.dumps(out), flush=True)
    return 0


# -- the sampler --------------------------------------------------------------------------------------------

class Sampler(threading.Thread):
    """Polls both servers every INTERVAL seconds from start() until stop(), see the module's docstring."""

    def __init__(self, primary_port: int, replica_port: int) -> None:
        super().__init__(daemon=True)
        self.ports = primary_port, replica_port
        self.job: int | None = None
        self.window: list[float] = []  # monotonic start and end of the commit, as the child reports them
        self.pending: deque[tuple[float, int]] = deque()  # (when read, primary's flushed LSN) not replayed yet
        self.lags: list[tuple[float, float]] = []  # (probe time, seconds until the replica had replayed it)
        self.pg_lags: list[tuple[float, float]] = []  # (time, replay_lag of pg_stat_replication)
        self.app_lags: list[tuple[float, float]] = []  # (time, the lag core.replica would measure)
        self.received: collections.deque = collections.deque()  # core.replica.lag_from's history
        self.samples = 0
        self.half: list[str] = []
        self.states: set[int] = set()
        self.last_status = ""
        self.errors: Counter = Counter()
        self.failure: BaseException | None = None
        self.stopping = threading.Event()

    def stop(self) -> None:
        self.stopping.set()
        self.join()

    def run(self) -> None:
        import psycopg

        try:
            connect = [psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="rrt", autocommit=True)
                       for port in self.ports]
            due = time.monotonic()
            while not self.stopping.is_set():
                try:
                    self.tick(*connect)
                except psycopg.Error as exc:
                    # A standby cancels a query that conflicts with replay: the sample is lost, not the run.
                    self.errors[type(exc).__name__] += 1
                    for i, conn in enumerate(connect):
                        if conn.broken:
                            connect[i] = psycopg.connect(host="127.0.0.1", port=self.ports[i], user="postgres",
                                                         dbname="rrt", autocommit=True)
                due += INTERVAL
                wait = due - time.monotonic()
                if wait < 0:  # a slow poll: the next one goes at once and the schedule starts again from it
                    due, wait = time.monotonic(), 0
                self.stopping.wait(wait)
            for conn in connect:
                conn.close()
        except BaseException as exc:  # reported by the main thread, which decides the exit status
            self.failure = exc

    def tick(self, primary, replica) -> None:
        asked = time.monotonic()
        flushed, replay_lag = primary.execute(PRIMARY_SQL).fetchone()
        self.pending.append((asked, int(flushed)))
        if replay_lag is not None:
            self.pg_lags.append((asked, float(replay_lag)))
        row = replica.execute(REPLICA_SQL, [self.job]).fetchone() if self.job is not None else None
        if row is None:  # no job yet, or the replica has not replayed its row yet
            (replayed,) = replica.execute(REPLAY_SQL).fetchone()
            seen = time.monotonic()
        else:
            seen = time.monotonic()
            replayed, received, replay_age, status, rows_done, created, parents, marked = row
            # What core.replica decides with, from what it would have seen (it asks once a second; this, ten times).
            app_lag = lag_from(self.received, seen, int(received), int(replayed), replay_age)
            self.app_lags.append((seen, app_lag))
            self.samples += 1
            self.states.add(rows_done)
            self.last_status = status
            if created + parents != marked:
                self.half.append(f"rows_done {rows_done}: applied says {created} + {parents} accounts, "
                                 f"{marked} in accounts_account")
        while self.pending and self.pending[0][1] <= int(replayed):
            when, _ = self.pending.popleft()
            self.lags.append((when, seen - when))

    def caught_up_with(self, moment: float) -> bool:
        """Whether every probe read by `moment` has been seen replayed."""
        return not self.pending or self.pending[0][0] > moment


def within(pairs: list[tuple[float, float]], window: list[float]) -> list[float]:
    return [value for when, value in pairs if window[0] <= when <= window[1]]


def figure(values: list[float], p: float) -> str:
    value = common.percentile(values, p)
    return "n/a" if math.isnan(value) else f"{value:.2f} s"


# -- the databases ------------------------------------------------------------------------------------------

def start_databases(directory: Path) -> cluster.Cluster:
    """The cluster's PostgreSQL primary and replica, PgBouncer and Redis, as `cluster.py start` starts them, and
    the schema; `start` has no option to leave out the web tier and SeaweedFS, which cost a minute and a core."""
    c = cluster.Cluster(directory, cluster.free_base())
    cluster.ensure_packages()
    for folder in (c.dir, c.run, c.logs, c.var):
        folder.mkdir(parents=True, exist_ok=True)
    c.keys()
    saved = c.saved()
    saved.update({"web": 0, "workers": 0, "port": c.port})  # what `destroy` reads back
    c.settings_file.write_text(json.dumps(saved, indent=1))
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries the summary line only
        cluster.start_postgres(c)
        cluster.start_redis(c)
        cluster.start_pgbouncer(c)
    for command in (["migrate", "--noinput", "-v", "0"], ["db_grant_app_role", "rrt_app"],
                    ["partitions", "--maintain"]):
        subprocess.run([common.PYTHON, "manage.py", *command], cwd=common.BASE_DIR, env=app_env(c, owner=True),
                       stdout=sys.stderr, check=True)
    return c


def app_env(c: cluster.Cluster, *, owner: bool) -> dict[str, str]:
    """The cluster's environment for the application, with uploads kept on local disk (no SeaweedFS here)."""
    env = {k: v for k, v in c.app_env(owner=owner).items() if not k.startswith("RRT_S3_")}
    env["DJANGO_SETTINGS_MODULE"] = "renrentong.settings"  # manage.py sets it; this process and the child do not
    if CHUNK:
        env["RRT_IMPORT_CHUNK_ROWS"] = CHUNK  # app_env drops the caller's RRT_ variables
    return env


def destroy(directory: Path) -> None:
    subprocess.run([common.PYTHON, str(common.BASE_DIR / "scripts" / "cluster.py"), "--dir", str(directory),
                    "destroy"], cwd=common.BASE_DIR, capture_output=True)
    shutil.rmtree(directory, ignore_errors=True)  # what destroy leaves when the start failed before the cluster


def wait_for_replay(c: cluster.Cluster, timeout: float = CATCH_UP) -> float:
    """Seconds until the replica has replayed all the primary has flushed now."""
    started = time.monotonic()
    target = cluster.psql(c.primary, "SELECT pg_current_wal_flush_lsn() - '0/0'::pg_lsn", db="rrt")
    check = f"SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn >= {target}"
    cluster.wait_for("the replica to replay the world", lambda: cluster.psql(c.replica, check, db="rrt") == "t",
                     timeout=timeout, log=c.logs / "postgres-replica.log")
    return time.monotonic() - started


# -- the benchmark ------------------------------------------------------------------------------------------

def main() -> int:
    common.say(f"replica lag: {common.machine_note()}")
    directory = Path(tempfile.mkdtemp(prefix="rrt-bench-lag-"))
    directory.chmod(0o755)  # the postgres account the servers run as must reach it
    try:
        return measure(directory)
    finally:
        destroy(directory)


def measure(directory: Path) -> int:
    started = time.monotonic()
    c = start_databases(directory)
    common.say(f"replica lag: primary on {c.primary}, replica on {c.replica}, PgBouncer on {c.pgbouncer}; "
               f"migrated in {time.monotonic() - started:.0f} s")

    started = time.monotonic()
    world, roster, _ = generate_roster.build(ROWS, SEED)
    csv_file = generate_roster.write_csv(roster, directory / f"roster-{ROWS}.csv")
    os.environ.update(app_env(c, owner=True))
    sys.path.insert(0, str(common.BASE_DIR))
    import django

    django.setup()
    installed = generate_roster.setup_database(world)
    common.close_db()
    cluster.psql(c.primary, "VACUUM ANALYZE", db="rrt")  # as the superuser: the catalogs too
    caught_up = wait_for_replay(c)
    common.say(f"replica lag: {len(roster.rows)} rows ({csv_file.stat().st_size / 1e6:.0f} MB CSV), "
               f"{len(world.schools)} schools and {len(world.existing)} people in the primary in "
               f"{time.monotonic() - started:.0f} s; the replica replayed them {caught_up:.1f} s later")

    sampler = Sampler(c.primary, c.replica)
    sampler.start()
    command = [common.PYTHON, str(Path(__file__).resolve()), "--child", str(csv_file), str(installed.admin_account_id)]
    process = subprocess.Popen(command, cwd=common.BASE_DIR, env={**os.environ, **app_env(c, owner=False)},
                               stdout=subprocess.PIPE, text=True)
    result: dict = {}
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("COMMIT "):
            sampler.job = int(line.split()[1])
            sampler.window = [time.monotonic()]
            common.say(f"replica lag: committing job {sampler.job}, sampling both servers every {INTERVAL} s")
        elif line.startswith("{"):
            result = json.loads(line)
    ended = time.monotonic()
    if process.wait() != 0 or not result:
        sampler.stop()
        raise SystemExit(f"replica lag: the import failed ({process.returncode})")
    if sampler.window:
        sampler.window.append(ended)
    deadline = ended + CATCH_UP
    while not sampler.caught_up_with(ended) and time.monotonic() < deadline and sampler.is_alive():
        time.sleep(INTERVAL)
    time.sleep(2 * INTERVAL)  # one more sample of the replica after it replayed the job's last state
    sampler.stop()
    if sampler.failure:
        raise SystemExit(f"replica lag: the sampler failed: {sampler.failure!r}")
    return report(sampler, result, roster, world)


def report(sampler: Sampler, result: dict, roster, world) -> int:
    import bench_import

    problems = bench_import.check_import(result, roster, world)
    if not sampler.window:
        problems.append("the commit never started")
        window = [0.0, 0.0]
    else:
        window = sampler.window
    lags = within(sampler.lags, window)
    if not sampler.caught_up_with(window[1]):
        problems.append(f"the replica had not replayed the commit {CATCH_UP:.0f} s after it ended")
    if sampler.last_status != "committed":
        problems.append(f"the replica's last sample saw the job {sampler.last_status!r}, not committed")
    problems += [f"half a chunk: {what}" for what in sampler.half[:10]]
    chunks = math.ceil(result.get("rows_done", 0) / int(CHUNK or 5000))
    pg_lags, app_lags = within(sampler.pg_lags, window), within(sampler.app_lags, window)
    common.say(f"replica lag: preview {common.secs(result['preview'])}, commit {common.secs(result['commit'])} "
               f"({result['rows_done']} rows in about {chunks} chunks), applied {result['applied']}")
    common.say(f"replica lag: {len(lags)} probes over the commit: p50 {figure(lags, 50)}, p90 {figure(lags, 90)}, "
               f"p99 {figure(lags, 99)}, max {figure(lags, 100)} (each rounded up to the next {INTERVAL} s poll)")
    common.say(f"replica lag: PostgreSQL's replay_lag on the primary: {len(pg_lags)} readings, p50 "
               f"{figure(pg_lags, 50)}, p99 {figure(pg_lags, 99)}, max {figure(pg_lags, 100)}")
    over = sum(1 for lag in app_lags if lag > GOAL)
    common.say(f"replica lag: core.replica's figure on the replica: p50 {figure(app_lags, 50)}, p99 "
               f"{figure(app_lags, 99)}, max {figure(app_lags, 100)}; over {GOAL:.0f} s (reads sent to the "
               f"primary) in {over} of {len(app_lags)} samples")
    common.say(f"replica lag: {sampler.samples} snapshots of the job on the replica saw {len(sampler.states)} "
               f"distinct cursor positions; {len(sampler.half)} saw half a chunk; {sum(sampler.errors.values())} "
               f"polls failed {dict(sampler.errors) or ''}")
    p99 = common.percentile(lags, 99)
    if not math.isnan(p99) and p99 > GOAL:
        common.say(f"replica lag: the p99 is over the {GOAL:.0f} s goal")
    for problem in problems:
        common.say(f"replica lag: ERROR: {problem}")
    commit = result["commit"]
    common.emit(common.summary(
        f"replica lag during a {ROWS}-student import",
        f"p99 {figure(lags, 99)} (p50 {figure(lags, 50)}, max {figure(lags, 100)}; {sampler.samples:,} samples, "
        f"{len(sampler.half)} saw half a chunk)",
        "import commit", f"{common.secs(commit)} (preview {common.secs(result['preview'])})",
        (p99 if not math.isnan(p99) else 0.0) / commit if commit else 0.0))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(child(Path(sys.argv[2]), int(sys.argv[3])))
    sys.exit(main())
