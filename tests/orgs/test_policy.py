"""Per-region account settings, overridable per school (AUTH-2, AUTH-3), through the API and the page."""

import json

import pytest

from renrentong.accounts.passwords.services import issue_initial_password
from renrentong.core.models import AuditEvent
from renrentong.orgs.models import Policy
from renrentong.orgs.policy import policy_for_school

from tests.factories import bearer, make_student


def patch(client, account, **values):
    return client.patch("/api/v1/orgs/policy", json.dumps(values), content_type="application/json",
                        **bearer(account))


def test_region_setting_reaches_schools_below_and_a_school_overrides_it(client, world):
    assert patch(client, world.city_admin, password_rule="S", student_initial_rule="random").status_code == 200
    assert policy_for_school(world.school_a).password_rule == "S"
    assert policy_for_school(world.school_b).student_initial_rule == "random"
    response = patch(client, world.school_admin_a, student_initial_rule="school_default",
                     school_default_password="Tianxin#2026")
    assert response.status_code == 200, response.content
    assert policy_for_school(world.school_a).student_initial_rule == "school_default"
    assert policy_for_school(world.school_b).student_initial_rule == "random"
    # The district below the city may tighten it again for its own schools.
    patch(client, world.district_admin_y, initial_password_days=7)
    assert policy_for_school(world.school_b).initial_password_days == 7
    assert policy_for_school(world.school_a).initial_password_days == 30
    assert AuditEvent.objects.filter(verb="policy.update").count() == 3
    assert "Tianxin" not in json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))


def test_new_initial_passwords_follow_the_school_rule(client, world):
    patch(client, world.school_admin_a, student_initial_rule="school_default", school_default_password="Tianxin#2026")
    account = make_student(world.class_a2, "新同学")
    password = issue_initial_password(account, "school_default", policy_for_school(world.school_a))
    assert password == "Tianxin#2026"


def test_school_admin_cannot_change_the_password_policy(client, world):
    body = patch(client, world.school_admin_a, password_rule="S").json()
    assert body["code"] == "policy.field_not_allowed" and body["who_can_fix"] == "区县管理员"


@pytest.mark.parametrize("values,code", [
    ({"student_initial_rule": "birthday"}, "request.invalid"),  # the schema lists the allowed values
    ({"initial_password_days": 0}, "request.invalid"),
    ({"student_initial_rule": "school_default", "school_default_password": "123456"}, "policy.weak_default_password"),
])
def test_bad_values_are_refused_with_the_reason(client, world, values, code):
    assert patch(client, world.school_admin_a, **values).json()["code"] == code


def test_teachers_students_and_parents_cannot_change_settings(client, world):
    for account in (world.teacher_a, world.student_a, world.parent_a):
        response = patch(client, account, initial_password_days=5)
        assert response.status_code == 403 and response.json()["code"] == "policy.not_allowed"


def test_settings_page_warns_about_weak_rules_and_saves(client, world):
    Policy.objects.create(region=world.province, values={"student_initial_rule": "pw_account_last6"})
    admin = world.school_admin_a
    client.force_login(admin, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session["identity_id"] = admin.identities.get().pk
    session.save()
    page = client.get("/orgs/settings/").content.decode()
    assert 'data-testid="weak-rule-warning"' in page and "OWASP ASVS 6.4.1" in page
    assert 'name="password_rule"' not in page  # a school cannot pick the password policy
    response = client.post("/orgs/settings/", {"student_initial_rule": "random", "parent_initial_rule": "random",
                                               "teacher_initial_rule": "random", "school_default_password": "",
                                               "initial_password_days": "14"})
    assert response.status_code == 302
    page = client.get("/orgs/settings/").content.decode()
    assert 'data-testid="weak-rule-warning"' not in page
    refused = client.post("/orgs/settings/", {"initial_password_days": "abc"})
    assert refused.status_code == 400 and 'data-code="policy.invalid_value"' in refused.content.decode()


def test_a_body_that_is_not_an_object_is_refused(client, world):
    response = client.patch("/api/v1/orgs/policy", "[]", content_type="application/json",
                            **bearer(world.school_admin_a))
    assert response.status_code == 400 and response.json()["code"] == "request.invalid"


def test_code_registry_and_rollover_settings_are_set_by_the_region(client, world):
    answer = patch(client, world.city_admin, sms_code_minutes=30, sms_province="湖南省", phone_binding_required=True,
                   realname_attempts_per_hour=5, rollover_window_start="07-01", rollover_auto_date="08-31")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["sms_code_minutes"], body["sms_province"], body["phone_binding_required"]) == (30, "湖南省", True)
    assert body["rollover_auto_date"] == "08-31" and body["realname_attempts_per_hour"] == 5
    school = client.get("/api/v1/orgs/policy", **bearer(world.school_admin_a)).json()
    assert school["sms_code_minutes"] == 30  # inherited down the tree


@pytest.mark.parametrize("values", [
    {"sms_province": "火星省"}, {"rollover_auto_date": "02-30"}, {"sms_code_minutes": 0},
    {"rollover_window_end": "13-01"},
])
def test_impossible_code_and_rollover_settings_are_refused(client, world, values):
    answer = patch(client, world.city_admin, **values)
    assert answer.status_code == 400 and answer.json()["code"] in ("policy.invalid_value", "request.invalid")
    assert patch(client, world.school_admin_a, sms_code_minutes=30).json()["code"] == "policy.field_not_allowed"


def test_region_settings_page_sets_codes_second_factor_and_rollover_dates(client, world):
    admin = world.city_admin
    client.force_login(admin, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session["identity_id"] = admin.identities.get().pk
    session.save()
    page = client.get("/orgs/settings/").content.decode()
    assert 'name="sms_province"' in page and 'name="rollover_auto_date"' in page
    saved = client.post("/orgs/settings/", {"sms_code_minutes": "30", "sms_province": "湖南省",
                                            "second_factor_school_admins": "1", "phone_binding_required": "0",
                                            "rollover_auto_date": "09-01"})
    assert saved.status_code == 302
    school = policy_for_school(world.school_a)
    assert (school.sms_code_minutes, school.sms_province, school.rollover_auto_date) == (30, "湖南省", "09-01")
    assert school.second_factor_school_admins is True and school.phone_binding_required is False
    refused = client.post("/orgs/settings/", {"rollover_window_end": "02-30"})
    assert refused.status_code == 400 and 'data-code="policy.invalid_value"' in refused.content.decode()


def test_a_new_region_draws_random_initial_passwords_by_default(client, world):
    """Issue 10 item 3: "Pw" + the last 6 of the account number opened 300 of 300 demo accounts."""
    body = client.get("/api/v1/orgs/policy", **bearer(world.school_admin_a)).json()
    assert (body["student_initial_rule"], body["parent_initial_rule"], body["teacher_initial_rule"]) == \
        ("random", "random", "random")
    account = make_student(world.class_a2, "新同学")
    password = issue_initial_password(account, body["student_initial_rule"], policy_for_school(world.school_a))
    assert password != f"Pw{account.number[-6:]}@" and len(password) == 10
    account.save()
    login = client.post("/api/v1/auth/login", json.dumps({"identifier": account.number, "password": password}),
                        content_type="application/json")
    assert login.status_code == 200 and login.json()["must_change_password"] is True
