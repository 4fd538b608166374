"""OneRoster 1.2 CSV import (issue 17 item 5): a package goes through the roster import machinery (preview with
each object's outcome and the checker's problems, background commit, undo), keeps its sourcedIds, and asks for
confirmation before removing many people. The round trip: export the demo region, import it into an empty
database, export again: zero differences."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from renrentong.exports import services as export_services
from renrentong.accounts.models import Enrollment, Identity, Person
from renrentong.integration.models import RosterId
from renrentong.orgs.models import Region, School, SchoolClass
from renrentong.rosters import worker
from renrentong.rosters.models import ImportJob

from tests.factories import as_user, bearer, make_region_admin
from tests.integration.oneroster.test_export import package

PACKAGES = "/api/v1/oneroster/imports"


def zipped(files: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("oneroster.zip", buffer.getvalue(), content_type="application/zip")


def preview(client, account, files: dict[str, bytes], **form) -> dict:
    answer = client.post(PACKAGES, {"file": zipped(files), **form}, **bearer(account))
    assert answer.status_code == 202, answer.content
    worker.run_preview(answer.json()["id"])
    return client.get(f"{PACKAGES}/{answer.json()['id']}", **bearer(account)).json()


def commit(client, account, job_id: int, **body) -> dict:
    answer = client.post(f"{PACKAGES}/{job_id}/commit", json.dumps(body), content_type="application/json",
                         **bearer(account))
    assert answer.status_code == 202, answer.content
    worker.run_commit(job_id)
    return client.get(f"{PACKAGES}/{job_id}", **bearer(account)).json()


def rows_of(client, account, job_id: int, outcome: str | None = None) -> list[dict]:
    url = f"{PACKAGES}/{job_id}/rows" + (f"?outcome={outcome}" if outcome else "")
    return client.get(url, **bearer(account)).json()["rows"]


def lines(files: dict[str, bytes]) -> dict[str, list[str]]:
    """Each file's rows as sorted lines: row order means nothing in a package."""
    return {name: sorted(data.decode().splitlines()[1:]) for name, data in files.items() if name != "manifest.csv"}


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def write(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.mark.django_db(transaction=True)
def test_round_trip_of_the_demo_region_into_an_empty_database(client, uploads, monkeypatch):
    monkeypatch.setattr(export_services, "SYNC_ROWS", 100_000)  # the package itself, not a task
    call_command("load_demo", "--scale", "0.05")
    province = Region.objects.get(parent=None)
    first = package(client, make_region_admin(province, "省管理员"))
    people = Person.objects.count()

    call_command("flush", interactive=False)
    assert not School.objects.exists() and not RosterId.objects.exists()
    province = Region.objects.create(kind=province.kind, name=province.name, code=province.code)
    admin = make_region_admin(province, "省管理员")
    job = preview(client, admin, first)
    assert job["status"] == "previewed", job
    assert set(job["counts"]) == {"create", "unchanged"}, job["counts"]  # the state org is the admin's own
    job = commit(client, admin, job["id"])
    assert job["status"] == "committed", job

    again = package(client, admin)
    differences = {name: (sorted(set(rows) - set(lines(first)[name]))[:3],
                          sorted(set(lines(first)[name]) - set(rows))[:3])
                   for name, rows in lines(again).items() if rows != lines(first)[name]}
    assert differences == {}
    assert Person.objects.count() < people + 1  # the admins of the demo are not in a package


@pytest.fixture
def uploads(settings, tmp_path, monkeypatch):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path)
    monkeypatch.setattr(worker, "UPLOAD_DIR", tmp_path)


def test_a_package_imported_where_it_came_from_changes_nothing(client, world, uploads):
    files = package(client, world.city_admin)
    job = preview(client, world.city_admin, files)
    assert job["status"] == "previewed" and set(job["counts"]) == {"unchanged"}, job["counts"]
    assert commit(client, world.city_admin, job["id"])["status"] == "committed"
    assert lines(package(client, world.city_admin)) == lines(files)


def by_name(files: dict[str, bytes], name: str) -> dict:
    return next(u for u in csv_rows(files["users.csv"]) if u["familyName"] + u["givenName"] == name)


def test_an_edited_name_is_an_update_that_undo_puts_back(client, world, uploads):
    files = package(client, world.district_admin_x)
    users = csv_rows(files["users.csv"])
    for user in users:
        if user["username"] == world.student_a.number:
            user["givenName"] = "晓明"
    files["users.csv"] = write(users)
    job = preview(client, world.district_admin_x, files)
    assert job["counts"] == {"unchanged": job["total_rows"] - 1, "update": 1}
    job = commit(client, world.district_admin_x, job["id"])
    assert Person.objects.get(account=world.student_a).name == "李晓明"
    answer = client.post(f"{PACKAGES}/{job['id']}/undo", **bearer(world.district_admin_x))
    assert answer.status_code == 200 and answer.json()["status"] == "undone"
    assert Person.objects.get(account=world.student_a).name == "李小明"


def test_what_lies_outside_the_importers_region_is_a_conflict_naming_who_can_fix_it(client, world, uploads):
    job = preview(client, world.district_admin_x, package(client, world.city_admin))
    conflicts = rows_of(client, world.district_admin_x, job["id"], "conflict")
    assert conflicts and job["counts"]["conflict"] == len(conflicts)
    messages = {row["message"] for row in conflicts}
    assert "“天心第一小学”不在你管理的范围内，不能由本次导入修改。请由其所属区域的管理员导入。" in messages
    assert any("陈小红 的账号属于你管理范围以外的学校" in m for m in messages)
    assert {row["who_can_fix"] for row in conflicts} <= {"区县管理员", "学校管理员"}
    commit(client, world.district_admin_x, job["id"])
    assert Person.objects.get(account=world.student_b).name == "陈小红"  # nothing of district Y was touched


def with_a_new_school(files: dict[str, bytes]) -> dict[str, bytes]:
    """The package with a new school of its district, and a course, a class and a student there: six objects to
    make, each naming one made before it."""
    orgs = csv_rows(files["orgs.csv"])
    district = next(o for o in orgs if o["type"] == "district")
    new_school = {**district, "sourcedId": "s-new", "name": "芙蓉第二小学", "type": "school", "identifier": "A0002",
                  "parentSourcedId": district["sourcedId"]}
    files["orgs.csv"] = write(orgs + [new_school])
    year = csv_rows(files["academicSessions.csv"])[0]["sourcedId"]
    courses = csv_rows(files["courses.csv"])
    files["courses.csv"] = write(courses + [{**courses[0], "sourcedId": "c-new", "orgSourcedId": "s-new",
                                             "schoolYearSourcedId": year}])
    classes = csv_rows(files["classes.csv"])
    files["classes.csv"] = write(classes + [{**classes[0], "sourcedId": "k-new", "title": "三年级5班", "grades": "03",
                                             "courseSourcedId": "c-new", "classCode": "", "schoolSourcedId": "s-new",
                                             "termSourcedIds": year}])
    users = csv_rows(files["users.csv"])
    student = {**users[0], "sourcedId": "u-new", "username": "", "userIds": "", "givenName": "新同学",
               "familyName": "赵", "agentSourcedIds": "", "primaryOrgSourcedId": "s-new"}
    files["users.csv"] = write(users + [student])
    roles = csv_rows(files["roles.csv"])
    files["roles.csv"] = write(roles + [{**roles[0], "sourcedId": "r-new", "userSourcedId": "u-new",
                                         "role": "student", "roleType": "primary", "orgSourcedId": "s-new"}])
    enrollments = csv_rows(files["enrollments.csv"])
    files["enrollments.csv"] = write(enrollments + [{
        **enrollments[0], "sourcedId": "e-new", "classSourcedId": "k-new", "schoolSourcedId": "s-new",
        "userSourcedId": "u-new", "role": "student", "primary": "", "beginDate": "2026-09-01"}])
    return files


def test_a_new_school_with_its_class_and_people_is_made_and_undo_removes_it_all(client, world, uploads, monkeypatch):
    # Chunks of ten objects (worker.CHUNK_ROWS × the importer's CHUNK_SCALE): the new school, its class and its
    # people are made in different chunks, each finding what the earlier ones made through the directory.
    monkeypatch.setattr(worker, "CHUNK_ROWS", 1)
    files = with_a_new_school(package(client, world.district_admin_x))
    job = preview(client, world.district_admin_x, files)
    created = rows_of(client, world.district_admin_x, job["id"], "create")
    assert len(created) == 6, created  # school, course, class, user, role, enrollment
    job = commit(client, world.district_admin_x, job["id"])
    assert job["status"] == "committed", job
    school = School.objects.get(code="A0002", district=world.district_x)
    person = Person.objects.get(name="赵新同学")
    enrollment = Enrollment.objects.get(person=person)
    assert (enrollment.school_id, enrollment.school_class.display_name()) == (school.pk, "三年级5班")
    assert Identity.objects.filter(account__person=person, kind="student", school=school).exists()
    # Exported again, the new objects keep the package's sourcedIds.
    again = csv_rows(package(client, world.district_admin_x)["users.csv"])
    assert any(u["sourcedId"] == "u-new" for u in again)

    answer = client.post(f"{PACKAGES}/{job['id']}/undo", **bearer(world.district_admin_x))
    assert answer.json()["status"] == "undone", answer.content
    assert not School.objects.filter(code="A0002").exists() and not Person.objects.filter(name="赵新同学").exists()
    assert not RosterId.objects.filter(sourced_id__in=["u-new", "s-new", "k-new"]).exists()


def test_two_runs_of_one_commit_applying_its_chunks_in_turn_make_each_object_once(client, world, uploads,
                                                                                    monkeypatch):
    # A job queued again while its first run works is run twice at once. Here a second run takes every other
    # chunk: the first run's memory of what its own chunks wrote must not stand in for the directory then.
    monkeypatch.setattr(worker, "CHUNK_ROWS", 1)
    job = preview(client, world.district_admin_x, with_a_new_school(package(client, world.district_admin_x)))
    answer = client.post(f"{PACKAGES}/{job['id']}/commit", "{}", content_type="application/json",
                         **bearer(world.district_admin_x))
    assert answer.status_code == 202, answer.content
    turns = []

    class Stop(Exception):
        pass

    def pause():
        if turns and turns[-1] == "second":
            raise Stop  # the second run has applied its one chunk
        turns.append("second")
        try:
            worker.run_commit(job["id"])
        except Stop:
            pass
        turns.append("first")

    monkeypatch.setattr(worker, "_test_pause", pause)
    worker.run_commit(job["id"])
    job = client.get(f"{PACKAGES}/{job['id']}", **bearer(world.district_admin_x)).json()
    assert job["status"] == "committed", job
    assert turns.count("second") >= 2  # the second run applied every other chunk (of four)
    person = Person.objects.get(name="赵新同学")
    assert Identity.objects.filter(account__person=person, kind="student").count() == 1
    assert Enrollment.objects.filter(person=person).count() == 1
    # each in the directory once (the user twice: its demographics row goes by its sourcedId)
    assert RosterId.objects.filter(sourced_id__in=["u-new", "s-new", "k-new", "r-new", "e-new"]).count() == 6
    assert job["counts"] == {"create": 6, "unchanged": job["total_rows"] - 6}, job["counts"]


def delta_removing(client, admin, account) -> dict[str, bytes]:
    """A delta package whose one row removes this account's person."""
    bulk = package(client, admin)
    files = package(client, admin, since="2099-01-01T00:00:00Z")  # a delta with no rows
    user = next(u for u in csv_rows(bulk["users.csv"]) if u["username"] == account.number)
    user.update(status="tobedeleted", dateLastModified="2026-12-06T10:00:00.000Z")
    files["users.csv"] = write([user])
    return files


def test_a_delta_removing_many_people_asks_for_confirmation_and_undo_restores(client, world, uploads):
    admin = world.school_admin_a
    job = preview(client, admin, delta_removing(client, admin, world.student_a))
    assert job["counts"] == {"remove": 1}, job
    answer = client.post(f"{PACKAGES}/{job['id']}/commit", "{}", content_type="application/json", **bearer(admin))
    assert answer.status_code == 409 and answer.json()["code"] == "oneroster.confirm_removals"
    assert "这个数据包将移除 1 人" in answer.json()["message"]
    assert Enrollment.objects.get(person__account=world.student_a).ended_on is None
    job = commit(client, admin, job["id"], confirm_removals=True)
    assert job["status"] == "committed"
    assert not Enrollment.objects.filter(person__account=world.student_a, ended_on__isnull=True).exists()
    client.post(f"{PACKAGES}/{job['id']}/undo", **bearer(admin))
    assert Enrollment.objects.filter(person__account=world.student_a, ended_on__isnull=True).exists()


def test_a_package_that_breaks_the_standard_names_the_file_and_line(client, world, uploads):
    files = package(client, world.school_admin_a)
    users = csv_rows(files["users.csv"])
    users[1]["enabledUser"] = "yes"
    files["users.csv"] = write(users)
    job = preview(client, world.school_admin_a, files)
    assert set(job["counts"]) == {"unchanged", "error"}, job["counts"]  # the regions above the school are left
    errors = rows_of(client, world.school_admin_a, job["id"], "error")
    assert [e["message"] for e in errors] == [
        "数据包格式问题：users.csv 第 3 行，enabledUser 列：'yes', expected one of: false, true。"]

    files["users.csv"] = files["users.csv"].replace(b"givenName,familyName", b"familyName,givenName")
    job = preview(client, world.school_admin_a, files)
    assert (job["status"], job["error_code"]) == ("failed", "oneroster.package_invalid")
    assert "users.csv" in job["result"]["error"]["problem"]


@pytest.mark.parametrize("kept", [True, False])
def test_the_commit_uses_the_previews_reading_of_the_package_or_reads_it_again(client, world, uploads, kept):
    """The preview keeps its reading of the package for the commit, so the commit need not read and check it
    again; without that reading (or with a damaged one) the commit reads the upload again, to the same end."""
    files = package(client, world.district_admin_x)
    users = csv_rows(files["users.csv"])
    for user in users:
        if user["username"] == world.student_a.number:
            user["givenName"] = "晓明"
    users[1]["enabledUser"] = "yes"
    files["users.csv"] = write(users)
    job = preview(client, world.district_admin_x, files)
    found = ImportJob.objects.get(pk=job["id"])
    if kept:  # the upload is not read again: damaging it changes nothing
        (worker.UPLOAD_DIR / found.file_path).write_bytes(b"not a zip")
    else:
        parsed = worker._parsed_path(found)
        parsed.write_bytes(parsed.read_bytes()[:-20])  # cut short: read the upload again
    job = commit(client, world.district_admin_x, job["id"])
    assert job["status"] == "committed", job
    assert job["counts"] == {"unchanged": job["total_rows"] - 2, "update": 1, "error": 1}, job["counts"]
    assert Person.objects.get(account=world.student_a).name == "李晓明"
    assert [e["message"] for e in rows_of(client, world.district_admin_x, job["id"], "error")] == [
        "数据包格式问题：users.csv 第 3 行，enabledUser 列：'yes', expected one of: false, true。"]


def test_only_admins_import_and_a_zip_is_required(client, world, uploads):
    answer = client.post(PACKAGES, {"file": zipped(package(client, world.school_admin_a))},
                         **bearer(world.teacher_a))
    assert answer.status_code == 403 and answer.json()["code"] == "import.not_allowed"
    answer = client.post(PACKAGES, {"file": SimpleUploadedFile("x.zip", b"not a zip")}, **bearer(world.school_admin_a))
    assert answer.status_code == 400 and answer.json()["code"] == "oneroster.package_unreadable"
    job = preview(client, world.school_admin_a, package(client, world.school_admin_a))
    assert client.get(f"{PACKAGES}/{job['id']}", **bearer(world.school_admin_b)).status_code == 404
    assert client.get(f"/api/v1/rosters/imports/{job['id']}", **bearer(world.school_admin_a)).status_code == 404


def test_a_job_id_no_row_can_have_is_not_found(client, world):
    for path in (f"{PACKAGES}/{2**63}", f"{PACKAGES}/{2**63}/rows"):
        answer = client.get(path, **bearer(world.school_admin_a))
        assert answer.status_code == 404, (path, answer.status_code)
    as_user(client, world.school_admin_a)
    assert client.get(f"/oneroster/imports/{2**64}/").status_code == 404


def test_an_imported_class_reaches_the_rest_service_whole_after_the_next_refresh(client, world, uploads):
    from renrentong.integration.oneroster.refresh import refresh_due
    from tests.integration.oidc_flows import basic, register

    app = register(client, world.city_admin, world.district_x, roster_scopes=["roster-core.readonly"])
    refresh_due()
    token = client.post("/oauth/token/", {"grant_type": "client_credentials"}, **basic(app)).json()["access_token"]

    def titles() -> dict[str, str]:
        answer = client.get("/ims/oneroster/rostering/v1p2/classes", {"limit": 1000},
                            HTTP_AUTHORIZATION=f"Bearer {token}")
        assert answer.status_code == 200, answer.content
        return {c["sourcedId"]: c["title"] for c in answer.json()["classes"]}

    before = titles()
    files = package(client, world.district_admin_x)
    classes = csv_rows(files["classes.csv"])
    first = next(c for c in classes if c["sourcedId"] in before)
    title = first["title"].replace(first["title"].rstrip("班").lstrip("一二三四五六七八九年级初高"), "9")
    files["classes.csv"] = write(classes + [{**first, "sourcedId": "k-new", "title": title, "classCode": ""}])
    job = commit(client, world.district_admin_x, preview(client, world.district_admin_x, files)["id"])
    assert job["status"] == "committed", job
    # Kept in the directory at once, but served only once a refresh has written its columns: never half a row.
    assert RosterId.objects.filter(kind="classes", sourced_id="k-new").exists()
    assert titles() == before
    refresh_due()
    assert titles() == {**before, "k-new": title}


@pytest.mark.parametrize("chunk_rows", [5000, 1], ids=["one chunk", "chunks of ten objects"])
def test_new_classes_keep_their_codes_where_free_and_get_new_ones_where_not(client, world, uploads, monkeypatch,
                                                                           chunk_rows):
    # (A code the platform has already names that class: the row is that class, not a new one. A code a class
    # made by an earlier chunk of the same import took is not such a code: those are two classes of the package.)
    monkeypatch.setattr(worker, "CHUNK_ROWS", chunk_rows)
    files = package(client, world.district_admin_x)
    classes = csv_rows(files["classes.csv"])
    first = next(c for c in classes if c["classType"] == "homeroom")
    number = first["title"].rstrip("班").lstrip("一二三四五六七八九年级初高")
    codes = {"k-free": "new9code", "k-twice-1": "TWICE9", "k-twice-2": "TWICE9", "k-long": "X" * 13, "k-none": ""}
    added = [{**first, "sourcedId": sid, "title": first["title"].replace(number, str(90 + n)), "classCode": code}
             for n, (sid, code) in enumerate(codes.items())]
    files["classes.csv"] = write(classes + added)
    job = commit(client, world.district_admin_x, preview(client, world.district_admin_x, files)["id"])
    assert job["status"] == "committed", job
    made = {sid: SchoolClass.objects.get(pk=int(key.removeprefix("class:"))) for sid, key in RosterId.objects.filter(
        kind="classes", sourced_id__in=codes).values_list("sourced_id", "local_key")}
    assert made["k-free"].code == "NEW9CODE" and made["k-twice-1"].code == "TWICE9"
    drawn = [made[sid].code for sid in ("k-twice-2", "k-long", "k-none")]
    assert len(set(drawn)) == 3 and "TWICE9" not in drawn and all(len(code) == 6 for code in drawn)
    assert [made[sid].number for sid in codes] == [90, 91, 92, 93, 94]
    assert len({c.cohort_id for c in made.values()}) == 1
