"""Page input of the school admin and key information pages goes through forms (issue 11 item 3): an
invalid id, page number or text is a 400 page naming the field, never a 500 and never silently another
value; and the access predicates decide what each page offers (issue 11 item 4)."""

from __future__ import annotations

import pytest

from renrentong.keyinfo.models import KeyInfoChange

BAD_NUMBERS = ["²", "１２", "-1", "99999999999999999999999", "1\x00", "x" * 10_000]


def as_user(client, account, kind=None):
    client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
    identities = account.identities.all()
    session = client.session
    session["identity_id"] = (identities.get(kind=kind) if kind else identities.get()).pk
    session.save()
    return client


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_user_table_pager_and_filters_refuse_bad_numbers(client, world, bad):
    as_user(client, world.school_admin_a)
    for query in ({"page": bad}, {"class_id": bad}, {"school_id": bad}):
        response = client.get("/school/users/", query)
        assert response.status_code == 400
        assert response.context["error"].code == "field.invalid"


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_id_fields_of_the_school_pages_refuse_bad_numbers(client, world, bad):
    as_user(client, world.school_admin_a)
    assert client.get("/school/teaching/", {"cohort_id": bad}).status_code == 400
    assert client.post("/school/users/class-change/", {"account_ids": [bad], "class_id": "1"}).status_code == 400
    assert client.post(f"/school/classes/{world.class_a1.pk}/", {"account_ids": [bad]}).status_code == 400
    assert client.post("/school/users/new/", {"kind": "student", "name": "王五", "class_id": bad}).status_code == 400
    assert client.get("/school/keyinfo/incomplete.xlsx", {"school_id": bad}).status_code == 400
    as_user(client, world.student_b)
    response = client.post("/school/transfers/", {"to_school_id": bad})
    assert response.status_code == 400 and response.context["error"].code == "field.invalid"
    as_user(client, world.student_a)
    assert client.post("/school/class-changes/", {"to_class_id": bad}).status_code == 400


def test_a_nul_in_typed_key_information_is_a_400_that_keeps_the_page(client, world):
    child = world.student_a.person
    as_user(client, world.parent_a)
    response = client.post(f"/school/keyinfo/people/{child.pk}/", {"local_student_number": "A1\x00"})
    assert response.status_code == 400
    assert 'data-testid="keyinfo-form"' in response.content.decode()  # the form page, with the refusal


def test_key_information_page_applies_a_school_admins_save_and_holds_a_parents(client, world):
    child = world.student_a.person
    as_user(client, world.school_admin_a)
    response = client.post(f"/school/keyinfo/people/{child.pk}/", {"local_student_number": "A7654321"})
    assert response.status_code == 200 and response.context["saved"] == "applied"
    assert not KeyInfoChange.objects.filter(person=child).exists()
    as_user(client, world.parent_a)
    response = client.post(f"/school/keyinfo/people/{child.pk}/", {"local_student_number": "A7654322"})
    assert response.status_code == 200 and response.context["saved"] == "waiting"
    assert KeyInfoChange.objects.filter(person=child, status="pending").exists()
    assert response.context["is_admin"] is False


def test_pages_ask_the_access_predicates(client, world):
    as_user(client, world.teacher_a)
    assert client.get("/school/users/new/").status_code == 403  # can_manage_users: school admins only
    as_user(client, world.district_admin_x)
    page = client.get("/school/users/", {"school_id": world.school_a.pk})
    assert page.status_code == 200 and page.context["is_admin"] is False  # read only below a region admin
    as_user(client, world.school_admin_a)
    page = client.get("/school/users/")
    assert page.context["is_admin"] is True and page.context["students_table"] is True
    assert client.get("/school/transfers/").context["incoming"] == []  # can_decide: the queues
    as_user(client, world.parent_a)
    assert client.get("/school/transfers/").context["can_apply"] is False  # a parent follows, cannot apply
