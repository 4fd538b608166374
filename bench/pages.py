"""Every page of the tour, for every demo role, rendered against the demo region (issue 12).

    .venv/bin/python bench/pages.py            (or `make bench` / `bench/run.py pages`)

Loads the demo region (`load_demo`: twelve registered schools, about 19,000 students with their parents
and teachers) into a throwaway SQLite database (or DATABASE_URL's PostgreSQL), with DEBUG off and the
static files collected as in production. Then, for each login that `demo_logins` prints (initial passwords
are changed at the first login, region admins pass the SMS second factor through the outbox), and for
each identity of an account that holds several, it takes the tour: the home page and every page the shell
offers that identity (the console's sidebar and personal menu, the phone's tab bar), plus the phone shell
of a teacher (a phone user agent). The page list therefore follows home/nav.py: a page added to the menu
is measured without touching this file.

Each page is requested REPEAT times in this process through Django's test client (the whole middleware
stack, sessions in the database, no HTTP), twice over:

  render      as the site runs;
  baseline    the same views with every template render replaced by a JSON dump of the same context
              (context processors included: the menu, its badge counts), so the difference is the cost
              of the templates themselves.

Prints one summary line,

  pages p95: <ms> | same views, context as JSON: <ms> | ratio <x.xx>

(ratio above 1: the share the templates add), and on stderr the per-page p95s, the slowest pages and
the pages over the 300 ms goal; with pyinstrument installed, the five slowest pages over the goal are
profiled (five requests each) and the profiles written to bench/out/profile-<page>.txt. Besides the wall
clock it records this process's CPU time per request, which a machine shared with other work does not
inflate. bench/static_weight.py measures the phone
pages' CSS/JS weight from the same tour.

Environment: as bench/common.py (DATABASE_URL, REDIS_URL); RRT_BENCH_REPEAT (default 10) requests of
each page per pass; RRT_BENCH_SCALE (default 1.0) the demo's --scale.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

GOAL_MS = 300
NEW_PASSWORD = "Xk9#mPq2vL"
PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Mobile/15E148 MicroMessenger/8.0.50")
DESK_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
# The shell's navigation links: the console's sidebar and personal menu, the phone's tab bar.
NAV_TEST_ID = re.compile(r"^(nav-|tab-|second-factor-setup-link$)")
# Links of the menus that are not pages to look at.
SKIP_PATHS = ("/accounts/logout/", "/i18n/", "/audit/export/")
LOGIN_LINE = re.compile(r"^\s{2}(?P<role>\S.*?)\s{2,}(?P<name>\S*)\s+login: (?P<login>\S+)\s+password: (?P<password>\S+)")


@dataclass
class Login:
    role: str
    login: str
    password: str


@dataclass
class Visit:
    """One identity's tour: who, with which user agent, and the pages its shell offers."""
    label: str
    login: Login
    identity_id: str | None
    user_agent: str
    pages: list[str] = field(default_factory=list)
    shell: str = ""


def demo_logins() -> list[Login]:
    """The logins `manage.py demo_logins` prints, one per demo role."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    found = []
    for line in out.getvalue().splitlines():
        match = LOGIN_LINE.match(line)
        if match:
            found.append(Login(match["role"].strip(), match["login"], match["password"]))
    if not found:
        raise SystemExit(f"demo_logins printed no login:\n{out.getvalue()}")
    return found


def last_code(phone: str) -> str:
    from renrentong.verification.models import OutboxMessage

    message = OutboxMessage.objects.filter(target=phone).order_by("-created_at", "-pk").first()
    if message is None:
        raise SystemExit(f"no text message to {phone} in the outbox")
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message.body).group(1)


def new_client(user_agent: str):
    from django.test import Client

    return Client(HTTP_USER_AGENT=user_agent, HTTP_ACCEPT_LANGUAGE="zh-hans")


def log_in(client, login: Login) -> list[tuple[str, str]] | None:
    """Logs the client in, through the forced password change and the second factor; returns the
    account's identities as (id, kind) when it must choose one, else []; None when the login is refused."""
    response = client.post("/accounts/login/", {"identifier": login.login, "password": login.password})
    for _ in range(6):
        if response.status_code != 302:
            # The student of the unregistered school is refused on purpose (ORG-2): no page to measure.
            code = re.search(rb'data-code="([^"]+)"', response.content)
            common.say(f"pages: {login.role}: the login is refused (HTTP {response.status_code}, "
                       f"{code.group(1).decode() if code else 'no error code'}); not measured")
            return None
        where = urlsplit(response["Location"]).path
        if where == "/accounts/password/":
            response = client.post(where, {"current_password": login.password, "new_password": NEW_PASSWORD,
                                           "repeat_password": NEW_PASSWORD})
            login.password = NEW_PASSWORD
        elif where == "/accounts/second-factor/":
            client.get(where)  # the page sends the code
            response = client.post(where, {"method": "sms", "code": last_code(login.login)})
        elif where == "/accounts/identities/":
            html = client.get(where).content.decode()
            return re.findall(r'name="identity_id" value="(\d+)">\s*<button[^>]*data-testid="identity-(\w+)"', html)
        else:
            response = client.get(where)
            if response.status_code == 200:
                return []
    raise SystemExit(f"{login.role}: too many redirects after the login")


def choose(client, identity_id: str | None) -> None:
    if identity_id is not None:
        response = client.post("/accounts/identities/", {"identity_id": identity_id})
        assert response.status_code == 302, response.status_code


def nav_pages(html: str) -> list[str]:
    """The home page and the pages the shell's navigation links to, in menu order, each once."""
    pages = ["/"]
    for tag in re.findall(r"<a\b[^>]*>", html):
        test_id = re.search(r'data-testid="([^"]+)"', tag)
        href = re.search(r'href="([^"]+)"', tag)
        if not (test_id and href and NAV_TEST_ID.match(test_id.group(1))):
            continue
        path = href.group(1).replace("&amp;", "&")
        if path.startswith("/") and not path.startswith(SKIP_PATHS) and path not in pages:
            pages.append(path)
    return pages


def shell_of(html: str) -> str:
    if "weui-tabbar" in html:
        return "phone"
    if "rr-sidebar" in html:
        return "console"
    return "public"


def plan() -> list[Visit]:
    """Every demo login and identity, plus a teacher on a phone; each with its pages."""
    visits = []
    for login in demo_logins():
        client = new_client(DESK_UA)
        identities = log_in(client, login)
        if identities is None:
            continue
        _SESSIONS[(login.login, DESK_UA)] = [client, None]
        identities = identities or [(None, "")]
        for identity_id, kind in identities:
            label = f"{login.role} as {kind.replace('_', ' ')}" if len(identities) > 1 else login.role
            visits.append(Visit(label, login, identity_id, DESK_UA))
        if login.role == "class head teacher":
            visits.append(Visit(f"{login.role} (phone)", login, None, PHONE_UA))
    for visit in visits:
        client = session_for(visit)
        home = client.get("/")
        if home.status_code != 200:
            raise SystemExit(f"{visit.label}: home page HTTP {home.status_code}")
        html = home.content.decode()
        visit.shell = shell_of(html)
        visit.pages = nav_pages(html)
    return visits


# One logged-in client per account and user agent (a second login within a minute would wait for the
# SMS resend interval); [client, the identity chosen in its session].
_SESSIONS: dict[tuple[str, str], list] = {}


def session_for(visit: Visit):
    key = (visit.login.login, visit.user_agent)
    if key not in _SESSIONS:
        client = new_client(visit.user_agent)
        if log_in(client, visit.login) is None:
            raise SystemExit(f"{visit.label}: the second login was refused")
        _SESSIONS[key] = [client, None]
    session = _SESSIONS[key]
    if visit.identity_id is not None and session[1] != visit.identity_id:
        choose(session[0], visit.identity_id)
        session[1] = visit.identity_id
    return session[0]


# -- the baseline: the context as JSON instead of the template -------------------------------------------------

def _plain(value, depth: int = 0):
    """The value as JSON types, evaluating what a template would: querysets, iterables, model
    instances (as pk and str), dataclasses; anything else by its str()."""
    from django.db.models import Model
    from django.db.models.query import QuerySet

    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if depth > 12:
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, Model):
        return {"pk": value.pk, "str": str(value)}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name), depth + 1) for name in value.__dataclass_fields__}
    if isinstance(value, (list, tuple, set, frozenset, QuerySet)) or (
            hasattr(value, "__iter__") and not isinstance(value, bytes)):
        try:
            return [_plain(v, depth + 1) for v in value]
        except Exception:  # an object that is iterable only in name
            pass
    return str(value)


class JsonInsteadOfTemplates:
    """Replaces the Django template backend's render: the context (with the context processors' part)
    is evaluated and dumped as JSON, and that is the response body."""

    def __enter__(self):
        from django.template.backends import django as backend
        from django.template.context import make_context

        self.backend = backend
        self.original = backend.Template.render

        def render(template, context=None, request=None):
            ctx = make_context(context, request, autoescape=template.backend.engine.autoescape)
            with ctx.bind_template(template.template):
                flat = ctx.flatten()
            flat.pop("csrf_token", None)
            return json.dumps(_plain(flat), ensure_ascii=False)

        backend.Template.render = render
        return self

    def __exit__(self, *exc):
        self.backend.Template.render = self.original


# -- measuring -------------------------------------------------------------------------------------------------

@dataclass
class PageTimes:
    visit: str
    path: str
    render: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    render_cpu: list[float] = field(default_factory=list)  # this process's CPU seconds: SQLite's work included,
    baseline_cpu: list[float] = field(default_factory=list)  # other programs' load excluded
    queries: int = 0
    status: int = 0

    @property
    def name(self) -> str:
        return f"{self.visit}: {self.path}"


def get(client, path: str) -> tuple[int, float, float]:
    """(status, wall-clock seconds, CPU seconds of this process) of one request."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    return response.status_code, time.perf_counter() - started, time.process_time() - cpu


def count_queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def ms(values: list[float]) -> str:
    return f"{common.percentile(values, 95) * 1000:5.0f}"


def measure(visits: list[Visit], repeat: int) -> list[PageTimes]:
    results = []
    for visit in visits:
        client = session_for(visit)
        for path in visit.pages:
            times = PageTimes(visit.label, path)
            times.status = get(client, path)[0]  # warm-up
            if times.status != 200:
                common.say(f"pages: {times.name} answered HTTP {times.status} (a menu entry the page refuses)")
            times.queries = count_queries(client, path)
            for _ in range(repeat):
                _, wall, cpu = get(client, path)
                times.render.append(wall)
                times.render_cpu.append(cpu)
            with JsonInsteadOfTemplates():
                get(client, path)
                for _ in range(repeat):
                    _, wall, cpu = get(client, path)
                    times.baseline.append(wall)
                    times.baseline_cpu.append(cpu)
            results.append(times)
            common.say(f"  {times.name:<70} p95 {ms(times.render)} ms (JSON {ms(times.baseline)} ms), CPU "
                       f"{ms(times.render_cpu)} ms (JSON {ms(times.baseline_cpu)} ms), {times.queries:3d} queries")
    return results


def profile(visits: list[Visit], slow: list[PageTimes]) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        common.say("pages: install pyinstrument to profile the pages over the goal")
        return
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    by_label = {v.label: v for v in visits}
    for page in slow:
        client = session_for(by_label[page.visit])
        profiler = Profiler(interval=0.001)
        profiler.start()
        for _ in range(5):  # five requests, so one descheduled moment does not make the picture
            client.get(page.path)
        profiler.stop()
        name = re.sub(r"[^\w]+", "-", f"{page.visit}-{page.path}").strip("-")
        text = profiler.output_text(unicode=True, color=False, show_all=False)
        (out / f"profile-{name}.txt").write_text(text, encoding="utf-8")
        common.say(f"pages: profile of {page.name} (5 requests) in bench/out/profile-{name}.txt; below the middleware:")
        lines = text.splitlines()
        start = next((i for i, line in enumerate(lines) if "refusals.py" in line and "wrapped" in line), 0)
        common.say("\n".join(line for line in lines[start:start + 60] if "frames hidden" not in line))


def prepare(env: dict[str, str]) -> list[Visit]:
    """Django set up on a fresh database holding the demo region; the visits with their pages."""
    # The test client's host; the outbox stands in for the region admins' phones (their second factor).
    env = {**env, "ALLOWED_HOSTS": env["ALLOWED_HOSTS"] + ",testserver", "RRT_SMS_OUTBOX_ALLOWED": "1"}
    common.django_setup(env)
    # A page that refuses is reported once, below, not logged at every request.
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.core.management import call_command

    scale = os.environ.get("RRT_BENCH_SCALE", "1.0")
    common.say(f"pages: loading the demo region (scale {scale}) ...")
    started = time.perf_counter()
    call_command("load_demo", scale=float(scale), stdout=io.StringIO())
    from renrentong.accounts.models import Identity

    students = Identity.objects.filter(kind="student").count()
    common.say(f"pages: demo loaded in {time.perf_counter() - started:.0f} s: {students} students")
    visits = plan()
    for visit in visits:
        common.say(f"pages: {visit.label} ({visit.shell}): {len(visit.pages)} pages")
    return visits


def main() -> int:
    repeat = int(os.environ.get("RRT_BENCH_REPEAT", "10"))
    with common.bench_environment("pages") as env:
        visits = prepare(env)
        results = measure(visits, repeat)
        render = [t for r in results for t in r.render]
        baseline = [t for r in results for t in r.baseline]
        p95, base95 = common.percentile(render, 95), common.percentile(baseline, 95)
        slowest = sorted(results, key=lambda r: -common.percentile(r.render, 95))
        common.say(f"pages: {len(results)} pages, {repeat} requests each per pass; the slowest (p95 render, "
                   f"JSON baseline, CPU render, CPU JSON, queries):")
        for r in slowest[:12]:
            common.say(f"  {ms(r.render)} ms {ms(r.baseline)} ms  {ms(r.render_cpu)} ms {ms(r.baseline_cpu)} ms"
                       f"  {r.queries:3d} q  {r.name}")
        cpu = common.percentile([t for r in results for t in r.render_cpu], 95)
        cpu_base = common.percentile([t for r in results for t in r.baseline_cpu], 95)
        common.say(f"pages: CPU p95 {cpu * 1000:.0f} ms (render) vs {cpu_base * 1000:.0f} ms (JSON): what the "
                   f"figures would be on an idle machine; {common.machine_note()}")
        over = [r for r in slowest if common.percentile(r.render, 95) * 1000 > GOAL_MS]
        common.say(f"pages p95: {p95 * 1000:.0f} ms (render) vs {base95 * 1000:.0f} ms (same view, context dumped "
                   f"as JSON instead of the template); goal {GOAL_MS} ms: "
                   + (f"{len(over)} pages over" if over else "every page within it"))
        if over:
            profile(visits, over[:5])
        import static_weight

        weight_line = static_weight.report(visits, session_for)
        common.close_db()
    common.emit(common.summary("pages p95", common.millis(p95), "same views, context as JSON", common.millis(base95),
                               p95 / base95))
    common.emit(weight_line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
