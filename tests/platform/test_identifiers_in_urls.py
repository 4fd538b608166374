"""No ID number or phone travels in a URL (issue 10 item 1, NFR-1): access logs keep URLs, so lookups by
ID number or phone take them in POST bodies. And an ID number on a registry entry is never edited in
place: a PATCH carrying one is refused with the way to replace it (issue 10 item 9)."""

from __future__ import annotations

import json
from datetime import date

from renrentong.accounts.login.middleware import SESSION_IDENTITY
from renrentong.core.models import AuditEvent
from renrentong.realname.models import RegistryEntry

from tests.factories import bearer, make_id_number

SENSITIVE_PARAMETERS = {"id_number", "phone", "identifier", "national_student_number"}


def test_no_api_operation_takes_an_id_number_or_phone_in_its_url(client):
    schema = client.get("/api/v1/openapi.json").json()
    in_urls = [(path, method, p["name"]) for path, operations in schema["paths"].items()
               for method, operation in operations.items()
               for p in operation.get("parameters", []) if p["in"] in ("path", "query")
               and p["name"] in SENSITIVE_PARAMETERS]
    assert in_urls == []


def test_admin_finds_who_holds_an_id_number_by_post(client, world):
    id_number = world.teacher_a.person.reveal_id_number()
    response = client.post("/api/v1/realname/holders", json.dumps({"id_number": id_number}),
                           content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 200, response.content
    assert [h["account_number"] for h in response.json()] == [world.teacher_a.number]
    assert AuditEvent.objects.filter(verb="realname.lookup_holder").count() == 1
    old = client.get("/api/v1/realname/holders", {"id_number": id_number}, **bearer(world.school_admin_a))
    assert old.status_code in (404, 405)


def test_admin_finds_who_holds_a_phone_by_post(client, world):
    parent = world.parent_a
    response = client.post("/api/v1/verification/phone-holders", json.dumps({"phone": parent.phone}),
                           content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 200 and response.json()["account_number"] == parent.number
    assert parent.phone not in response.content.decode()  # answered masked
    old = client.get(f"/api/v1/verification/phone-holders/{parent.phone}", **bearer(world.school_admin_a))
    assert old.status_code in (404, 405)


def test_the_phone_unbind_page_looks_up_by_post(client, world):
    admin = world.school_admin_a
    client.force_login(admin, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session[SESSION_IDENTITY] = admin.identities.get().pk
    session.save()
    form = client.get("/accounts/phone/unbind/").content.decode()
    assert 'method="post" novalidate data-testid="lookup-form"' in form
    found = client.post("/accounts/phone/unbind/", {"phone": world.parent_a.phone})
    assert found.status_code == 200 and world.parent_a.number in found.content.decode()
    # A phone in the query string is not looked up: nothing invites a client to put it there.
    ignored = client.get("/accounts/phone/unbind/", {"phone": world.parent_a.phone})
    assert ignored.status_code == 200 and world.parent_a.number not in ignored.content.decode()


def entry_of(client, world) -> dict:
    response = client.post("/api/v1/realname/entries", json.dumps(
        {"role": "teacher", "name": "王老师", "id_number": make_id_number(date(1985, 3, 2))}),
        content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 201, response.content
    return response.json()


def test_patching_an_entry_with_an_id_number_is_refused_with_the_way_to_replace_it(client, world):
    entry = entry_of(client, world)
    before = RegistryEntry.objects.get(pk=entry["id"])
    response = client.patch(f"/api/v1/realname/entries/{entry['id']}",
                            json.dumps({"name": "王晓丽", "id_number": make_id_number(date(1985, 3, 3))}),
                            content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "realname.id_number_not_editable"
    assert "更换身份证号" in body["message"] and "新记录" in body["message"] and "旧记录作废" in body["message"]
    after = RegistryEntry.objects.get(pk=entry["id"])
    assert (after.name, after.id_number_digest) == (before.name, before.id_number_digest)  # nothing changed
    english = client.patch(f"/api/v1/realname/entries/{entry['id']}",
                           json.dumps({"id_number": make_id_number(date(1985, 3, 3))}),
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(world.school_admin_a))
    assert english.status_code == 400 and f"/entries/{entry['id']}/replace" in english.json()["message"]


def test_patching_a_name_still_works_even_with_the_masked_number_echoed(client, world):
    entry = entry_of(client, world)
    response = client.patch(f"/api/v1/realname/entries/{entry['id']}",
                            json.dumps({"name": "王晓丽", "id_number": entry["id_number"]}),
                            content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 200 and response.json()["name"] == "王晓丽"


def admin_session(client, admin) -> None:
    client.force_login(admin, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session[SESSION_IDENTITY] = admin.identities.get().pk
    session.save()


def test_the_users_page_searches_by_post_and_keeps_the_number_out_of_its_links(client, world):
    parent = world.parent_a
    admin_session(client, world.school_admin_a)
    form = client.get("/school/users/", {"kind": "parent"}).content.decode()
    assert 'form method="post" data-testid="search-form"' in form
    found = client.post("/school/users/", {"kind": "parent", "q": parent.phone})
    page = found.content.decode()
    assert found.status_code == 200 and parent.number in page
    # Not in the pager, the tabs or the "back" of the row actions, which become URLs.
    assert parent.phone not in page.replace(f'value="{parent.phone}"', "")
    response = client.post(f"/school/users/{parent.pk}/freeze/", {"back": "kind=parent"})
    assert response.status_code == 302 and parent.phone not in response["Location"]


def test_the_recycle_bin_is_searched_by_post_for_a_phone(client, world):
    admin = bearer(world.school_admin_a)
    parent = world.parent_a
    assert client.post(f"/api/v1/school/users/{parent.pk}/delete", **admin).status_code == 200
    found = client.post("/api/v1/school/recycle-bin/search", json.dumps({"kind": "parent", "q": parent.phone}),
                        content_type="application/json", **admin)
    assert found.status_code == 200 and [r["account_id"] for r in found.json()["items"]] == [parent.pk]
    refused = client.get("/api/v1/school/recycle-bin", {"kind": "parent", "q": parent.phone}, **admin)
    assert refused.status_code == 400 and refused.json()["code"] == "users.search_by_post"


def test_the_registry_page_searches_an_id_number_by_post(client, world):
    entry = entry_of(client, world)
    id_number = RegistryEntry.objects.get(pk=entry["id"]).reveal_id_number()
    admin_session(client, world.school_admin_a)
    form = client.get("/realname/registry/").content.decode()
    assert 'form method="post" class="choices" data-testid="search-form"' in form
    found = client.post("/realname/registry/", {"action": "search", "q": id_number})
    page = found.content.decode()
    assert found.status_code == 200 and entry["id_number"] in page  # the entry, shown masked
    assert id_number not in page.replace(f'value="{id_number}"', "")  # only in the box the admin typed in
    assert "?q=&" in page or "?q=" not in page  # the pager's links never carry it


def test_reset_candidates_are_searched_by_phone_in_the_body(client, world):
    admin = bearer(world.school_admin_a)
    parent = world.parent_a
    found = client.post("/api/v1/resets/candidates/search", json.dumps({"kind": "parent", "q": parent.phone}),
                        content_type="application/json", **admin)
    assert found.status_code == 200 and [c["account_number"] for c in found.json()] == [parent.number]
    refused = client.get("/api/v1/resets/candidates", {"kind": "parent", "q": parent.phone}, **admin)
    assert refused.status_code == 400 and refused.json()["code"] == "users.search_by_post"
    admin_session(client, world.school_admin_a)
    form = client.get("/resets/").content.decode()
    assert 'form method="post" class="filters" data-testid="reset-filter"' in form
    page = client.post("/resets/", {"action": "filter", "kind": "parent", "q": parent.phone})
    assert page.status_code == 200 and parent.number in page.content.decode()
    assert not AuditEvent.objects.filter(verb__startswith="password.").exists()  # filtering resets nobody
