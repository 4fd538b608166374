"""Running in production (issue 10, items 6 and 7): the development SMS outbox refuses to send and fails
`check --deploy`, admins reading it never see a code, and the security headers and cookies are on
under the production settings docs/operations.md gives."""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from renrentong.integration.keys import create_key
from renrentong.orgs.policy import EffectivePolicy
from renrentong.verification import services
from renrentong.verification.models import Challenge, OutboxMessage

from django.test import Client

from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE

from tests.factories import bearer, make_phone
from tests.verification_helpers import last_code, recipient

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "operations.md"


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    """The environment of docs/operations.md's production table: every `NAME=value` of its
    "check --deploy" block, with real secrets generated here, and no database or Redis reached."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RRT_", "DEBUG", "DATABASE_URL",
                                                                      "REDIS_URL", "SECRET_KEY"))}
    block = DOCS.read_text().split("<!-- deploy-env -->")[1]
    for name, value in re.findall(r"^([A-Z_]+)=(\S*)$", block, re.MULTILINE):
        env[name] = value
    key = base64.b64encode(os.urandom(32)).decode()
    env.update(SECRET_KEY=secrets.token_urlsafe(50), RRT_DATA_KEYS=f"k1:{key}", RRT_LOOKUP_KEY=key,
               RRT_VAR_DIR=str(tmp_path), RRT_ALIYUN_SMS_ACCESS_KEY_ID="LTAI-test",
               RRT_ALIYUN_SMS_ACCESS_KEY_SECRET="secret", RRT_ALIYUN_SMS_SIGN_NAME="人人通",
               RRT_ALIYUN_SMS_TEMPLATE_CODE="SMS_1", RRT_ALIYUN_SMS_NOTICE_TEMPLATE_CODE="SMS_2")
    env.pop("DATABASE_URL", None)
    create_key(tmp_path / "oidc-keys")  # what `manage.py oidc_keys rotate` does (docs/oidc.md)
    env["RRT_STATIC_MANIFEST"] = "0"  # no collectstatic here; tests/platform/test_static.py covers the manifest
    env.update(extra)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_a_signing_key_or_with_an_http_issuer(tmp_path):
    env = production_env(tmp_path, RRT_OIDC_ISSUER="http://rrt.example.edu.cn")
    for key in (tmp_path / "oidc-keys").glob("*.pem"):
        key.unlink()
    result = check_deploy(env)
    assert result.returncode != 0 and "integration.E001" in result.stderr and "integration.E002" in result.stderr


def test_check_deploy_warns_when_parents_could_not_be_told_of_link_requests(tmp_path):
    result = check_deploy(production_env(tmp_path, RRT_ALIYUN_SMS_NOTICE_TEMPLATE_CODE=""))
    assert result.returncode != 0 and "verification.W002" in result.stderr


def test_check_deploy_fails_when_codes_would_go_to_the_outbox(tmp_path):
    result = check_deploy(production_env(tmp_path, RRT_SMS_BACKEND="outbox"))
    assert result.returncode != 0 and "verification.E002" in result.stderr


def test_check_deploy_still_flags_an_outbox_a_demo_server_allowed_on_purpose(tmp_path):
    result = check_deploy(production_env(tmp_path, RRT_SMS_BACKEND="outbox", RRT_SMS_OUTBOX_ALLOWED="1"))
    assert result.returncode != 0 and "verification.W001" in result.stderr


LOGIN_PAGE_SCRIPT = (
    "import django, json, os; django.setup()\n"
    "from django.test import Client\n"
    "host = os.environ['ALLOWED_HOSTS'].split(',')[0]\n"
    "r = Client(HTTP_HOST=host).get('/accounts/login/', secure=True)\n"
    "plain = Client(HTTP_HOST=host).get('/accounts/login/')\n"
    "print(json.dumps({'status': r.status_code, 'csp': r.headers.get('Content-Security-Policy', ''),\n"
    "  'hsts': r.headers.get('Strict-Transport-Security', ''), 'redirect': plain.status_code,\n"
    "  'secure': bool(r.cookies['csrftoken']['secure'])}))\n"
)


def login_page_answers(env: dict[str, str]) -> dict:
    """The login page as a fresh process with these settings answers it (over HTTPS, and plain HTTP)."""
    import json

    env["DJANGO_SETTINGS_MODULE"] = "renrentong.settings"
    done = subprocess.run([sys.executable, "-c", LOGIN_PAGE_SCRIPT], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production_answers(tmp_path_factory) -> dict:
    # The same for every switch below, and a process start costs several seconds: asked once per module.
    return login_page_answers(production_env(tmp_path_factory.mktemp("production")))


@pytest.mark.parametrize("switch, absent", [
    ("RRT_SECURE_COOKIES=0", "secure"), ("RRT_HSTS_SECONDS=0", "hsts"), ("RRT_CSP=0", "csp"),
])
def test_production_headers_and_cookies_and_each_switch(tmp_path, production_answers, switch, absent):
    on = production_answers
    assert on["status"] == 200 and on["redirect"] == 301 and on["secure"]
    assert on["hsts"].startswith("max-age=31536000") and "includeSubDomains" in on["hsts"]
    assert "script-src 'self'" in on["csp"] and "unsafe-inline" not in on["csp"].split("script-src")[1].split(";")[0]
    name, value = switch.split("=")
    off = login_page_answers(production_env(tmp_path / "off", **{name: value}))
    assert {"secure": not off["secure"], "hsts": not off["hsts"], "csp": not off["csp"]}[absent]


def test_pages_carry_the_csp_in_development_and_tests_too(client):
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_no_template_has_inline_scripts_or_event_handlers():
    templates = list((ROOT / "renrentong").rglob("templates/**/*.html"))
    assert templates
    for path in templates:
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline <script> in {path}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {path}"
        assert "<style" not in text, f"inline <style> in {path}"


# The outbox (item 6)

def session_for(account) -> Client:
    client = Client()
    client.force_login(account)
    session = client.session
    session[SESSION_IDENTITY] = account.identities.get().pk
    session[SESSION_MUST_CHANGE] = False
    session.save()
    return client


@pytest.fixture
def production_outbox(settings):
    settings.RRT_SMS_OUTBOX_ALLOWED = False
    return settings


def test_with_debug_off_the_outbox_refuses_to_send_and_nothing_counts(client, world, production_outbox):
    phone = make_phone()
    response = client.post("/api/v1/verification/phone/code", {"phone": phone}, content_type="application/json",
                           **bearer(world.teacher_a))
    assert response.status_code == 424
    body = response.json()
    assert body["code"] == "verification.outbox_disabled" and body["who_can_fix"] == "平台技术支持"
    assert not OutboxMessage.objects.filter(target=phone).exists()
    assert not Challenge.objects.filter(target=phone).exists()


def test_a_demo_server_may_allow_the_outbox_on_purpose(client, world, production_outbox):
    production_outbox.RRT_SMS_OUTBOX_ALLOWED = True
    phone = make_phone()
    response = client.post("/api/v1/verification/phone/code", {"phone": phone}, content_type="application/json",
                           **bearer(world.teacher_a))
    assert response.status_code == 200 and OutboxMessage.objects.filter(target=phone).exists()


def _send_to_parent(world, purpose="bind_phone"):
    parent = world.parent_a
    services.send_code(purpose=purpose, target=parent.phone, recipient=recipient(parent), source=None,
                       binding=f"{purpose}:x", policy=EffectivePolicy())
    return last_code(parent.phone)


@pytest.mark.parametrize("who", ["school_admin_a", "district_admin_x", "province_admin"])
def test_admins_reading_the_outbox_never_see_a_code(client, world, who):
    code = _send_to_parent(world)
    rows = client.get("/api/v1/verification/outbox", **bearer(getattr(world, who))).json()
    assert rows and all(code not in str(row) for row in rows)
    assert "******" in rows[0]["body"] and "验证码" in rows[0]["body"]


def test_the_outbox_names_purposes_in_words(client, world):
    _send_to_parent(world, "bind_phone")
    (row,) = client.get("/api/v1/verification/outbox", **bearer(world.school_admin_a)).json()
    assert row["purpose"] == "bind_phone" and row["purpose_label"] == "绑定手机号"
    (row,) = client.get("/api/v1/verification/outbox", HTTP_ACCEPT_LANGUAGE="en",
                        **bearer(world.school_admin_a)).json()
    assert row["purpose_label"] == "Binding a phone"


def test_every_purpose_sent_has_words():
    # The notice an existing parent gets of a link request (issue 10 #2) is sent as "link_notice".
    from renrentong.verification.selectors import PURPOSE_LABELS

    assert set(services.PURPOSES) | {"link_notice"} <= set(PURPOSE_LABELS)


def test_the_outbox_page_hides_codes_and_shows_purposes_in_words(client, world):
    code = _send_to_parent(world, "second_factor")
    response = session_for(world.school_admin_a).get("/verification/outbox/")
    assert response.status_code == 200
    html = response.content.decode()
    assert code not in html and "管理员登录二次验证" in html and ">second_factor<" not in html
