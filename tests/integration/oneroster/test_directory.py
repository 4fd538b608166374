"""The OneRoster directory (integration_rosterid) as the export writes it: new objects inserted with their rows,
changed ones updated set-based a chunk at a time, sourcedIds an import wrote kept (docs/oneroster.md)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from renrentong.accounts.models import Person
from renrentong.core import bulk
from renrentong.core.crypto import sealed_national_student_number_fields
from renrentong.integration.models import RosterId
from renrentong.integration.oneroster.directory import fingerprint
from renrentong.integration.oneroster.records import ROLE_USER

from tests.integration.oneroster.test_export import by_name, package, rows


@pytest.fixture(params=[bulk.CHUNK, 2], ids=["one chunk", "chunks of 2"])
def chunk(request, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", request.param)
    return request.param


def test_a_delta_after_an_update_lists_the_changed_row_exactly_once(client, world, chunk):
    bulk_files = package(client, world.district_admin_x)
    since = timezone.now()
    Person.objects.filter(account=world.student_a).update(name="李晓明")
    Person.objects.filter(account=world.teacher_a).update(name="王老帅")
    delta = package(client, world.district_admin_x, since=since.isoformat())
    users = rows(delta, "users.csv")
    assert sorted(u["familyName"] + u["givenName"] for u in users) == ["李晓明", "王老帅"]
    assert len({u["sourcedId"] for u in users}) == 2 and all(u["status"] == "active" for u in users)
    before = by_name(bulk_files)
    assert {u["sourcedId"] for u in users} == {before["李小明"]["sourcedId"], before["王老师"]["sourcedId"]}
    # What the directory holds is the row sent, with its fingerprint; the same delta again gives the same rows.
    stored = RosterId.objects.get(kind="users", sourced_id=by_name(delta)["李晓明"]["sourcedId"])
    assert stored.row[3:5] == ["晓明", "李"] and stored.fingerprint == fingerprint(stored.row)
    assert package(client, world.district_admin_x, since=since.isoformat()) == delta
    again = package(client, world.district_admin_x, since=(timezone.now() + timedelta(seconds=1)).isoformat())
    assert rows(again, "users.csv") == []


def test_every_new_object_is_written_once_complete(client, world, chunk):
    package(client, world.city_admin)
    assert not RosterId.objects.filter(fingerprint=0).exists()
    assert all(r.fingerprint == fingerprint(r.row) for r in RosterId.objects.all())
    users = {r.sourced_id for r in RosterId.objects.filter(kind="users")}
    assert {r.sourced_id for r in RosterId.objects.filter(kind="demographics")} <= users


def test_sourced_ids_an_import_wrote_without_rows_are_kept_and_sent_as_changed(client, world):
    """The importer writes a directory row (fingerprint 0, no row) for each object it makes, before any export."""
    long_ago = timezone.now() - timedelta(days=30)
    person = Person.objects.get(account=world.student_a)
    imported = "0f8e2b1c-aaaa-4bbb-8ccc-dddd0000eeee"
    for kind in ("users", "demographics"):
        RosterId.objects.create(kind=kind, local_key=f"person:{person.pk}", sourced_id=imported,
                                school_id=world.school_a.pk, fingerprint=0, row=[], modified_at=long_ago)
    delta = package(client, world.district_admin_x, since=(long_ago + timedelta(days=1)).isoformat())
    assert by_name(delta)["李小明"]["sourcedId"] == imported
    assert [d["sourcedId"] for d in rows(delta, "demographics.csv") if d["sourcedId"] == imported] == [imported]
    student_roles = [r for r in rows(delta, "roles.csv") if r["role"] == "student"]
    assert imported in {r["userSourcedId"] for r in student_roles}


def test_each_roles_row_names_its_user_in_a_column_of_its_own(client, world):
    package(client, world.city_admin)
    roles = list(RosterId.objects.filter(kind="roles"))
    assert roles and all(r.user_sourced_id == r.row[ROLE_USER] for r in roles)
    assert not RosterId.objects.exclude(kind="roles").filter(user_sourced_id__isnull=False).exists()


def test_a_student_without_parents_gets_the_national_student_number_too(client, world):
    number = "G430102201606180022"
    Person.objects.filter(account=world.student_a2).update(**sealed_national_student_number_fields(number))
    files = package(client, world.school_admin_a, student_numbers="true")
    student = next(u for u in rows(files, "users.csv") if u["username"] == world.student_a2.number)
    assert student["agentSourcedIds"] == ""
    assert student["userIds"] == f"{{account:{world.student_a2.number}}},{{nsn:{number}}}"


@pytest.mark.parametrize("row", [["李\"小\\明", "\x00\x1f\u2028\x7f", "", "a,b", "🙂", "{account:2001}"], [],
                                 ["x", 1, None, True, 2.5], ["x", ["y"]]])
def test_a_rows_fingerprint_is_that_of_its_json_as_the_directory_always_took_it(row):
    """The stored fingerprints were taken of json.dumps' text: a faster way to the same text keeps them valid, so
    that no unchanged row is dated again."""
    text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    assert fingerprint(row) == int.from_bytes(digest, "big", signed=True)
