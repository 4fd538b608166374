"""The real-name registry through the API (RN-1..RN-4, HELP-1; seed 003 "实名认证", "教师用户认证为家长",
"管理员管理问题"): every failure the seed lists has its own message, and admins see only their schools."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.conf import settings
from django.utils import translation

from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity, LinkRequest
from renrentong.core.models import AuditEvent
from renrentong.orgs.models import Policy
from renrentong.orgs.policy import policy_changed
from renrentong.realname.models import Binding, RegistryEntry

from tests.factories import bearer, make_account, make_class, make_id_number, make_person, make_teacher



@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request with Accept-Language: en leaves English active in this thread; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def post(client, path, body, headers, ip="10.2.2.2", lang="zh-hans"):
    return client.post(f"/api/v1/realname{path}", json.dumps(body), content_type="application/json",
                       REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=lang, **headers)


def add(client, admin, **fields):
    body = {"role": "teacher", "name": "王老师", "id_number": make_id_number(date(1985, 3, 2)), **fields}
    return post(client, "/entries", body, bearer(admin))


def id_of(account: Account) -> str:
    return account.person.reveal_id_number()


def verify(client, account, kind=None, ip="10.2.2.2", **fields):
    return post(client, "/verify", {"role": "teacher", **fields}, bearer(account, kind), ip=ip)


@pytest.fixture
def teacher_entry(client, world):
    """The registry of school A lists teacher_a (王老师) with certificate number 20184300001."""
    response = add(client, world.school_admin_a, name="王老师", id_number=id_of(world.teacher_a),
                   number="20184300001")
    assert response.status_code == 201, response.json()
    return response.json()


# ---- Verification (RN-1) ----

def test_teacher_verifies_with_name_id_and_certificate_number(client, world, teacher_entry):
    response = verify(client, world.teacher_a, name="王老师", id_number=id_of(world.teacher_a),
                      number="20184300001")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "teacher" and body["school_id"] == world.school_a.pk
    assert "*" in body["id_number"]
    mine = client.get("/api/v1/realname/bindings", **bearer(world.teacher_a)).json()
    assert [b["id"] for b in mine] == [body["id"]]
    assert AuditEvent.objects.filter(verb="realname.verify", target_id=body["id"]).exists()


def test_spaces_full_width_letters_and_dots_in_the_name_never_cause_a_mismatch(client, world):
    id_number = make_id_number(date(1990, 1, 1))
    account = make_account(make_person("阿依古丽·买买提", "F", id_number=id_number), school=world.school_a)
    Identity.objects.create(account=account, kind="teacher", school=world.school_a)
    assert add(client, world.school_admin_a, name="阿依古丽·买买提", id_number=id_number).status_code == 201
    response = verify(client, account, name=" 阿依古丽 • 买买提 ", id_number=id_number.lower().replace("x", "ｘ"))
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("name, id_number", [
    ("李老师", "teacher"),  # another name for a listed ID number
    ("王老师", "unlisted"),  # an ID number no registry has
])
def test_unlisted_or_mismatched_name_and_id_get_one_message_with_the_four_checks(client, world, teacher_entry,
                                                                                 name, id_number):
    number = id_of(world.teacher_a) if id_number == "teacher" else make_id_number(date(1980, 1, 1))
    response = verify(client, world.teacher_a, name=name, id_number=number, number="20184300001")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "realname.not_found"
    assert "实名信息不存在或不正确" in body["message"] and "尚未录入" in body["message"]
    assert body["who_can_fix"] == "学校管理员"


def test_invalid_id_number_says_so(client, world):
    response = verify(client, world.teacher_a, name="王老师", id_number="430102198503021234")
    assert response.json()["code"] == "realname.invalid_id_number"


def test_wrong_certificate_number_is_named(client, world, teacher_entry):
    response = verify(client, world.teacher_a, name="王老师", id_number=id_of(world.teacher_a), number="999")
    assert response.status_code == 400
    assert response.json()["code"] == "realname.number_mismatch"
    assert "教师资格证编号" in response.json()["message"]


def test_already_verified_by_another_account_shows_it_masked(client, world, teacher_entry):
    verify(client, world.teacher_a, name="王老师", id_number=id_of(world.teacher_a), number="20184300001")
    other = make_account(None, school=world.school_a)
    Identity.objects.create(account=other, kind="teacher", school=world.school_a)
    response = verify(client, other, name="王老师", id_number=id_of(world.teacher_a), number="20184300001")
    assert response.status_code == 409
    body = response.json()
    number = world.teacher_a.number
    assert body["code"] == "realname.already_verified"
    assert f"{number[:2]}{'*' * (len(number) - 4)}{number[-2:]}" in body["message"]
    assert number not in body["message"]
    assert body["contact"] == world.school_a.admin_contact


def test_verifying_twice_says_it_is_done(client, world, teacher_entry):
    fields = {"name": "王老师", "id_number": id_of(world.teacher_a), "number": "20184300001"}
    assert verify(client, world.teacher_a, **fields).status_code == 201
    assert verify(client, world.teacher_a, **fields).json()["code"] == "realname.already_yours"


def test_an_account_cannot_verify_as_someone_elses_id(client, world):
    other_id = make_id_number(date(1986, 6, 6))
    add(client, world.school_admin_a, name="周老师", id_number=other_id)
    response = verify(client, world.teacher_a, name="周老师", id_number=other_id)
    assert response.status_code == 409
    assert response.json()["code"] == "realname.other_person"


def test_student_class_that_does_not_exist_waits_for_the_school_admin(client, world):
    id_number = make_id_number(date(2018, 9, 1))
    student = make_account(make_person("赵小云", "F", id_number=id_number), school=world.school_a)
    Identity.objects.create(account=student, kind="student", school=world.school_a)
    created = add(client, world.school_admin_a, role="student", name="赵小云", id_number=id_number,
                  number="L4301001", class_name="三年级5班").json()
    assert created["class_exists"] is False
    response = verify(client, student, role="student", name="赵小云", id_number=id_number, number="L4301001")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "realname.class_missing" and "三年级5班" in body["message"]
    assert body["who_can_fix"] == "学校管理员"

    new_class = make_class(world.school_a, 5)  # the admin adds the class
    response = verify(client, student, role="student", name="赵小云", id_number=id_number, number="L4301001")
    assert response.status_code == 201, response.json()
    assert Enrollment.objects.get(person=student.person, ended_on__isnull=True).school_class == new_class


def test_record_at_another_school_verifies_there_first_then_the_user_requests_a_transfer(client, world):
    # teacher_a's account belongs to school A, but school B's registry lists the person.
    add(client, world.school_admin_b, name="王老师", id_number=id_of(world.teacher_a))
    fields = {"name": "王老师", "id_number": id_of(world.teacher_a)}
    response = verify(client, world.teacher_a, **fields)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "realname.other_school"
    assert world.school_b.name in body["message"] and "转校" in body["message"]
    response = verify(client, world.teacher_a, **fields, continue_at_other_school=True)
    assert response.status_code == 201
    assert Identity.objects.filter(account=world.teacher_a, kind="teacher", school=world.school_b).exists()


def test_role_must_match_the_registry(client, world, teacher_entry):
    response = verify(client, world.teacher_a, role="student", name="王老师", id_number=id_of(world.teacher_a))
    assert response.json()["code"] == "realname.role_mismatch"
    assert "“教师”" in response.json()["message"]


def test_a_teacher_who_chooses_parent_with_their_own_record_is_told_to_choose_teacher(client, world, teacher_entry):
    response = verify(client, world.teacher_a, role="parent", name="王老师", id_number=id_of(world.teacher_a),
                      number="20184300001")
    assert response.status_code == 400
    assert response.json()["code"] == "realname.parent_with_teacher_record"


def student_entry(client, world, student: Account, number: str = "") -> None:
    assert add(client, world.school_admin_a, role="student", name=student.person.name, id_number=id_of(student),
               number=number, class_name="三年级1班").status_code == 201


def test_name_and_id_number_typed_into_each_others_fields_are_recognised(client, world):
    id_number = make_id_number(date(1985, 3, 2))
    added = add(client, world.school_admin_a, name=id_number, id_number="王老师")
    assert added.status_code == 400 and added.json()["code"] == "realname.name_id_swapped"
    checked = verify(client, world.teacher_a, name=id_of(world.teacher_a), id_number="王老师")
    assert checked.status_code == 400 and checked.json()["code"] == "realname.name_id_swapped"


def test_teacher_who_verified_as_parent_unbinds_and_verifies_as_teacher(client, world, teacher_entry):
    """RN-4: the parent link and identity the mistaken verification made are removed, nothing else."""
    teacher = world.teacher_a
    student_entry(client, world, world.student_a)
    made = verify(client, teacher, role="parent", name="李小明", id_number=id_of(world.student_a))
    assert made.status_code == 201, made.json()
    assert teacher.identities.filter(kind="guardian").exists()
    # Name and ID number make a request that waits for the child's parent (issue 10 #2).
    request = LinkRequest.objects.get(guardian=teacher.person, student=world.student_a.person)
    assert request.status == "pending"
    assert not Guardianship.objects.filter(guardian=teacher.person).exists()

    # A teacher or student verification is not the user's to undo.
    response = post(client, f"/bindings/{made.json()['id']}/unbind", {}, bearer(teacher, "teacher"))
    assert response.status_code == 200
    assert not teacher.identities.filter(kind="guardian").exists()
    request.refresh_from_db()
    assert request.status == "cancelled"
    again = post(client, f"/bindings/{made.json()['id']}/unbind", {}, bearer(teacher, "teacher"))
    assert again.json()["code"] == "realname.already_unbound"

    response = verify(client, teacher, name="王老师", id_number=id_of(teacher), number="20184300001")
    assert response.status_code == 201
    own = post(client, f"/bindings/{response.json()['id']}/unbind", {}, bearer(teacher))
    assert own.status_code == 400 and own.json()["code"] == "realname.unbind_own_role"


def test_unbinding_a_confirmed_parent_verification_removes_the_link_it_became(client, world, teacher_entry):
    teacher = world.teacher_a
    student_entry(client, world, world.student_a)
    made = verify(client, teacher, role="parent", name="李小明", id_number=id_of(world.student_a))
    request = LinkRequest.objects.get(guardian=teacher.person)
    confirmed = client.post(f"/api/v1/family/link-requests/{request.pk}/confirm", **bearer(world.parent_a))
    assert confirmed.status_code == 204
    assert Guardianship.objects.filter(guardian=teacher.person, student=world.student_a.person).exists()
    assert post(client, f"/bindings/{made.json()['id']}/unbind", {}, bearer(teacher, "teacher")).status_code == 200
    assert not Guardianship.objects.filter(guardian=teacher.person).exists()
    assert not teacher.identities.filter(kind="guardian").exists()


def test_parent_verification_keeps_an_existing_parent_identity(client, world):
    student_entry(client, world, world.student_a)
    parent = world.parent_a  # already the guardian of student_a, through the import
    made = verify(client, parent, role="parent", name="李小明", id_number=id_of(world.student_a))
    assert made.status_code == 201
    post(client, f"/bindings/{made.json()['id']}/unbind", {}, bearer(parent))
    assert parent.identities.filter(kind="guardian").exists()
    assert Guardianship.objects.filter(guardian=parent.person, student=world.student_a.person).exists()


def test_parent_of_a_child_the_school_has_not_created_yet_is_told_to_ask_the_school(client, world):
    child_id = make_id_number(date(2019, 1, 1))
    add(client, world.school_admin_a, role="student", name="郑小四", id_number=child_id, class_name="三年级1班")
    response = verify(client, world.parent_a, role="parent", name="郑小四", id_number=child_id)
    assert response.status_code == 400
    assert response.json()["code"] == "realname.child_not_enrolled"
    assert world.school_a.name in response.json()["message"]


def test_replacing_another_schools_entry_is_not_found(client, world, teacher_entry):
    response = post(client, f"/entries/{teacher_entry['id']}/replace",
                    {"id_number": make_id_number(date(1985, 3, 3))}, bearer(world.school_admin_b))
    assert response.status_code == 404


def test_someone_elses_binding_is_not_found(client, world, teacher_entry):
    made = verify(client, world.teacher_a, name="王老师", id_number=id_of(world.teacher_a), number="20184300001")
    response = post(client, f"/bindings/{made.json()['id']}/unbind", {}, bearer(world.teacher_b))
    assert response.status_code == 404


def test_verification_attempts_are_limited_per_account_and_per_source(client, world):
    Policy.objects.create(region=world.province, values={"realname_attempts_per_hour": 2,
                                                         "realname_source_attempts_per_hour": 3})
    policy_changed()
    for _ in range(2):
        verify(client, world.teacher_a, name="王老师", id_number=make_id_number(date(1980, 1, 1)), ip="10.5.5.1")
    response = verify(client, world.teacher_a, name="王老师", id_number=make_id_number(date(1980, 1, 1)),
                      ip="10.5.5.2")
    assert response.status_code == 429
    assert response.json()["code"] == "realname.throttled"
    # A school's shared address allows more than one account's attempts, but not unlimited ones.
    unlisted = make_id_number(date(1980, 1, 1))
    assert verify(client, world.teacher_b, name="孙老师", id_number=unlisted, ip="10.5.5.1").status_code == 400
    response = verify(client, world.head_teacher_a, name="刘班主任", id_number=unlisted, ip="10.5.5.1")
    assert response.status_code == 429
    # A mistyped ID number is not a guess: it is answered as such even past the limit, and not counted.
    assert verify(client, world.teacher_a, name="王老师", id_number="1",
                  ip="10.5.5.3").json()["code"] == "realname.invalid_id_number"


# ---- The registry (RN-1, RN-3) ----

def test_id_already_at_another_school_cannot_be_added_here(client, world):
    id_number = make_id_number(date(1984, 4, 4))
    add(client, world.school_admin_b, name="孙老师", id_number=id_number)
    response = add(client, world.school_admin_a, name="孙老师", id_number=id_number)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "realname.exists_elsewhere" and world.school_b.name in body["message"]
    response = add(client, world.school_admin_b, name="孙老师", id_number=id_number)
    assert response.json()["code"] == "realname.exists_here"


@pytest.mark.parametrize("fields, code", [
    ({"name": ""}, "realname.missing_fields"),
    ({"id_number": "43010219850302123"}, "realname.invalid_id_number"),
    ({"role": "student"}, "realname.student_needs_class"),
    ({"role": "student", "class_name": "五楼"}, "realname.invalid_class"),
])
def test_bad_entries_are_refused_with_the_reason(client, world, fields, code):
    response = add(client, world.school_admin_a, **fields)
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_only_admins_manage_the_registry(client, world):
    response = add(client, world.teacher_a)
    assert response.status_code == 403 and response.json()["code"] == "realname.not_allowed"
    assert client.get("/api/v1/realname/entries", **bearer(world.parent_a)).status_code == 403


def test_region_admin_names_the_school_and_sees_only_schools_below(client, world):
    assert add(client, world.district_admin_x).json()["code"] == "realname.choose_school"
    assert add(client, world.district_admin_x, school_id=world.school_b.pk).status_code == 404
    assert add(client, world.district_admin_x, school_id=world.school_a.pk).status_code == 201
    assert client.get("/api/v1/realname/entries", **bearer(world.district_admin_y)).json()["total"] == 0
    assert client.get("/api/v1/realname/entries", **bearer(world.city_admin)).json()["total"] == 1


def test_search_by_name_id_number_number_and_class(client, world, teacher_entry):
    student_entry(client, world, world.student_a, number="L999")
    admin = bearer(world.school_admin_a)

    def found(**params):
        return [e["name"] for e in client.get("/api/v1/realname/entries", params, **admin).json()["items"]]

    assert found(q="王") == ["王老师"]
    # An ID number is searched in the body, never in the URL (NFR-1); a GET with one is refused.
    by_id = post(client, "/entries/search", {"q": id_of(world.teacher_a)}, admin).json()["items"]
    assert [e["name"] for e in by_id] == ["王老师"]
    refused = client.get("/api/v1/realname/entries", {"q": id_of(world.teacher_a)}, **admin)
    assert refused.status_code == 400 and refused.json()["code"] == "users.search_by_post"
    assert found(q="l999") == ["李小明"]
    assert found(role="student") == ["李小明"]
    assert found(class_id=world.class_a1.pk) == ["李小明"]
    assert client.get("/api/v1/realname/entries", **bearer(world.school_admin_b)).json()["total"] == 0


def test_names_are_corrected_and_the_verified_person_follows(client, world, teacher_entry):
    verify(client, world.teacher_a, name="王老师", id_number=id_of(world.teacher_a), number="20184300001")
    response = client.patch(f"/api/v1/realname/entries/{teacher_entry['id']}", json.dumps({"name": "王 晓 丽"}),
                            content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 200 and response.json()["name"] == "王晓丽"
    world.teacher_a.person.refresh_from_db()
    assert world.teacher_a.person.name == "王晓丽"
    for blank in (" ", "\u0085"):
        refused = client.patch(f"/api/v1/realname/entries/{teacher_entry['id']}", json.dumps({"name": blank}),
                               content_type="application/json", **bearer(world.school_admin_a))
        assert (refused.status_code, refused.json()["code"]) == (400, "realname.missing_fields")
    other = client.patch(f"/api/v1/realname/entries/{teacher_entry['id']}", json.dumps({"name": "x"}),
                         content_type="application/json", **bearer(world.school_admin_b))
    assert other.status_code == 404


def test_a_wrong_id_number_is_a_new_record_and_the_old_binding_is_removed(client, world):
    """RN-3: never edited; replaced. The verified account is unbound and verifies with the new record."""
    teacher = world.teacher_a
    right_id = id_of(teacher)
    wrong_id = make_id_number(date(1985, 3, 3), sex="F")
    # The school typed the wrong number, and the teacher's account took it on verification.
    teacher.person.id_number_digest = None
    teacher.person.id_number_cipher = None
    teacher.person.save()
    entry = add(client, world.school_admin_a, name="王老师", id_number=wrong_id).json()
    assert verify(client, teacher, name="王老师", id_number=wrong_id).status_code == 201

    response = post(client, f"/entries/{entry['id']}/replace", {"id_number": right_id}, bearer(world.school_admin_a))
    assert response.status_code == 201, response.json()
    replacement = response.json()
    assert replacement["id"] != entry["id"] and replacement["name"] == "王老师"
    old = RegistryEntry.objects.get(pk=entry["id"])
    assert old.retired_at is not None and old.replaced_by_id == replacement["id"]
    assert Binding.objects.get(entry=old).end_reason == "replaced"
    again = post(client, f"/entries/{entry['id']}/replace", {"id_number": right_id}, bearer(world.school_admin_a))
    assert again.json()["code"] == "realname.entry_retired"

    response = verify(client, teacher, name="王老师", id_number=right_id)
    assert response.status_code == 201, response.json()
    teacher.person.refresh_from_db()
    assert teacher.person.reveal_id_number() == right_id


def test_replacing_with_the_same_number_is_refused(client, world, teacher_entry):
    response = post(client, f"/entries/{teacher_entry['id']}/replace", {"id_number": id_of(world.teacher_a)},
                    bearer(world.school_admin_a))
    assert response.json()["code"] == "realname.same_id_number"


def test_full_id_number_reads_are_audited_and_scoped(client, world, teacher_entry):
    path = f"/api/v1/realname/entries/{teacher_entry['id']}/id-number"
    response = client.get(path, **bearer(world.school_admin_a))
    assert response.json()["id_number"] == id_of(world.teacher_a)
    assert AuditEvent.objects.filter(verb="realname.reveal_id_number", target_id=teacher_entry["id"]).count() == 1
    assert client.get(path, **bearer(world.school_admin_b)).status_code == 404
    assert client.get(path, **bearer(world.teacher_a)).status_code == 403


def test_admin_finds_which_account_holds_an_id_number(client, world, teacher_entry):
    verify(client, world.teacher_a, name="王老师", id_number=id_of(world.teacher_a), number="20184300001")
    response = post(client, "/holders", {"id_number": id_of(world.teacher_a)}, bearer(world.school_admin_a))
    assert response.status_code == 200
    assert [(h["account_number"], h["how"]) for h in response.json()] == [(world.teacher_a.number, "verified")]
    assert "*" in response.json()[0]["phone"]
    # Another school's admin learns nothing about the holder.
    elsewhere = post(client, "/holders", {"id_number": id_of(world.teacher_a)}, bearer(world.school_admin_b))
    assert elsewhere.json() == []
    assert AuditEvent.objects.filter(verb="realname.lookup_holder").count() == 2


# ---- Import (RN-1) ----

def upload(client, admin, content: bytes, name="registry.csv"):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post("/api/v1/realname/imports", {"file": handle}, **bearer(admin))


def test_import_adds_rows_says_why_others_did_not_go_in_and_changes_nothing_twice(client, world):
    teacher_id = make_id_number(date(1980, 2, 2))
    student_id = make_id_number(date(2018, 3, 3))
    waiting_id = make_id_number(date(2018, 4, 4))
    elsewhere_id = make_id_number(date(1981, 5, 5))
    add(client, world.school_admin_b, name="孙老师", id_number=elsewhere_id)
    csv = "\n".join([
        "姓名,身份证号,身份,编号,年级,班级",
        f"张老师,{teacher_id},教师,2019430001,,",
        f"钱小二,{student_id},学生,L0001,三年级,1班",
        f"吴小三,{waiting_id},学生,L0002,三年级,7班",
        f"重复,{teacher_id},教师,,,",
        "坏号,430102198001011234,教师,,,",
        f"孙老师,{elsewhere_id},教师,,,",
        f"某人,{make_id_number(date(1982, 1, 1))},家长,,,",
    ]).encode("utf-8")
    response = upload(client, world.school_admin_a, csv)
    assert response.status_code == 200, response.json()
    report = response.json()
    assert (report["created"], report["unchanged"], report["rejected"]) == (3, 0, 4)
    codes = {p["row"]: p["code"] for p in report["problems"]}
    assert codes == {4: "realname.row_class_not_created", 5: "realname.duplicate_in_file",
                     6: "realname.invalid_id_number", 7: "realname.exists_elsewhere", 8: "realname.invalid_role"}
    assert RegistryEntry.objects.get(name="钱小二").school_class == world.class_a1

    again = upload(client, world.school_admin_a, csv).json()
    assert (again["created"], again["unchanged"]) == (0, 3)


def test_import_reads_through_the_hostile_file_screening(client, world):
    response = upload(client, world.school_admin_a, b"\x00\x01\x02binary junk" * 50, name="registry.xlsx")
    assert response.status_code == 400
    assert response.json()["code"] == "import.file_not_spreadsheet"
    assert upload(client, world.teacher_a, b"a,b\n").status_code == 403


def test_import_needs_the_required_columns(client, world):
    response = upload(client, world.school_admin_a, "姓名,身份\n张三,教师\n".encode())
    assert response.json()["code"] == "import.header_missing"


def test_a_new_teacher_of_another_school_is_found_by_the_registry_not_by_the_import(client, world):
    """The seed's admin case 4: an ID at another school is the person's to move, by transfer."""
    teacher = make_teacher(world.school_b, name="孙老师")
    add(client, world.school_admin_b, name="孙老师", id_number=id_of(teacher))
    response = add(client, world.school_admin_a, name="孙老师", id_number=id_of(teacher))
    assert response.json()["who_can_fix"] == "学校管理员"
    assert "转校" in response.json()["message"]


def test_messages_speak_english_on_request(client, world):
    response = post(client, "/verify", {"role": "teacher", "name": "王老师", "id_number": "1"},
                    bearer(world.teacher_a), lang="en")
    assert response.json()["message"].startswith("ID number")
    assert response.json()["who_can_fix"] == "you"


# ---- Isolation (NFR-2): every role of school A / district X against school B's records ----

ROLES_OF_A = ["student_a", "parent_a", "teacher_a", "head_teacher_a", "school_admin_a", "district_admin_x",
              "district_admin_y"]


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_no_role_reaches_another_schools_records_or_applications(client, world, role):
    from renrentong.realname.models import RegistrationApplication

    b_id = id_of(world.teacher_b)
    entry = add(client, world.school_admin_b, name="孙老师", id_number=b_id).json()
    pending = make_account(make_person("钱老师", "F"), school=world.school_b, status=Account.Status.PENDING)
    application = RegistrationApplication.objects.create(account=pending, school=world.school_b)
    headers = bearer(getattr(world, role))
    mine = role == "district_admin_y"  # school B is in district Y: the positive case
    listed = post(client, "/entries/search", {"q": b_id}, headers)
    holders = post(client, "/holders", {"id_number": b_id}, headers)
    answers = [
        client.get(f"/api/v1/realname/entries/{entry['id']}/id-number", **headers),
        client.patch(f"/api/v1/realname/entries/{entry['id']}", json.dumps({"name": "改名"}),
                     content_type="application/json", **headers),
        post(client, f"/entries/{entry['id']}/replace", {"id_number": make_id_number(date(1980, 1, 1))}, headers),
        post(client, f"/applications/{application.pk}/refuse", {"reason": "不是本校教师"}, headers),
    ]
    for response in answers:
        if mine:
            assert response.status_code in (200, 201), response.json()
        else:
            assert response.status_code in (403, 404), response.json()
            assert response.json()["code"] in ("scope.not_found", "realname.not_allowed", "registration.not_allowed")
    if mine:
        assert listed.json()["total"] == 1 and holders.json()[0]["account_number"] == world.teacher_b.number
    elif role in ("school_admin_a", "district_admin_x"):
        assert listed.json()["total"] == 0 and holders.json() == []
    else:
        assert listed.status_code == 403 and holders.status_code == 403
    # No answer carries a full ID number.
    for response in [*answers[1:], listed, holders]:
        assert b_id not in response.content.decode()


def session_for(account: Account):
    from django.test import Client

    from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE

    client = Client()
    client.force_login(account)
    session = client.session
    session[SESSION_IDENTITY] = account.identities.get().pk
    session[SESSION_MUST_CHANGE] = False
    session.save()
    return client


def test_the_import_template_reads_back_through_the_import(world, tmp_path):
    from renrentong.core.spreadsheets import reader
    from renrentong.realname.services import COLUMNS, REQUIRED

    response = session_for(world.school_admin_a).get("/realname/registry/template/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    table = reader.read_table(path, reader.screen_file(path, "template.xlsx"), COLUMNS, REQUIRED)
    assert table.fields == ["name", "id_number", "role", "number", "grade", "class"] and table.rows == []
    denied = session_for(world.teacher_a).get("/realname/registry/template/")
    assert denied.status_code == 403


def test_after_a_transfer_the_record_is_in_the_new_schools_registry(client, world):
    """Seed 003: verify at the school that lists you, then request a school change; once approved the
    new school's registry holds the record (and the old one's no longer does)."""
    teacher = world.teacher_b
    entry = add(client, world.school_admin_b, name="孙老师", id_number=id_of(teacher)).json()
    assert verify(client, teacher, name="孙老师", id_number=id_of(teacher)).status_code == 201
    asked = client.post("/api/v1/school/transfers", json.dumps({"to_school_id": world.school_a.pk}),
                        content_type="application/json", **bearer(teacher))
    assert asked.status_code == 201, asked.json()
    approved = client.post(f"/api/v1/school/transfers/{asked.json()['id']}/approve", json.dumps({}),
                           content_type="application/json", **bearer(world.school_admin_a))
    assert approved.status_code == 200, approved.json()
    moved = RegistryEntry.objects.get(pk=entry["id"])
    assert moved.school == world.school_a
    found = post(client, "/entries/search", {"q": id_of(teacher)}, bearer(world.school_admin_a)).json()
    assert [e["id"] for e in found["items"]] == [entry["id"]] and found["items"][0]["verified_by"] == teacher.number
    assert client.get("/api/v1/realname/entries", **bearer(world.school_admin_b)).json()["total"] == 0
