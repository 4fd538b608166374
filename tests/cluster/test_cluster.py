"""Drills on the production topology (issue 16 items 1 and 3): nginx in front of two gunicorn processes, PgBouncer,
a primary with a streaming replica, Redis, RQ workers, SeaweedFS. Each test is what a user or an operator does;
they run in file order on one cluster, and the failover comes last."""

from __future__ import annotations

import re
import threading
import time

import requests

from tests.browser.helpers import log_in

PARENT, SCHOOL_ADMIN = "parent", "school admin + teacher"


def _web_logs(cluster) -> list[str]:
    return [p.read_text(errors="replace") for p in sorted((cluster.dir / "logs").glob("web-*.log"))]


def _errors_logged(cluster) -> str:
    """What the web processes logged of their 500s (Django's "Internal Server Error", gunicorn's "Error handling
    request"), not of the 503s an outage is answered with: what a failing drill shows."""
    found = []
    for log in _web_logs(cluster):
        for marker in ("Internal Server Error:", "Error handling request"):
            found += [marker + block[:2500] for block in log.split(marker)[1:]]
    return "\n----\n".join(found[-3:])


def test_probes_see_every_piece(cluster):
    assert requests.get(cluster.url + "/healthz", timeout=5).text == "ok"
    ready = requests.get(cluster.url + "/readyz", timeout=5).json()
    assert ready["ready"] is True
    assert ready["checks"] == {"database:default": "ok", "database:replica": "ok", "redis": "ok"}
    assert ready["replica"]["usable"] is True


def test_nginx_serves_static_files_and_refuses_oversized_bodies(cluster):
    page = requests.get(cluster.url + "/accounts/login/", timeout=10)
    assert page.status_code == 200 and page.headers["Server"] == "nginx"
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page.text).group(1)
    static = requests.get(cluster.url + css, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert static.status_code == 200 and static.headers["Cache-Control"] == "max-age=31536000, public, immutable"
    assert static.headers.get("Content-Encoding") == "gzip"  # the .gz collectstatic wrote, sent by nginx
    assert not any(css in log for log in _web_logs(cluster))  # no Python process was asked for it
    # Uploads are at most 20 MB: a bigger body is refused by nginx before any Python process reads it.
    big = requests.post(cluster.url + "/api/v1/files", data=b"x" * (22 * 1024 * 1024), timeout=30,
                        headers={"Content-Type": "application/octet-stream"})
    assert big.status_code == 413
    # Except a roster import, which may be a city's roster as one CSV (up to 200 MB): nginx passes it on, and the
    # application answers (here: not logged in), not nginx.
    roster = requests.post(cluster.url + "/api/v1/rosters/imports", data=b"x" * (22 * 1024 * 1024), timeout=60,
                           headers={"Content-Type": "application/octet-stream"})
    assert roster.status_code == 401 and roster.headers["Content-Type"].startswith("application/json")


def test_the_client_address_is_the_one_nginx_saw_not_the_one_the_client_wrote(cluster):
    requests.post(cluster.url + "/api/v1/auth/login", json={"identifier": "99999999", "password": "Guess-123"},
                  headers={"X-Forwarded-For": "203.0.113.50"}, timeout=10)
    assert cluster.sql("SELECT host(source) FROM accounts_loginevent ORDER BY id DESC LIMIT 1") == "127.0.0.1"


def test_a_write_is_read_back_at_once_and_other_reads_go_to_the_replica(cluster):
    token = cluster.token(SCHOOL_ADMIN, "school_admin")
    school = cluster.api("GET", "/api/v1/me", token).json()["identity"]["school_id"]
    added = cluster.api("POST", f"/api/v1/schools/{school}/login-networks", token,
                        json={"network": "101.6.8.7", "threshold": 300, "note": "drill"})
    assert added.status_code == 201, added.text
    listed = cluster.api("GET", f"/api/v1/schools/{school}/login-networks", token)  # at once: read your writes
    assert "101.6.8.7/32" in [row["network"] for row in listed.json()]

    def replica_transactions() -> int:
        return int(cluster.sql("SELECT xact_commit FROM pg_stat_database WHERE datname = 'rrt'", "replica"))

    time.sleep(6)  # past the read-your-writes window of this token
    before = replica_transactions()
    for _ in range(20):
        assert cluster.api("GET", f"/api/v1/schools/{school}/login-networks", token).status_code == 200
    deadline = time.monotonic() + 20  # a backend reports its counts when it goes idle, within seconds
    while replica_transactions() < before + 20 and time.monotonic() < deadline:
        time.sleep(1)
    assert replica_transactions() >= before + 20


def test_a_code_limit_holds_across_web_processes_and_a_redis_restart(cluster):
    phone = cluster.logins()[PARENT][0]
    # Straight to each gunicorn process in turn (nginx would pick either): the limit is shared, not per process.
    web = [f"http://127.0.0.1:{port}" for port in cluster.status()["ports"]["web"]]
    first = requests.post(web[0] + "/api/v1/auth/code-login/start", json={"phone": phone}, timeout=10)
    assert first.status_code == 200, first.text
    again = requests.post(web[1] + "/api/v1/auth/code-login/start", json={"phone": phone}, timeout=10)
    assert again.json()["code"] == "verification.resend_wait"
    cluster.run("restart-redis")  # killed, not shut down: the counters must not be lost with it
    after = cluster.api("POST", "/api/v1/auth/code-login/start", json={"phone": phone})
    assert after.json()["code"] == "verification.resend_wait"


def test_a_user_clicks_on_while_a_web_process_dies_and_redis_restarts(cluster, browser):
    context = browser.new_context(base_url=cluster.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(20_000)
    page = context.new_page()
    failures: list[str] = []
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    login, password = cluster.logins()[SCHOOL_ADMIN]
    log_in(page, login, password)
    page.get_by_test_id("identity-school_admin").click()
    page.wait_for_load_state()
    links = []
    for href in page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))"):
        if href not in links and not href.startswith(("/accounts/logout", "/i18n/", "/static/")):
            links.append(href)
    assert len(links) >= 6, links
    visits = (links * 3)[:12]
    for step, href in enumerate(visits):
        if step == 3:
            cluster.run("kill-web", "0")  # one of the two gunicorn processes dies (kill -9) between clicks
        if step == 8:
            cluster.run("restart-redis")  # sessions live in Redis; its append-only file brings them back
        answer = page.goto(href)
        assert answer.status < 500, f"{href}: {answer.status}"
        assert "/accounts/login/" not in page.url, f"logged out at {href}"
    assert not failures
    context.close()
    cluster.run("start")  # brings the killed process back, as a supervisor would


# What the restore must bring back exactly: tables only the drill and the people in it write (workers write others).
CHECKSUMS = """SELECT now(),
    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM accounts_schoolnetwork t),
    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM accounts_account t),
    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM orgs_school t),
    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM core_auditevent t
      WHERE verb LIKE 'login_network.%')"""


def test_a_point_in_time_restore_brings_back_that_moment_and_its_audit_chain(cluster):
    token = cluster.token(SCHOOL_ADMIN, "school_admin")
    school = cluster.api("GET", "/api/v1/me", token).json()["identity"]["school_id"]

    def add(network: str) -> int:
        added = cluster.api("POST", f"/api/v1/schools/{school}/login-networks", token,
                            json={"network": network, "threshold": 300, "note": "restore drill"})
        assert added.status_code == 201, added.text
        return added.json()["id"]

    assert "full backup done" in cluster.run("backup").stdout
    time.sleep(1.5)  # pgBackRest picks a backup that stopped before the target time, to the second
    kept = add("101.8.0.1")
    moment, *checksums = cluster.sql(CHECKSUMS).split("|")
    time.sleep(1.1)
    add("101.8.0.2")  # after the moment: a row added and one removed, both undone by the restore
    assert cluster.api("DELETE", f"/api/v1/login-networks/{kept}", token).status_code == 204
    restored = cluster.run("restore", moment, check=False)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "audit log intact" in restored.stdout  # audit_verify ran on the restored copy
    assert cluster.sql(CHECKSUMS, "restored").split("|")[1:] == checksums
    networks = cluster.sql("SELECT network FROM accounts_schoolnetwork WHERE note = 'restore drill'", "restored")
    assert networks == "101.8.0.1/32"
    # The running cluster was left alone.
    assert cluster.sql("SELECT network FROM accounts_schoolnetwork WHERE note = 'restore drill'") == "101.8.0.2/32"


def test_failover_loses_no_committed_write(cluster):
    token = cluster.token(SCHOOL_ADMIN, "school_admin")
    school = cluster.api("GET", "/api/v1/me", token).json()["identity"]["school_id"]
    acknowledged: list[str] = []
    answers: list[int] = []
    stop = threading.Event()

    def writer():
        # Each school keeps at most 8 addresses: every one added is removed again, so the writer can go on.
        n, pending = 0, []
        while not stop.is_set():
            n += 1
            network = f"101.7.{n // 250}.{n % 250 + 1}"
            try:
                answer = cluster.api("POST", f"/api/v1/schools/{school}/login-networks", token,
                                     json={"network": network, "threshold": 300, "note": "failover"})
                answers.append(answer.status_code)
                if answer.status_code == 201:
                    acknowledged.append(answer.json()["network"])
                    pending.append(answer.json()["id"])
                for row in list(pending):
                    removed = cluster.api("DELETE", f"/api/v1/login-networks/{row}", token)
                    answers.append(removed.status_code)
                    if removed.status_code == 204:
                        pending.remove(row)
            except requests.RequestException as exc:
                answers.append(repr(exc))

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(3)
    promoted = cluster.run("promote")
    time.sleep(5)
    stop.set()
    thread.join(timeout=60)
    assert "Promoted" in promoted.stdout
    # Every write the platform acknowledged is on the new primary; what failed during the switch failed
    # cleanly (503 naming support), never a 500.
    stored = set(cluster.sql("SELECT details->>'network' FROM core_auditevent WHERE verb = 'login_network.add'")
                 .split())
    assert len(acknowledged) > 20 and set(acknowledged) <= stored
    assert set(answers) <= {201, 204, 503}, (sorted(set(map(str, answers))), _errors_logged(cluster))
    assert answers[-1] in (201, 204)  # writing again after the switch
    ready = requests.get(cluster.url + "/readyz", timeout=5).json()
    assert ready["ready"] is True
    # The audit chains came through whole: every entry written before, during and after the switch verifies.
    verified = cluster.run("manage", "audit_verify", check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr
