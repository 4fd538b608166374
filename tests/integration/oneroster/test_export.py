"""OneRoster 1.2 CSV export (issue 17 item 4): GET /api/v1/oneroster/csv gives a region or school admin the
package of the rosters they keep, in our China profile (docs/oneroster.md): bulk, or a delta of what changed."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from renrentong.accounts.models import Enrollment, Person
from renrentong.core.crypto import sealed_national_student_number_fields
from renrentong.core.models import AuditEvent
from renrentong.integration.oneroster import csvcheck
from renrentong.integration.oneroster.records import joined_name, split_name

from tests.factories import bearer, make_parent, make_student

UUID_ANYWHERE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def package(client, account, **params) -> dict[str, bytes]:
    answer = client.get("/api/v1/oneroster/csv", params, **bearer(account))
    assert answer.status_code == 200, answer.content
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows(files, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[name].decode())))


def name_of(user: dict) -> str:
    return joined_name(user["givenName"], user["familyName"], user["middleName"])


def by_name(files) -> dict[str, dict]:
    return {name_of(u): u for u in rows(files, "users.csv")}


def test_a_district_admins_bulk_package_is_valid_and_holds_only_the_district(client, world):
    files = package(client, world.district_admin_x)
    assert sorted(files) == ["academicSessions.csv", "classes.csv", "courses.csv", "demographics.csv",
                             "enrollments.csv", "manifest.csv", "orgs.csv", "roles.csv", "users.csv"]
    assert csvcheck.check_package(files).problems == []
    orgs = {o["name"]: o for o in rows(files, "orgs.csv")}
    assert {n: o["type"] for n, o in orgs.items()} == {
        "湖南省": "state", "长沙市": "local", "芙蓉区": "district", "芙蓉第一小学": "school"}
    assert orgs["芙蓉第一小学"]["parentSourcedId"] == orgs["芙蓉区"]["sourcedId"]
    users = by_name(files)
    assert set(users) == {"李小明", "周小刚", "李大明", "王老师", "刘班主任"}  # nobody of school B, no admins
    assert all(UUID.match(u["sourcedId"]) and not re.search(r"\d{7}", u["sourcedId"]) for u in users.values())
    student, parent = users["李小明"], users["李大明"]
    assert student["agentSourcedIds"] == parent["sourcedId"] and student["grades"] == "03"
    assert student["username"] == world.student_a.number
    assert student["userIds"] == f"{{account:{world.student_a.number}}}"
    assert (student["status"], student["dateLastModified"], student["password"]) == ("", "", "")
    roles = {(r["userSourcedId"], r["role"]) for r in rows(files, "roles.csv")}
    assert (parent["sourcedId"], "parent") in roles and (student["sourcedId"], "student") in roles
    classes = {c["title"]: c for c in rows(files, "classes.csv")}
    assert {c["classType"] for c in classes.values()} == {"homeroom"}
    enrollments = rows(files, "enrollments.csv")
    head = [e for e in enrollments if e["userSourcedId"] == users["刘班主任"]["sourcedId"]]
    assert [(e["role"], e["primary"]) for e in head] == [("teacher", "true")]
    assert {d["sourcedId"] for d in rows(files, "demographics.csv")} == {
        users[n]["sourcedId"] for n in ("李小明", "周小刚")}


def test_no_id_number_phone_or_password_leaves_in_a_package(client, world):
    files = package(client, world.city_admin)
    text = b"".join(files.values()).decode()
    # Random sourcedIds may hold any four digits (about one package in fifty held an ID number's last four).
    without_ids = UUID_ANYWHERE.sub("", text)
    for account in (world.student_a, world.parent_a, world.teacher_a, world.student_b):
        person = Person.objects.get(account=account)
        last_four = person.id_number_masked[-4:]
        assert last_four and last_four not in without_ids.replace(account.number, "")
        assert account.phone is None or account.phone not in text
    assert "{nsn:" not in text
    header = files["users.csv"].decode().splitlines()[0].split(",")
    assert "password" in header and all(u["password"] == "" for u in rows(files, "users.csv"))


def test_sourced_ids_stay_the_same_from_one_export_to_the_next(client, world):
    first, second = package(client, world.district_admin_x), package(client, world.district_admin_x)
    assert first == second
    school = package(client, world.school_admin_a)
    assert {u["sourcedId"] for u in rows(school, "users.csv")} <= {u["sourcedId"] for u in rows(first, "users.csv")}


def known(files) -> set[str]:
    return {row["sourcedId"] for name in files if name != "manifest.csv" for row in rows(files, name)}


def test_a_delta_holds_what_changed_and_what_is_gone(client, world):
    bulk = package(client, world.district_admin_x)
    since = timezone.now()
    nothing = package(client, world.district_admin_x, since=since.isoformat())
    assert all(len(rows(nothing, f"{kind}.csv")) == 0 for kind in ("users", "roles", "enrollments", "classes"))
    assert rows(nothing, "manifest.csv")[2:5] and {"propertyName": "file.users", "value": "delta"} in \
        rows(nothing, "manifest.csv")
    Person.objects.filter(account=world.student_a).update(name="李晓明")
    Enrollment.objects.filter(person__account=world.student_a2).update(ended_on=timezone.localdate())
    delta = package(client, world.district_admin_x, since=since.isoformat())
    assert csvcheck.check_package(delta, known_sourced_ids=known(bulk)).problems == []
    users = by_name(delta)
    assert set(users) == {"李晓明", "周小刚"}
    assert users["李晓明"]["status"] == "active" and users["周小刚"]["status"] == "tobedeleted"
    assert users["李晓明"]["dateLastModified"].endswith("Z")
    gone = [e for e in rows(delta, "enrollments.csv") if e["userSourcedId"] == users["周小刚"]["sourcedId"]]
    assert [e["status"] for e in gone] == ["tobedeleted"]
    assert [r["status"] for r in rows(delta, "roles.csv")] == ["tobedeleted"]
    later = package(client, world.district_admin_x, since=(timezone.now() + timedelta(seconds=1)).isoformat())
    assert rows(later, "users.csv") == []


def test_a_student_who_moves_school_keeps_the_user_and_leaves_the_old_schools_roster(client, world):
    package(client, world.city_admin)
    since = timezone.now()
    enrollment = Enrollment.objects.get(person__account=world.student_a2)
    Enrollment.objects.filter(pk=enrollment.pk).update(ended_on=timezone.localdate())
    Enrollment.objects.create(person=enrollment.person, school_class=world.class_b1, school=world.school_b)
    delta = package(client, world.city_admin, since=since.isoformat())
    users = {u["username"]: u for u in rows(delta, "users.csv")}
    assert users[world.student_a2.number]["status"] == "active"
    schools = {o["sourcedId"]: o["name"] for o in rows(package(client, world.city_admin), "orgs.csv")}
    moves = sorted((schools[e["schoolSourcedId"]], e["status"]) for e in rows(delta, "enrollments.csv"))
    assert moves == [("天心第一小学", "active"), ("芙蓉第一小学", "tobedeleted")]


def test_national_student_numbers_only_when_asked_and_audited(client, world):
    number = "G430102201505170011"
    Person.objects.filter(account=world.student_a).update(**sealed_national_student_number_fields(number))
    plain = package(client, world.school_admin_a)
    assert number not in b"".join(plain.values()).decode()
    files = package(client, world.school_admin_a, student_numbers="true")
    student = next(u for u in rows(files, "users.csv") if u["username"] == world.student_a.number)
    assert student["userIds"] == f"{{account:{world.student_a.number}}},{{nsn:{number}}}"
    entry = AuditEvent.objects.filter(verb="oneroster.export").order_by("-pk").first()
    assert entry.details["student_numbers"] == 1 and number not in str(entry.details)


def test_a_since_that_is_no_moment_is_refused(client, world):
    for since in ("0", "2026-12-01", "2026-02-30T08:00:00Z", "2026-12-01T08:00:00"):
        answer = client.get("/api/v1/oneroster/csv", {"since": since}, **bearer(world.school_admin_a))
        assert answer.status_code == 400 and answer.json()["who_can_fix"], since


def test_only_region_and_school_admins_get_a_package(client, world):
    for account in (world.student_a, world.parent_a, world.teacher_a):
        answer = client.get("/api/v1/oneroster/csv", **bearer(account))
        assert answer.status_code == 403
        body = answer.json()
        assert body["code"] == "oneroster.not_allowed" and body["who_can_fix"]
    school = package(client, world.school_admin_b)
    assert {o["name"] for o in rows(school, "orgs.csv") if o["type"] == "school"} == {"天心第一小学"}


def test_a_parent_of_children_in_two_schools_is_one_user_with_a_role_at_each(client, world):
    other = make_student(world.class_b1, "李小华")
    parent = make_parent(world.student_a, other, name="李二明")
    files = package(client, world.city_admin)
    users = [u for u in rows(files, "users.csv") if u["username"] == parent.number]
    assert len(users) == 1
    roles = [r for r in rows(files, "roles.csv") if r["userSourcedId"] == users[0]["sourcedId"]]
    assert sorted(r["role"] for r in roles) == ["parent", "parent"] and len({r["orgSourcedId"] for r in roles}) == 2


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.text(HAN, min_size=2, max_size=6))
def test_a_han_name_splits_into_surname_and_given_name_and_joins_back(name):
    given_name, middle, family = split_name(name)
    assert given_name and family and not middle and joined_name(given_name, family, middle) == name


@given(st.text(HAN, min_size=1, max_size=4), st.text(HAN, min_size=1, max_size=6))
def test_a_name_with_a_middle_dot_keeps_its_parts(first, last):
    assert split_name(f"{first}·{last}") == (first, "·", last)
    assert joined_name(first, last, "·") == f"{first}·{last}"


def test_the_export_streams_its_files_into_the_zip_as_build_returns_them(world, monkeypatch):
    """The producer hands the zip each CSV from its spooled file in chunks (here of 100 bytes, so that every file
    takes several), and closes the files once written: the same package as build's bytes."""
    from renrentong.accounts.access import actor_for
    from renrentong.exports.producers import write_documents
    from renrentong.integration.oneroster import package as package_module

    monkeypatch.setattr(package_module, "CHUNK_BYTES", 100)
    account = world.district_admin_x
    actor = actor_for(account, account.identities.get())
    built = package_module.build(actor).files  # fills the directory: the export below changes nothing
    export = package_module.oneroster_csv(actor, {})
    chunked = [name for name, content in (make() for make in export.documents) if not isinstance(content, bytes)]
    assert sorted(chunked) == sorted(n for n in built if n != "manifest.csv")
    with zipfile.ZipFile(io.BytesIO(write_documents(export.documents))) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == built
    assert max(map(len, built.values())) > 100
