"""Family and resets pages: input through forms (a 400 naming the field, never a 500), and the access
predicates (family/access.py, resets/access.py) asked through the pages."""

import pytest

NASTY = ["²", "-1", "0", "99999999999999999999999", "a\x00b", "x" * 10_000]
NEW = "Newpass-2024!"


def as_page(client, account, kind=None):
    client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
    identities = account.identities.all()
    session = client.session
    session["identity_id"] = (identities.filter(kind=kind) if kind else identities).first().pk
    session.save()


def test_a_parent_of_another_child_cannot_set_its_password_on_the_page(client, world):
    as_page(client, world.parent_a)
    for child in (world.student_a2, world.student_b):
        answer = client.post(f"/family/children/{child.person_id}/password/",
                             {"new_password": NEW, "repeat_password": NEW})
        assert answer.status_code == 404


def test_a_parent_is_sent_from_the_resets_page_to_the_children_page(client, world):
    as_page(client, world.parent_a)
    assert client.get("/resets/").status_code == 302


def test_a_student_may_not_reset_anyone(client, world):
    as_page(client, world.student_a)
    assert client.get("/resets/").status_code == 403


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("action", ["unlink", "switch", "cancel_request"])
def test_a_children_page_id_of_any_text_is_a_400_naming_the_field(client, world, action, value):
    as_page(client, world.parent_a)
    field = "request_id" if action == "cancel_request" else "person_id"
    answer = client.post("/family/children/", {"action": action, field: value})
    assert answer.status_code == 400 and field in answer.content.decode()


@pytest.mark.parametrize("value", NASTY)
def test_the_resets_page_takes_any_text_without_a_500(client, world, value):
    as_page(client, world.school_admin_a)
    for body in ({"account_id": value}, {"action": "filter", "class_id": value, "kind": value, "q": value}):
        assert client.post("/resets/", body).status_code < 500
    assert client.get("/resets/", {"class_id": value, "kind": value}).status_code < 500


@pytest.mark.parametrize("value", NASTY)
def test_a_link_decision_of_any_text_is_no_500(client, world, value):
    as_page(client, world.parent_a)
    answer = client.post("/family/link-requests/", {"decision": value, "request_id": value})
    assert answer.status_code < 500
