"""Issue 10, items 9 and 10, through the API and pages: a sex that contradicts the ID number, a transfer in
that moves the account, messages on move and transfer rows, a name with a space flagged, and the
export, edit, import again round trip keyed by the account number."""

from __future__ import annotations

import io
from datetime import date

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity, Person
from renrentong.accounts.passwords.services import issue_initial_password
from renrentong.orgs.policy import EffectivePolicy

from tests.factories import bearer, make_id_number, make_phone
from tests.roster_files import commit, csv_file, preview, rows_of
from tests.roster_files import grade_of, row
from tests.factories import as_user


@pytest.fixture
def admin(world):
    return bearer(world.school_admin_a)


def test_a_sex_that_contradicts_the_id_numbers_digit_is_refused(client, world, admin):
    male = make_id_number(sex="M")
    female = make_id_number(sex="F")
    job = preview(client, admin, csv_file([
        row("男孩", male, world.class_a1, sex="女"),
        row("女孩", female, world.class_a1, sex="女"),
        row("没填", male, world.class_a1)[:2] + [make_id_number(sex="F")] + row("没填", male, world.class_a1)[3:],
    ]))
    rows = {r["number"]: r for r in rows_of(client, admin, job["id"])}
    assert (rows[2]["outcome"], rows[2]["reason"]) == ("error", "sex_contradicts_id")
    assert "女" in rows[2]["message"] and "第17位" in rows[2]["message"] and rows[2]["who_can_fix"] == "学校管理员"
    assert rows[3]["outcome"] == "create" and rows[4]["outcome"] == "create"
    commit(client, admin, job["id"])
    assert not Person.objects.filter(name="男孩").exists()
    assert Person.objects.get(name="没填").sex == "F"  # an empty sex is still taken from the ID number


def graduated_from_b(world) -> tuple[Person, Account]:
    person = Person.objects.create(name="毕业生", sex="F")
    person.set_id_number(make_id_number(sex="F", birth=date(2016, 3, 9)))
    person.save()
    Enrollment.objects.create(person=person, school_class=world.class_b1, school=world.school_b,
                              started_on=date(2020, 9, 1), ended_on=date(2026, 7, 1), reason="graduated")
    account = Account.objects.create(number="55555555", person=person, home_school=world.school_b,
                                     status=Account.Status.GRADUATED)
    Identity.objects.create(account=account, kind="student", school=world.school_b)
    return person, account


def test_a_transfer_in_moves_the_home_school_and_ends_the_old_identity(client, world, admin):
    person, account = graduated_from_b(world)
    job = preview(client, admin, csv_file([row("毕业生", person.reveal_id_number(), world.class_a1)]))
    (only,) = rows_of(client, admin, job["id"])
    assert only["outcome"] == "transfer_in"
    assert "天心第一小学" in only["message"] and world.class_a1.display_name() in only["message"]
    assert only["who_can_fix"] == ""
    done = commit(client, admin, job["id"])
    assert done["result"]["applied"]["transferred_in"] == 1
    account.refresh_from_db()
    assert account.home_school == world.school_a and account.status == "active"
    person.refresh_from_db()
    assert person.school_id == world.school_a.pk  # the person's row moves with its account (docs/scaling.md)
    assert list(account.identities.values_list("kind", "school")) == [("student", world.school_a.pk)]
    # The new school's user pages find the student of its own class list; the old school's no longer do.
    assert client.get(f"/api/v1/school/users/{account.pk}", **admin).status_code == 200
    admin_b = bearer(world.school_admin_b)
    assert client.get(f"/api/v1/school/users/{account.pk}", **admin_b).status_code == 404
    listed_b = client.get("/api/v1/school/users?kind=student&status=active", **admin_b).json()
    assert account.number not in str(listed_b)
    # Undo puts the account back where it was.
    assert client.post(f"/api/v1/rosters/imports/{job['id']}/undo", **admin).status_code == 200
    account.refresh_from_db()
    assert account.home_school == world.school_b and account.status == "graduated"
    person.refresh_from_db()
    assert person.school_id == world.school_b.pk
    assert list(account.identities.values_list("kind", "school")) == [("student", world.school_b.pk)]


def test_move_and_transfer_rows_say_from_where_and_the_result_counts_transfers(client, world, admin):
    person, _ = graduated_from_b(world)
    student_a = world.student_a.person
    job = preview(client, admin, csv_file([
        row(student_a.name, student_a.reveal_id_number(), world.class_a2),
        row("毕业生", person.reveal_id_number(), world.class_a1),
    ]))
    rows = {r["outcome"]: r for r in rows_of(client, admin, job["id"])}
    move = rows["move"]["message"]
    assert world.class_a1.display_name() in move and world.class_a2.display_name() in move
    assert move.index(world.class_a1.display_name()) < move.index(world.class_a2.display_name())
    assert "天心第一小学" in rows["transfer_in"]["message"]
    english = client.get(f"/api/v1/rosters/imports/{job['id']}/rows?outcome=move", **admin,
                         HTTP_ACCEPT_LANGUAGE="en").json()["rows"][0]["message"]
    assert english.startswith("Moves from ")
    commit(client, admin, job["id"])
    as_user(client, world.school_admin_a)
    page = client.get(f"/rosters/imports/{job['id']}/")
    html = page.content.decode()
    summary = html[html.index('data-testid="result"'):][:600]
    assert "转入 1 人" in summary and "调班 1 人" in summary, summary


def test_a_space_inside_a_name_is_joined_and_flagged_for_a_look(client, world, admin):
    job = preview(client, admin, csv_file([row("欧阳 娜娜", make_id_number(sex="F"), world.class_a1),
                                           row("李四", make_id_number(), world.class_a1)]))
    assert job["result"]["to_look_at"] == 1
    rows = {r["number"]: r for r in rows_of(client, admin, job["id"])}
    assert rows[2]["outcome"] == "create" and "欧阳 娜娜" in rows[2]["message"]
    assert rows[3]["message"] == ""
    as_user(client, world.school_admin_a)
    assert "请核对（见原因列）：1 行" in client.get(f"/rosters/imports/{job['id']}/").content.decode()
    commit(client, admin, job["id"])
    assert Person.objects.filter(name="欧阳娜娜").exists()


def read_xlsx(content: bytes) -> list[list[str]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    return [[str(c) for c in r] for r in sheet.to_python()]


def write_xlsx(rows: list[list[str]]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    text = book.add_format({"num_format": "@"})
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            sheet.write_string(r, c, value, text)
    book.close()
    return SimpleUploadedFile("export.xlsx", buffer.getvalue())


def test_export_edit_and_import_again_is_keyed_by_the_account(client, world, admin):
    # A student of school A without an ID number yet, as many come from a rolled-over roster.
    no_id = Person.objects.create(name="王小二", sex="M")
    account = Account(number="66666666", person=no_id, home_school=world.school_a)
    issue_initial_password(account, "pw_account_last6", EffectivePolicy())
    account.save()
    Identity.objects.create(account=account, kind="student", school=world.school_a)
    Enrollment.objects.create(person=no_id, school_class=world.class_a1, school=world.school_a)
    response = client.get(f"/api/v1/rosters/exports/students?school_id={world.school_a.pk}", **admin)
    assert response.status_code == 200
    table = read_xlsx(response.content)
    headers = table[0]
    name, number, id_col, klass = (headers.index(h) for h in ("姓名", "账号", "身份证号", "班级"))
    assert "*" in next(r for r in table[1:] if r[name] == world.student_a.person.name)[id_col]
    phone_1, phone_2 = headers.index("家长1手机号"), headers.index("家长2手机号")
    row_a = next(r for r in table[1:] if r[number] == world.student_a.number)
    assert "*" in row_a[phone_1] and row_a[phone_1][-4:] == world.parent_a.phone[-4:]  # masked, never in full
    edited = [headers]
    new_id = make_id_number(sex="M", birth=date(2016, 1, 2))
    new_parent = make_phone()
    for values in table[1:]:
        values = list(values)
        if values[number] == account.number:
            values[id_col] = new_id  # bind the ID number
            values[phone_2 - 2:phone_2 + 1] = ["王大", "父亲", new_parent]  # and a parent
        if values[name] == world.student_a.person.name:
            values[klass] = world.class_a2.display_name()  # change the class
        edited.append(values)
    accounts_before, people_before = Account.objects.count(), Person.objects.count()
    job = preview(client, admin, write_xlsx(edited))
    outcomes = {r["number"]: r for r in rows_of(client, admin, job["id"])}
    by_name = {edited[r - 1][name]: v for r, v in outcomes.items()}
    assert by_name["王小二"]["outcome"] == "update" and by_name["王小二"]["reason"] == "id_number_bound"
    assert by_name[world.student_a.person.name]["outcome"] == "move"
    assert by_name[world.student_a2.person.name]["outcome"] == "unchanged"  # masked ID: unchanged, no error
    assert job["counts"].get("error", 0) == 0 and job["counts"].get("create", 0) == 0
    done = commit(client, admin, job["id"])
    assert done["status"] == "committed"
    assert done["result"]["applied"]["created_accounts"] == 0 and done["result"]["applied"]["created_parents"] == 1
    assert (Account.objects.count(), Person.objects.count()) == (accounts_before + 1, people_before + 1)
    assert Guardianship.objects.filter(guardian__account__phone=new_parent, student=no_id).exists()
    assert Guardianship.objects.filter(student=world.student_a.person).count() == 1  # unchanged
    no_id.refresh_from_db()
    assert no_id.reveal_id_number() == new_id
    assert Enrollment.objects.get(person=world.student_a.person, ended_on=None).school_class == world.class_a2
    # Importing the same ID under a new row without the account still finds the person: no second account.
    again = preview(client, admin, csv_file([row("王小二", new_id, world.class_a1)]))
    assert again["counts"] == {"unchanged": 1}
    # Undo takes the bound ID number away again and puts the moved student back.
    assert client.post(f"/api/v1/rosters/imports/{job['id']}/undo", **admin).status_code == 200
    no_id.refresh_from_db()
    assert no_id.id_number_digest is None and no_id.reveal_id_number() == ""
    assert Enrollment.objects.get(person=world.student_a.person, ended_on=None).school_class == world.class_a1


def test_an_account_that_names_someone_else_than_the_id_is_a_conflict(client, world, admin):
    headers = ["账号", "姓名", "身份证号", "年级", "班级"]
    a1 = world.class_a1
    job = preview(client, admin, csv_file([
        [world.student_a.number, world.student_a.person.name, world.student_a2.person.reveal_id_number(),
         f"{grade_of(a1)}年级", f"{a1.number}班"],
        ["99999999", "谁", "", f"{grade_of(a1)}年级", f"{a1.number}班"],
    ], headers=headers))
    rows = {r["number"]: r for r in rows_of(client, admin, job["id"])}
    assert (rows[2]["outcome"], rows[2]["reason"]) == ("conflict", "keys_name_different_people")
    assert (rows[3]["outcome"], rows[3]["reason"]) == ("error", "unknown_account")
