"""Real-name pages: input through forms (a 400 naming the field, never a 500); only admins keep the registry
and decide registrations (realname/access.py, registration/access.py), asked through the pages."""

import pytest

NASTY = ["²", "-1", "0", "99999999999999999999999", "a\x00b", "x" * 10_000]


def as_page(client, account):
    client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session["identity_id"] = account.identities.first().pk
    session.save()


@pytest.mark.parametrize("value", NASTY)
def test_an_application_id_of_any_text_is_a_400_naming_the_field(client, world, value):
    as_page(client, world.school_admin_a)
    answer = client.post("/realname/applications/", {"action": "approve", "application_id": value})
    assert answer.status_code == 400 and "application_id" in answer.content.decode()


@pytest.mark.parametrize("value", NASTY)
def test_an_unbind_of_any_text_is_a_400_naming_the_field(client, world, value):
    as_page(client, world.teacher_a)
    answer = client.post("/realname/verify/", {"action": "unbind", "binding_id": value})
    assert answer.status_code == 400 and "binding_id" in answer.content.decode()


@pytest.mark.parametrize("value", NASTY)
def test_the_registry_takes_any_filter_text_without_a_500(client, world, value):
    as_page(client, world.school_admin_a)
    assert client.get("/realname/registry/", {"class_id": value, "school_id": value, "page": value}).status_code < 500
    answer = client.post("/realname/registry/", {"action": "correct", "entry_id": value, "name": value})
    assert answer.status_code < 500


def test_only_admins_keep_the_registry_and_decide_registrations(client, world):
    as_page(client, world.teacher_a)
    assert client.get("/realname/registry/").status_code == 403
    assert client.get("/realname/applications/").status_code == 403
