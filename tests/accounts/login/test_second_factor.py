"""The second factor at login for admins (MLPS level 3): API login answers "second factor required" with
a challenge, completed by a TOTP or SMS code; required by default for region admins, by setting for
school admins."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renrentong.accounts.models import LoginEvent
from renrentong.core.models import AuditEvent
from renrentong.verification.totp import totp_now
from tests.verification_helpers import last_code

from tests.accounts.flows import NEW_PASSWORD as PASSWORD
from tests.accounts.flows import admin_with_password
from tests.accounts.flows import api_post as api
from tests.factories import bearer


@pytest.fixture
def admin(world):
    return admin_with_password(world)


def login(client, account, password=PASSWORD, ip="10.5.5.5"):
    return api(client, "/auth/login", {"identifier": account.number, "password": password}, ip=ip)


def enroll_totp(client, account) -> str:
    headers = bearer(account)
    secret = client.post("/api/v1/me/totp", **headers).json()["secret"]
    assert api(client, "/me/totp/confirm", {"code": totp_now(secret)}, **headers).status_code == 204
    return secret


def test_district_admin_login_needs_the_code_sent_to_the_phone(client, admin):
    answer = login(client, admin)
    assert answer.status_code == 401
    body = answer.json()
    assert body["code"] == "second_factor.required" and body["who_can_fix"] == "本人"
    assert body["methods"] == ["sms"] and body["code_sent"] is True
    assert body["masked_phone"] == admin.phone[:3] + "****" + admin.phone[-4:]
    assert "token" not in body
    done = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "sms",
                                               "code": last_code(admin.phone)})
    assert done.status_code == 200
    token = done.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["identity"]["kind"] == "region_admin"
    outcomes = list(LoginEvent.objects.filter(account=admin).order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["second_factor_required", "success"]
    # The challenge is spent.
    again = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "sms", "code": "123456"})
    assert again.json()["code"] == "second_factor.expired"


def test_wrong_sms_code_names_the_tries_left(client, admin):
    body = login(client, admin).json()
    code = last_code(admin.phone)
    wrong = "000000" if code != "000000" else "111111"
    answer = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "sms", "code": wrong})
    assert answer.status_code == 400 and answer.json()["code"] == "verification.wrong_code"
    assert LoginEvent.objects.filter(account=admin, outcome="wrong_second_factor").exists()
    assert api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "sms",
                                               "code": code}).status_code == 200


def test_totp_enrolment_then_login_with_the_authenticator(client, admin, freezer):
    secret = enroll_totp(client, admin)
    assert AuditEvent.objects.filter(verb="second_factor.totp_enrolled", target_id=admin.pk).exists()
    status = client.get("/api/v1/me/second-factor", **bearer(admin)).json()
    assert status == {"required": True, "totp_enrolled": True, "masked_phone": status["masked_phone"]}
    body = login(client, admin).json()
    assert body["methods"] == ["totp", "sms"] and body["code_sent"] is False
    # The enrolment used this step's code; wait for the next one as a real app would.
    freezer.tick(30)
    done = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "totp",
                                               "code": totp_now(secret)})
    assert done.status_code == 200, done.json()
    # The same code never works twice.
    second = login(client, admin).json()
    replay = api(client, "/auth/second-factor", {"challenge": second["challenge"], "method": "totp",
                                                 "code": totp_now(secret)})
    assert replay.json()["code"] == "second_factor.wrong_code"


def test_sms_can_be_asked_for_instead_of_the_authenticator(client, admin):
    enroll_totp(client, admin)
    body = login(client, admin).json()
    sent = api(client, "/auth/second-factor/sms", {"challenge": body["challenge"]})
    assert sent.status_code == 200 and sent.json()["code_sent"] is True
    done = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "sms",
                                               "code": last_code(admin.phone)})
    assert done.status_code == 200


def test_five_wrong_authenticator_codes_void_the_login(client, admin):
    enroll_totp(client, admin)
    body = login(client, admin).json()
    for remaining in (4, 3, 2, 1):
        answer = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "totp",
                                                     "code": "000000"}).json()
        assert answer["code"] == "second_factor.wrong_code" and str(remaining) in answer["message"]
    last = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "totp", "code": "000000"})
    assert last.status_code == 429 and last.json()["code"] == "second_factor.too_many"
    gone = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "totp", "code": "000000"})
    assert gone.json()["code"] == "second_factor.expired"


def test_unknown_challenge_and_method(client, admin):
    assert api(client, "/auth/second-factor", {"challenge": "nope", "method": "totp",
                                               "code": "123456"}).json()["code"] == "second_factor.expired"
    body = login(client, admin).json()
    answer = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "totp", "code": "1"})
    assert answer.json()["code"] == "second_factor.method_invalid"


def test_admin_without_phone_or_authenticator_is_told_who_can_help(client, admin):
    admin.phone = None
    admin.save()
    body = login(client, admin).json()
    assert body["code"] == "second_factor.no_method" and body["who_can_fix"] == "平台技术支持"


@pytest.mark.parametrize("role", ["city_admin", "province_admin"])
def test_admins_above_the_district_need_it_too(client, world, role):
    account = getattr(world, role)
    account.set_password(PASSWORD)
    account.initial_password_digest = ""
    account.save()
    assert login(client, account).json()["code"] == "second_factor.required"


def test_school_admins_only_where_the_region_says(client, world):
    school_admin = world.school_admin_a
    initial = school_admin.phone[-6:]
    assert login(client, school_admin, initial).status_code == 200
    district = bearer(world.district_admin_x)
    changed = client.patch("/api/v1/orgs/policy", json.dumps({"second_factor_school_admins": True}),
                           content_type="application/json", **district)
    assert changed.status_code == 200 and changed.json()["second_factor_school_admins"] is True
    assert login(client, school_admin, initial).json()["code"] == "second_factor.required"
    # Another district's school admin is untouched; teachers never need it.
    assert login(client, world.school_admin_b, world.school_admin_b.phone[-6:]).status_code == 200
    assert login(client, world.teacher_a, world.teacher_a.phone[-6:]).status_code == 200


def test_a_school_cannot_switch_it_for_itself(client, world):
    answer = client.patch("/api/v1/orgs/policy", json.dumps({"second_factor_school_admins": True}),
                          content_type="application/json", **bearer(world.school_admin_a))
    assert answer.json()["code"] == "policy.field_not_allowed"


def test_a_region_may_switch_it_off_for_its_admins(client, world, admin):
    client.patch("/api/v1/orgs/policy", json.dumps({"second_factor_region_admins": False}),
                 content_type="application/json", **bearer(world.district_admin_x))
    assert login(client, admin).status_code == 200
    # The city above keeps it.
    world.city_admin.set_password(PASSWORD)
    world.city_admin.save()
    assert login(client, world.city_admin).json()["code"] == "second_factor.required"


def test_initial_password_change_is_still_forced_after_the_second_factor(client, world):
    account = world.district_admin_y
    body = api(client, "/auth/login", {"identifier": account.number,
                                       "password": f"Pw{account.number[-6:]}@"}).json()
    assert body["code"] == "second_factor.required"
    done = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "sms",
                                               "code": last_code(account.phone)}).json()
    assert done["must_change_password"] is True


def test_recovering_an_admin_with_an_authenticator_also_needs_its_code(client, admin, freezer):
    secret = enroll_totp(client, admin)
    sent = api(client, "/auth/recovery/start", {"identifier": admin.phone}).json()
    grant = api(client, "/auth/recovery/verify", {"token": sent["token"], "code": last_code(admin.phone)}).json()
    body = {"grant": grant["grant"], "account_id": admin.pk, "new_password": "Ab3$efgh9Z",
            "repeat_password": "Ab3$efgh9Z"}
    refused = api(client, "/auth/recovery/reset", body)
    assert refused.json()["code"] == "recovery.totp_required"
    freezer.tick(30)
    assert api(client, "/auth/recovery/reset", body | {"totp_code": totp_now(secret)}).status_code == 200


def test_demo_logins_prints_the_development_code_for_an_admin(client, admin, capsys):
    from django.core.management import call_command

    login(client, admin)
    call_command("demo_logins", "--sms", admin.phone)
    assert last_code(admin.phone) in capsys.readouterr().out
    call_command("demo_logins", "--sms", "13800000000")
    assert "No text message" in capsys.readouterr().out


def test_anyone_who_adds_an_authenticator_is_asked_for_it(client, world, freezer):
    teacher = world.teacher_a
    secret = enroll_totp(client, teacher)
    freezer.tick(30)
    body = login(client, teacher, teacher.phone[-6:]).json()
    assert body["code"] == "second_factor.required" and body["methods"] == ["totp", "sms"]
    done = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "totp",
                                               "code": totp_now(secret)})
    assert done.status_code == 200 and done.json()["must_change_password"] is True


def test_an_admin_without_phone_uses_the_authenticator_only(client, admin, freezer):
    secret = enroll_totp(client, admin)
    admin.phone = None
    admin.save()
    freezer.tick(30)
    body = login(client, admin).json()
    assert body["methods"] == ["totp"] and body["masked_phone"] == ""
    refused = api(client, "/auth/second-factor/sms", {"challenge": body["challenge"]}).json()
    assert refused["code"] == "second_factor.no_phone"
    assert api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "totp",
                                               "code": totp_now(secret)}).status_code == 200


@settings(max_examples=30, deadline=None)
@given(text=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=300))
def test_qr_code_is_a_well_formed_symbol_with_its_three_finder_patterns(text):
    import base64
    import re
    import xml.etree.ElementTree as ET

    from renrentong.accounts.login.second_factor import qr_data_uri

    svg = base64.b64decode(qr_data_uri(text).split(",", 1)[1]).decode()
    root = ET.fromstring(svg)
    size = int(root.get("viewBox").split()[2])
    count = size - 8
    assert (count - 17) % 4 == 0 and 1 <= (count - 17) // 4 <= 40  # a QR version's module count
    dark = {(int(x) - 4, int(y) - 4) for x, y in re.findall(r"M(\d+) (\d+)h1", svg)}
    finder = {(x, y) for x in range(7) for y in range(7)
              if x in (0, 6) or y in (0, 6) or (2 <= x <= 4 and 2 <= y <= 4)}
    for dx, dy in ((0, 0), (count - 7, 0), (0, count - 7)):
        assert {(x + dx, y + dy) for x, y in finder} <= dark
        ring = {(x + dx, y + dy) for x in range(1, 6) for y in range(1, 6) if x in (1, 5) or y in (1, 5)}
        assert not ring & dark


def _parallel(calls) -> list[str]:
    """Run the calls at once, each in its own thread with its own connection; their answers' codes."""
    import threading

    from django.db import connection

    start = threading.Barrier(len(calls))
    codes: list[str] = []

    def run(call) -> None:
        try:
            start.wait()
            codes.append(call().json()["code"])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def _slow_wrong_totp(monkeypatch):
    """A wrong code whose check takes long enough for parallel requests to overlap."""
    import time

    from renrentong.accounts.login import second_factor
    def verify(account, code):
        time.sleep(0.2)
        return False

    monkeypatch.setattr(second_factor, "verify_totp", verify)


def _admin_with_totp():
    from django.test import Client

    from tests.factories import build_world

    world = build_world()
    account = world.district_admin_x
    account.set_password(PASSWORD)
    account.initial_password_digest = ""
    account.save()
    enroll_totp(Client(), account)
    return account


@pytest.mark.django_db(transaction=True)
def test_parallel_codes_for_one_login_are_counted_atomically(monkeypatch):
    """Before: the count was read, the code checked, then the count written: 8 parallel codes were all checked."""
    from django.test import Client

    admin = _admin_with_totp()
    challenge = login(Client(), admin).json()["challenge"]
    _slow_wrong_totp(monkeypatch)
    codes = _parallel([lambda: api(Client(), "/auth/second-factor",
                                   {"challenge": challenge, "method": "totp", "code": "000000"})] * 8)
    assert len(codes) == 8
    assert LoginEvent.objects.filter(account=admin, outcome="wrong_second_factor").count() <= 5
    assert set(codes) <= {"second_factor.wrong_code", "second_factor.too_many", "second_factor.expired"}


@pytest.mark.django_db(transaction=True)
def test_codes_are_summed_per_account_over_addresses_and_logins(monkeypatch):
    """Before: each new address (and each new login) brought fresh tries: 3 logins x 4 codes were all checked."""
    from django.test import Client

    admin = _admin_with_totp()
    ips = ["10.7.0.1", "10.7.0.2", "10.7.0.3"]
    challenges = [login(Client(), admin, ip=ip).json()["challenge"] for ip in ips]
    _slow_wrong_totp(monkeypatch)

    def guess(challenge, ip):
        return lambda: api(Client(), "/auth/second-factor", {"challenge": challenge, "method": "totp",
                                                             "code": "000000"}, ip=ip)

    codes = _parallel([guess(c, ip) for c, ip in zip(challenges, ips, strict=True) for _ in range(4)])
    assert len(codes) == 12
    # login_lock_failures (10) codes at most are checked for the account, whatever the address.
    assert LoginEvent.objects.filter(account=admin, outcome="wrong_second_factor").count() <= 10
    assert "second_factor.paused" in codes
    fresh = login(Client(), admin, ip="10.7.0.9").json()["challenge"]
    answer = api(Client(), "/auth/second-factor", {"challenge": fresh, "method": "totp", "code": "000000"},
                 ip="10.7.0.9").json()
    assert answer["code"] == "second_factor.paused"
    assert LoginEvent.objects.filter(account=admin, outcome="wrong_second_factor").count() <= 10
