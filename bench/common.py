"""Shared pieces of the benchmarks: a throwaway database, a real server on a free port, a load
generator, timing and the summary line.

A benchmark module runs as its own process (bench/run.py starts it), so it may set the environment
and call `django_setup()` once. Everything it prints on stdout is a summary line in the form

    <name>: <figure> | <baseline name>: <baseline figure> | ratio <x.xx>

and everything else (progress, diagnostics, warnings) goes to stderr.

Environment:
  DATABASE_URL   a PostgreSQL server to use instead of SQLite; the benchmark creates its own
                 database there (rrt_bench_<pid>) and drops it at the end
  REDIS_URL      a Redis server for the cache; the benchmark uses its database 15 (flushed before
                 and after), never the one in the URL, so it cannot clear a test run's or a site's cache;
                 two benchmarks run at once against one Redis would clear each other's (run.py runs
                 them one after the other)
  RRT_BENCH_SERVER     gunicorn (default, what production runs) or runserver
  RRT_BENCH_WORKERS, RRT_BENCH_THREADS   gunicorn's shape (default: one sync worker per core;
                 more than 1 thread means gthread workers)
  RRT_BENCH_SECONDS    measured seconds per load level (default 20)
  RRT_BENCH_STATEMENTS  a number N: where a benchmark marks a step (`statements`), the N statements of the
                 benchmark's database that took the server longest in it, from pg_stat_statements (which the
                 server must preload: shared_preload_libraries)
"""

from __future__ import annotations

import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_REDIS_DB = 15
SUMMARY = re.compile(r"^[^|:]+: [^|]+ \| [^|:]+: [^|]+ \| ratio \d+\.\d\d$")


def say(*parts: object) -> None:
    """Progress and diagnostics: stderr, so stdout carries only summary lines."""
    print(*parts, file=sys.stderr, flush=True)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat; (0, 0) elsewhere."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    except OSError:
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values) - idle) / tick, sum(values) / tick


def cpu_busy(seconds: float = 1.0) -> float:
    """The share of all cores busy over the next `seconds` (0..1); -1 where it cannot be read."""
    busy0, total0 = machine_cpu_seconds()
    time.sleep(seconds)
    busy1, total1 = machine_cpu_seconds()
    if total1 == total0:
        return -1.0
    return (busy1 - busy0) / (total1 - total0)


def machine_note() -> str:
    """What else is using the machine; a busy machine makes every figure lower."""
    busy = cpu_busy()
    if busy < 0:
        return f"{cores()} cores"
    note = f"{cores()} cores, {busy:.0%} busy before the start"
    if busy > 0.10:
        note += " (other programs are running: the figures will be low and noisy)"
    return note


# -- figures -------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def timed(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Durations in seconds of `repeat` calls of fn, after `warmup` unmeasured ones."""
    for _ in range(warmup):
        fn()
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        durations.append(time.perf_counter() - start)
    return durations


def rate(value: float) -> str:
    return f"{value:.1f} req/s"


def millis(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.1f} s"


def summary(name: str, figure: str, baseline_name: str, baseline_figure: str, ratio: float) -> str:
    """The one line a benchmark prints; ratio is figure / baseline (above 1 is better than the baseline
    for a rate, worse for a time: each benchmark's docs say which)."""
    line = f"{name}: {figure} | {baseline_name}: {baseline_figure} | ratio {ratio:.2f}"
    assert SUMMARY.match(line), line
    return line


def emit(line: str) -> None:
    print(line, flush=True)


# -- the database and cache ------------------------------------------------------------------------

@contextmanager
def bench_environment(label: str, *, database: str = "", keep: bool = False,
                      drop: bool = True) -> Iterator[dict[str, str]]:
    """A temporary var dir, database and cache for one benchmark; yields the environment for Django
    and the server. SQLite in the temp dir unless DATABASE_URL names a PostgreSQL server; there, a
    throwaway database, or the one named `database` (RRT_BENCH_<LABEL>_DB overrides the name): created
    afresh, or with `keep` reused with its data when it exists; dropped at the end unless not `drop`."""
    tmp = Path(tempfile.mkdtemp(prefix=f"rrt-bench-{label}-"))
    env = {
        "RRT_VAR_DIR": str(tmp),
        "DJANGO_SETTINGS_MODULE": "renrentong.settings",
        # What production runs: DEBUG off (no query log kept per request), its own secret key.
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-use",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        # Plain http on 127.0.0.1, where production has TLS at its proxy: no redirect to https, and
        # cookies that a plain-http client sends back (docs/operations.md).
        "RRT_SSL_REDIRECT": "0",
        "RRT_SECURE_COOKIES": "0",
    }
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    pg_name = ""
    try:
        if database_url:
            pg_name = os.environ.get(f"RRT_BENCH_{label.upper()}_DB", database) or f"rrt_bench_{os.getpid()}"
            make = _existing_pg_database if keep else _create_pg_database
            env["DATABASE_URL"] = make(database_url, pg_name)
        if redis_url:
            env["REDIS_URL"] = _bench_redis(redis_url)
            _flush_redis(env["REDIS_URL"])
        yield env
    finally:
        if pg_name and drop:
            _drop_pg_database(database_url, pg_name)
        if redis_url:
            _flush_redis(env["REDIS_URL"])
        shutil.rmtree(tmp, ignore_errors=True)


def backend_label() -> str:
    db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    cache = "Redis" if os.environ.get("REDIS_URL") else "database cache"
    return f"{db}, {cache}"


def _create_pg_database(url: str, name: str) -> str:
    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"DATABASE_URL must be a PostgreSQL URL for the benchmarks, not {parts.scheme}")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _existing_pg_database(url: str, name: str) -> str:
    """The database `name` on the server of `url`, created when missing, its data kept."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _drop_pg_database(url: str, name: str) -> None:
    import psycopg

    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # Django never set up
        pass
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _bench_redis(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{BENCH_REDIS_DB}"))


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def django_setup(env: dict[str, str]) -> None:
    """Point this process at the benchmark's database, set Django up and migrate."""
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    # DEBUG is off, so pages name content-hashed static files: collect them, as a deployment does.
    call_command("collectstatic", verbosity=0, interactive=False)


@contextmanager
def statements(step: str) -> Iterator[None]:
    """With RRT_BENCH_STATEMENTS=N on PostgreSQL, print (stderr) the N statements that took the server longest in
    the step: where a step's time goes on the server, which a cProfile of the client shows only as waits."""
    top = int(os.environ.get("RRT_BENCH_STATEMENTS", "0"))
    from django.db import connection

    if not top or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        cursor.execute("SELECT pg_stat_statements_reset()")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_exec_time, calls, rows, regexp_replace(query, '\\s+', ' ', 'g') "
                       "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
                       "WHERE datname = current_database()) ORDER BY total_exec_time DESC")
        found = cursor.fetchall()
    say(f"{step}: {sum(r[0] for r in found) / 1000:.1f} s on the server in {sum(r[1] for r in found)} statements")
    for milliseconds, calls, rows, query in found[:top]:
        say(f"  {milliseconds / 1000:6.1f} s {calls:7d} calls {rows:8d} rows  {query[:150]}")


def close_db() -> None:
    """Let go of this process's connections so the server has the database to itself."""
    from django.db import connections

    connections.close_all()


# -- the server -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    port: int
    description: str
    process: subprocess.Popen
    log: Path

    @property
    def host(self) -> str:
        return "127.0.0.1"


def server_command(port: int, kind: str, workers: int, threads: int) -> tuple[list[str], str]:
    bind = f"127.0.0.1:{port}"
    if kind == "runserver":
        # As `make run` starts it: one process, a thread per connection.
        return [PYTHON, "manage.py", "runserver", "--noreload", bind], "Django runserver (one process, threaded)"
    if kind != "gunicorn":
        raise SystemExit(f"RRT_BENCH_SERVER must be gunicorn or runserver, not {kind!r}")
    if shutil.which("gunicorn", path=str(Path(PYTHON).parent)) is None:
        raise SystemExit("gunicorn is not installed in this virtualenv; it is pinned in requirements.lock "
                         "(run `make setup`), or set RRT_BENCH_SERVER=runserver")
    command = [PYTHON, "-m", "gunicorn", "renrentong.wsgi:application", "--bind", bind,
               "--workers", str(workers), "--worker-class", "gthread" if threads > 1 else "sync",
               "--threads", str(threads), "--keep-alive", "30", "--backlog", "2048", "--timeout", "120",
               "--log-level", "warning"]
    kind_text = f"gthread, {threads} threads each" if threads > 1 else "sync"
    return command, f"gunicorn {workers} workers ({kind_text})"


@contextmanager
def running_server(env: dict[str, str], *, workers: int | None = None, threads: int = 1) -> Iterator[Server]:
    """A real HTTP server process on 127.0.0.1 and a free port, serving the benchmark's database.
    Default: gunicorn with one sync worker per core, what docs/benchmarks.md found best for logins."""
    kind = os.environ.get("RRT_BENCH_SERVER", "gunicorn")
    workers = int(os.environ.get("RRT_BENCH_WORKERS", 0)) or workers or cores()
    threads = int(os.environ.get("RRT_BENCH_THREADS", 0)) or threads
    port = free_port()
    command, description = server_command(port, kind, workers, threads)
    log = Path(env["RRT_VAR_DIR"]) / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=BASE_DIR, env={**os.environ, **env}, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(port, description, process, log)
    try:
        _wait_until_serving(server)
        yield server
    finally:
        _stop(process)


def _wait_until_serving(server: Server, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"the server exited ({server.process.returncode}):\n{server_log_tail(server)}")
        try:
            # A refused connection fails at once; an accepted one is given the time left: on a busy machine a
            # worker's first build of the schema takes longer than any short timeout, and asking again only
            # queues another build behind it.
            conn = http.client.HTTPConnection(server.host, server.port, timeout=max(1.0, deadline - time.monotonic()))
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s:\n{server_log_tail(server)}")


def _cpu_seconds(wanted) -> float:
    """CPU time (user + system) used so far by the processes for which wanted(command name, session) holds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, _, rest = stat.read_text().rpartition(")")
        except OSError:  # the process ended meanwhile
            continue
        fields = rest.split()
        # after the command name: state, ppid, pgrp, session, ..., utime, stime, cutime and cstime are the 12th
        # to 15th. The children's times count too: a PostgreSQL backend (or a gunicorn worker) that ends hands its
        # CPU to its reaping parent's cutime/cstime, where a sum of only the living fell (a negative figure).
        if wanted(name.partition("(")[2], int(fields[3])):
            total += sum(int(f) for f in fields[11:15])
    return total / tick


def server_cpu_seconds(server: Server) -> float:
    """CPU time used so far by the server and its workers, which share its session. Unlike wall-clock
    figures, it does not move when other programs use the machine."""
    return _cpu_seconds(lambda _name, session: session == server.process.pid)


def database_cpu_seconds() -> float:
    """CPU time used so far by the local PostgreSQL server's processes (0 when it runs elsewhere): the
    database's share of a run, which the server's own figure leaves out."""
    return _cpu_seconds(lambda name, _session: name == "postgres")


def server_log_tail(server: Server, lines: int = 12) -> str:
    try:
        return "\n".join(server.log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # the server and its workers, which share its session
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# -- the load generator -----------------------------------------------------------------------------

@dataclass
class Load:
    clients: int
    seconds: float
    completed: int = 0
    latencies: list[float] = field(default_factory=list)
    labelled: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    reconnects: int = 0
    server_cpu: float = 0.0  # CPU seconds the server used during the measured window
    client_cpu: float = 0.0  # and this process, the clients, which share the machine with it
    machine_cpu: float = 0.0  # and every process on the machine: the rest is what others took

    @property
    def throughput(self) -> float:
        return self.completed / self.seconds

    @property
    def others_share(self) -> float:
        """The share of the machine's CPU that neither the server nor the clients used in the window:
        the database and cache servers when they run here, and whatever else runs on the machine."""
        return max(self.machine_cpu - self.server_cpu - self.client_cpu, 0.0) / (self.seconds * cores())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def describe_errors(self) -> str:
        return ", ".join(f"{n} × {what}" for what, n in sorted(self.errors.items(), key=lambda kv: -kv[1]))


class Client:
    """One HTTP/1.1 connection kept alive across requests, reopened when the server closes it. `headers` go
    with every request (a bearer token, say)."""

    def __init__(self, server: Server, headers: dict[str, str] | None = None, timeout: float = 120) -> None:
        self.server = server
        self.headers = {"Accept": "application/json", **(headers or {})}
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def post_json(self, path: str, payload: dict) -> tuple[int, bytes]:
        return self.send("POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        return self.send("GET", path, None, headers)

    def send(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        headers = {**self.headers, **(headers or {})}
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if reused and attempt == 1:  # the server dropped an idle kept-alive connection
                    self.reconnects += 1
                    continue
                raise
            if response.will_close:
                self.close()
            return response.status, data
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_load(server: Server, clients: int, seconds: float, request: Callable[[Client, int, int], str | None],
             warmup: float = 3.0, rate: float | None = None,
             label: Callable[[int, int], str] | None = None) -> Load:
    """`clients` threads send requests back to back for warmup + seconds (a closed loop: the p99 of a
    saturated server is then its queue). With `rate` (requests a second, all clients together) the loop
    is open: each client sends on a fixed schedule (rate / clients a second, its own random phase), and
    a request's latency counts from its scheduled time, so a request that had to wait for the one before
    it counts that wait (no coordinated omission). request(client, client index, request number)
    returns None on success or a short error text. Throughput counts requests that finished inside the
    measured window; latencies are those of requests that started in it. With `label(client index,
    request number)`, each latency is also kept under its label (`Load.labelled`), so a mixed load
    compares its endpoints under the same conditions."""
    load = Load(clients=clients, seconds=seconds)
    interval = clients / rate if rate else 0.0
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    window: dict[str, float] = {}

    def worker(index: int) -> None:
        client = Client(server)
        n = 0
        start_gate.wait()
        begin, end = window["begin"], window["end"]
        due = time.perf_counter() + random.uniform(0, interval)
        while True:
            if interval:
                time.sleep(max(due - time.perf_counter(), 0))
                started, due = due, due + interval
            else:
                started = time.perf_counter()
            if started >= end:
                break
            try:
                error = request(client, index, n)
            except Exception as exc:  # a broken connection is a failed request, not a crash
                client.close()
                error = type(exc).__name__
            finished = time.perf_counter()
            n += 1
            with lock:
                if error:
                    load.errors[error] = load.errors.get(error, 0) + 1
                if begin <= finished <= end and not error:
                    load.completed += 1
                if started >= begin and not error:
                    load.latencies.append(finished - started)
                    if label is not None:
                        load.labelled.setdefault(label(index, n - 1), []).append(finished - started)
        with lock:
            load.reconnects += client.reconnects
        client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    now = time.perf_counter()
    window["begin"] = now + warmup
    window["end"] = now + warmup + seconds
    start_gate.wait()
    time.sleep(max(window["begin"] - time.perf_counter(), 0))
    cpu_begin, client_begin = server_cpu_seconds(server), time.process_time()
    machine_begin = machine_cpu_seconds()[0]
    time.sleep(max(window["end"] - time.perf_counter(), 0))
    load.server_cpu = server_cpu_seconds(server) - cpu_begin
    load.client_cpu = time.process_time() - client_begin
    load.machine_cpu = machine_cpu_seconds()[0] - machine_begin
    for t in threads:
        t.join()
    return load


def measured_seconds(default: float = 20.0) -> float:
    return float(os.environ.get("RRT_BENCH_SECONDS", default))


# -- the production topology ------------------------------------------------------------------------

def cluster(directory: Path, *args: str) -> str:
    """scripts/cluster.py on the cluster kept in `directory` (bench_cluster, bench_restore start their own there);
    its stdout, or the benchmark stops with what it printed."""
    done = subprocess.run([PYTHON, str(BASE_DIR / "scripts" / "cluster.py"), "--dir", str(directory), *args],
                          cwd=BASE_DIR, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"cluster {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


@contextmanager
def own_cluster(prefix: str, *start: str) -> Iterator[tuple[Path, dict]]:
    """A cluster started in a new folder on free ports with `start`'s options, destroyed afterwards; yields the
    folder and `status --json`."""
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    directory.chmod(0o755)  # the postgres and www-data accounts the servers run as must reach it
    try:
        cluster(directory, "--port", "0", "start", *start)
        yield directory, json.loads(cluster(directory, "status", "--json"))
    finally:
        subprocess.run([PYTHON, str(BASE_DIR / "scripts" / "cluster.py"), "--dir", str(directory), "destroy"],
                       cwd=BASE_DIR, capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)

