"""Revealing one full phone or ID number in a table cell (issue 12, NFR-1): the partial
accounts/_reveal.html offers the button to admins only; the endpoint answers the full number in place,
audits the read, refuses anyone else with who can help, and never carries the number in a URL."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string

from renrentong.accounts.access import actor_for
from renrentong.accounts.privacy import services
from renrentong.core.errors import UserFacingError
from renrentong.core.models import AuditEvent

from tests.factories import as_user, make_id_number

HTMX = {"HTTP_HX_REQUEST": "true"}


def actor(account):
    return actor_for(account, account.identities.get())


def cell(account, person_id, which="phone", masked="139****0000"):
    return render_to_string("accounts/_reveal.html", {"actor": actor(account), "person_id": person_id,
                                                      "which": which, "masked": masked})


@pytest.fixture
def numbers(world):
    """student_a with a known phone and ID number."""
    person = world.student_a.person
    id_number = make_id_number()
    person.set_id_number(id_number)
    person.save()
    world.student_a.phone = "13912340000"
    world.student_a.save()
    return {"phone": "13912340000", "id_number": id_number}


def url(person_id, which):
    return f"/accounts/people/{person_id}/reveal/{which}/"


def test_the_partial_offers_the_button_to_an_admin_only(world):
    person_id = world.student_a.person_id
    for_admin = cell(world.school_admin_a, person_id)
    assert 'data-testid="masked-phone"' in for_admin and "139****0000" in for_admin
    button = re.search(r'<button[^>]*data-testid="reveal-phone-button"[^>]*>', for_admin).group(0)
    assert f'hx-post="{url(person_id, "phone")}"' in button and "1391234" not in button
    for_teacher = cell(world.head_teacher_a, person_id, "id_number", "4301**********0011")
    assert "4301**********0011" in for_teacher and "<button" not in for_teacher
    assert cell(world.school_admin_a, person_id, masked="").strip() == ""  # nothing to reveal, nothing shown


@pytest.mark.parametrize("which", ["phone", "id_number"])
def test_an_admin_reveals_one_number_and_the_read_is_audited(client, world, numbers, which):
    as_user(client, world.school_admin_a)
    response = client.post(url(world.student_a.person_id, which), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="revealed-{which}"' in html and numbers[which] in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(verb=f"person.reveal_{which}")
    assert (event.actor_account_id, event.target_id, event.school_id) == (
        world.school_admin_a.pk, world.student_a.person_id, world.school_a.pk)
    assert numbers[which] not in str(event.details)
    assert numbers[which] not in response.request["PATH_INFO"]


def test_a_district_admin_reveals_a_parents_phone(client, world):
    world.parent_a.phone = "13700001111"
    world.parent_a.save()
    as_user(client, world.district_admin_x)
    response = client.post(url(world.parent_a.person_id, "phone"), **HTMX)
    assert response.status_code == 200 and "13700001111" in response.content.decode()
    assert AuditEvent.objects.filter(verb="person.reveal_phone", target_id=world.parent_a.person_id).count() == 1


@pytest.mark.parametrize("which", ["phone", "id_number"])
def test_a_teacher_is_refused_with_who_can_help(client, world, numbers, which):
    as_user(client, world.head_teacher_a)
    response = client.post(url(world.student_a.person_id, which), **HTMX)
    html = response.content.decode()
    assert response.status_code == 403 and 'data-testid="error"' in html
    assert 'data-code="privacy.reveal_' in html and "学校管理员" in html
    assert numbers[which] not in html
    assert not AuditEvent.objects.filter(verb__startswith="person.reveal").exists()


@pytest.mark.parametrize("which", ["phone", "id_number"])
def test_an_admin_of_another_school_finds_nothing(client, world, numbers, which):
    as_user(client, world.school_admin_b)
    response = client.post(url(world.student_a.person_id, which), **HTMX)
    assert response.status_code == 404 and 'data-code="scope.not_found"' in response.content.decode()
    assert numbers[which] not in response.content.decode()
    with pytest.raises(UserFacingError):
        services.reveal_phone(actor(world.district_admin_y), world.parent_a.person_id)
    assert not AuditEvent.objects.filter(verb__startswith="person.reveal").exists()


def test_only_a_post_of_a_known_kind_reveals(client, world, numbers):
    as_user(client, world.school_admin_a)
    assert client.get(url(world.student_a.person_id, "phone")).status_code == 405
    assert client.post(url(world.student_a.person_id, "password"), **HTMX).status_code == 404
    assert not AuditEvent.objects.filter(verb__startswith="person.reveal").exists()


def test_the_users_table_reveals_one_phone_in_place_for_the_school_admin(client, world, numbers):
    """The users table carries the reveal cells: the admin clicks one, the full phone replaces the mask,
    and the read is in the audit log."""
    client = as_user(client, world.school_admin_a)
    page = client.get("/school/users/?kind=students").content.decode()
    row = re.search(rf'data-account="{world.student_a.number}".*?</tr>', page, re.S).group(0)
    assert "139****0000" in row and numbers["phone"] not in row
    url = re.search(r'hx-post="([^"]+/phone/)"', row).group(1)
    answer = client.post(url, **HTMX).content.decode()
    assert numbers["phone"] in answer
    assert AuditEvent.objects.filter(verb="person.reveal_phone", target_id=str(world.student_a.person_id)).exists()
