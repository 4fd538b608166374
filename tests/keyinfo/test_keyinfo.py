"""Key information through the API (KEY-1..KEY-3, NFR-1, HELP-1): school edits apply at once, student and
parent edits wait and are decided field by field, uniqueness conflicts name who can fix, completion
counts and the incomplete export, the registry comparison, audit and scope."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from renrentong.accounts.models import Person
from renrentong.core.errors import UserFacingError
from renrentong.core.models import AuditEvent
from renrentong.core.text import id_number_check_digit
from renrentong.core.spreadsheets.writer import Sheet, write_xlsx
from renrentong.keyinfo import services as keyinfo
from renrentong.keyinfo.models import KeyInfoChange

from tests.factories import bearer, make_id_number, make_student


def patch(client, account, person, kind=None, **values):
    return client.patch(f"/api/v1/school/keyinfo/people/{person.pk}", values, content_type="application/json",
                        **bearer(account, kind))


def decide(client, admin, change_id, **decisions):
    return client.post(f"/api/v1/school/keyinfo/requests/{change_id}/decide", {"decisions": decisions},
                       content_type="application/json", **bearer(admin))


def fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


# KEY-1 -------------------------------------------------------------------------------------------------------

def test_school_edit_applies_at_once_and_is_audited(client, world):
    person = world.student_a.person
    new_id = make_id_number()
    response = patch(client, world.school_admin_a, person, local_student_number=" l4301 020001 ",
                     national_student_number="ｇ" + new_id, id_number=new_id.lower())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["applied"] is True and body["person"]["pending"] is None
    person = fresh(person)
    assert person.local_student_number == "L4301020001"  # stray spaces and case folded
    assert person.reveal_national_student_number() == "G" + new_id  # full-width G folded
    assert person.reveal_id_number() == new_id
    assert body["person"]["values"]["id_number"] == person.id_number_masked != new_id
    event = AuditEvent.objects.get(verb="keyinfo.update")
    assert event.target_id == person.pk and new_id not in str(event.details)
    assert set(event.details["fields"]) == {"local_student_number", "national_student_number", "id_number"}


def test_parent_edit_waits_and_the_school_decides_each_field(client, world):
    person = world.student_a.person
    old_masked = person.id_number_masked
    new_id = make_id_number()
    response = patch(client, world.parent_a, person, local_student_number="L123456",
                     national_student_number="G" + new_id, id_number=new_id)
    assert response.status_code == 202 and response.json()["applied"] is False
    assert fresh(person).local_student_number is None  # nothing applied yet
    pending = response.json()["person"]["pending"]
    assert {f["field"] for f in pending["fields"]} == {"local_student_number", "national_student_number",
                                                       "id_number"}
    queue = client.get("/api/v1/school/keyinfo/requests", **bearer(world.school_admin_a)).json()
    assert [c["id"] for c in queue] == [pending["id"]]
    side_by_side = {f["field"]: f for f in queue[0]["fields"]}
    assert side_by_side["id_number"]["current_value"] == old_masked
    assert side_by_side["id_number"]["new_value"] != new_id and side_by_side["id_number"]["new_value"].endswith(
        new_id[-4:])
    assert new_id not in str(queue)  # the proposed number is sealed, shown masked

    response = decide(client, world.school_admin_a, pending["id"], local_student_number="accept",
                      id_number="refuse")
    body = response.json()
    assert body["status"] == "pending"  # the national number is still to decide
    person = fresh(person)
    assert person.local_student_number == "L123456" and person.id_number_masked == old_masked
    body = decide(client, world.school_admin_a, pending["id"], national_student_number="accept").json()
    assert body["status"] == "decided"
    assert fresh(person).reveal_national_student_number() == "G" + new_id
    assert [e.verb for e in AuditEvent.objects.filter(verb__startswith="keyinfo.").order_by("pk")] == [
        "keyinfo.propose", "keyinfo.decide", "keyinfo.decide"]


def test_deciding_again_changes_nothing_but_a_different_verdict_is_refused(client, world):
    person = world.student_a.person
    change_id = patch(client, world.student_a, person, local_student_number="L777777").json()["person"]["pending"]["id"]
    decide(client, world.school_admin_a, change_id, local_student_number="accept")
    events = AuditEvent.objects.count()
    again = decide(client, world.school_admin_a, change_id, local_student_number="accept")
    assert again.status_code == 200 and AuditEvent.objects.count() == events
    other = decide(client, world.school_admin_a, change_id, local_student_number="refuse")
    assert other.status_code == 409 and other.json()["code"] == "keyinfo.already_decided"
    assert fresh(person).local_student_number == "L777777"
    unknown = patch(client, world.student_a, person, national_student_number="G0000001").json()["person"]["pending"]
    response = decide(client, world.school_admin_a, unknown["id"], id_number="accept")
    assert response.status_code == 400 and response.json()["code"] == "keyinfo.unknown_field"


def test_a_new_proposal_replaces_the_pending_one(client, world):
    person = world.student_a.person
    first = patch(client, world.parent_a, person, local_student_number="L111111").json()["person"]["pending"]["id"]
    second = patch(client, world.student_a, person, local_student_number="L222222").json()["person"]["pending"]["id"]
    assert KeyInfoChange.objects.get(pk=first).status == "withdrawn"
    assert KeyInfoChange.objects.get(pk=second).requested_as == "student"


def test_admin_reads_the_full_proposed_id_number_only_through_an_audited_read(client, world):
    new_id = make_id_number()
    proposed = patch(client, world.parent_a, world.student_a.person, id_number=new_id)
    change_id = proposed.json()["person"]["pending"]["id"]
    url = f"/api/v1/school/keyinfo/requests/{change_id}/id-number"
    assert client.get(url, **bearer(world.school_admin_a)).json() == {"id_number": new_id}
    assert AuditEvent.objects.filter(verb="keyinfo.reveal_proposed_id_number", target_id=change_id).count() == 1
    denied = client.get(url, **bearer(world.parent_a))
    assert denied.status_code == 403 and denied.json()["code"] == "keyinfo.not_allowed"


def test_nothing_to_change_and_invalid_values_are_explained(client, world):
    person = world.student_a.person
    same = patch(client, world.parent_a, person, id_number=person.reveal_id_number())
    assert same.status_code == 400 and same.json()["code"] == "keyinfo.no_changes"
    bad_id = make_id_number()[:-1] + "0"
    bad_id = bad_id if id_number_check_digit(bad_id[:17]) != "0" else bad_id[:-1] + "1"
    response = patch(client, world.school_admin_a, person, id_number=bad_id)
    assert response.status_code == 400 and response.json()["code"] == "keyinfo.invalid_id_number"
    assert bad_id in response.json()["message"]
    response = patch(client, world.school_admin_a, person, national_student_number="G-12")
    assert response.json()["code"] == "keyinfo.invalid_student_number" and "全国学籍号" in response.json()["message"]


# Uniqueness conflicts name who can fix ------------------------------------------------------------------------

def test_number_of_another_student_of_this_school_names_that_student(client, world):
    other = world.student_a2.person
    response = patch(client, world.school_admin_a, world.student_a.person, id_number=other.reveal_id_number())
    body = response.json()
    assert response.status_code == 409 and body["code"] == "keyinfo.taken_same_school"
    assert other.name in body["message"] and world.student_a2.number in body["message"]
    assert body["who_can_fix"] == "学校管理员"


def test_number_of_another_schools_student_names_the_school_not_the_child(client, world):
    other = world.student_b.person
    other.set_national_student_number("G9999999")
    other.save()
    response = patch(client, world.school_admin_a, world.student_a.person, national_student_number="g9999999")
    body = response.json()
    assert body["code"] == "keyinfo.taken_other_school" and world.school_b.name in body["message"]
    assert other.name not in body["message"] and body["who_can_fix"] == "区县管理员"


def test_id_number_of_a_teacher_goes_to_support(client, world):
    response = patch(client, world.school_admin_a, world.student_a.person,
                     id_number=world.teacher_a.person.reveal_id_number())
    assert response.json()["code"] == "keyinfo.id_held_by_other_role"
    assert response.json()["who_can_fix"] == "平台技术支持"


def test_parents_learn_that_a_number_is_taken_but_not_whose(client, world):
    other = world.student_a2.person
    response = patch(client, world.parent_a, world.student_a.person, id_number=other.reveal_id_number())
    body = response.json()
    assert response.status_code == 409 and body["code"] == "keyinfo.taken"
    assert other.name not in body["message"] and body["who_can_fix"] == "学校管理员"


def test_accepting_a_number_taken_since_the_proposal_is_refused_with_the_holder(client, world):
    new_id = make_id_number()
    proposed = patch(client, world.parent_a, world.student_a.person, id_number=new_id)
    change_id = proposed.json()["person"]["pending"]["id"]
    patch(client, world.school_admin_a, world.student_a2.person, id_number=new_id)
    response = decide(client, world.school_admin_a, change_id, id_number="accept")
    assert response.json()["code"] == "keyinfo.taken_same_school"
    assert world.student_a2.person.name in response.json()["message"]
    assert KeyInfoChange.objects.get(pk=change_id).status == "pending"  # still to decide, nothing half done


# KEY-2 ---------------------------------------------------------------------------------------------------------

def test_completion_per_class_and_school_and_the_incomplete_export(client, world):
    complete = world.student_a2.person
    complete.local_student_number = "L555555"
    complete.set_national_student_number("G555555")
    complete.save()
    waiting = make_student(world.class_a1, "等审核")
    patch(client, world.parent_a, world.student_a.person, local_student_number="L1234567")  # student_a waits
    assert waiting  # missing: no student numbers
    body = client.get("/api/v1/school/keyinfo/completion", **bearer(world.school_admin_a)).json()
    classes = {c["class_id"]: c for c in body["classes"]}
    assert classes[world.class_a1.pk] | {"name": ""} == {"class_id": world.class_a1.pk, "name": "", "total": 2,
                                                         "complete": 0, "missing": 1, "waiting": 1}
    assert classes[world.class_a2.pk]["complete"] == 1
    assert body["total"]["total"] == 3 and body["total"]["complete"] == 1

    response = client.get("/api/v1/school/keyinfo/incomplete.xlsx", **bearer(world.school_admin_a))
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    names = {r[1] for r in rows[1:]}
    assert names == {world.student_a.person.name, "等审核"}
    id_cells = [r[5] for r in rows[1:]]
    assert all("*" in cell for cell in id_cells)  # masked
    assert AuditEvent.objects.filter(verb="keyinfo.export_incomplete").count() == 1


def test_export_cells_never_run_as_formulas(client, world):
    person = world.student_a.person
    Person.objects.filter(pk=person.pk).update(name="=HYPERLINK(\"http://x\")")
    response = client.get("/api/v1/school/keyinfo/incomplete.xlsx", **bearer(world.school_admin_a))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert "'=HYPERLINK(\"http://x\")" in [r[1] for r in rows]


def test_region_admin_sees_completion_of_a_school_below_only(client, world):
    url = "/api/v1/school/keyinfo/completion?school_id={}"
    assert client.get(url.format(world.school_a.pk), **bearer(world.district_admin_x)).status_code == 200
    denied = client.get(url.format(world.school_b.pk), **bearer(world.district_admin_x))
    assert denied.status_code == 404 and denied.json()["code"] == "scope.not_found"
    other = client.get(url.format(world.school_b.pk), **bearer(world.school_admin_a))
    assert other.status_code == 404


# KEY-3 ---------------------------------------------------------------------------------------------------------

def registry_csv(rows, headers=("姓名", "身份证号", "全国学籍号")) -> SimpleUploadedFile:
    text = "\n".join(",".join(r) for r in [list(headers), *rows])
    return SimpleUploadedFile("学籍.csv", text.encode(), content_type="text/csv")


def compare(client, admin, file):
    return client.post("/api/v1/school/keyinfo/registry", {"file": file}, **bearer(admin))


def test_registry_comparison_lists_every_kind_of_mismatch(client, world):
    a, a2 = world.student_a.person, world.student_a2.person
    a.set_national_student_number("G" + a.reveal_id_number())
    a.save()
    stranger_id = make_id_number()
    rows = [
        [a.name, a.reveal_id_number(), "G" + a.reveal_id_number()],              # matches
        ["周 小刚改", a2.reveal_id_number(), "GX000001"],                          # name and national differ
        ["外校生", world.student_b.person.reveal_id_number(), ""],                # enrolled at school B
        ["新生", stranger_id, ""],                                                # nowhere on the platform
        ["坏号码", stranger_id[:-1] + ("0" if stranger_id[-1] != "0" else "1"), ""],  # invalid
        [a.name, a.reveal_id_number(), ""],                                       # duplicate row
    ]
    response = compare(client, world.school_admin_a, registry_csv(rows))
    assert response.status_code == 201, response.content
    body = response.json()
    kinds = [(i["kind"], i["name"]) for i in body["items"]]
    assert ("missing_on_platform", "外校生") in kinds and ("missing_on_platform", "新生") in kinds
    assert ("name_differs", "周小刚改") in kinds
    assert ("national_student_number_differs", "周小刚改") in kinds
    assert ("invalid_row", "坏号码") in kinds and ("duplicate_in_registry", a.name) in kinds
    elsewhere = next(i for i in body["items"] if i["name"] == "外校生")
    assert elsewhere["detail"] == world.school_b.name
    assert body["counts"]["registry_rows"] == 6 and body["counts"]["platform_students"] == 2
    assert body["counts"]["matched"] == 2
    assert stranger_id not in response.content.decode() and a.reveal_id_number() not in response.content.decode()
    again = client.get(f"/api/v1/school/keyinfo/registry/{body['id']}", **bearer(world.school_admin_a)).json()
    assert again["counts"] == body["counts"]
    assert AuditEvent.objects.filter(verb="keyinfo.registry_compare").count() == 1
    denied = client.get(f"/api/v1/school/keyinfo/registry/{body['id']}", **bearer(world.school_admin_b))
    assert denied.status_code == 404


def test_platform_students_missing_from_the_registry_are_listed(client, world):
    a = world.student_a.person
    body = compare(client, world.school_admin_a, registry_csv([[a.name, a.reveal_id_number(), ""]])).json()
    missing = [i for i in body["items"] if i["kind"] == "missing_in_registry"]
    assert [(i["name"], i["account"]) for i in missing] == [(world.student_a2.person.name, world.student_a2.number)]


def test_registry_read_from_xlsx_like_a_roster(client, world):
    a = world.student_a.person
    content = write_xlsx([Sheet(name="学籍", headers=["姓名", "身份证号码", "全国学籍号"],
                                rows=[[a.name, a.reveal_id_number(), ""]])])
    file = SimpleUploadedFile("registry.xlsx", content)
    body = compare(client, world.school_admin_a, file).json()
    assert body["counts"]["matched"] == 1


def test_registry_refusals_name_the_cause(client, world):
    no_ids = compare(client, world.school_admin_a, registry_csv([["张三", "1班"]], headers=("姓名", "班级")))
    assert no_ids.status_code == 400 and no_ids.json()["code"] == "keyinfo.registry_columns"
    junk = compare(client, world.school_admin_a, SimpleUploadedFile("a.xlsx", b"\x00\x01binary junk" * 40))
    assert junk.status_code == 400 and junk.json()["code"].startswith("import.file_")
    teacher = compare(client, world.teacher_a, registry_csv([]))
    assert teacher.status_code == 403 and teacher.json()["code"] == "keyinfo.not_allowed"


# Scope (NFR-2) -------------------------------------------------------------------------------------------------

def test_other_schools_students_and_requests_are_not_found(client, world):
    b = world.student_b.person
    change_id = patch(client, world.parent_b, b, local_student_number="L8888888").json()["person"]["pending"]["id"]
    for role in ("school_admin_a", "parent_a", "student_a"):
        headers = bearer(getattr(world, role))
        for url in (f"/api/v1/school/keyinfo/people/{b.pk}", f"/api/v1/school/keyinfo/requests/{change_id}"):
            response = client.get(url, **headers)
            assert response.status_code == 404 and response.json()["code"] == "scope.not_found", (role, url)
        write = client.patch(f"/api/v1/school/keyinfo/people/{b.pk}", {"local_student_number": "L0000009"},
                             content_type="application/json", **headers)
        assert write.status_code == 404, role
    assert decide(client, world.school_admin_a, change_id, local_student_number="accept").status_code == 404
    class_b = client.get(f"/api/v1/school/keyinfo/classes/{world.class_b1.pk}", **bearer(world.school_admin_a))
    assert class_b.status_code == 404
    assert fresh(b).local_student_number is None
    assert client.get(f"/api/v1/school/keyinfo/requests/{change_id}", **bearer(world.parent_b)).status_code == 200


def test_teachers_may_not_edit_key_information(client, world):
    response = patch(client, world.head_teacher_a, world.student_a.person, local_student_number="L0000001")
    assert response.status_code == 403 and response.json()["code"] == "keyinfo.not_allowed"


# Validators (property tests) -----------------------------------------------------------------------------------

@given(st.text(max_size=40))
def test_clean_student_number_accepts_only_what_it_can_store(value):
    try:
        cleaned = keyinfo.clean("national_student_number", value)
    except UserFacingError as exc:
        assert exc.code == "keyinfo.invalid_student_number"
    else:
        assert cleaned == "" or (6 <= len(cleaned) <= 32 and cleaned.isascii() and cleaned.isalnum()
                                 and cleaned == cleaned.upper())
        assert keyinfo.clean("national_student_number", cleaned) == cleaned  # idempotent


@given(st.text(alphabet="0123456789Xx １２３ ", max_size=22))
def test_clean_id_number_only_returns_valid_numbers(value):
    from renrentong.core.text import is_valid_id_number

    try:
        cleaned = keyinfo.clean("id_number", value)
    except UserFacingError as exc:
        assert exc.code == "keyinfo.invalid_id_number"
    else:
        assert cleaned == "" or is_valid_id_number(cleaned)


@pytest.mark.parametrize("width", ["full", "half"])
def test_clean_folds_full_width_id_numbers(width):
    number = make_id_number()
    typed = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")) if width == "full" else number
    assert keyinfo.clean("id_number", typed) == number


def test_a_child_without_a_school_cannot_propose_changes(client, world):
    from renrentong.accounts.models import Enrollment

    Enrollment.objects.filter(person=world.student_a.person).update(ended_on="2026-07-01")
    response = patch(client, world.parent_a, world.student_a.person, local_student_number="L1234567")
    assert response.status_code == 400 and response.json()["code"] == "keyinfo.not_enrolled"
    assert response.json()["who_can_fix"] == "学校管理员"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=st.lists(st.booleans(), min_size=4, max_size=4), strangers=st.integers(0, 3),
       renamed=st.lists(st.booleans(), min_size=4, max_size=4), by_national=st.booleans())
def test_registry_comparison_accounts_for_every_student_and_row(client, world, chosen, strangers, renamed,
                                                                by_national):
    """Whatever the registry holds: each platform student is matched or missing from it, each row is matched
    or missing on the platform, and every renamed student is reported."""
    if not hasattr(world, "extra_students"):  # the world outlives the examples: build once
        world.extra_students = [make_student(world.class_a1, f"学生{i}") for i in range(2)]
    students = [world.student_a, world.student_a2, *world.extra_students]
    for account in students:
        person = Person.objects.get(pk=account.person_id)
        person.set_national_student_number(f"G{account.person_id:08d}")
        person.save()
    rows = []
    for account, take, rename in zip(students, chosen, renamed):
        if take:
            person = account.person
            rows.append([person.name + ("改" if rename else ""), "" if by_national else person.reveal_id_number(),
                         f"G{person.pk:08d}"])
    rows += [["外来", make_id_number(), ""] for _ in range(strangers)]
    response = compare(client, world.school_admin_a, registry_csv(rows))
    assert response.status_code == 201, response.content
    counts, items = response.json()["counts"], response.json()["items"]
    taken = sum(chosen)
    assert counts["matched"] == taken and counts["platform_students"] == 4
    assert counts.get("missing_in_registry", 0) == 4 - taken
    assert counts.get("missing_on_platform", 0) == strangers
    assert counts.get("name_differs", 0) == sum(c and r for c, r in zip(chosen, renamed))
    assert all("*" in i["registry"] for i in items if i["kind"] == "missing_on_platform")


def test_no_page_or_endpoint_shows_a_full_number_to_anyone(client, world):
    """A sweep as every role over the key-information and transfer surfaces of both schools (NFR-1).
    National student numbers are usually "G" + the ID number, so they are masked too."""
    from renrentong.accounts.login.middleware import SESSION_IDENTITY

    people = list(Person.objects.exclude(id_number_digest=None))
    for person in people:
        person.set_national_student_number("G" + person.reveal_id_number())
        person.save()
    proposed = make_id_number()
    proposal = patch(client, world.parent_a, world.student_a.person, id_number=proposed).json()
    change_id = proposal["person"]["pending"]["id"]
    full = {p.reveal_id_number() for p in people} | {proposed}
    registry = compare(client, world.school_admin_a, registry_csv(
        [[p.name, p.reveal_id_number(), "G" + p.reveal_id_number()] for p in people])).json()
    api_urls = ["/api/v1/school/keyinfo/requests", f"/api/v1/school/keyinfo/requests/{change_id}",
                "/api/v1/school/keyinfo/completion", f"/api/v1/school/keyinfo/registry/{registry['id']}",
                "/api/v1/school/transfers", *(f"/api/v1/school/keyinfo/classes/{c.pk}" for c in
                                              (world.class_a1, world.class_a2, world.class_b1)),
                *(f"/api/v1/school/keyinfo/people/{p.pk}" for p in people)]
    page_urls = ["/", "/school/keyinfo/", "/school/transfers/", f"/school/keyinfo/requests/{change_id}/",
                 f"/school/keyinfo/registry/{registry['id']}/", f"/school/keyinfo/classes/{world.class_a1.pk}/",
                 *(f"/school/keyinfo/people/{p.pk}/" for p in people)]
    roles = ["student_a", "parent_a", "teacher_a", "head_teacher_a", "school_admin_a", "school_admin_b",
             "district_admin_x", "city_admin"]
    seen = 0
    for role in roles:
        account = getattr(world, role)
        headers = bearer(account)
        for url in api_urls:
            body = client.get(url, **headers).content.decode()
            assert not any(number in body for number in full), (role, url)
            seen += 1
        client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
        session = client.session
        session[SESSION_IDENTITY] = account.identities.get().pk
        session.save()
        for url in page_urls:
            response = client.get(url)
            assert response.status_code < 500, (role, url)
            assert not any(number in response.content.decode() for number in full), (role, url)
            seen += 1
        client.logout()
    assert seen > 100


def test_refusals_met_by_parents_carry_the_contact(client, world):
    other = world.student_a2.person
    taken = patch(client, world.parent_a, world.student_a.person, id_number=other.reveal_id_number()).json()
    assert taken["contact"] == world.school_a.admin_contact
    teacher = patch(client, world.parent_a, world.student_a.person,
                    id_number=world.teacher_a.person.reveal_id_number()).json()
    assert teacher["code"] == "keyinfo.id_held_by_other_role" and teacher["contact"] == world.province.support_contact
