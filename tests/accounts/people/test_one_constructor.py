"""Every way people come onto the platform makes them the same way (issue 11 item 5, ACC-2..4): an
import, adding a user, registration and the demo all seal the ID number (ciphertext, digest and masked
form, nothing in clear), store the name normalised, and issue the initial password the school's rule
for the role gives (a new region draws random ones, so does everything that makes people in it)."""

from __future__ import annotations

import json
from datetime import date

from django.core.management import call_command

from renrentong.accounts.models import Account, Person
from renrentong.core.crypto import id_number_digest

from tests.factories import bearer, make_id_number, make_phone, use_derived_initial_rules
from tests.roster_files import commit, csv_file, preview
from tests.verification_helpers import last_code


def assert_sealed(person: Person, id_number: str) -> None:
    assert person.id_number_digest == id_number_digest(id_number)
    assert person.id_number_cipher and id_number.encode() not in bytes(person.id_number_cipher)
    assert "*" in person.id_number_masked and person.id_number_masked != id_number
    assert person.reveal_id_number() == id_number
    assert person.birth_date == date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def login(client, identifier: str, password: str):
    return client.post("/api/v1/auth/login", json.dumps({"identifier": identifier, "password": password}),
                       content_type="application/json")


def import_student(client, world, id_number: str, name: str) -> Account:
    admin = bearer(world.school_admin_a)
    job = preview(client, admin, csv_file([[name, "男", id_number, "三年级", "1班", "", "", "", "", "", ""]]))
    assert commit(client, admin, job["id"])["status"] == "committed"
    return Account.objects.select_related("person").get(person__id_number_digest=id_number_digest(id_number))


def add_student(client, world, id_number: str, name: str) -> tuple[Account, str]:
    added = client.post("/api/v1/school/users", json.dumps({"kind": "student", "name": name, "sex": "M",
                                                            "id_number": id_number}),
                        content_type="application/json", **bearer(world.school_admin_a))
    assert added.status_code == 201, added.content
    account = Account.objects.select_related("person").get(person__id_number_digest=id_number_digest(id_number))
    return account, added.json()["initial_password"]


def test_an_import_and_adding_a_user_seal_the_id_number_and_draw_random_initial_passwords(client, world):
    imported_id, added_id = make_id_number(date(2018, 3, 3)), make_id_number(date(2018, 4, 4), sex="F")
    imported = import_student(client, world, imported_id, "赵 一")
    added, password = add_student(client, world, added_id, "赵 二")
    for account, id_number, name in ((imported, imported_id, "赵一"), (added, added_id, "赵二")):
        assert_sealed(account.person, id_number)
        assert account.person.name == name
        assert account.initial_password_rule == "random"
    assert password and password != f"Pw{added.number[-6:]}@"
    assert login(client, added.number, password).status_code == 200


def test_an_import_and_adding_a_user_follow_a_region_that_chose_derived_rules(client, world):
    use_derived_initial_rules(world.province)
    imported = import_student(client, world, make_id_number(date(2018, 5, 5)), "钱一")
    added, password = add_student(client, world, make_id_number(date(2018, 6, 6)), "钱二")
    assert {imported.initial_password_rule, added.initial_password_rule} == {"pw_account_last6"}
    assert password == f"Pw{added.number[-6:]}@"
    assert login(client, imported.number, f"Pw{imported.number[-6:]}@").status_code == 200


def test_registration_seals_the_id_number_and_keeps_the_chosen_password(client, world):
    id_number, phone, password = make_id_number(date(1990, 2, 2), sex="F"), make_phone(), "Teach#2026ok"
    sent = client.post("/api/v1/realname/registration/code", json.dumps({"phone": phone}),
                       content_type="application/json", REMOTE_ADDR="10.3.3.4")
    assert sent.status_code == 201, sent.content
    body = {"school": world.school_a.code, "account_name": "sunlaoshi01", "name": "孙 丽", "id_number": id_number,
            "phone": phone, "password": password, "repeat_password": password, "token": sent.json()["token"],
            "code": last_code(phone)}
    response = client.post("/api/v1/realname/registration", json.dumps(body), content_type="application/json",
                           REMOTE_ADDR="10.3.3.4")
    assert response.status_code == 201, response.content
    account = Account.objects.select_related("person").get(number="sunlaoshi01")
    assert_sealed(account.person, id_number)
    assert account.person.name == "孙丽"
    assert account.initial_password_digest == "" and account.check_password(password)
    assert account.status == Account.Status.PENDING


def test_the_demo_seals_id_numbers_like_the_others_and_issues_initial_passwords_by_rule(db):
    call_command("load_demo", "--scale", "0.05", "--random-initial-passwords")
    student = Account.objects.filter(identities__kind="student").select_related("person").first()
    person = student.person
    assert_sealed(person, person.reveal_id_number())
    assert person.national_student_number_masked and person.reveal_national_student_number() == \
        "G" + person.reveal_id_number()
    assert student.initial_password_rule == "random"
