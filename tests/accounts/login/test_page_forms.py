"""Page input of the login room goes through forms: bad text is a 400 naming the field, never a 500; who may
manage networks and read full numbers is decided by the rooms' access predicates (asked through pages/API)."""

import pytest

from tests.factories import bearer


def as_page(client, account):
    client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session["identity_id"] = account.identities.first().pk
    session.save()


NASTY = ["²", "٣", "-1", "99999999999999999999999", "a\x00b", "x" * 10_000, ""]


@pytest.mark.parametrize("value", NASTY)
def test_a_network_threshold_of_any_text_is_a_400_naming_the_field_or_a_refusal(client, world, value):
    as_page(client, world.school_admin_a)
    answer = client.post("/accounts/networks/", {"network": "101.6.8.9", "threshold": value})
    assert answer.status_code in (400, 403, 404) or answer.status_code == 302
    assert answer.status_code != 500
    if answer.status_code == 400 and value not in ("", "-1"):
        assert "threshold" in answer.content.decode()


@pytest.mark.parametrize("value", ["²", "-5", "0", "x" * 10_000, "a\x00b", "123456789012345678901234567890"])
def test_a_network_removal_of_any_text_is_a_400_naming_the_field(client, world, value):
    as_page(client, world.school_admin_a)
    answer = client.post("/accounts/networks/", {"remove": value})
    assert answer.status_code == 400 and "remove" in answer.content.decode()


@pytest.mark.parametrize("value", NASTY)
def test_an_identity_switch_of_any_text_is_refused_not_a_500(client, world, value):
    as_page(client, world.school_admin_a)
    answer = client.post("/accounts/identities/", {"identity_id": value})
    assert answer.status_code in (403, 404)


@pytest.mark.parametrize("field", ["identifier", "password", "next", "altcha"])
def test_the_login_page_takes_any_text_without_a_500(client, world, field):
    body = {"identifier": "20000001", "password": "nope", field: "²\x00" + "x" * 10_000}
    assert client.post("/accounts/login/", body).status_code < 500


@pytest.mark.parametrize("value", NASTY)
def test_code_login_choice_of_any_text_is_no_500(client, world, value):
    answer = client.post("/accounts/code-login/", {"action": "choose", "account_id": value})
    assert answer.status_code < 500


@pytest.mark.parametrize("value", NASTY)
def test_recovery_reset_choice_of_any_text_is_no_500(client, world, value):
    assert client.post("/accounts/recover/reset/", {"account_id": value}).status_code < 500


def test_only_admins_manage_networks_on_the_page(client, world):
    as_page(client, world.teacher_a)
    assert client.get("/accounts/networks/").status_code == 403


def test_only_admins_read_a_full_id_number(client, world):
    person_id = world.student_a.person_id
    refused = client.get(f"/api/v1/people/{person_id}/id-number", **bearer(world.teacher_a))
    assert refused.status_code in (403, 404)
    allowed = client.get(f"/api/v1/people/{person_id}/id-number", **bearer(world.school_admin_a))
    assert allowed.status_code == 200
