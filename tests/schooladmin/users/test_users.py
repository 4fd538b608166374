"""School users through the API (ACC-5, ADM-1, ADM-3, ADM-4, ADM-7, HELP-1, NFR-2): the user tables,
add and edit, freeze, leave school, the recycle bin and its retention period, removal from a class,
batch class changes, the audit record of each, and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity, TeachingAssignment
from renrentong.core.errors import UserFacingError
from renrentong.core.models import AuditEvent
from renrentong.orgs.models import Policy
from renrentong.orgs.policy import policy_changed
from renrentong.schooladmin.users import services as users
from tests.factories import (
    bearer, make_account, make_class, make_id_number, make_person, make_phone, make_student, use_derived_initial_rules,
)

API = "/api/v1/school"


def get(client, account, url, **params):
    return client.get(f"{API}{url}", params, **bearer(account))


def post(client, account, url, body=None):
    return client.post(f"{API}{url}", body or {}, content_type="application/json", **bearer(account))


def login(client, account, password=None):
    password = password or f"Pw{account.number[-6:]}@"
    return client.post("/api/v1/auth/login", {"identifier": account.number, "password": password},
                       content_type="application/json")


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def code_of(response):
    return response.status_code, response.json()["code"]


# The tables (ADM-1, ADM-7) --------------------------------------------------------------------------------------

def test_student_table_lists_the_schools_students_with_classes_and_masked_numbers(client, world):
    world.student_a.phone = "13712345678"
    world.student_a.save()
    response = get(client, world.school_admin_a, "/users")
    assert sorted(names(response)) == ["周小刚", "李小明"]  # not school B's 陈小红
    row = next(i for i in response.json()["items"] if i["name"] == "李小明")
    assert row["phone_masked"] == "137****5678"
    assert "*" in row["id_number_masked"] and len(row["id_number_masked"]) == 18
    assert row["class_id"] == world.class_a1.pk and row["class_name"]
    assert "13712345678" not in response.content.decode()


def test_teacher_and_parent_tables(client, world):
    teachers = get(client, world.school_admin_a, "/users", kind="teacher")
    assert sorted(names(teachers)) == ["刘班主任", "王老师"]
    wang = next(i for i in teachers.json()["items"] if i["name"] == "王老师")
    assert wang["details"] and "数学" in wang["details"][0]
    parents = get(client, world.school_admin_a, "/users", kind="parent")
    assert names(parents) == ["李大明"]
    assert parents.json()["items"][0]["details"] == ["李小明"]


@pytest.mark.parametrize("query", ["小明", "name", "number", "phone", "local", "national", "id"])
def test_search_by_name_account_phone_student_and_id_number(client, world, query):
    person = world.student_a.person
    person.local_student_number = "L20240001"
    person.set_national_student_number("G430102201505170011")
    id_number = make_id_number()
    person.set_id_number(id_number)
    person.save()
    world.student_a.phone = "13912345678"
    world.student_a.save()
    q = {"小明": "小明", "name": "李小明", "number": world.student_a.number, "phone": "13912345678",
         "local": "L20240001", "national": "g430102201505170011", "id": id_number}[query]
    # Phones and ID numbers are searched with the query in the body, never in the URL (NFR-1).
    assert names(post(client, world.school_admin_a, "/users/search", {"q": q})) == ["李小明"]
    if query in ("phone", "national", "id"):
        refused = get(client, world.school_admin_a, "/users", q=q)
        assert code_of(refused) == (400, "users.search_by_post") and "POST /api/v1/school/users/search" in \
            refused.json()["message"]
    else:
        assert names(get(client, world.school_admin_a, "/users", q=q)) == ["李小明"]


def test_search_folds_full_width_and_spaces(client, world):
    number = world.student_a2.number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert names(get(client, world.school_admin_a, "/users", q=f" {number} ")) == ["周小刚"]


def test_paging(client, world):
    for i in range(5):
        make_student(world.class_a2, f"学生{i}")
    first = get(client, world.school_admin_a, "/users", page_size=3)
    body = first.json()
    assert (body["total"], body["pages"], body["page"], len(body["items"])) == (7, 3, 1, 3)
    seen = [n for page in (1, 2, 3) for n in names(get(client, world.school_admin_a, "/users", page_size=3, page=page))]
    assert len(seen) == 7 and len(set(seen)) == 7
    last = get(client, world.school_admin_a, "/users", page_size=3, page=99).json()
    assert last["page"] == 3  # past the end shows the last page


def test_class_filter_and_the_pool(client, world):
    assert names(get(client, world.school_admin_a, "/users", class_id=world.class_a2.pk)) == ["周小刚"]
    Enrollment.objects.filter(person=world.student_a2.person).update(ended_on="2026-09-01")
    assert names(get(client, world.school_admin_a, "/users", class_id="pool")) == ["周小刚"]


def test_only_school_admins_manage_users(client, world):
    for account in (world.teacher_a, world.student_a, world.parent_a):
        assert code_of(get(client, account, "/users")) == (403, "users.not_allowed")
        assert code_of(post(client, account, f"/users/{world.student_a2.pk}/freeze")) == (403, "users.not_allowed")


def test_region_admins_read_schools_below_them_only(client, world):
    assert code_of(get(client, world.district_admin_x, "/users")) == (400, "users.school_required")
    assert sorted(names(get(client, world.district_admin_x, "/users", school_id=world.school_a.pk))) == [
        "周小刚", "李小明"]
    assert code_of(get(client, world.district_admin_y, "/users", school_id=world.school_a.pk)) == (
        404, "users.not_found")
    assert code_of(get(client, world.school_admin_b, "/users", school_id=world.school_a.pk)) == (
        404, "users.not_found")


# Adding and editing ---------------------------------------------------------------------------------------------

def test_add_a_student_into_a_class_who_can_then_log_in(client, world):
    id_number = make_id_number(sex="F")
    response = post(client, world.school_admin_a, "/users", {
        "kind": "student", "name": " 王 小 花 ", "sex": "女", "id_number": id_number, "class_id": world.class_a1.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    account = Account.objects.get(pk=body["account_id"])
    assert account.person.name == "王小花" and account.home_school == world.school_a
    assert account.person.school_id == world.school_a.pk  # the person's row lives with its school
    # A new region draws random initial passwords (issue 10), shown once to the admin who adds the user.
    assert 8 <= len(body["number"]) <= 9 and len(body["initial_password"]) == 10
    assert body["initial_password"] != f"Pw{body['number'][-6:]}@"
    assert Enrollment.objects.get(person=account.person, ended_on=None).school_class == world.class_a1
    assert login(client, account, body["initial_password"]).status_code == 200
    assert AuditEvent.objects.filter(verb="users.create", target_id=account.pk, school_id=world.school_a.pk).exists()


def test_add_a_teacher_and_a_parent(client, world):
    teacher = post(client, world.school_admin_a, "/users",
                   {"kind": "teacher", "name": "钱老师", "sex": "M", "phone": "13712340001"})
    assert teacher.status_code == 201 and len(teacher.json()["initial_password"]) == 10  # random, not "340001"
    parent = post(client, world.school_admin_a, "/users", {
        "kind": "parent", "name": "周妈妈", "phone": "13712340002", "child_account_id": world.student_a2.pk,
        "relation": "mother"})
    assert parent.status_code == 201, parent.content
    account = Account.objects.get(pk=parent.json()["account_id"])
    link = Guardianship.objects.get(guardian=account.person)
    # The school's own link: this parent sets the child's password for good (issue 10 #2).
    assert link.student == world.student_a2.person and link.added_by_school
    assert "周妈妈" in names(get(client, world.school_admin_a, "/users", kind="parent"))


def test_a_teachers_phone_added_as_parent_gains_the_identity_not_a_second_account(client, world):
    """ACC-1, ACC-8: one login, several identities; one phone is one account."""
    response = post(client, world.school_admin_a, "/users", {
        "kind": "parent", "name": "王老师", "phone": world.teacher_a.phone, "child_account_id": world.student_a2.pk})
    assert response.status_code == 201 and response.json() == {
        "account_id": world.teacher_a.pk, "number": world.teacher_a.number, "initial_password": ""}
    assert set(world.teacher_a.identities.values_list("kind", flat=True)) == {"teacher", "guardian"}


def test_an_account_without_a_school_added_by_phone_takes_this_school_with_its_person(client, world):
    """A parent account with no home school yet (made by a region) gets the adding school's, and the person's row
    follows it (its school_id is where its rows live: docs/scaling.md)."""
    homeless = make_account(make_person("赵爸爸", "M", id_number=None), phone=make_phone(), rule="pw_phone_last6")
    Identity.objects.create(account=homeless, kind=Identity.Kind.GUARDIAN)
    response = post(client, world.school_admin_a, "/users", {
        "kind": "parent", "name": "赵爸爸", "phone": homeless.phone, "child_account_id": world.student_a2.pk})
    assert response.status_code == 201 and response.json()["account_id"] == homeless.pk
    homeless = Account.objects.select_related("person").get(pk=homeless.pk)
    assert homeless.home_school_id == homeless.person.school_id == world.school_a.pk


def test_a_siblings_parent_phone_links_the_second_child_to_the_same_account(client, world):
    """ACC-3: children who share a parent phone appear under one parent account."""
    response = post(client, world.school_admin_a, "/users", {
        "kind": "parent", "name": "李大明", "phone": world.parent_a.phone, "child_account_id": world.student_a2.pk})
    assert response.status_code == 201 and response.json()["account_id"] == world.parent_a.pk
    assert set(Guardianship.objects.filter(guardian=world.parent_a.person).values_list("student_id", flat=True)) == {
        world.student_a.person_id, world.student_a2.person_id}
    assert world.parent_a.identities.filter(kind="guardian").count() == 1
    teacher_again = post(client, world.school_admin_a, "/users", {
        "kind": "teacher", "name": "王老师", "sex": "F", "phone": world.teacher_a.phone})
    assert code_of(teacher_again) == (409, "users.phone_taken")


@pytest.mark.parametrize("body, expected", [
    ({"kind": "student", "name": "", "sex": "M"}, (400, "users.missing_name")),
    ({"kind": "student", "name": "甲", "sex": "X"}, (400, "users.invalid_sex")),
    ({"kind": "student", "name": "甲", "sex": "M", "id_number": "430102201505170010"}, (400, "users.invalid_id_number")),
    ({"kind": "teacher", "name": "甲", "sex": "M"}, (400, "users.phone_required")),
    ({"kind": "teacher", "name": "甲", "sex": "M", "phone": "12345"}, (400, "users.invalid_phone")),
    ({"kind": "parent", "name": "甲", "phone": "13712340009"}, (400, "users.child_required")),
    ({"kind": "student", "name": "甲", "sex": "M", "class_id": 999999}, (404, "users.class_not_found")),
    # Name and ID number typed into each other's fields (issue 10 #10).
    ({"kind": "student", "name": "430102201505170013", "sex": "M", "id_number": "王小明"}, (400, "users.name_id_swapped")),
])
def test_add_refusals_name_the_cause(client, world, body, expected):
    assert code_of(post(client, world.school_admin_a, "/users", body)) == expected
    assert not AuditEvent.objects.filter(verb="users.create").exists()


def test_add_refuses_a_known_id_number_and_a_phone_taken_by_a_student(client, world):
    id_number = make_id_number()
    world.student_b.person.set_id_number(id_number)
    world.student_b.person.save()
    response = post(client, world.school_admin_a, "/users", {"kind": "student", "name": "甲", "sex": "M",
                                                             "id_number": id_number})
    assert code_of(response) == (409, "users.id_number_taken")
    assert "陈*红" in response.json()["message"] and "天心第一小学" in response.json()["message"]
    world.student_b.phone = "13712340003"
    world.student_b.save()
    response = post(client, world.school_admin_a, "/users", {"kind": "teacher", "name": "甲", "sex": "M",
                                                             "phone": "13712340003"})
    assert code_of(response) == (409, "users.phone_is_student")


def test_parent_child_must_be_this_schools_student(client, world):
    response = post(client, world.school_admin_a, "/users", {
        "kind": "parent", "name": "甲", "phone": "13712340004", "child_account_id": world.student_b.pk})
    assert code_of(response) == (404, "users.not_found")


def test_edit_name_sex_and_phone(client, world):
    use_derived_initial_rules(world.province)
    response = client.patch(f"{API}/users/{world.teacher_a.pk}", {"name": "王 老师", "phone": "13712340005"},
                            content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 200, response.content
    world.teacher_a.refresh_from_db()
    assert (world.teacher_a.person.name, world.teacher_a.phone) == ("王老师", "13712340005")
    event = AuditEvent.objects.get(verb="users.update")
    # The teacher never logged in and her initial password was her phone's last six: it follows the phone.
    assert event.details == {"changes": "phone", "initial_password_reissued": "phone_last6"}
    assert response.json()["initial_password"] == "340005"
    taken = client.patch(f"{API}/users/{world.teacher_a.pk}", {"phone": world.head_teacher_a.phone},
                         content_type="application/json", **bearer(world.school_admin_a))
    assert code_of(taken) == (409, "users.phone_taken")
    cleared = client.patch(f"{API}/users/{world.teacher_a.pk}", {"phone": ""},
                           content_type="application/json", **bearer(world.school_admin_a))
    assert code_of(cleared) == (400, "users.phone_required")


# States (ACC-5) --------------------------------------------------------------------------------------------------

def test_freeze_stops_login_and_tokens_and_unfreeze_restores(client, world):
    token = bearer(world.student_a)
    assert client.get("/api/v1/me", **token).status_code == 200
    response = post(client, world.school_admin_a, f"/users/{world.student_a.pk}/freeze")
    assert response.status_code == 200 and response.json()["status"] == "frozen"
    assert client.get("/api/v1/me", **token).status_code == 401
    refused = login(client, world.student_a)
    assert code_of(refused) == (403, "login.frozen")
    assert refused.json()["who_can_fix"] == "学校管理员"
    assert code_of(post(client, world.school_admin_a, f"/users/{world.student_a.pk}/freeze")) == (
        409, "users.wrong_state")
    assert post(client, world.school_admin_a, f"/users/{world.student_a.pk}/unfreeze").json()["status"] == "active"
    assert login(client, world.student_a).status_code == 200
    assert list(AuditEvent.objects.filter(target_id=world.student_a.pk, verb__startswith="users.").values_list(
        "verb", flat=True).order_by("pk")) == ["users.freeze", "users.unfreeze"]


def test_a_student_who_leaves_loses_the_class_and_comes_back_to_the_pool(client, world):
    response = post(client, world.school_admin_a, f"/users/{world.student_a.pk}/leave")
    assert response.json()["status"] == "left"
    ended = Enrollment.objects.get(person=world.student_a.person)
    assert ended.ended_on is not None and ended.reason == "left"
    assert code_of(login(client, world.student_a)) == (403, "login.left_school")
    assert names(get(client, world.school_admin_a, "/users", state="left")) == ["李小明"]
    assert post(client, world.school_admin_a, f"/users/{world.student_a.pk}/reinstate").json()["status"] == "active"
    assert names(get(client, world.school_admin_a, "/users", class_id="pool")) == ["李小明"]


def test_a_teacher_who_leaves_loses_classes_recorded_in_the_audit(client, world):
    post(client, world.school_admin_a, f"/users/{world.teacher_a.pk}/leave")
    assert not TeachingAssignment.objects.filter(teacher__account=world.teacher_a).exists()
    event = AuditEvent.objects.get(verb="users.leave")
    assert event.details["teaching"] == [[world.class_a1.pk, "数学"]]


def test_parents_do_not_leave_school(client, world):
    assert code_of(post(client, world.school_admin_a, f"/users/{world.parent_a.pk}/leave")) == (
        409, "users.left_not_for_parents")


def test_delete_keeps_every_link_and_restore_brings_back_the_state(client, world):
    student = world.student_a
    post(client, world.school_admin_a, f"/users/{student.pk}/freeze")
    response = post(client, world.school_admin_a, f"/users/{student.pk}/delete")
    assert response.json()["status"] == "deleted"
    assert "李小明" not in names(get(client, world.school_admin_a, "/users"))
    binned = get(client, world.school_admin_a, "/recycle-bin")
    assert names(binned) == ["李小明"] and binned.json()["items"][0]["restorable_by_school_until"]
    # Every link is intact: enrollment, identity, guardianship.
    assert Enrollment.objects.get(person=student.person, ended_on=None).school_class == world.class_a1
    assert student.identities.filter(kind="student").exists()
    assert Guardianship.objects.filter(student=student.person).exists()
    refused = login(client, student)
    assert code_of(refused) == (403, "login.deleted") and "学校管理员" in refused.json()["message"]
    restored = post(client, world.school_admin_a, f"/users/{student.pk}/restore")
    assert restored.json()["status"] == "frozen"  # the state it had before the delete
    assert names(get(client, world.school_admin_a, "/recycle-bin")) == []


def set_retention(school, days):
    Policy.objects.update_or_create(school=school, defaults={"values": {"recycle_retention_days": days}})
    policy_changed()


def test_after_the_retention_period_only_the_province_admin_restores(client, world):
    set_retention(world.school_a, 7)
    post(client, world.school_admin_a, f"/users/{world.teacher_a.pk}/delete")
    Account.objects.filter(pk=world.teacher_a.pk).update(
        status_changed_at=Account.objects.get(pk=world.teacher_a.pk).status_changed_at - timedelta(days=8))
    refused = post(client, world.school_admin_a, f"/users/{world.teacher_a.pk}/restore")
    assert code_of(refused) == (403, "users.retention_passed")
    assert "7" in refused.json()["message"] and refused.json()["who_can_fix"] == "省级管理员"
    message = login(client, world.teacher_a, world.teacher_a.phone[-6:]).json()["message"]
    assert "省级管理员" in message
    for admin in (world.district_admin_x, world.city_admin):
        assert code_of(client.post(f"{API}/users/{world.teacher_a.pk}/restore?school_id={world.school_a.pk}",
                                   **bearer(admin))) == (403, "users.restore_not_allowed")
    restored = client.post(f"{API}/users/{world.teacher_a.pk}/restore?school_id={world.school_a.pk}",
                           **bearer(world.province_admin))
    assert restored.status_code == 200 and restored.json()["status"] == "active"
    assert AuditEvent.objects.filter(verb="users.restore", actor_account=world.province_admin).exists()


def test_whole_account_guards(client, world):
    assert code_of(post(client, world.school_admin_a, f"/users/{world.school_admin_a.pk}/delete")) in (
        (403, "users.cannot_change_self"), (404, "users.not_found"))
    # A teacher of this school who is also a school admin.
    Identity.objects.create(account=world.teacher_a, kind="school_admin", school=world.school_a)
    assert code_of(post(client, world.school_admin_a, f"/users/{world.teacher_a.pk}/delete")) == (
        403, "users.is_admin")
    # A teacher of this school who also teaches at school B.
    Identity.objects.create(account=world.head_teacher_a, kind="teacher", school=world.school_b)
    assert code_of(post(client, world.school_admin_a, f"/users/{world.head_teacher_a.pk}/freeze")) == (
        403, "users.elsewhere")
    # A parent whose other child is at school B.
    Guardianship.objects.create(guardian=world.parent_a.person, student=world.student_b.person)
    assert code_of(post(client, world.school_admin_a, f"/users/{world.parent_a.pk}/delete")) == (
        403, "users.elsewhere")
    assert world.parent_a.__class__.objects.get(pk=world.parent_a.pk).status == "active"


@pytest.mark.parametrize("action", ["freeze", "unfreeze", "leave", "reinstate", "delete", "restore"])
def test_other_schools_users_are_not_found(client, world, action):
    for target in (world.student_b, world.teacher_b, world.parent_b):
        assert code_of(post(client, world.school_admin_a, f"/users/{target.pk}/{action}")) == (404, "users.not_found")
    assert code_of(get(client, world.school_admin_a, f"/users/{world.student_b.pk}")) == (404, "users.not_found")
    assert Account.objects.get(pk=world.student_b.pk).status == "active"


def test_get_one_user_with_all_its_kinds(client, world):
    Identity.objects.create(account=world.teacher_a, kind="guardian")
    Guardianship.objects.create(guardian=world.teacher_a.person, student=world.student_a2.person)
    body = get(client, world.school_admin_a, f"/users/{world.teacher_a.pk}").json()
    assert body["kinds"] == ["parent", "teacher"] and body["name"] == "王老师"


# Classes: removal and batch change (ADM-3, ADM-4) -----------------------------------------------------------------

def test_head_teacher_removes_a_student_from_their_class_into_the_pool(client, world):
    members = get(client, world.head_teacher_a, f"/classes/{world.class_a1.pk}/students")
    assert [s["name"] for s in members.json()["students"]] == ["李小明"]
    response = post(client, world.head_teacher_a, f"/classes/{world.class_a1.pk}/remove",
                    {"account_ids": [world.student_a.pk]})
    assert response.status_code == 200 and response.json() == {"count": 1}
    row = Enrollment.objects.get(person=world.student_a.person)
    assert row.ended_on is not None and row.reason == "removed_from_class"
    assert world.student_a.identities.get(kind="student").school == world.school_a  # still at the school
    assert names(get(client, world.school_admin_a, "/users", class_id="pool")) == ["李小明"]
    assert AuditEvent.objects.filter(verb="users.remove_from_class", target_id=world.student_a.pk,
                                     actor_account=world.head_teacher_a).exists()


def test_head_teacher_only_in_their_own_class(client, world):
    # A class they neither head nor teach: not found; a class they only teach: refused.
    assert code_of(post(client, world.head_teacher_a, f"/classes/{world.class_a2.pk}/remove",
                        {"account_ids": [world.student_a2.pk]})) == (404, "users.class_not_found")
    assert code_of(post(client, world.teacher_a, f"/classes/{world.class_a1.pk}/remove",
                        {"account_ids": [world.student_a.pk]})) == (403, "users.remove_not_allowed")
    assert code_of(post(client, world.head_teacher_a, f"/classes/{world.class_b1.pk}/remove",
                        {"account_ids": [world.student_b.pk]})) == (404, "users.class_not_found")
    # Another class's student, named in the head teacher's own class.
    assert code_of(post(client, world.head_teacher_a, f"/classes/{world.class_a1.pk}/remove",
                        {"account_ids": [world.student_a2.pk]})) == (404, "users.not_found")
    assert code_of(post(client, world.head_teacher_a, f"/classes/{world.class_a1.pk}/remove",
                        {"account_ids": [world.student_b.pk]})) == (404, "users.not_found")
    assert Enrollment.objects.filter(ended_on__isnull=False).count() == 0


def test_head_teachers_cannot_change_classes_in_bulk_or_add_users(client, world):
    body = {"account_ids": [world.student_a.pk], "class_id": world.class_a2.pk}
    assert code_of(post(client, world.head_teacher_a, "/class-change", body)) == (403, "users.bulk_not_allowed")
    assert code_of(post(client, world.head_teacher_a, "/users", {"kind": "student", "name": "甲", "sex": "M"})) == (
        403, "users.not_allowed")


def test_batch_class_change_moves_all_with_history_rows(client, world):
    pooled = make_student(world.class_a1, "吴小军")
    Enrollment.objects.filter(person=pooled.person).update(ended_on="2026-09-01", reason="removed_from_class")
    body = {"account_ids": [world.student_a.pk, pooled.pk], "class_id": world.class_a2.pk}
    response = post(client, world.school_admin_a, "/class-change", body)
    assert response.status_code == 200 and response.json() == {"count": 2}
    for account in (world.student_a, pooled):
        now = Enrollment.objects.get(person=account.person, ended_on=None)
        assert (now.school_class, now.reason) == (world.class_a2, "class_change")
    old = Enrollment.objects.get(person=world.student_a.person, school_class=world.class_a1)
    assert old.ended_on is not None and old.reason == "class_change"
    assert AuditEvent.objects.filter(verb="users.class_change").count() == 2


def test_batch_class_change_is_all_or_nothing(client, world):
    body = {"account_ids": [world.student_a.pk, world.student_a2.pk], "class_id": world.class_a2.pk}
    response = post(client, world.school_admin_a, "/class-change", body)
    assert code_of(response) == (409, "users.already_in_class") and "周小刚" in response.json()["message"]
    assert Enrollment.objects.get(person=world.student_a.person, ended_on=None).school_class == world.class_a1
    other = {"account_ids": [world.student_a.pk, world.student_b.pk], "class_id": world.class_a2.pk}
    assert code_of(post(client, world.school_admin_a, "/class-change", other)) == (404, "users.not_found")
    into_b = {"account_ids": [world.student_a.pk], "class_id": world.class_b1.pk}
    assert code_of(post(client, world.school_admin_a, "/class-change", into_b)) == (404, "users.class_not_found")
    assert Enrollment.objects.filter(ended_on__isnull=False).count() == 0
    assert code_of(post(client, world.school_admin_a, "/class-change", {"account_ids": [], "class_id": 1})) == (
        400, "request.invalid")


def test_class_change_refuses_graduated_classes_and_left_students(client, world):
    old = make_class(world.school_a, 1, enrollment_year=2018)
    body = {"account_ids": [world.student_a.pk], "class_id": old.pk}
    assert code_of(post(client, world.school_admin_a, "/class-change", body)) == (409, "users.class_graduated")
    post(client, world.school_admin_a, f"/users/{world.student_a.pk}/leave")
    body = {"account_ids": [world.student_a.pk], "class_id": world.class_a2.pk}
    assert code_of(post(client, world.school_admin_a, "/class-change", body)) == (409, "users.student_not_active")


def test_classes_list_for_the_school(client, world):
    make_class(world.school_a, 1, enrollment_year=2018)  # graduated: not offered
    body = get(client, world.school_admin_a, "/classes").json()
    assert [c["id"] for c in body] == [world.class_a1.pk, world.class_a2.pk]


def test_english_messages_on_request(client, world):
    response = client.post(f"{API}/users/{world.student_b.pk}/freeze", HTTP_ACCEPT_LANGUAGE="en",
                           **bearer(world.school_admin_a))
    assert response.json()["message"].startswith("No such user")
    assert response.json()["who_can_fix"] == "the school admin"


# Validators (property tests) --------------------------------------------------------------------------------

@given(st.text(max_size=30))
def test_clean_phone_returns_only_valid_mobiles(value):
    from renrentong.core.text import is_valid_mobile

    try:
        phone = users.clean_phone(value, required=False)
    except UserFacingError as exc:
        assert exc.code == "users.invalid_phone"
    else:
        assert phone is None or is_valid_mobile(phone)


@given(st.text(max_size=6))
def test_clean_sex_gives_m_or_f(value):
    try:
        assert users.clean_sex(value) in ("M", "F")
    except UserFacingError as exc:
        assert exc.code == "users.invalid_sex"


@given(st.text(max_size=80))
def test_clean_name_is_short_trimmed_and_idempotent(value):
    try:
        name = users.clean_name(value)
    except UserFacingError as exc:
        assert exc.code in ("users.missing_name", "users.name_too_long")
    else:
        assert 1 <= len(name) <= users.NAME_LIMIT and users.clean_name(name) == name and " " not in name


@given(st.text(max_size=70))
def test_any_search_text_builds_a_filter(value):
    found = users.search_filter(value)
    assert found is None or found.connector == "OR"


def test_search_with_odd_text_answers_200(client, world):
    for q in ("%", "_", "'; drop table", "\x00", "李" * 64, "430102201505170010"):
        assert post(client, world.school_admin_a, "/users/search", {"q": q}).status_code == 200


def test_invalid_filters_are_400(client, world):
    assert code_of(get(client, world.school_admin_a, "/users", kind="admin")) == (400, "request.invalid")
    assert code_of(get(client, world.school_admin_a, "/users", class_id="x")) == (400, "request.invalid")
    assert code_of(get(client, world.school_admin_a, "/users", page=0)) == (400, "request.invalid")



# Issue 10: a deleted parent's phone re-added, and an untouched parent account whose phone changes.

def test_a_deleted_parents_phone_added_again_points_to_the_recycle_bin(client, world):
    assert post(client, world.school_admin_a, f"/users/{world.parent_a.pk}/delete").status_code == 200
    response = post(client, world.school_admin_a, "/users", {
        "kind": "parent", "name": "重新添加", "phone": world.parent_a.phone,
        "child_account_id": world.student_a2.pk})
    assert code_of(response) == (409, "users.phone_in_recycle_bin")
    body = response.json()
    assert "回收站" in body["message"] and "恢复" in body["message"] and world.parent_a.number in body["message"]
    assert body["who_can_fix"] == "学校管理员"
    # The way it names works: restore, then the same add links the child to the same account.
    assert post(client, world.school_admin_a, f"/users/{world.parent_a.pk}/restore").status_code == 200
    again = post(client, world.school_admin_a, "/users", {
        "kind": "parent", "name": "重新添加", "phone": world.parent_a.phone,
        "child_account_id": world.student_a2.pk})
    assert again.status_code == 201 and again.json()["account_id"] == world.parent_a.pk


def test_past_the_retention_period_the_recycle_bin_phone_names_the_province_admin(client, world):
    from datetime import timedelta

    from django.utils import timezone

    post(client, world.school_admin_a, f"/users/{world.parent_a.pk}/delete")
    Account.objects.filter(pk=world.parent_a.pk).update(status_changed_at=timezone.now() - timedelta(days=40))
    response = post(client, world.school_admin_a, "/users", {
        "kind": "parent", "name": "重新添加", "phone": world.parent_a.phone, "child_account_id": world.student_a.pk})
    assert code_of(response) == (409, "users.phone_in_recycle_bin_expired")
    assert response.json()["who_can_fix"] == "省级管理员"


def test_another_schools_deleted_parent_is_only_a_taken_phone(client, world):
    post(client, world.school_admin_b, f"/users/{world.parent_b.pk}/delete")
    response = post(client, world.school_admin_a, "/users", {
        "kind": "parent", "name": "甲", "phone": world.parent_b.phone, "child_account_id": world.student_a.pk})
    assert code_of(response) == (409, "users.phone_taken")


def test_an_untouched_parents_phone_change_reissues_the_initial_password(client, world):
    from renrentong.accounts.passwords.services import matches_initial

    use_derived_initial_rules(world.province)
    parent = world.parent_a
    old = parent.phone
    assert matches_initial(parent, f"Pw{old[-6:]}@")
    response = client.patch(f"{API}/users/{parent.pk}", {"phone": "13712348765"},
                            content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 200 and response.json()["initial_password"] == "Pw348765@"
    parent.refresh_from_db()
    assert not matches_initial(parent, f"Pw{old[-6:]}@") and matches_initial(parent, "Pw348765@")
    login = client.post("/api/v1/auth/login", {"identifier": "13712348765", "password": f"Pw{old[-6:]}@"},
                        content_type="application/json")
    assert login.status_code != 200


def test_a_parent_who_chose_a_password_keeps_it_when_the_phone_changes(client, world):
    parent = world.parent_a
    parent.set_password("Qz7vLm2pRt")
    parent.initial_password_digest = ""
    parent.save()
    response = client.patch(f"{API}/users/{parent.pk}", {"phone": "13712348766"},
                            content_type="application/json", **bearer(world.school_admin_a))
    assert response.json()["initial_password"] == ""
    parent.refresh_from_db()
    assert parent.check_password("Qz7vLm2pRt")


def test_a_random_rule_school_issues_a_new_random_password_on_phone_change(client, world):
    from renrentong.accounts.passwords.services import matches_initial
    from renrentong.orgs.models import Policy
    from renrentong.orgs.policy import policy_changed

    Policy.objects.create(school=world.school_a, values={"parent_initial_rule": "random"})
    policy_changed()
    response = client.patch(f"{API}/users/{world.parent_a.pk}", {"phone": "13712348767"},
                            content_type="application/json", **bearer(world.school_admin_a))
    password = response.json()["initial_password"]
    world.parent_a.refresh_from_db()
    assert len(password) == 10 and matches_initial(world.parent_a, password)
    assert world.parent_a.initial_password_rule == "random"
