"""Identifiers of children treated as ID numbers (issue 10 item 1, NFR-1): the national student number
(全国学籍号, "G" + the ID number for most students) sealed at rest and found by digest, masked in every
answer and export, revealed only through an audited call; stored import rows sealed, masked, purged
and their download audited."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection

from renrentong.accounts.login.middleware import SESSION_IDENTITY
from renrentong.accounts.models import Person
from renrentong.core.models import AuditEvent
from renrentong.rosters.models import ImportJob, ImportRow

from tests.factories import bearer, make_id_number, make_phone
from tests.roster_files import commit, csv_file, preview, rows_of

HEADERS = ["姓名", "性别", "身份证号", "全国学籍号", "年级", "班级", "家长1姓名", "家长1关系", "家长1手机号"]


def give_national_number(person: Person) -> str:
    number = "G" + person.reveal_id_number()
    person.set_national_student_number(number)
    person.save()
    return number


def person_row_text(person: Person) -> str:
    """Every column of the person's row as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_person WHERE id = %s", [person.pk])
        return " ".join(str(bytes(v) if isinstance(v, memoryview) else v) for v in cursor.fetchone())


def test_national_number_is_sealed_at_rest_and_found_by_its_digest(world):
    person = world.student_a.person
    number = give_national_number(person)
    stored = person_row_text(person)
    assert number not in stored and number[1:] not in stored
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.national_student_number_masked == "G" + number[1:4] + "*" * 11 + number[-4:]
    assert fresh.reveal_national_student_number() == number


def test_users_list_and_detail_show_the_national_number_masked(client, world):
    number = give_national_number(world.student_a.person)
    admin = bearer(world.school_admin_a)
    listing = client.get("/api/v1/school/users", {"kind": "student"}, **admin)
    detail = client.get(f"/api/v1/school/users/{world.student_a.pk}", **admin)
    for response in (listing, detail):
        assert response.status_code == 200
        assert number not in response.content.decode() and number[1:] not in response.content.decode()
    row = next(r for r in listing.json()["items"] if r["account_id"] == world.student_a.pk)
    assert row["national_student_number_masked"].startswith("G430") and row["national_student_number_masked"].endswith(
        number[-4:])
    assert "national_student_number" not in row


def test_search_by_national_number_goes_by_digest(client, world):
    number = give_national_number(world.student_a.person)
    found = client.post("/api/v1/school/users/search", json.dumps({"kind": "student", "q": number.lower()}),
                        content_type="application/json", **bearer(world.school_admin_a)).json()["items"]
    assert [r["account_id"] for r in found] == [world.student_a.pk]


def test_full_national_number_is_read_by_admins_only_and_every_read_is_audited(client, world):
    person = world.student_a.person
    number = give_national_number(person)
    url = f"/api/v1/people/{person.pk}/national-student-number"
    response = client.get(url, **bearer(world.school_admin_a))
    assert response.status_code == 200 and response.json() == {"national_student_number": number}
    event = AuditEvent.objects.get(verb="person.reveal_national_student_number")
    assert event.target_id == person.pk and event.actor_account == world.school_admin_a
    refused = client.get(url, **bearer(world.teacher_a))
    assert refused.status_code == 403 and refused.json()["code"] == "privacy.reveal_not_allowed"
    assert client.get(url, **bearer(world.school_admin_b)).status_code == 404
    assert AuditEvent.objects.filter(verb="person.reveal_national_student_number").count() == 1


def test_the_student_export_has_the_national_number_masked(client, world):
    from python_calamine import CalamineWorkbook

    number = give_national_number(world.student_a.person)
    response = client.get("/api/v1/rosters/exports/students", {"class_id": world.class_a1.pk},
                          **bearer(world.school_admin_a))
    assert response.status_code == 200, response.content
    cells = [str(c) for row in CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(
        0).to_python() for c in row]
    assert number not in cells and world.student_a.person.national_student_number_masked in cells


def test_the_import_matches_a_student_by_national_number_digest(client, world):
    """A row with only the national student number (no ID number) finds the student already enrolled."""
    student = world.student_a
    number = give_national_number(student.person)
    grade = world.class_a1.cohort.grade_number(world.school_a.school_year)
    job = preview(client, bearer(world.school_admin_a), csv_file(
        [[student.person.name, "", "", number.lower(), f"{grade}年级", f"{world.class_a1.number}班", "", "", ""]],
        headers=HEADERS))
    assert rows_of(client, bearer(world.school_admin_a), job["id"])[0]["outcome"] == "unchanged"


def test_a_student_created_by_import_has_the_national_number_sealed(client, world):
    admin = bearer(world.school_admin_a)
    id_number = make_id_number()
    grade = world.class_a1.cohort.grade_number(world.school_a.school_year)
    job = preview(client, admin, csv_file(
        [["新同学", "", id_number, "G" + id_number, f"{grade}年级", f"{world.class_a1.number}班", "", "", ""]],
        headers=HEADERS))
    assert commit(client, admin, job["id"])["status"] == "committed"
    person = Person.objects.get(name="新同学")
    assert person.reveal_national_student_number() == "G" + id_number
    assert id_number not in person_row_text(person)


def test_login_by_national_number_of_a_student(client, world):
    account = world.student_a
    give_national_number(account.person)
    response = client.post("/api/v1/auth/login", {"identifier": "g" + account.person.reveal_id_number(),
                                                  "password": f"Pw{account.number[-6:]}@"},
                           content_type="application/json")
    assert response.status_code == 200, response.content


# Stored import rows -----------------------------------------------------------------------------------------

def bad_and_good_rows(world):
    grade = world.class_a1.cohort.grade_number(world.school_a.school_year)
    where = [f"{grade}年级", f"{world.class_a1.number}班"]
    good_id, bad_phone = make_id_number(), make_phone()
    bad_id = make_id_number()
    return good_id, bad_phone, [
        ["好孩子", "", good_id, "G" + good_id, *where, "好家长", "父亲", make_phone()],
        ["坏年级", "", bad_id, "G" + bad_id, "九十年级", "1班", "坏家长", "父亲", bad_phone],
    ], bad_id


def test_import_rows_answer_masked_and_keep_only_rejected_rows_sealed(client, world):
    admin = bearer(world.school_admin_a)
    good_id, bad_phone, rows, bad_id = bad_and_good_rows(world)
    job = preview(client, admin, csv_file(rows, headers=HEADERS))
    answer = client.get(f"/api/v1/rosters/imports/{job['id']}/rows", **admin).content.decode()
    assert "G430" in answer and "*" in answer  # the cells are there, masked
    client.force_login(world.school_admin_a, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session[SESSION_IDENTITY] = world.school_admin_a.identities.get().pk
    session.save()
    page = client.get(f"/rosters/imports/{job['id']}/")
    assert page.status_code == 200 and "坏年级" in page.content.decode()
    for text in (answer, page.content.decode(), json.dumps(list(ImportRow.objects.filter(
            job_id=job["id"]).values_list("original_masked", "detail", "original_key")), ensure_ascii=False)):
        assert good_id not in text and bad_id not in text and bad_phone not in text
    stored = {r.number: r for r in ImportRow.objects.filter(job_id=job["id"])}
    assert [n for n, r in stored.items() if r.original_cipher] == [3]  # the rejected row only
    assert stored[3].reveal_original()[2] == bad_id


def test_rejected_rows_download_is_full_and_audited(client, world):
    from python_calamine import CalamineWorkbook

    admin = bearer(world.school_admin_a)
    _, bad_phone, rows, bad_id = bad_and_good_rows(world)
    job = preview(client, admin, csv_file(rows, headers=HEADERS))
    response = client.get(f"/api/v1/rosters/imports/{job['id']}/rejected", **admin)
    assert response.status_code == 200
    cells = [str(c) for row in CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(
        0).to_python() for c in row]
    assert bad_id in cells and bad_phone in cells  # the admin fixes the row from the full original
    event = AuditEvent.objects.get(verb="import.rejected_download")
    assert event.target_id == job["id"] and event.actor_account == world.school_admin_a
    assert event.details == {"rows": 1}


@pytest.mark.parametrize("end", ["cancel", "undo"])
def test_originals_are_purged_when_the_job_can_no_longer_be_undone(client, world, end):
    admin = bearer(world.school_admin_a)
    _, _, rows, bad_id = bad_and_good_rows(world)
    job = preview(client, admin, csv_file(rows, headers=HEADERS))
    if end == "undo":
        commit(client, admin, job["id"])
        assert ImportRow.objects.filter(job_id=job["id"], original_cipher__isnull=False).count() == 1
    response = client.post(f"/api/v1/rosters/imports/{job['id']}/{end}", **admin)
    assert response.status_code == 200, response.content
    assert ImportJob.objects.get(pk=job["id"]).status in ("cancelled", "undone")
    assert not ImportRow.objects.filter(job_id=job["id"], original_cipher__isnull=False).exists()
    download = client.get(f"/api/v1/rosters/imports/{job['id']}/rejected", **admin)
    assert download.status_code == 200 and bad_id.encode() not in download.content


def test_the_worker_forgets_rejected_originals_a_month_after_the_commit(client, world):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    admin = bearer(world.school_admin_a)
    _, _, rows, bad_id = bad_and_good_rows(world)
    job = preview(client, admin, csv_file(rows, headers=HEADERS))
    commit(client, admin, job["id"])
    call_command("run_worker", "--once")  # a fresh commit keeps them for the fix-and-import-again
    assert ImportRow.objects.filter(job_id=job["id"], original_cipher__isnull=False).count() == 1
    ImportJob.objects.filter(pk=job["id"]).update(committed_at=timezone.now() - timedelta(days=31))
    call_command("run_worker", "--once")
    assert not ImportRow.objects.filter(job_id=job["id"], original_cipher__isnull=False).exists()
    download = client.get(f"/api/v1/rosters/imports/{job['id']}/rejected", **admin)
    assert download.status_code == 200 and bad_id.encode() not in download.content


def test_numbers_typed_oddly_in_any_cell_are_masked_in_answers(client, world):
    """Full-width digits, spaces inside a phone, an ID number in the name column: masked all the same."""
    admin = bearer(world.school_admin_a)
    id_number, phone = make_id_number(), make_phone()
    wide = id_number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    spaced = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    job = preview(client, admin, csv_file([[f"张三{id_number}", "", wide, "", "九十年级", "1班", "", "", spaced]],
                                          headers=HEADERS))
    answer = client.get(f"/api/v1/rosters/imports/{job['id']}/rows", **admin).content.decode()
    digits_only = "".join(c for c in answer if c.isdigit() or c in "*")
    assert id_number not in digits_only and phone not in digits_only and wide not in answer


def test_the_uploaded_file_is_deleted_when_the_job_is_over_unless_a_live_job_shares_it(
        client, world, django_capture_on_commit_callbacks):
    """The upload holds every row in full; committed or cancelled, nothing reads it again."""
    from renrentong.rosters.worker import UPLOAD_DIR

    admin = bearer(world.school_admin_a)
    _, _, rows, _ = bad_and_good_rows(world)
    with django_capture_on_commit_callbacks(execute=True):
        first = preview(client, admin, csv_file(rows, headers=HEADERS))
        twin = preview(client, admin, csv_file(rows, headers=HEADERS))  # the same bytes: the same stored file
        path = UPLOAD_DIR / ImportJob.objects.get(pk=first["id"]).file_path
        assert commit(client, admin, first["id"])["status"] == "committed"
        assert path.exists()  # the twin, still previewed, reads it on commit
        assert client.post(f"/api/v1/rosters/imports/{twin['id']}/cancel", **admin).json()["status"] == "cancelled"
    assert not path.exists()
