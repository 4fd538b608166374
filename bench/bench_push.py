"""WeChat pushes under trouble (issue 13, Performance, "Push:"): the delivery engine against the local fake
WeChat API, beside a bare HTTP loop against the same fake in the same run.

    .venv/bin/python bench/bench_push.py [--n 100000] [--workers 4] [--no-kill] [--no-inject]

With DATABASE_URL (a PostgreSQL server) it runs in the database `bench_push` (RRT_BENCH_PUSH_DB) there,
created afresh and dropped at the end; without, on SQLite in a temporary directory with a smaller default N
(10,000). REDIS_URL, when set, is the cache (the shared WeChat token, the quota pause) and is used as given,
flushed before and after: give it a database number of its own (e.g. redis://127.0.0.1:6379/12); without
it the cache is the database cache table, as a deployment without Redis runs. RRT_BENCH_PUSH_N sets N where --n cannot be
given (bench/run.py).

The data, set-based (INSERT ... SELECT over a series, no notice fan-out: that is bench_notices'): a district
with a policy without quiet hours and an official account pointing at the fake (RRT_WECHAT_API), N accounts
following it (Follower rows) and N queued WeChat deliveries (push_delivery rows of one notice).

The fake (tests/wechat/fake_server.py) runs in this process on loopback; it counts, per openid (touser),
the template sends it received and those it accepted (errcode 0), which is how duplicates are found.

1. Baseline: --workers processes, each one thread, POST /cgi-bin/message/template/send back to back with
   the body the adapter sends and the HTTP client it uses (requests.Session, keep-alive), no database:
   messages per second, over N messages (at most 50,000: --baseline-n). The same loop with http.client
   is printed on stderr for reference.
2. The engine: --workers processes, each running renrentong.push.engine.drain() (its channel registry,
   so WeChatChannel, the shared token holder in the cache, the real claims) until nothing is left, while
   this process plays the periodic sweep (engine.reclaim_dead and release_held every 0.5 s) and injects:
     - all along: errcode -1 on 10% of template sends and 43004 on 1% (fake.fail_ratio);
     - at 25% of the sends accepted: every token expires (the fake answers 40001 until it is refreshed);
     - at 50%: worker 0 is killed (SIGKILL) and a new one started in its place, as a supervisor would;
       the rows it held (state "sending") are counted, and the sweep
       queues them again once RECLAIM_AFTER has passed, shortened to --reclaim-after seconds (15) by setting
       engine.RECLAIM_AFTER in this process, the only one that sweeps;
     - at 70%: the daily quota runs out (fake.quota, 45009): WeChatChannel pauses the channel until
       midnight Beijing time (a ChannelPause row, the pause in the cache, the paused rows' next attempt
       set to midnight). After --pause seconds (1) the quota "resets": the fake's quota is lifted, and the
       bench does what midnight does: it deletes the ChannelPause and the cached pause and makes the
       paused rows (next attempt more than a minute away) due now; it does so again if a late 45009
       answer paused the channel once more.
   Retries back off as in production (exponential, full jitter), scaled by 1/300 (base 0.1 s instead of
   30 s, cap 12 s instead of 1 h: RRT_BENCH_PUSH_BACKOFF_SCALE, set in the workers by wrapping
   engine.backoff), so the run finishes.
3. The check: every delivery in a final state (accepted: handed over to WeChat, whose later
   TEMPLATESENDJOBFINISH event marks it delivered; delivered; failed with its reason), none queued, held or
   sending; lost = N minus those; an accepted row whose openid the fake never accepted is also lost;
   duplicates = openids the fake accepted more than once, each of which must be one of the rows in flight
   at the kill.
4. Where the time goes (stderr): one batch of accepted rows queued again and drained in this process,
   counting database queries, cache calls and HTTP requests per delivery.

Summary lines (stdout):
  push <N> wechat: <deliveries/s> | bare HTTP loop: <messages/s> | ratio <engine / loop>   (target >= 0.80)
      deliveries/s = N / the wall time from the start signal to the last row's end, less the --pause
      seconds the quota stop waits on purpose (printed on stderr with and without).
  push outcomes: accepted <a>, failed <b> (<reason> <n>, ...), lost <l>, duplicates <d> | expected:
      <N> ended, duplicates only among <e> rows in flight at the kill | ratio <ended / N>
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import say  # noqa: E402

TEMPLATE_PATH = "/cgi-bin/message/template/send"
APPID = "wxbe0c4b1e2f3a4d5c"
TEMPLATE_ID = "TPL-BENCH-PUSH"
TITLE = "关于本学期期末考试安排的通知"
SENDER = "王芳 · 班主任"
LINK = "https://rrt.example.cn/notices/inbox/1/"
FINAL = ("accepted", "delivered", "failed", "cancelled")
PENDING = ("queued", "held", "sending")
BACKOFF_SCALE = 1 / 300
FAR = timedelta(minutes=1)  # a queued row due later than this is a paused one (the backoff is shorter)


# -- the fake, counting per openid ---------------------------------------------------------------------

def counting_fake():
    """The test fake, not recording bodies, but counting per openid the sends received and accepted."""
    from tests.wechat.fake_server import FakeWeChat

    class CountingFake(FakeWeChat):
        def __init__(self) -> None:
            super().__init__(record=False)
            self.tries: Counter = Counter()
            self.accepted: Counter = Counter()
            self.answers: Counter = Counter()  # errcode -> how many template sends got it

        def answer(self, path, query, body):
            status, payload = super().answer(path, query, body)
            if path == TEMPLATE_PATH:
                with self.lock:
                    self.answers[payload.get("errcode", status)] += 1
            return status, payload

        def _template(self, body):
            payload = super()._template(body)
            touser = body.get("touser", "")
            with self.lock:
                self.tries[touser] += 1
                if payload["errcode"] == 0:
                    self.accepted[touser] += 1
            return payload

        def reset_counts(self) -> None:
            with self.lock:
                self.tries.clear()
                self.accepted.clear()
                self.answers.clear()
                self.sent = 0

    return CountingFake()


def template_body(openid: str, sent_at: str = "2026-12-04 20:00") -> dict:
    """What WeChatClient.send_template posts."""
    from renrentong.wechat.client import cut

    return {"touser": openid, "template_id": TEMPLATE_ID, "url": LINK,
            "data": {"thing1": {"value": cut(TITLE)}, "thing2": {"value": cut(SENDER)},
                     "time3": {"value": cut(sent_at)}}}


# -- the data -----------------------------------------------------------------------------------------

def _series(n: int) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"generate_series(0, {n - 1}) AS s(i)"
    return f"(WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < {n - 1}) SELECT i FROM r) s"


@dataclass
class World:
    region_id: int
    official_id: int
    ref_id: int
    n: int


def make_world(n: int) -> World:
    """A district, its policy (no quiet hours), its official account, N following accounts and N queued
    WeChat deliveries of one notice, written set-based."""
    from django.db import connection, transaction
    from django.utils import timezone

    from renrentong.orgs.models import Policy, Region
    from renrentong.orgs.policy import policy_changed
    from renrentong.push.models import Delivery
    from renrentong.wechat.models import OfficialAccount

    started = time.perf_counter()
    adapt = connection.ops.adapt_datetimefield_value
    now = timezone.now()
    code = f"BP{os.getpid() % 10_000_000:07d}"
    with transaction.atomic():
        region = Region.objects.create(kind="district", name="推送测试区", code=code)
        Policy.objects.create(region=region, values={"push_quiet_start": "00:00", "push_quiet_end": "00:00",
                                                     "push_channels": "wechat"})
        official = OfficialAccount.objects.create(region=region, appid=APPID, template_id=TEMPLATE_ID,
                                                  callback_token="benchtoken")
        ref_id = (Delivery.objects.order_by("-ref_id").values_list("ref_id", flat=True).first() or 0) + 1
        with connection.cursor() as c:
            c.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_person")
            p0 = c.fetchone()[0] + 1000
            c.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_account")
            a0 = c.fetchone()[0] + 1000
            c.execute(
                "INSERT INTO accounts_person (id, name, name_pinyin, name_initials, sex, id_number_key, "
                "id_number_masked, national_student_number_key, national_student_number_masked) "
                f"SELECT {p0} + s.i, '家长', '', '', 'F', '', '', '', '' FROM {_series(n)}")
            c.execute(
                "INSERT INTO accounts_account (id, password, number, person_id, phone, status, status_changed_at, "
                "previous_status, home_school_id, initial_password_rule, initial_password_digest, "
                "credentials_epoch, created_at) "
                f"SELECT {a0} + s.i, '!', 'bp' || CAST({a0} + s.i AS TEXT), {p0} + s.i, NULL, 'active', %s, '', "
                f"NULL, '', '', 0, %s FROM {_series(n)}", [adapt(now), adapt(now)])
            c.execute(
                "INSERT INTO wechat_follower (school_id, region_id, official_account_id, account_id, openid, "
                "following, how, reason, bound_at, changed_at) "
                f"SELECT NULL, {region.pk}, {official.pk}, {a0} + s.i, 'o' || CAST({a0} + s.i AS TEXT), "
                f"true, 'scene', '', %s, %s FROM {_series(n)}", [adapt(now), adapt(now)])
            c.execute(
                "INSERT INTO push_delivery (source, ref_id, account_id, channel, school_id, region_id, state, "
                "attempts, next_attempt_at, claimed_by, reason, reference, urgent, title, sender, sent_at, link, "
                "created_at) "
                f"SELECT 'notice', {ref_id}, {a0} + s.i, 'wechat', NULL, {region.pk}, 'queued', 0, %s, '', '', '', "
                f"false, %s, %s, %s, %s, %s FROM {_series(n)}",
                [adapt(now), TITLE, SENDER, adapt(now), LINK, adapt(now)])
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE push_delivery; ANALYZE wechat_follower; ANALYZE accounts_account")
    policy_changed()
    say(f"  data: {n} accounts following, {n} queued WeChat deliveries in {time.perf_counter() - started:.1f} s")
    return World(region.pk, official.pk, ref_id, n)


# -- worker processes -----------------------------------------------------------------------------------

def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, *args], env=env, cwd=common.BASE_DIR,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)


def _ready(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        line = worker.stdout.readline()
        if line.strip() != "ready":
            raise SystemExit(f"a worker did not start (said {line!r}, exit {worker.poll()})")


def _go(workers: list[subprocess.Popen]) -> float:
    started = time.perf_counter()
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    return started


def _wait_for_go() -> None:
    print("ready", flush=True)
    sys.stdin.readline()


def baseline_worker(url: str, token: str, count: int, offset: int, client: str) -> None:
    """One process, one thread: `count` template sends back to back, no database."""
    bodies = [json.dumps(template_body(f"base{offset + i}"), ensure_ascii=False).encode() for i in range(count)]
    ok = 0
    _wait_for_go()
    if client == "requests":
        import requests

        session = requests.Session()
        target = url + TEMPLATE_PATH
        for i in range(count):
            answer = session.post(target, params={"access_token": token}, json=json.loads(bodies[i]), timeout=5)
            ok += answer.json().get("errcode", 0) == 0
    else:
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        path = f"{TEMPLATE_PATH}?access_token={token}"
        headers = {"Content-Type": "application/json"}
        for i in range(count):
            conn.request("POST", path, body=bodies[i], headers=headers)
            ok += json.loads(conn.getresponse().read()).get("errcode", 0) == 0
    print(f"done {time.perf_counter()} {ok}", flush=True)


def _scaled_backoff(scale: float):
    from renrentong.push import engine

    original = engine.backoff

    def backoff(attempts, rng=None):
        return original(attempts, rng) * scale

    return backoff


def engine_worker(name: str, batch: int) -> None:
    """Drain until no row is queued, held or sending; as push.tasks.drain_pushes, without its batch cap."""
    import django

    sys.path.insert(0, str(common.BASE_DIR))
    django.setup()
    from renrentong.push import engine
    from renrentong.push.models import Delivery

    engine.backoff = _scaled_backoff(float(os.environ.get("RRT_BENCH_PUSH_BACKOFF_SCALE", BACKOFF_SCALE)))
    Delivery.objects.exists()  # connect before the start
    if os.environ.get("RRT_BENCH_PUSH_STARTED"):
        print("ready", flush=True)  # a replacement: the run has started
    else:
        _wait_for_go()
    profile_to = os.environ.get("RRT_BENCH_PUSH_PROFILE")  # a directory: each worker writes a cProfile there
    profiler = None
    if profile_to:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU, which the workers compete for, not wall time
        profiler.enable()
    while True:
        if engine.drain(batch, worker=name):
            continue
        if not Delivery.objects.filter(state__in=PENDING).exists():
            break
        time.sleep(0.02)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.path.join(profile_to, f"{name}.prof"))
    print(f"done {time.perf_counter()}", flush=True)


# -- the run ----------------------------------------------------------------------------------------------

@dataclass
class Report:
    n: int
    workers: int
    seconds: float = 0.0  # wall time of the engine run
    paused: float = 0.0  # of which the quota stop waited on purpose
    baseline_rate: float = 0.0
    baseline_http_client_rate: float = 0.0
    states: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)  # of the failed rows
    lost: int = 0
    not_at_fake: int = 0  # accepted rows the fake never accepted
    duplicates: int = 0
    duplicates_outside_kill: int = 0
    in_flight_at_kill: int = 0
    killed: bool = False
    token_refusals: int = 0
    quota_refusals: int = 0
    answers: Counter = field(default_factory=Counter)
    requests: int = 0
    events: list[str] = field(default_factory=list)
    round_trips: dict[str, float] = field(default_factory=dict)

    @property
    def ended(self) -> int:
        return sum(self.states[s] for s in FINAL)

    @property
    def rate(self) -> float:
        return self.n / max(self.seconds - self.paused, 1e-9)

    @property
    def ratio(self) -> float:
        return self.rate / self.baseline_rate if self.baseline_rate else 0.0

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.ended == self.n and self.duplicates_outside_kill == 0


def cpu_split() -> dict[str, float]:
    """CPU seconds used so far: this process (the fake, the injector), its reaped children (the workers,
    once they exit), PostgreSQL (every postgres process and the backends it reaped), Redis, the machine."""
    import resource

    tick = os.sysconf("SC_CLK_TCK")
    found = {"bench": time.process_time(), "workers": 0.0, "postgres": 0.0, "redis": 0.0,
             "machine": common.machine_cpu_seconds()[0]}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    found["workers"] = children.ru_utime + children.ru_stime
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        used = sum(int(v) for v in fields[11:15]) / tick  # utime, stime, cutime, cstime
        if name.startswith("postgres"):
            found["postgres"] += used
        elif name.startswith("redis"):
            found["redis"] += used
    return found


def say_cpu(label: str, before: dict[str, float], after: dict[str, float], count: int) -> None:
    per = {k: (after[k] - before[k]) * 1000 / max(count, 1) for k in before}
    say(f"  CPU per {label} (ms): " + ", ".join(f"{k} {v:.2f}" for k, v in per.items()))


def measure_baseline(fake, workers: int, count: int, env: dict[str, str], client: str = "requests") -> float:
    token = fake._token(None, {})["access_token"]
    per = max(1, count // workers)
    cpu = cpu_split()
    procs = [_spawn(["--baseline-worker", fake.url, token, str(per), str(i * per), client], env)
             for i in range(workers)]
    try:
        _ready(procs)
        started = _go(procs)
        ends, ok = [], 0
        for proc in procs:
            word, at, got = proc.stdout.readline().split()
            ends.append(float(at))
            ok += int(got)
            proc.wait()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    took = max(ends) - started
    say_cpu(f"message of the bare loop ({client})", cpu, cpu_split(), per * workers)
    if ok != per * workers:
        say(f"  warning: the bare loop got {per * workers - ok} refusals")
    fake.reset_counts()
    return per * workers / took


class Injector:
    """Watches the fake's accepted count and injects the token expiry, the kill and the quota stop; plays
    the periodic sweep; ends the quota pause as midnight would."""

    def __init__(self, fake, world: World, report: Report, workers: list, names: list[str], *,
                 kill: bool, inject: bool, pause: float, replace=None) -> None:
        self.replace = replace  # starts a worker in the killed one's place, as a supervisor would
        self.fake, self.world, self.report = fake, world, report
        self.workers, self.names = workers, names
        self.kill, self.inject, self.pause = kill and len(workers) >= 2, inject, pause
        self.expired = self.killed = self.stopped = self.resumed = False
        self.stopped_at = 0.0
        self.in_flight: set[str] = set()
        self.last_sweep = 0.0
        self.timeline: list[tuple[float, int]] = []  # (seconds, sends the fake accepted), every 5 s

    def accepted(self) -> int:
        with self.fake.lock:
            return self.fake.sent

    def note(self, text: str) -> None:
        self.report.events.append(text)
        say(f"  {text}")

    def tick(self, started: float) -> None:
        from renrentong.push import engine
        from renrentong.push.models import Delivery

        n = self.world.n
        done = self.accepted()
        at = time.perf_counter() - started
        if not self.timeline or at - self.timeline[-1][0] >= 5:
            self.timeline.append((at, done))
        if self.inject and not self.expired and done >= n * 0.25:
            self.fake.expire_tokens()
            self.expired = True
            self.note(f"{at:.1f} s: every access token expired (the fake answers 40001 until one worker refreshes)")
        if self.kill and not self.killed and done >= n * 0.5:
            victim = self.workers[0]
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            self.killed = self.report.killed = True
            held = list(Delivery.objects.filter(state="sending", claimed_by=self.names[0])
                        .values_list("account_id", flat=True))
            self.in_flight = {f"o{a}" for a in held}
            self.report.in_flight_at_kill = len(held)
            self.note(f"{at:.1f} s: worker 0 killed (SIGKILL) holding {len(held)} rows in state sending")
            if self.replace is not None:
                self.replace()
                self.note(f"{at:.1f} s: a new worker started in its place (as the task worker's supervisor does)")
        if self.inject and not self.stopped and done >= n * 0.7:
            with self.fake.lock:
                self.fake.quota = self.fake.sent
            self.stopped, self.stopped_at = True, time.perf_counter()
            self.note(f"{at:.1f} s: the daily quota ran out (the fake answers 45009)")
        if self.stopped and not self.resumed and time.perf_counter() - self.stopped_at >= self.pause:
            with self.fake.lock:
                self.fake.quota = None
            self.resumed = True
            self.report.paused = time.perf_counter() - self.stopped_at
            moved = self.end_pause()
            self.note(f"{at:.1f} s: the quota reset after {self.report.paused:.1f} s: pause ended, "
                      f"{moved} paused rows due again")
        if time.perf_counter() - self.last_sweep >= 0.5:
            self.last_sweep = time.perf_counter()
            if self.resumed:
                self.end_pause(quiet=True)
            back = engine.reclaim_dead()
            engine.release_held()
            if back:
                self.note(f"{at:.1f} s: the sweep queued {back} rows of a dead worker again")

    def end_pause(self, quiet: bool = False) -> int:
        """What midnight Beijing time does: the pause ends and the paused rows are due."""
        from django.core.cache import cache
        from django.utils import timezone

        from renrentong.push.models import ChannelPause, Delivery

        now = timezone.now()
        pauses = ChannelPause.objects.filter(channel="wechat").delete()[0]
        cache.delete(f"wechat:paused:{self.world.official_id}")
        moved = Delivery.objects.filter(state="queued", next_attempt_at__gt=now + FAR).update(next_attempt_at=now)
        if quiet and (pauses or moved):
            self.note(f"a late 45009 answer paused the channel again: ended, {moved} rows due again")
        return moved


def run(n: int, workers: int = 4, *, kill: bool = True, inject: bool = True, pause: float = 1.0,
        reclaim_after: float = 15.0, batch: int | None = None, baseline_n: int | None = None,
        env: dict[str, str] | None = None, timeout: float = 1800.0) -> Report:
    """The benchmark's core, in a process where Django is set up and the database migrated. workers=0
    drains in this process (no kill; for the smoke test), else that many worker processes, which get
    `env` (the database and cache settings) and the fake's address."""
    from django.conf import settings
    from django.db import connection

    from renrentong.push import engine
    from renrentong.push.models import Delivery
    from renrentong.wechat import selectors

    report = Report(n=n, workers=workers)
    batch = batch or engine.BATCH
    world = make_world(n)
    fake = counting_fake()
    fake.start()
    # A killed worker's connection resets: not worth the traceback socketserver prints by default.
    fake.server.handle_error = lambda request, address: None
    saved = settings.RRT_WECHAT_API, engine.RECLAIM_AFTER, engine.backoff
    try:
        settings.RRT_WECHAT_API = fake.url
        engine.RECLAIM_AFTER = timedelta(seconds=reclaim_after)
        selectors.forget_memo()
        child_env = {**(env or os.environ), "RRT_WECHAT_API": fake.url, "PYTHONPATH": str(common.BASE_DIR)}
        if workers:
            count = baseline_n or min(n, 50_000)
            report.baseline_rate = measure_baseline(fake, workers, count, child_env)
            say(f"  bare HTTP loop (requests.Session, as the adapter): {workers} processes, "
                f"{report.baseline_rate:.0f} messages/s")
            report.baseline_http_client_rate = measure_baseline(fake, workers, max(count // 4, workers), child_env,
                                                                "http.client")
            say(f"  bare HTTP loop (http.client, for reference): {report.baseline_http_client_rate:.0f} messages/s")
        if inject:
            fake.fail_ratio = {-1: 0.10, 43004: 0.01}
        names = [f"bench-push-{i}" for i in range(workers)]
        if workers:
            connection.close()  # not shared with the workers it forks
        cpu = cpu_split()
        procs = [_spawn(["--engine-worker", name, str(batch)], child_env) for name in names]
        reader: _EndReader | None = None

        def replace() -> None:
            name = f"bench-push-{len(procs)}"
            proc = _spawn(["--engine-worker", name, str(batch)], {**child_env, "RRT_BENCH_PUSH_STARTED": "1"})
            procs.append(proc)
            if reader is not None:
                reader.add(proc)

        injector = Injector(fake, world, report, procs, names, kill=kill, inject=inject, pause=pause,
                            replace=replace if workers else None)
        try:
            _ready(procs)
            started = _go(procs) if procs else time.perf_counter()
            ends: list[float] = []
            if not procs:
                engine.backoff = _scaled_backoff(BACKOFF_SCALE)
                while True:
                    injector.tick(started)
                    if engine.drain(batch, worker="bench-push-inline"):
                        continue
                    if not Delivery.objects.filter(state__in=PENDING).exists():
                        break
                    time.sleep(0.02)
                ends.append(time.perf_counter())
            else:
                deadline = time.monotonic() + timeout
                reader = _EndReader(list(procs))
                while True:
                    injector.tick(started)
                    live = [p for p in procs if p.poll() is None and not (injector.killed and p is procs[0])]
                    if not live:
                        break
                    if time.monotonic() > deadline:
                        raise SystemExit("the engine did not finish within the timeout")
                    time.sleep(0.05)
                ends = reader.ends()
                if any(p.returncode not in (0, -signal.SIGKILL) for p in procs):
                    raise SystemExit(f"a worker failed: exit statuses {[p.returncode for p in procs]}")
            report.seconds = (max(ends) if ends else time.perf_counter()) - started
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        if workers:
            say_cpu("delivery of the engine (workers' startup included)", cpu, cpu_split(), n)
        injector.timeline.append((report.seconds, injector.accepted()))
        say("  accepted sends a second, per 5 s: " + " ".join(
            f"{(b - a) / max(t1 - t0, 1e-9):.0f}" for (t0, a), (t1, b) in zip(injector.timeline, injector.timeline[1:])))
        check(report, world, fake, injector.in_flight)
        if workers:
            report.round_trips = round_trips(world, fake, batch)
    finally:
        fake.stop()
        settings.RRT_WECHAT_API, engine.RECLAIM_AFTER, engine.backoff = saved
        selectors.forget_memo()
    return report


class _EndReader:
    """Reads each worker's "done <time>" line in a thread, so a killed worker blocks nothing."""

    def __init__(self, procs: list[subprocess.Popen]) -> None:
        self._ends: list[float] = []
        self._threads: list[threading.Thread] = []
        for proc in procs:
            self.add(proc)

    def add(self, proc: subprocess.Popen) -> None:
        thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._threads.append(thread)
        thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            if line.startswith("done "):
                self._ends.append(float(line.split()[1]))

    def ends(self) -> list[float]:
        for t in self._threads:
            t.join(timeout=5)
        return list(self._ends)


def check(report: Report, world: World, fake, in_flight: set[str]) -> None:
    from django.db.models import Count

    from renrentong.push.models import Delivery

    rows = Delivery.objects.filter(ref_id=world.ref_id, channel="wechat")
    report.states = Counter(dict(rows.values_list("state").annotate(n=Count("pk")).values_list("state", "n")))
    report.reasons = Counter(dict(rows.filter(state="failed").values_list("reason").annotate(n=Count("pk"))
                                  .values_list("reason", "n")))
    total = sum(report.states.values())
    report.lost = world.n - report.ended + max(0, total - world.n)
    no_reason = rows.filter(state="failed", reason="").count()
    if no_reason:
        say(f"  {no_reason} failed rows have no reason")
        report.lost += no_reason
    accepted = set(rows.filter(state__in=("accepted", "delivered")).values_list("account_id", flat=True))
    report.not_at_fake = sum(1 for a in accepted if fake.accepted[f"o{a}"] < 1)
    report.lost += report.not_at_fake
    dups = {touser for touser, times in fake.accepted.items() if times > 1}
    report.duplicates = sum(fake.accepted[t] - 1 for t in dups)
    report.duplicates_outside_kill = sum(fake.accepted[t] - 1 for t in dups - in_flight)
    report.answers = Counter(fake.answers)
    report.requests = sum(fake.answers.values())
    report.token_refusals = fake.answers.get(40001, 0)
    report.quota_refusals = fake.answers.get(45009, 0)


def round_trips(world: World, fake, batch: int) -> dict[str, float]:
    """Where a delivery's time goes: one batch of already accepted rows queued again and drained in this
    process, no errors injected, counting database queries, cache calls and HTTP requests per delivery."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renrentong.push import engine
    from renrentong.push.models import Delivery

    fake.fail_ratio = {}
    ids = list(Delivery.objects.filter(ref_id=world.ref_id, state="accepted").order_by("pk")
               .values_list("pk", flat=True)[:batch])
    Delivery.objects.filter(pk__in=ids).update(state="queued", next_attempt_at=engine.timezone.now())
    backend = caches["default"]
    calls = Counter()
    originals = {}
    for verb in ("get", "set", "add", "delete"):
        originals[verb] = getattr(backend, verb)

        def counted(*a, _verb=verb, **kw):
            calls[_verb] += 1
            return originals[_verb](*a, **kw)

        setattr(backend, verb, counted)
    before = sum(fake.answers.values())
    try:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            got = engine.drain(batch, worker="bench-push-probe")
            took = time.perf_counter() - started
    finally:
        for verb, original in originals.items():
            setattr(backend, verb, original)
    got = max(got, 1)
    found = {"deliveries": got, "db": len(queries.captured_queries) / got, "cache": sum(calls.values()) / got,
             "http": (sum(fake.answers.values()) - before) / got, "ms": took * 1000 / got}
    say(f"  per delivery (one batch of {got} drained in this process, no errors): {found['db']:.1f} database "
        f"queries, {found['cache']:.1f} cache calls, {found['http']:.1f} HTTP requests, {found['ms']:.1f} ms")
    return found


def summary_lines(report: Report) -> list[str]:
    label = f"push {report.n} wechat" + ("" if common_backend() == "PostgreSQL" else " (SQLite)")
    first = common.summary(label, f"{report.rate:.0f} deliveries/s", "bare HTTP loop",
                           f"{report.baseline_rate:.0f} messages/s", report.ratio)
    failed = report.states["failed"]
    reasons = ", ".join(f"{reason} {count}" for reason, count in report.reasons.most_common())
    accepted = report.states["accepted"] + report.states["delivered"]
    figure = (f"accepted {accepted}, failed {failed}" + (f" ({reasons})" if reasons else "")
              + f", lost {report.lost}, duplicates {report.duplicates}")
    if report.duplicates_outside_kill:
        figure += f" ({report.duplicates_outside_kill} not in flight at the kill)"
    expected = (f"{report.n} ended, duplicates only among {report.in_flight_at_kill} rows in flight at the kill"
                if report.killed else f"{report.n} ended, no duplicates (no kill)")
    second = common.summary("push outcomes", figure, "expected", expected,
                            (report.n - report.lost) / report.n if report.n else 0.0)
    # Like for like: HTTP messages a second on both sides. The engine's include the retries its deliveries
    # needed (the injected -1, token and quota answers); the bare loop's are all accepted.
    sends = report.requests / max(report.seconds - report.paused, 1e-9)
    third = common.summary(f"push {report.n} wechat sends", f"{sends:.0f} messages/s", "bare HTTP loop",
                           f"{report.baseline_rate:.0f} messages/s",
                           sends / report.baseline_rate if report.baseline_rate else 0.0)
    return [first, second, third]


def common_backend() -> str:
    from django.db import connection

    return "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"


def describe(report: Report) -> None:
    say(f"  engine: {report.n} deliveries in {report.seconds:.1f} s wall ({report.seconds - report.paused:.1f} s "
        f"without the {report.paused:.1f} s quota wait): {report.rate:.0f}/s "
        f"({report.n / max(report.seconds, 1e-9):.0f}/s counting the wait)")
    say(f"  the fake answered {report.requests} template sends: "
        + ", ".join(f"{code} × {count}" for code, count in sorted(report.answers.items())))
    say(f"  final states: {dict(report.states)}; failed by reason: {dict(report.reasons)}")
    if report.not_at_fake:
        say(f"  {report.not_at_fake} rows accepted that the fake never accepted")


# -- the entry point ---------------------------------------------------------------------------------------

def _pg_database(url: str, name: str) -> str:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop_pg_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=None, help="deliveries (100,000; 10,000 on SQLite)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=None, help="rows per claim (engine.BATCH)")
    parser.add_argument("--baseline-n", type=int, default=None,
                        help="messages of the bare loop (default: N, at most 50,000)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds the quota stop lasts")
    parser.add_argument("--reclaim-after", type=float, default=15.0, help="engine.RECLAIM_AFTER in seconds")
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--no-inject", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--engine-worker", nargs=2, metavar=("NAME", "BATCH"))
    parser.add_argument("--baseline-worker", nargs=5, metavar=("URL", "TOKEN", "COUNT", "OFFSET", "CLIENT"))
    args = parser.parse_args(argv)
    if args.engine_worker:
        engine_worker(args.engine_worker[0], int(args.engine_worker[1]))
        return 0
    if args.baseline_worker:
        url, token, count, offset, client = args.baseline_worker
        baseline_worker(url, token, int(count), int(offset), client)
        return 0

    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    name = os.environ.get("RRT_BENCH_PUSH_DB", "bench_push")
    n = args.n or int(os.environ.get("RRT_BENCH_PUSH_N", 0)) or (100_000 if database_url else 10_000)
    tmp = tempfile.mkdtemp(prefix="rrt-bench-push-")
    env = {"RRT_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "renrentong.settings", "DEBUG": "0",
           "SECRET_KEY": "bench-only-secret-key-not-for-production-use", "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "LOG_LEVEL": "ERROR", f"RRT_WECHAT_SECRET_{APPID.upper()}": "s" * 32}
    try:
        if database_url:
            env["DATABASE_URL"] = _pg_database(database_url, name)
        if redis_url:
            import redis

            redis.Redis.from_url(redis_url).flushdb()
        os.environ.update(env)
        sys.path.insert(0, str(common.BASE_DIR))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        say(f"bench_push: {n} WeChat deliveries, {args.workers} workers, {common_backend()}, "
            f"{'Redis' if redis_url else 'database'} cache; {common.machine_note()}")
        report = run(n, args.workers, kill=not args.no_kill, inject=not args.no_inject, pause=args.pause,
                     reclaim_after=args.reclaim_after, batch=args.batch, baseline_n=args.baseline_n,
                     env=dict(os.environ))
        describe(report)
        for line in summary_lines(report):
            common.emit(line)
        if not report.ok:
            say("bench_push: FAILED: deliveries lost or duplicated outside the kill")
            return 1
        if report.ratio < 0.8:
            say(f"bench_push: throughput ratio {report.ratio:.2f} is under the 0.80 target")
        return 0
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if database_url and not args.keep:
            _drop_pg_database(database_url, name)
        if redis_url:
            import redis

            redis.Redis.from_url(redis_url).flushdb()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
