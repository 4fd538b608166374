"""Logout reaches the apps (issue 17 item 2, INT-1): a platform session that ends ends what it signed in to, and
every app with a back-channel URI gets a signed logout token (OpenID Connect Back-Channel Logout 1.0), sent by a
task and retried; RP-initiated logout in the phone shell; signing keys that rotate without breaking tokens."""

import base64
import json
import os
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode

import pytest
from django.core.management import call_command
from django.utils import timezone
from jwcrypto import jwk, jwt

from renrentong.core.models import AuditEvent
from renrentong.integration import keys, logout
from renrentong.integration.models import App, LogoutDelivery

from tests.factories import as_user
from tests.integration.oidc_flows import id_claims, register, sign_in, userinfo

AFTER = "https://app.example.cn/bye"


class FakeApp:
    """The app's back-channel logout endpoint: answers `statuses` in turn (then 200) and keeps what it got."""

    def __init__(self, statuses=()):
        self.statuses, self.received = list(statuses), []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                fake.received.append((self.headers["Content-Type"], parse_qs(body)))
                self.send_response(fake.statuses.pop(0) if fake.statuses else 200)
                self.send_header("Cache-Control", "no-store")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/backchannel"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_app():
    made = []

    def make(statuses=()):
        made.append(FakeApp(statuses))
        return made[-1]

    yield make
    for fake in made:
        fake.close()


def with_backchannel(app, fake) -> None:
    # Registration asks for https; the local fake speaks http, so the test points the row at it.
    App.objects.filter(pk=app.id).update(backchannel_logout_uri=fake.url)


def test_discovery_announces_logout_and_rs256_only(client, world):
    found = client.get("/oauth/.well-known/openid-configuration").json()
    assert found["end_session_endpoint"].endswith("/oauth/logout/")
    assert found["backchannel_logout_supported"] is True and found["backchannel_logout_session_supported"] is True
    assert found["id_token_signing_alg_values_supported"] == ["RS256"]


def test_logging_out_of_the_platform_ends_the_sessions_apps_and_tells_them(client, world, fake_app,
                                                                           django_capture_on_commit_callbacks):
    told, silent = register(client, world.city_admin, world.city), register(client, world.city_admin, world.city)
    fake = fake_app()
    with_backchannel(told, fake)
    as_user(client, world.student_a)
    first, second = sign_in(client, told), sign_in(client, silent)
    claims = id_claims(client, first["id_token"], told)
    assert claims["sid"]
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post("/accounts/logout/").status_code == 302
    for tokens in (first, second):
        assert userinfo(client, tokens["access_token"]).status_code == 401
    assert LogoutDelivery.objects.get().app_id == told.id  # the other app asked for no announcement
    ended = AuditEvent.objects.get(verb="oidc.logout")
    assert ended.details == {"apps": sorted([told.id, silent.id]), "announced": 1}
    assert logout.drain() == 1
    content_type, body = fake.received[0]
    assert content_type == "application/x-www-form-urlencoded"
    token = body["logout_token"][0]
    keyset = jwk.JWKSet.from_json(client.get("/oauth/.well-known/jwks.json").content)
    checked = jwt.JWT(jwt=token, key=keyset, expected_type="JWS")
    header, sent = json.loads(checked.header), json.loads(checked.claims)
    assert header["typ"] == "logout+jwt" and header["alg"] == "RS256"
    assert sent["sub"] == claims["sub"] and sent["sid"] == claims["sid"] and sent["aud"] == told.client_id
    assert sent["iss"] == claims["iss"] and "nonce" not in sent
    assert sent["events"] == {"http://schemas.openid.net/event/backchannel-logout": {}}
    assert LogoutDelivery.objects.get().delivered_at is not None


def test_another_sessions_sign_in_survives_a_logout(client, world, django_capture_on_commit_callbacks):
    from django.test import Client

    app = register(client, world.city_admin, world.city)
    phone = as_user(Client(), world.student_a)
    kept = sign_in(phone, app)
    as_user(client, world.student_a)
    ended = sign_in(client, app)
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/accounts/logout/")
    assert userinfo(client, ended["access_token"]).status_code == 401
    assert userinfo(client, kept["access_token"]).status_code == 200


def test_an_app_that_does_not_answer_is_tried_again_later(client, world, fake_app, django_capture_on_commit_callbacks):
    app = register(client, world.city_admin, world.city)
    fake = fake_app(statuses=[500])
    with_backchannel(app, fake)
    as_user(client, world.student_a)
    sign_in(client, app)
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/accounts/logout/")
    assert logout.drain() == 0
    owed = LogoutDelivery.objects.get()
    assert owed.attempts == 1 and owed.last_status == "HTTP 500" and owed.next_attempt_at > timezone.now()
    assert logout.drain() == 0  # not due yet
    assert logout.drain(now=timezone.now() + timedelta(minutes=1)) == 1
    owed.refresh_from_db()
    assert owed.delivered_at is not None and len(fake.received) == 2


def test_an_app_that_never_answers_is_given_up_after_the_last_try(client, world, django_capture_on_commit_callbacks):
    app = register(client, world.city_admin, world.city)
    App.objects.filter(pk=app.id).update(backchannel_logout_uri="http://127.0.0.1:9/closed")
    as_user(client, world.student_a)
    sign_in(client, app)
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/accounts/logout/")
    later = timezone.now()
    for _ in range(logout.MAX_ATTEMPTS):
        later += timedelta(hours=2)
        logout.drain(now=later)
    owed = LogoutDelivery.objects.get()
    assert owed.attempts == logout.MAX_ATTEMPTS and owed.gave_up_at is not None and owed.delivered_at is None


def test_rp_initiated_logout_asks_then_signs_out_and_returns_to_the_app(client, world,
                                                                        django_capture_on_commit_callbacks):
    app = register(client, world.city_admin, world.city, post_logout_redirect_uris=[AFTER])
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    query = urlencode({"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": AFTER, "state": "s-9"})
    page = client.get(f"/oauth/logout/?{query}")
    assert page.status_code == 200 and 'data-testid="logout-form"' in page.content.decode()
    data = {name: value or "" for name, value in page.context["form"].initial.items()}
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/oauth/logout/", {**data, "allow": "1"})
    assert done.status_code == 302 and done["Location"] == f"{AFTER}?state=s-9"
    assert userinfo(client, tokens["access_token"]).status_code == 401
    assert "_auth_user_id" not in client.session


def test_rp_initiated_logout_refuses_what_it_cannot_trust_without_an_error_500(client, world):
    app = register(client, world.city_admin, world.city, post_logout_redirect_uris=[AFTER])
    unknown = client.get("/oauth/logout/?client_id=nobody")
    assert unknown.status_code == 400 and 'data-testid="logout-error"' in unknown.content.decode()
    elsewhere = client.get("/oauth/logout/?" + urlencode({"client_id": app.client_id,
                                                          "post_logout_redirect_uri": "https://evil.example.com/"}))
    assert elsewhere.status_code == 400
    forged = client.get("/oauth/logout/?id_token_hint=not.a.token")
    assert forged.status_code == 400


def kid_of(token: str) -> str:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==="))["kid"]


def test_an_id_token_signed_before_a_rotation_still_verifies_and_new_ones_use_the_new_key(client, world, settings,
                                                                                         tmp_path):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    before = sign_in(client, app)["id_token"]
    new_pem = keys.create_key(tmp_path).read_text()
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": new_pem,
                                "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]]}
    published = {k["kid"] for k in client.get("/oauth/.well-known/jwks.json").json()["keys"]}
    assert kid_of(before) in published and len(published) == 2
    assert id_claims(client, before, app)["sub"]  # the old token still verifies against the JWKS
    after = sign_in(client, app)["id_token"]
    assert kid_of(after) == jwk.JWK.from_pem(new_pem.encode()).thumbprint() != kid_of(before)
    assert id_claims(client, after, app)["sub"] == id_claims(client, before, app)["sub"]


def test_a_retired_key_is_published_until_its_tokens_expire_then_pruned(tmp_path):
    first = keys.create_key(tmp_path)
    time.sleep(1.1)  # names carry the second
    second = keys.create_key(tmp_path)
    now = time.time()
    active, published = keys.load_keys(tmp_path, 3600, create=False, now=now)
    assert active == second.read_text() and published == [first.read_text()]
    assert keys.prune(tmp_path, 3600, now=now) == []
    later = now + 3600 + keys.MARGIN_SECONDS + 1
    assert keys.load_keys(tmp_path, 3600, create=False, now=later)[1] == []
    assert keys.prune(tmp_path, 3600, now=later) == [first] and keys.key_files(tmp_path) == [second]
    assert oct(os.stat(second).st_mode & 0o777) == "0o600"


def test_the_key_command_rotates_and_lists(settings, tmp_path, capsys):
    settings.OIDC_KEY_DIR = tmp_path
    call_command("oidc_keys", "rotate")
    call_command("oidc_keys", "list")
    out = capsys.readouterr().out
    assert "made " in out and "signs" in out and len(keys.key_files(tmp_path)) == 1


def test_the_deploy_check_wants_a_key_and_an_https_issuer(settings):
    from renrentong.integration.apps import provider_configured

    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": "",
                                "OIDC_ISS_ENDPOINT": "http://127.0.0.1:8000/oauth"}
    assert {m.id for m in provider_configured()} == {"integration.E001", "integration.E002"}
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": "x",
                                "OIDC_ISS_ENDPOINT": "https://rrt.example.edu.cn/oauth"}
    assert provider_configured() == []


def test_the_periodic_sweep_queues_a_run_for_announcements_due_again(client, world, fake_app, settings,
                                                                     django_capture_on_commit_callbacks):
    from renrentong.integration import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    app = register(client, world.city_admin, world.city)
    fake = fake_app(statuses=[503])
    with_backchannel(app, fake)
    as_user(client, world.student_a)
    sign_in(client, app)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once: the app answers 503
        client.post("/accounts/logout/")
    assert LogoutDelivery.objects.get().last_status == "HTTP 503"
    assert tasks.sweep_logouts() == 0  # the pause has not passed
    LogoutDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert tasks.sweep_logouts() == 1
    assert LogoutDelivery.objects.get().delivered_at is not None and len(fake.received) == 2
