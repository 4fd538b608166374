"""The OpenID Connect provider (INT-1, /oauth/) against a running server: the token endpoint and a whole sign-in.

    .venv/bin/python bench/bench_oidc.py [--seconds 20] [--clients 20]   (or bench/run.py oidc)

1. **Token endpoint**: the authorization-code exchange (POST /oauth/token/, client_secret_basic, PKCE S256, an
   RS256 ID token and a refresh token in the answer) with `--clients` threads, beside the same run's
   `GET /api/v1/me` with as many threads (bearer tokens from POST /api/v1/auth/login), and beside the hash-bound
   login limit (bench_login: cores / one Argon2 verify). Codes are single-use and live 60 s, so they are made in
   batches just before each measured round, through the public surface: each of `--clients` students logs in
   once on the login page (a browser session of its own), opens the consent page once, and then sends the
   consent form's POST (the hidden fields of the authorize request with a fresh PKCE challenge, nonce and
   state each time, the identity and `allow`) as often as codes are needed. That POST is what a browser sends
   from the page; skipping the GET of the page before each one is the faster setup path (it makes the same
   grant through the same view). The measured window is cut into rounds short enough that no code is older
   than the codes' lifetime less 10 s when it is exchanged (in practice 10-15 s); an unmeasured first batch,
   exchanged as fast as the clients go, measures the exchange rate, which sizes the batches.
2. **Full sign-in**: a fresh browser (no cookies) per sign-in, `--clients` threads: GET /oauth/authorize/ →
   redirect to the login page, GET it, POST the password (Argon2) → back to /oauth/authorize/, which answers a
   returning user (one who allowed the app before: every student, rows written in setup as their first "allow"
   writes them) with the redirect to the app and its code; the app's token exchange and GET /oauth/userinfo/.
   Sign-ins a second beside the hash-bound limit. Measured first, and printed as well: the same with
   prompt=consent, so that each sign-in shows the consent page and POSTs allow, as a first sign-in does.

Goals (issue 17): token endpoint ≥ 0.5 × GET /me and ≥ 3 × the hash-bound limit; full sign-in ≥ 0.6 × the limit.

Setup: a temporary database (SQLite, or PostgreSQL and Redis with DATABASE_URL / REDIS_URL, as every benchmark),
an RSA signing key in a temporary RRT_OIDC_KEY_DIR, RRT_OIDC_ISSUER set to the served address; a province, city,
district, school and class with 200 enrolled students (one shared Argon2 hash, as bench_login) and a city admin.
The app is registered over HTTP by POST /api/v1/apps with the city admin's bearer token, which is issued in the
benchmark's process (a region admin's own login needs a second factor). Before anything is measured one sign-in
is checked as a client checks it: the authorization response's state and iss, the ID token's RS256 signature
by the published JWKS, iss, aud and nonce, and the userinfo claims. Any failed request is counted, printed, and
fails the run.

Prints `oidc token exchange ...` twice (against GET /me and against the hash-bound limit),
`oidc full sign-in ...` (returning users: the goal's figure) and `oidc full sign-in with the consent page ...`;
on stderr the server's CPU per request of each kind, the consent POST's rate, and the share of the CPU other
processes took.
"""

from __future__ import annotations

import argparse
import base64
import collections
import hashlib
import http.client
import http.cookies
import json
import math
import os
import secrets
import sys
import threading
import time
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_login  # noqa: E402
import common  # noqa: E402

STUDENTS = 200
PASSWORD = bench_login.PASSWORD
FIRST_NUMBER = 320_000_000
REDIRECT = "https://app.example.cn/callback"
CLAIMS = ["name", "role", "school", "class"]
ROUND_WARMUP = 1.0  # seconds of each token round before its window: the clients ramp up, nothing is counted


# -- the world ---------------------------------------------------------------------------------------------------

def create_world(count: int) -> dict:
    """Province, city, district, one registered school with one class, `count` enrolled students with a real
    Argon2 password (one hash for all, as bench_login) and a student identity, and a city admin with a token."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from renrentong.accounts.login.events import LoginOutcome
    from renrentong.accounts.login.services import issue_token
    from renrentong.accounts.models import Account, Enrollment, Identity, Person
    from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage

    encoded = make_password(PASSWORD)
    with transaction.atomic():
        province = Region.objects.create(kind="province", name="湖南省", code="430000", support_contact="400-800-1234")
        city = Region.objects.create(kind="city", name="长沙市", code="430100", parent=province)
        district = Region.objects.create(kind="district", name="芙蓉区", code="430102", parent=city)
        school = School.objects.create(district=district, name="芙蓉第1小学", code="S43010201", school_year=2026,
                                       admin_contact="0731-8000-0000")
        campus = Campus.objects.create(school=school, name="本部")
        stage = Stage.objects.create(campus=campus, level="primary", system="6-3")
        cohort = Cohort.objects.create(stage=stage, enrollment_year=2024)
        school_class = SchoolClass.objects.create(school=school, cohort=cohort, number=1, code="S4301020241")
        people = Person.objects.bulk_create(Person(name=f"学生{i}", sex="M") for i in range(count))
        accounts = Account.objects.bulk_create(
            Account(number=str(FIRST_NUMBER + i), person=person, home_school=school, password=encoded)
            for i, person in enumerate(people))
        Identity.objects.bulk_create(Identity(account=a, kind=Identity.Kind.STUDENT, school=school) for a in accounts)
        Enrollment.objects.bulk_create(Enrollment(person=p, school_class=school_class, school=school) for p in people)
        admin = Account.objects.create(number=str(FIRST_NUMBER - 1), person=Person.objects.create(name="市局管理员",
                                                                                                   sex="F"),
                                       password=encoded)
        identity = Identity.objects.create(account=admin, kind=Identity.Kind.REGION_ADMIN, region=city)
    admin_token = issue_token(LoginOutcome(admin, identity, must_change_password=False))
    return {"numbers": [a.number for a in accounts], "city": city.pk, "admin_token": admin_token}


# -- a browser: cookies, forms ------------------------------------------------------------------------------------

class Browser:
    """One user's browser: its cookies, one HTTP/1.1 connection kept alive where the server allows it (gunicorn's
    sync workers close it after every answer). Redirects are not followed: the caller checks each one."""

    def __init__(self, server: common.Server, timeout: float = 120) -> None:
        self.server, self.timeout = server, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, fields: dict | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        """A request with this browser's cookies (and a form's `fields`); keeps the cookies the answer sets."""
        send = {"Accept": "text/html,application/json", **(headers or {})}
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            send["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        status, msg, data = self._raw(method, path, body, send)
        for raw in msg.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return status, msg, data

    def send(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """common.Client's send(): without cookies, as the app's own server calls the token and userinfo endpoints."""
        status, _msg, data = self._raw(method, path, body, {"Accept": "application/json", **(headers or {})})
        return status, data

    def _raw(self, method: str, path: str, body: bytes | None, headers: dict[str, str]):
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
                    continue
                raise
            if response.will_close:
                self.close()
            return response.status, response.msg, data
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def form_fields(html: bytes, testid: str) -> dict:
    """What a browser sends from the form marked data-testid=`testid` (the tests' reading of it)."""
    from tests.integration.oidc_flows import form_fields as fields_of

    return fields_of(html.decode("utf-8", errors="replace"), testid)


def local(location: str) -> str:
    """The path and query of a redirect's Location on this server."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Failed(Exception):
    """A step of a flow did not answer as a client expects: its short description is the error counted."""


def expect(status: int, wanted: int, step: str, body: bytes = b"") -> None:
    if status != wanted:
        detail = ""
        try:
            detail = " " + str(json.loads(body).get("error") or json.loads(body).get("code") or "")
        except (ValueError, AttributeError):
            pass
        raise Failed(f"{step}: HTTP {status}{detail}".rstrip())


# -- the app's side ------------------------------------------------------------------------------------------------

class App:
    def __init__(self, client_id: str, secret: str, issuer: str) -> None:
        self.client_id, self.secret, self.issuer = client_id, secret, issuer
        raw = f"{client_id}:{secret}".encode()
        self.basic = {"Authorization": "Basic " + base64.b64encode(raw).decode()}

    def authorize_path(self, challenge: str, state: str, nonce: str, ask: bool = False) -> str:
        """The app's link; `ask`: prompt=consent, the consent page even for a user who allowed the app before."""
        return "/oauth/authorize/?" + urlencode({
            "response_type": "code", "client_id": self.client_id, "redirect_uri": REDIRECT,
            "scope": "openid profile", "state": state, "nonce": nonce, "code_challenge": challenge,
            "code_challenge_method": "S256", **({"prompt": "consent"} if ask else {})})

    def token_body(self, code: str, verifier: str) -> bytes:
        return urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                          "code_verifier": verifier}).encode()


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def register_app(server: common.Server, world: dict, issuer: str) -> App:
    client = common.Client(server, {"Authorization": f"Bearer {world['admin_token']}"})
    status, body = client.post_json("/api/v1/apps", {"region_id": world["city"], "name": "智慧作业",
                                                     "redirect_uris": [REDIRECT], "claims": CLAIMS})
    client.close()
    if status != 201:
        raise SystemExit(f"oidc: registering the app answered {status}: {body[:300]!r}")
    answer = json.loads(body)
    return App(answer["client_id"], answer["client_secret"], issuer)


def code_from(status: int, headers, app: App, state: str) -> str:
    """The code from the redirect back to the app; checks the state and the issuer (RFC 9207)."""
    expect(status, 302, "authorization answer")
    location = urlsplit(headers.get("Location", ""))
    if f"{location.scheme}://{location.netloc}{location.path}" != REDIRECT:
        raise Failed(f"authorization answer: not redirected to the app but to {location.path or '?'}")
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    if "code" not in params:
        raise Failed(f"authorization answer: {params.get('error', 'no code')}")
    if params.get("state") != state or params.get("iss") != app.issuer:
        raise Failed("authorization answer: wrong state or iss")
    return params["code"]


def log_in(browser: Browser, app: App, number: str, ask: bool) -> tuple[tuple, str, str, str]:
    """A fresh browser from the app's link through the login page back to /oauth/authorize/: (its answer, the PKCE
    verifier, the state, the nonce). The answer is the consent page, or for a user who allowed the app before
    (and not `ask`) the redirect to the app with the code."""
    verifier, challenge = pkce()
    state, nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    status, headers, body = browser.request("GET", app.authorize_path(challenge, state, nonce, ask))
    expect(status, 302, "authorize GET without a session", body)
    login_path = local(headers.get("Location", ""))
    if not login_path.startswith("/accounts/login/"):
        raise Failed("authorize GET: not sent to the login page")
    status, headers, body = browser.request("GET", login_path)
    expect(status, 200, "login page GET", body)
    fields = {**form_fields(body, "login-form"), "identifier": number, "password": PASSWORD}
    status, headers, body = browser.request("POST", login_path, fields)
    expect(status, 302, "login POST", body)
    back = local(headers.get("Location", ""))
    if not back.startswith("/oauth/authorize/"):
        raise Failed("login POST: not sent back to the authorize page")
    return browser.request("GET", back), verifier, state, nonce


def consent_fields(status: int, body: bytes) -> dict:
    expect(status, 200, "consent page GET", body)
    consent = form_fields(body, "consent-form")
    if not consent.get("identity") or not consent.get("csrfmiddlewaretoken"):
        raise Failed("consent page: no identity or CSRF token")
    return consent


def log_in_to_consent(browser: Browser, app: App, number: str) -> dict:
    """A fresh browser from the app's link to the consent page (prompt=consent); the consent form's fields."""
    (status, _headers, body), _verifier, _state, _nonce = log_in(browser, app, number, ask=True)
    return consent_fields(status, body)


def exchange(client, app: App, code: str, verifier: str) -> dict:
    status, body = client.send("POST", "/oauth/token/", app.token_body(code, verifier),
                               {**app.basic, "Content-Type": "application/x-www-form-urlencoded"})
    expect(status, 200, "token POST", body)
    answer = json.loads(body)
    if not answer.get("id_token") or not answer.get("access_token"):
        raise Failed("token POST: no id_token or access_token")
    return answer


def full_sign_in(server: common.Server, app: App, number: str, ask: bool = False) -> tuple[dict, dict, str, str]:
    """One whole sign-in in a fresh browser; (the token answer, the userinfo answer, the nonce, the access token).
    A user who allowed the app before gets the code without the consent page, unless `ask` (prompt=consent)."""
    browser = Browser(server)
    try:
        (status, headers, body), verifier, state, nonce = log_in(browser, app, number, ask)
        if status != 302 or ask:
            status, headers, body = browser.request("POST", "/oauth/authorize/",
                                                    {**consent_fields(status, body), "allow": "1"})
        code = code_from(status, headers, app, state)
        answer = exchange(browser, app, code, verifier)
        status, body = browser.send("GET", "/oauth/userinfo/",
                                     headers={"Authorization": f"Bearer {answer['access_token']}"})
        expect(status, 200, "userinfo GET", body)
        info = json.loads(body)
        if not info.get("sub"):
            raise Failed("userinfo GET: no sub")
        return answer, info, nonce, answer["access_token"]
    finally:
        browser.close()


def allow_for_everyone(app: App, numbers: list[str]) -> None:
    """Each student allowed the app before: the row their first "allow" writes (services.remember_consent)."""
    from django.utils import timezone

    from renrentong.accounts.models import Account
    from renrentong.integration.models import App as Registered, Consent

    registered = Registered.objects.get(client_id=app.client_id)
    Consent.objects.bulk_create(
        [Consent(account=account, app=registered, identity=account.identities.get(), scopes="openid profile",
                 claims=CLAIMS, allowed_at=timezone.now())
         for account in Account.objects.filter(number__in=numbers).prefetch_related("identities")],
        ignore_conflicts=True)


def check_sign_in(server: common.Server, app: App, number: str) -> None:
    """One sign-in checked as a client library checks it (tests/integration/test_real_clients.py)."""
    from jwcrypto import jwk, jwt

    answer, info, nonce, _ = full_sign_in(server, app, number)
    client = common.Client(server)
    status, body = client.get("/oauth/.well-known/openid-configuration")
    expect(status, 200, "discovery GET", body)
    discovery = json.loads(body)
    status, jwks = client.get(urlsplit(discovery["jwks_uri"]).path)
    expect(status, 200, "JWKS GET", jwks)
    client.close()
    token = jwt.JWT(jwt=answer["id_token"], key=jwk.JWKSet.from_json(jwks), expected_type="JWS",
                    algs=["RS256"])
    claims = json.loads(token.claims)
    problems = []
    if discovery["issuer"] != app.issuer or claims.get("iss") != app.issuer:
        problems.append(f"issuer {discovery['issuer']} / {claims.get('iss')}, expected {app.issuer}")
    if claims.get("aud") not in (app.client_id, [app.client_id]):
        problems.append("aud")
    if claims.get("nonce") != nonce:
        problems.append("nonce")
    if info.get("sub") != claims.get("sub") or info.get("role") != "student" or not info.get("class") \
            or not info.get("school"):
        problems.append(f"userinfo {info}")
    if answer.get("token_type") != "Bearer" or answer.get("scope") != "openid profile" \
            or not answer.get("refresh_token"):
        problems.append(f"token answer {sorted(answer)}")
    if problems:
        raise SystemExit("oidc: the checked sign-in is wrong: " + "; ".join(problems))
    common.say(f"oidc: one sign-in checked: RS256 ID token (kid {token.token.jose_header.get('kid', '')[:12]}…) "
               f"verified by the JWKS, iss {claims['iss']}, aud, nonce, userinfo {sorted(info)}")


# -- codes for the token endpoint ----------------------------------------------------------------------------------

class CodeMaker:
    """`clients` students signed in on the login page, each in a browser of its own, each on its consent page; codes
    are then made with the consent POST alone (a fresh PKCE challenge, state and nonce each time)."""

    def __init__(self, server: common.Server, app: App, numbers: list[str]) -> None:
        self.server, self.app = server, app
        self.sessions: list[tuple[Browser, dict]] = []
        for number in numbers:
            browser = Browser(server)
            self.sessions.append((browser, log_in_to_consent(browser, app, number)))

    def one(self, index: int) -> tuple[str, str, float]:
        browser, consent = self.sessions[index % len(self.sessions)]
        verifier, challenge = pkce()
        state, nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        fields = {**consent, "code_challenge": challenge, "state": state, "nonce": nonce, "allow": "1"}
        status, headers, _body = browser.request("POST", "/oauth/authorize/", fields)
        return code_from(status, headers, self.app, state), verifier, time.monotonic()

    def batch(self, count: int) -> tuple[collections.deque, float]:
        """`count` codes, made by one thread per session; (the codes oldest first, seconds it took)."""
        made: list[tuple[str, str, float]] = []
        errors: list[str] = []
        lock = threading.Lock()
        remaining = [count]

        def worker(index: int) -> None:
            while True:
                with lock:
                    if remaining[0] <= 0 or errors:
                        return
                    remaining[0] -= 1
                try:
                    item = self.one(index)
                except Exception as exc:  # noqa: BLE001 (counted and reported)
                    with lock:
                        errors.append(str(exc) if isinstance(exc, Failed) else type(exc).__name__)
                    return
                with lock:
                    made.append(item)

        started = time.monotonic()
        threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(len(self.sessions))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - started
        if errors:
            raise SystemExit(f"oidc: making codes failed: {errors[0]}")
        made.sort(key=lambda item: item[2])
        return collections.deque(made), took

    def close(self) -> None:
        for browser, _consent in self.sessions:
            browser.close()


def exchange_request(app: App, pool: collections.deque, ages: list[float] | None = None):
    """Each request exchanges the oldest code left; `ages` collects how old each code was when it was sent."""
    def request(client: common.Client, index: int, n: int) -> str | None:
        try:
            code, verifier, made = pool.popleft()
        except IndexError:
            time.sleep(0.05)  # the round is spoilt and will be run again: no need to spin
            return "out of codes"
        if ages is not None:
            ages.append(time.monotonic() - made)
        try:
            exchange(client, app, code, verifier)
        except Failed as failure:
            return str(failure)
        return None

    return request


def drain(server: common.Server, app: App, pool: collections.deque, clients: int) -> tuple[int, float, list[str]]:
    """Exchange every code in the pool with `clients` threads, as fast as they go: (exchanged, seconds, errors)."""
    request = exchange_request(app, pool)
    done, errors = [0], []
    lock = threading.Lock()

    def worker(index: int) -> None:
        client = common.Client(server)
        while pool:
            error = request(client, index, 0)
            with lock:
                if error and error != "out of codes":
                    errors.append(error)
                elif not error:
                    done[0] += 1
        client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], time.perf_counter() - started, errors


def measure(server: common.Server, clients: int, seconds: float, request, warmup: float = 3.0) -> common.Load:
    """common.run_load, and the local PostgreSQL server's CPU over all its successful requests (warm-up included;
    0 on SQLite), which run_load's figures leave out: Load.db_cpu, Load.all_done."""
    done = [0]
    lock = threading.Lock()

    def counted(client, index, n):
        error = request(client, index, n)
        if not error:
            with lock:
                done[0] += 1
        return error

    postgres = bool(os.environ.get("DATABASE_URL"))
    db_before = common.database_cpu_seconds() if postgres else 0.0
    load = common.run_load(server, clients, seconds, counted, warmup=warmup)
    load.db_cpu = common.database_cpu_seconds() - db_before if postgres else 0.0
    load.all_done = done[0]
    return load


def merge(loads: list[common.Load], clients: int) -> common.Load:
    total = common.Load(clients=clients, seconds=sum(load.seconds for load in loads))
    for load in loads:
        total.completed += load.completed
        total.latencies += load.latencies
        total.reconnects += load.reconnects
        total.server_cpu += load.server_cpu
        total.client_cpu += load.client_cpu
        total.machine_cpu += load.machine_cpu
        total.db_cpu = getattr(total, "db_cpu", 0.0) + load.db_cpu
        total.all_done = getattr(total, "all_done", 0) + load.all_done
        for what, n in load.errors.items():
            total.errors[what] = total.errors.get(what, 0) + n
    return total


def token_rounds(server: common.Server, maker: CodeMaker, app: App, clients: int, seconds: float) -> common.Load:
    """The token endpoint under `clients` threads for `seconds` measured in all, in rounds each preceded by a
    batch of fresh codes."""
    from django.conf import settings

    # A batch and its round together stay 10 s under the codes' lifetime (60 s).
    age_limit = settings.OAUTH2_PROVIDER.get("AUTHORIZATION_CODE_EXPIRE_SECONDS", 60) - 10
    # Calibration, unmeasured: a batch of codes exchanged as fast as the clients go sizes the batches.
    pool, took = maker.batch(max(10 * clients, 100))
    prep_rate = len(pool) / took
    exchanged, spent, errors = drain(server, app, pool, clients)
    if errors or not exchanged:
        raise SystemExit(f"oidc: exchanging codes fails: {errors[:3]}")
    rate = exchanged / spent
    common.say(f"oidc: calibration: consent POST {prep_rate:.1f} codes/s ({clients} sessions), "
               f"token exchange ~{rate:.1f}/s")
    # A round and its batch must end before the batch's first code is age_limit s old; batches carry 50%
    # more codes than the calibration says a round uses, plus two per client (in flight, warm-up).
    margin = 1.5
    longest = age_limit / (1 + margin * rate / prep_rate) - ROUND_WARMUP
    per_round = max(min(seconds, longest, 15.0), 2.0)
    rounds = max(1, math.ceil(seconds / per_round - 0.01))
    per_round = seconds / rounds
    common.say(f"oidc: token exchange in {rounds} round(s) of {per_round:.1f} s, each after its own batch of codes")
    loads = []
    attempts = 0
    while len(loads) < rounds:
        attempts += 1
        if attempts > rounds + 3:
            raise SystemExit("oidc: the rounds keep running out of codes")
        want = math.ceil(rate * margin * (per_round + ROUND_WARMUP)) + 2 * clients
        pool, took = maker.batch(want)
        ages: list[float] = []
        load = measure(server, clients, per_round, exchange_request(app, pool, ages), warmup=ROUND_WARMUP)
        if load.errors.get("out of codes"):
            rate = max(rate, load.throughput) * 1.5
            common.say(f"oidc: round ran out of its {want} codes; again with more")
            continue
        common.say(f"oidc: round {len(loads) + 1}: {want} codes made in {took:.1f} s, {load.completed} exchanged in "
                   f"the window, {len(pool)} left over (unused), codes {min(ages):.0f}-{max(ages):.0f} s old when "
                   f"exchanged, {load.error_count} errors")
        rate = max(rate, load.throughput)
        loads.append(load)
    return merge(loads, clients)


# -- loads ---------------------------------------------------------------------------------------------------------

def me_tokens(server: common.Server, numbers: list[str]) -> list[str]:
    tokens = []
    client = common.Client(server)
    for number in numbers:
        status, body = client.post_json("/api/v1/auth/login", {"identifier": number, "password": PASSWORD})
        if status != 200:
            raise SystemExit(f"oidc: POST /api/v1/auth/login answered {status}: {body[:200]!r}")
        tokens.append(json.loads(body)["token"])
    client.close()
    return tokens


def me_request(tokens: list[str]):
    def request(client: common.Client, index: int, n: int) -> str | None:
        status, body = client.get("/api/v1/me", {"Authorization": f"Bearer {tokens[index % len(tokens)]}"})
        if status != 200:
            return f"GET /me: HTTP {status}"
        if b'"account_number"' not in body:
            return "GET /me: 200 without the account"
        return None

    return request


def sign_in_request(server: common.Server, app: App, numbers: list[str], ask: bool):
    def request(_client: common.Client, index: int, n: int) -> str | None:
        try:
            full_sign_in(server, app, numbers[(index + n * 53) % len(numbers)], ask)
        except Failed as failure:
            return str(failure)
        return None

    return request


def report(label: str, unit: str, load: common.Load) -> None:
    common.say(f"oidc: {label}: {load.completed} in {load.seconds:.0f} s ({load.throughput:.1f} {unit}), "
               f"median {common.millis(common.median(load.latencies))}, "
               f"p99 {common.millis(common.percentile(load.latencies, 99))}, {load.error_count} errors")
    if load.completed:
        per = load.server_cpu / load.completed
        clients = load.client_cpu / load.completed
        common.say(f"oidc: {label}: server CPU {per * 1000:.1f} ms each (clients {clients * 1000:.1f} ms), "
                   f"CPU-bound limit {common.cores() / per:.1f} {unit}; other processes took "
                   f"{load.others_share:.0%} of the CPU")
    if load.db_cpu and load.all_done:
        common.say(f"oidc: {label}: PostgreSQL CPU {load.db_cpu / load.all_done * 1000:.1f} ms each (part of the "
                   f"other processes' share above)")
    if load.error_count:
        common.say(f"oidc: ERRORS in {label}: {load.describe_errors()}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=common.measured_seconds(),
                        help="measured seconds per load (default RRT_BENCH_SECONDS or 20)")
    parser.add_argument("--clients", type=int, default=20, help="client threads of each load (default 20)")
    args = parser.parse_args(argv)
    seconds, clients = args.seconds, args.clients
    common.say(f"oidc: {common.machine_note()}; {common.backend_label()}")
    with common.bench_environment("oidc") as env:
        # A signing key of its own (DEBUG is off: settings make none) and the issuer; both read when settings load.
        env["RRT_OIDC_KEY_DIR"] = str(Path(env["RRT_VAR_DIR"]) / "oidc-keys")
        sys.path.insert(0, str(common.BASE_DIR))
        from renrentong.integration.keys import create_key

        create_key(Path(env["RRT_OIDC_KEY_DIR"]))
        port = common.free_port()
        env["RRT_OIDC_ISSUER"] = f"http://127.0.0.1:{port}"
        common.django_setup(env)
        world = create_world(STUDENTS)
        numbers = world["numbers"]
        verifies = [bench_login.verify_seconds()]
        common.say(f"oidc: one Argon2 verify {common.millis(verifies[0])} (median of 15)")
        common.close_db()
        # common.running_server picks a free port itself; it is handed the one the issuer already names.
        with mock.patch.object(common, "free_port", lambda: port), common.running_server(env) as server:
            issuer = env["RRT_OIDC_ISSUER"] + "/oauth"
            common.say(f"oidc: {server.description} on 127.0.0.1:{server.port}, issuer {issuer}, "
                       f"{STUDENTS} students, {clients} clients, {seconds:.0f} s per load")
            app = register_app(server, world, issuer)
            try:
                check_sign_in(server, app, numbers[-1])
                # The baseline: GET /api/v1/me with tokens from the API's login, one student per client.
                tokens = me_tokens(server, numbers[clients:2 * clients])
                me = measure(server, clients, seconds, me_request(tokens))
                report(f"GET /api/v1/me {clients} clients", "req/s", me)
                # The token endpoint, on codes of students 0..clients-1 signed in once on the login page.
                maker = CodeMaker(server, app, numbers[:clients])
                try:
                    token = token_rounds(server, maker, app, clients, seconds)
                finally:
                    maker.close()
                report(f"token exchange {clients} clients", "req/s", token)
                # Whole sign-ins, each in a fresh browser, of every student in turn: first with the consent page
                # (prompt=consent, as a first sign-in), then as returning users, who allowed the app before.
                first = measure(server, clients, seconds, sign_in_request(server, app, numbers, ask=True))
                report(f"full sign-in with the consent page {clients} clients", "sign-ins/s", first)
                allow_for_everyone(app, numbers)
                common.close_db()
                sign_in = measure(server, clients, seconds, sign_in_request(server, app, numbers, ask=False))
                report(f"full sign-in {clients} clients", "sign-ins/s", sign_in)
            except Failed as failure:
                common.say(f"oidc: {failure}\n{common.server_log_tail(server)}")
                return 1
            if any(load.error_count for load in (me, token, first, sign_in)):
                common.say(common.server_log_tail(server))
        verifies.append(bench_login.verify_seconds())
        common.close_db()
    verify = min(verifies)  # as bench_login: a busy machine only slows a verify down
    limit = common.cores() / verify
    common.say(f"oidc: one Argon2 verify {common.millis(verifies[0])} before the loads, "
               f"{common.millis(verifies[1])} after; hash-bound limit {common.rate(limit)} on {common.cores()} cores")
    if max(verifies) > 1.15 * verify:
        common.say("oidc: the verify time moved during the run: something else used the CPU, the figures are low")
    p99 = common.millis(common.percentile(token.latencies, 99))
    figure = f"{common.rate(token.throughput)} p99 {p99}"
    me_figure = f"{common.rate(me.throughput)} p99 {common.millis(common.percentile(me.latencies, 99))}"
    common.emit(common.summary(f"oidc token exchange {clients} clients", figure,
                               f"GET /api/v1/me {clients} clients", me_figure, token.throughput / me.throughput))
    common.emit(common.summary(f"oidc token exchange {clients} clients", figure,
                               "hash-bound limit", common.rate(limit), token.throughput / limit))
    common.emit(common.summary(
        f"oidc full sign-in {clients} clients",
        f"{sign_in.throughput:.1f} sign-ins/s p99 {common.millis(common.percentile(sign_in.latencies, 99))}",
        "hash-bound limit", common.rate(limit), sign_in.throughput / limit))
    common.emit(common.summary(
        f"oidc full sign-in with the consent page {clients} clients",
        f"{first.throughput:.1f} sign-ins/s p99 {common.millis(common.percentile(first.latencies, 99))}",
        "hash-bound limit", common.rate(limit), first.throughput / limit))
    return 1 if any(load.error_count for load in (me, token, first, sign_in)) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
