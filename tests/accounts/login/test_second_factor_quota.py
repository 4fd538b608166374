"""Second-factor codes and quota messages (issue 10, item 9): an admin's second-factor codes have their
own bound and never spend the phone's quota; every quota refusal names who can really help; a second
login within the resend wait lets the admin enter the code already sent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from renrentong.orgs.policy import EffectivePolicy
from renrentong.verification import services
from renrentong.verification.services import SECOND_FACTOR_DAILY_LIMIT
from tests.verification_helpers import last_code, recipient

from tests.accounts.flows import NEW_PASSWORD as PASSWORD
from tests.accounts.flows import admin_with_password
from tests.accounts.flows import api_post as api

ABOVE = "上级管理员或平台技术支持"


@pytest.fixture
def admin(world):
    return admin_with_password(world)


def login(client, account, ip="10.5.5.5"):
    return api(client, "/auth/login", {"identifier": account.number, "password": PASSWORD}, ip=ip)


def test_logging_in_twice_within_a_minute_offers_the_code_already_sent(client, admin):
    first = login(client, admin).json()
    code = last_code(admin.phone)
    again = login(client, admin)
    # Today: 429 verification.resend_wait at the password step, and nowhere to enter the code.
    assert again.status_code == 401
    body = again.json()
    assert body["code"] == "second_factor.required" and body["code_sent"] is True
    assert body["challenge"] != first["challenge"]
    done = api(client, "/auth/second-factor", {"challenge": body["challenge"], "method": "sms", "code": code})
    assert done.status_code == 200 and done.json()["token"]


def test_a_second_login_after_the_code_was_used_waits_without_an_error(client, admin):
    first = login(client, admin).json()
    assert api(client, "/auth/second-factor", {"challenge": first["challenge"], "method": "sms",
                                               "code": last_code(admin.phone)}).status_code == 200
    again = login(client, admin)
    assert again.status_code == 401 and again.json()["code"] == "second_factor.required"
    assert again.json()["code_sent"] is False  # the page offers "send a code" once the minute is over


def test_second_factor_codes_do_not_spend_the_phones_daily_quota(client, admin, freezer):
    policy = EffectivePolicy()
    for n in range(policy.sms_daily_per_target + 2):
        answer = login(client, admin, ip=f"10.6.0.{n + 1}")
        assert answer.status_code == 401 and answer.json()["code_sent"] is True, answer.json()
        freezer.tick(timedelta(seconds=61))
    # Recovery to the same phone still has all of its quota.
    start = api(client, "/auth/recovery/start", {"identifier": admin.number}, ip="10.7.0.1")
    assert start.status_code == 200, start.json()


def test_second_factor_codes_have_their_own_bound_naming_the_authenticator(client, admin, freezer):
    for n in range(SECOND_FACTOR_DAILY_LIMIT):
        assert login(client, admin, ip=f"10.6.1.{n + 1}").json()["code_sent"] is True
        freezer.tick(timedelta(seconds=61))
    refused = login(client, admin, ip="10.6.2.1")
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "verification.second_factor_limit"
    assert "验证器应用" in body["message"] and "学校管理员" not in body["message"]
    assert body["who_can_fix"] == ABOVE


def send(purpose, target, account_id=None):
    return services.send_code(purpose=purpose, target=target, recipient=recipient(account_id), source=None,
                              binding=f"{purpose}:x", policy=EffectivePolicy())


def exhaust(freezer, purpose, target, account_id=None):
    for _ in range(EffectivePolicy().sms_daily_per_target):
        send(purpose, target, account_id)
        freezer.tick(timedelta(seconds=61))


def test_an_admin_recovering_is_not_sent_to_the_school_admin(client, admin, freezer):
    exhaust(freezer, "recover", admin.phone, admin.pk)
    body = api(client, "/auth/recovery/start", {"identifier": admin.number}, ip="10.8.0.1").json()
    assert body["code"] == "verification.daily_limit_admin"
    assert "验证器应用" in body["message"] and "学校管理员" not in body["message"] and body["who_can_fix"] == ABOVE


def test_someone_registering_waits_or_is_imported_by_the_school(client, world, freezer):
    phone = "13874812345"
    exhaust(freezer, "register", phone)
    response = api(client, "/realname/registration/code", {"phone": phone}, ip="10.9.0.1")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "verification.daily_limit_register" and body["who_can_fix"] == "本人"
    assert "重置密码" not in body["message"] and "导入" in body["message"]


def test_a_parent_recovering_may_ask_the_school_for_a_reset(client, world, freezer):
    parent = world.parent_a
    exhaust(freezer, "recover", parent.phone, parent.pk)
    body = api(client, "/auth/recovery/start", {"identifier": parent.phone}, ip="10.8.0.2").json()
    assert body["code"] == "verification.daily_limit" and "重置密码" in body["message"]


def test_the_second_factor_page_steers_admins_to_an_authenticator(client, admin):
    page = client.post("/accounts/login/", {"identifier": admin.number, "password": PASSWORD}, follow=True)
    html = page.content.decode()
    assert 'data-testid="second-factor"' in html and 'data-testid="authenticator-advice"' in html
    assert "验证器应用" in html
