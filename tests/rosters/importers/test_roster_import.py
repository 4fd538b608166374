"""Student roster import through the API: preview outcomes, conflicts (IMP-3 a-e), commit, re-import,
undo, and who may import what (IMP-1..IMP-4, ACC-2, ACC-3)."""

from datetime import date

import pytest
from django.utils import timezone

from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity, Person
from renrentong.accounts.passwords.services import matches_initial
from renrentong.core.text import id_number_check_digit
from renrentong.rosters.models import ImportJob
from renrentong.schooladmin.models import TransferRequest

from tests.factories import bearer, make_class, make_id_number, make_phone, make_student
from tests.roster_files import commit, csv_file, grade_of, preview, row, rows_of


def new_id(birth=date(2016, 3, 9), sex="M"):
    return make_id_number(birth=birth, sex=sex)


@pytest.fixture
def admin(world):
    return bearer(world.school_admin_a)


@pytest.fixture(params=[None, 2], ids=["one_chunk", "chunks_of_two"])
def chunked(request, monkeypatch):
    """The preview and the commit read, check and write a file a chunk at a time (a city's roster is never
    held whole): with chunks of two rows, a row is still known as a duplicate of one several chunks back."""
    from renrentong.core import bulk
    from renrentong.rosters import worker

    if request.param:
        monkeypatch.setattr(bulk, "CHUNK", request.param)
        monkeypatch.setattr(worker, "CHUNK_ROWS", request.param)
    return request.param


def test_preview_shows_each_rows_outcome_and_writes_nothing(client, world, admin, chunked):
    a1, a2 = world.class_a1, world.class_a2
    student_a = world.student_a.person
    student_b = world.student_b.person
    teacher = world.teacher_a.person
    other_b = make_student(world.class_b1, "赵小六").person
    graduated = Person.objects.create(name="毕业生", sex="F")
    graduated.set_id_number(new_id(sex="F"))
    graduated.save()
    Enrollment.objects.create(person=graduated, school_class=world.class_b1, school=world.school_b,
                              started_on=date(2020, 9, 1), ended_on=date(2026, 7, 1), reason="graduated")
    Identity.objects.create(account=Account.objects.create(number="55555555", person=graduated),
                            kind="student", school=world.school_b)
    good_id = new_id()
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")  # the same number with another check digit
    dup = new_id()
    before = (Person.objects.count(), Account.objects.count(), Enrollment.objects.count())
    rows = [
        row("新同学", new_id(), a1, make_phone(), "新家长"),                         # 2 create
        row(student_a.name, student_a.reveal_id_number(), a2),                      # 3 move (b)
        row(world.student_a2.person.name, world.student_a2.person.reveal_id_number(), a2),  # 4 unchanged
        row(student_b.name, student_b.reveal_id_number(), a1),                      # 5 enrolled elsewhere (c)
        row("别的名字", other_b.reveal_id_number(), a1),                             # 6 name mismatch (d)
        row("王老师", teacher.reveal_id_number(), a1),                               # 7 other role (e)
        row("毕业生", graduated.reveal_id_number(), a1),                             # 8 graduated elsewhere (a)
        row("坏号码", bad_id, a1),                                                   # 9 invalid ID
        row("坏手机", new_id(), a1, "12345678901", "家长"),                          # 10 invalid phone
        row("重复一", dup, a1),                                                      # 11 create
        row("重复二", dup, a1),                                                      # 12 duplicate in file
        row("", dup, a1),                                                            # 13 missing name
        ["缺班级", "", new_id(), f"{grade_of(a1)}年级", "9班", "", "", "", "", "", ""],  # 14 unknown class
    ]
    job = preview(client, admin, csv_file(rows))
    assert job["status"] == "previewed" and job["total_rows"] == 13
    assert sum(job["counts"].values()) == 13
    outcomes = {r["number"]: (r["outcome"], r["reason"]) for r in rows_of(client, admin, job["id"])}
    assert outcomes[2] == ("create", "")
    assert outcomes[3] == ("move", "moved_in_school")
    assert outcomes[4] == ("unchanged", "")
    assert outcomes[5] == ("conflict", "enrolled_elsewhere")
    assert outcomes[6] == ("conflict", "other_school_name_mismatch")
    assert outcomes[7] == ("conflict", "id_held_by_other_role")
    assert outcomes[8] == ("transfer_in", "graduated_elsewhere")
    assert outcomes[9] == ("error", "invalid_id_number")
    assert outcomes[10] == ("error", "invalid_phone")
    assert outcomes[11] == ("create", "")
    assert outcomes[12] == ("error", "duplicate_in_file")
    assert outcomes[13] == ("error", "missing_name")
    assert outcomes[14] == ("error", "unknown_class")
    assert (Person.objects.count(), Account.objects.count(), Enrollment.objects.count()) == before
    errors = rows_of(client, admin, job["id"], "error")
    assert {r["number"] for r in errors} == {9, 10, 12, 13, 14}
    message = next(r for r in errors if r["number"] == 12)
    assert "第 11 行" in message["message"] and message["who_can_fix"] == "学校管理员"
    assert job["result"]["missing_classes"] == [[world.school_a.pk, grade_of(a1), 9]]


def test_commit_creates_accounts_parents_and_links(client, world, admin):
    a1 = world.class_a1
    shared_phone = make_phone()
    teacher_phone = world.teacher_a.phone
    rows = [
        row("哥哥", new_id(), a1, shared_phone, "爸爸"),
        row("妹妹", new_id(sex="F"), a1, shared_phone, "爸爸"),  # siblings share one parent account
        row("老师的孩子", new_id(), a1, teacher_phone, "王老师"),  # a teacher gains a parent identity
    ]
    job = preview(client, admin, csv_file(rows))
    done = commit(client, admin, job["id"])
    assert done["status"] == "committed" and done["progress"] == 100
    assert done["result"]["applied"]["created_accounts"] == 3
    assert done["result"]["applied"]["created_parents"] == 1
    kids = Account.objects.filter(person__name__in=["哥哥", "妹妹", "老师的孩子"])
    assert kids.count() == 3
    for kid in kids:
        assert kid.number.isdigit() and len(kid.number) in (8, 9)
        # A new region draws random initial passwords (issue 10), printed on the slips.
        assert kid.initial_password_rule == "random" and not matches_initial(kid, f"Pw{kid.number[-6:]}@")
        assert Enrollment.objects.get(person=kid.person, ended_on=None).school_class == a1
    parent = Account.objects.get(phone=shared_phone)
    assert parent.initial_password_rule == "random" and not matches_initial(parent, f"Pw{shared_phone[-6:]}@")
    assert Guardianship.objects.filter(guardian=parent.person).count() == 2
    teacher = world.teacher_a
    assert set(teacher.identities.values_list("kind", flat=True)) == {"teacher", "guardian"}
    assert Account.objects.filter(phone=teacher_phone).count() == 1


def test_conflicts_are_resolved_as_the_spec_says(client, world, admin):
    a1, a2 = world.class_a1, world.class_a2
    student_a, student_b = world.student_a.person, world.student_b.person
    job = preview(client, admin, csv_file([
        row(student_a.name, student_a.reveal_id_number(), a2),
        row(student_b.name, student_b.reveal_id_number(), a1),
    ]))
    commit(client, admin, job["id"])
    # (b) moved to the class in the file, history kept as rows
    assert Enrollment.objects.get(person=student_a, ended_on=None).school_class == a2
    assert Enrollment.objects.filter(person=student_a).count() == 2
    # (c) not taken over: still at B, and B is asked to release the student
    assert Enrollment.objects.get(person=student_b, ended_on=None).school == world.school_b
    request = TransferRequest.objects.get(person=student_b)
    assert (request.from_school, request.to_school, request.to_class) == (world.school_b, world.school_a, a1)


def test_reimporting_the_same_file_changes_nothing(client, world, admin):
    rows = [row("新同学", new_id(), world.class_a1, make_phone(), "新家长"),
            row(world.student_a.person.name, world.student_a.person.reveal_id_number(), world.class_a2)]
    job = preview(client, admin, csv_file(rows))
    commit(client, admin, job["id"])
    counts = (Person.objects.count(), Account.objects.count(), Enrollment.objects.count(),
              Guardianship.objects.count(), Identity.objects.count())
    again = preview(client, admin, csv_file(rows))
    assert again["counts"] == {"unchanged": 2}
    commit(client, admin, again["id"])
    assert (Person.objects.count(), Account.objects.count(), Enrollment.objects.count(),
            Guardianship.objects.count(), Identity.objects.count()) == counts


def test_leaving_someone_out_never_deletes_or_moves_them(client, world, admin):
    job = preview(client, admin, csv_file([row("新同学", new_id(), world.class_a1)]))
    commit(client, admin, job["id"])
    for account in (world.student_a, world.student_a2):
        assert Enrollment.objects.filter(person=account.person, ended_on=None).exists()
        account.refresh_from_db()
        assert account.status == "active"


def test_undo_puts_everything_back_and_reports_what_users_did_since(client, world, admin):
    a1, a2 = world.class_a1, world.class_a2
    student_a = world.student_a.person
    before = (Person.objects.count(), Account.objects.count(), Guardianship.objects.count(),
              Identity.objects.count())
    job = preview(client, admin, csv_file([
        row("新同学", new_id(), a1, make_phone(), "新家长"),
        row("用过的", new_id(), a1),
        row(student_a.name, student_a.reveal_id_number(), a2),
        row("老师的孩子", new_id(), a1, world.teacher_a.phone, "王老师"),
    ]))
    commit(client, admin, job["id"])
    used = Account.objects.get(person__name="用过的")
    Account.objects.filter(pk=used.pk).update(last_login=timezone.now())
    response = client.post(f"/api/v1/rosters/imports/{job['id']}/undo", **admin)
    assert response.status_code == 200, response.content
    report = response.json()["result"]["undo"]
    assert report["accounts_used_since"] == 1 and report["moves_restored"] == 1
    assert Enrollment.objects.get(person=student_a, ended_on=None).school_class == a1
    used.refresh_from_db()
    assert used.status == "deleted"  # in the recycle bin, restorable
    assert not Account.objects.filter(person__name="新同学").exists()
    assert set(world.teacher_a.identities.values_list("kind", flat=True)) == {"teacher"}
    assert (Person.objects.count(), Account.objects.count(), Guardianship.objects.count(),
            Identity.objects.count()) == (before[0] + 1, before[1] + 1, before[2], before[3] + 1)
    assert client.post(f"/api/v1/rosters/imports/{job['id']}/undo", **admin).json()["code"] == "import.wrong_state"


def test_missing_classes_can_be_created_on_commit(client, world, admin):
    a1 = world.class_a1
    job = preview(client, admin, csv_file([["新班学生", "", new_id(), f"{grade_of(a1)}年级", "7班",
                                             "", "", "", "", "", ""]]))
    assert job["counts"] == {"error": 1}
    done = commit(client, admin, job["id"], create_missing_classes=True)
    assert done["status"] == "committed"
    enrollment = Enrollment.objects.get(person__name="新班学生")
    assert enrollment.school_class.number == 7 and enrollment.school == world.school_a
    # A new class gets a short class code like every other class: students and parents type it.
    code = enrollment.school_class.code
    assert len(code) == 6 and set(code) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")


def test_gb18030_csv_full_width_digits_and_spaces(client, world, admin):
    number = new_id()
    full = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    job = preview(client, admin, csv_file([["李 小 龙", "男", full, "三年级", "１班", "", "", "", "", "", ""]],
                                          encoding="gb18030"))
    assert job["counts"] == {"create": 1}, rows_of(client, admin, job["id"])
    commit(client, admin, job["id"])
    assert Person.objects.get(name="李小龙").reveal_id_number() == number


def test_english_headers_in_any_order(client, world, admin):
    headers = ["Class", "Grade", "Name", "ID Number"]
    job = preview(client, admin, csv_file([["1班", "三年级", "Tom", new_id()]], headers=headers))
    assert job["counts"] == {"create": 1}


def test_district_admin_imports_one_file_for_many_schools(client, world):
    district = bearer(world.city_admin)
    b1 = world.class_b1
    rows = [
        [world.school_a.name, "甲校生", new_id(), f"{grade_of(world.class_a1)}年级", "1班"],
        [world.school_b.code, "乙校生", new_id(), f"{grade_of(b1)}年级", "1班"],
        ["不存在的学校", "丙", new_id(), "三年级", "1班"],
    ]
    job = preview(client, district, csv_file(rows, headers=["学校", "姓名", "身份证号", "年级", "班级"]))
    outcomes = {r["number"]: (r["outcome"], r["reason"]) for r in rows_of(client, district, job["id"])}
    assert outcomes == {2: ("create", ""), 3: ("create", ""), 4: ("error", "unknown_school")}
    commit(client, district, job["id"])
    assert Enrollment.objects.get(person__name="乙校生").school == world.school_b


def test_district_admin_cannot_import_into_another_district(client, world):
    outsider = bearer(world.district_admin_y)
    job = preview(client, outsider, csv_file([[world.school_a.name, "甲", new_id(), "三年级", "1班"]],
                                              headers=["学校", "姓名", "身份证号", "年级", "班级"]))
    assert rows_of(client, outsider, job["id"])[0]["reason"] == "unknown_school"
    response = client.post("/api/v1/rosters/imports", {"file": csv_file([]), "school_id": world.school_a.pk},
                           **outsider)
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a", "student_a", "parent_a"])
def test_only_admins_import(client, world, role):
    response = client.post("/api/v1/rosters/imports", {"file": csv_file([])}, **bearer(getattr(world, role)))
    assert response.status_code == 403 and response.json()["code"] == "import.not_allowed"


def test_other_schools_cannot_see_a_job(client, world, admin):
    job = preview(client, admin, csv_file([row("新同学", new_id(), world.class_a1)]))
    for outsider in (world.school_admin_b, world.district_admin_y):
        assert client.get(f"/api/v1/rosters/imports/{job['id']}", **bearer(outsider)).status_code == 404
    assert client.get(f"/api/v1/rosters/imports/{job['id']}", **bearer(world.district_admin_x)).status_code == 200


def test_cancel_before_commit(client, world, admin):
    job = preview(client, admin, csv_file([row("新同学", new_id(), world.class_a1)]))
    response = client.post(f"/api/v1/rosters/imports/{job['id']}/cancel", **admin)
    assert response.json()["status"] == "cancelled"
    assert client.post(f"/api/v1/rosters/imports/{job['id']}/commit", "{}", content_type="application/json",
                       **admin).json()["code"] == "import.wrong_state"
    assert ImportJob.objects.get(pk=job["id"]).status == "cancelled"


def test_rejected_rows_download_has_the_original_row_and_reason(client, world, admin):
    from python_calamine import CalamineWorkbook

    bad = new_id()[:-1] + "0"
    if id_number_check_digit(bad[:17]) == "0":
        bad = bad[:-1] + "1"
    job = preview(client, admin, csv_file([row("坏号码", bad, world.class_a1), row("好", new_id(), world.class_a1)]))
    response = client.get(f"/api/v1/rosters/imports/{job['id']}/rejected", **admin)
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(__import__("io").BytesIO(response.content)).get_sheet_by_index(0)
    data = sheet.to_python()
    assert len(data) == 2 and "身份证号" in data[1][1] and "坏号码" in [str(c) for c in data[1]]


def test_template_downloads(client, world, admin):
    for kind in ("students", "teachers"):
        response = client.get(f"/api/v1/rosters/templates/{kind}", **admin)
        assert response.status_code == 200 and response.content[:2] == b"PK"


def test_existing_make_student_is_found_by_id(client, world, admin):
    other = make_class(world.school_a, 3)
    kid = make_student(other, "已在校")
    job = preview(client, admin, csv_file([row("已在校", kid.person.reveal_id_number(), other)]))
    assert job["counts"] == {"unchanged": 1}


def _state():
    """What an import and its undo touch: people, accounts and their statuses, open enrollments, links."""
    return {
        "people": dict(Person.objects.values_list("pk", "name")),
        "accounts": dict(Account.objects.values_list("pk", "status")),
        "open": dict(Enrollment.objects.filter(ended_on=None).values_list("person_id", "school_class_id")),
        "links": set(Guardianship.objects.values_list("guardian_id", "student_id")),
        "identities": set(Identity.objects.values_list("account_id", "kind", "school_id")),
    }


def test_undo_in_many_chunks_restores_everything(client, world, admin, monkeypatch):
    """Undo reads and writes its rows a chunk at a time (core.bulk.chunks): with chunks of two rows,
    every kind of change still goes back, and the report counts each."""
    from renrentong.core import bulk
    from renrentong.rosters import services, worker

    monkeypatch.setattr(bulk, "CHUNK", 2)
    monkeypatch.setattr(worker, "CHUNK_ROWS", 2)
    a1, a2 = world.class_a1, world.class_a2
    student_a, student_a2 = world.student_a.person, world.student_a2.person
    graduated = make_student(world.class_b1, "毕业生")
    Enrollment.objects.filter(person=graduated.person).update(ended_on=date(2026, 7, 1), reason="graduated")
    Account.objects.filter(pk=graduated.pk).update(status=Account.Status.GRADUATED)
    before = _state()
    shared, other = make_phone(), make_phone()
    rows = [row(f"新同学{i}", new_id(), a1, shared if i % 2 else make_phone(), "家长") for i in range(7)]
    rows += [
        row(student_a.name, student_a.reveal_id_number(), a2),                      # move
        row("改过的名字", student_a2.reveal_id_number(), a2),                         # name corrected
        row("毕业生", graduated.person.reveal_id_number(), a1),                      # transfer in
        row("老师的孩子", new_id(), a1, world.teacher_a.phone, "王老师", parent2_phone=other),
    ]
    job = preview(client, admin, csv_file(rows))
    assert job["counts"] == {"create": 8, "move": 1, "update": 1, "transfer_in": 1}
    done = commit(client, admin, job["id"])
    assert done["status"] == "committed"
    assert Person.objects.get(pk=student_a2.pk).name == "改过的名字"
    assert Account.objects.get(pk=graduated.pk).status == "active"

    undone = client.post(f"/api/v1/rosters/imports/{job['id']}/undo", **admin).json()
    report = undone["result"]["undo"]
    assert undone["status"] == "undone"
    # 8 students and the parents of 6 new phones (one shared by three siblings).
    assert report["accounts_removed"] == 8 + 6 and report["accounts_used_since"] == 0
    assert report["moves_restored"] == 1 and report["moves_changed_since"] == 0
    assert report["links_removed"] == 9 and report["enrollments_ended"] == 2
    assert _state() == before


def test_undo_keeps_what_happened_since(client, world, admin, monkeypatch):
    """A name corrected since the import, a student moved since, an account used since: kept."""
    from renrentong.core import bulk

    monkeypatch.setattr(bulk, "CHUNK", 2)
    a1, a2 = world.class_a1, world.class_a2
    student_a, student_a2 = world.student_a.person, world.student_a2.person
    job = preview(client, admin, csv_file([
        row(student_a.name, student_a.reveal_id_number(), a2),
        row("改过的名字", student_a2.reveal_id_number(), a2),
        row("用过的", new_id(), a1),
        row("没用的", new_id(), a1),
    ]))
    commit(client, admin, job["id"])
    Person.objects.filter(pk=student_a2.pk).update(name="又改了")
    moved = Enrollment.objects.get(person=student_a, ended_on=None)
    moved.ended_on = date(2026, 11, 1)
    moved.save()
    Enrollment.objects.create(person=student_a, school_class=world.class_b1, school=world.school_b)
    Account.objects.filter(person__name="用过的").update(last_login=timezone.now())
    report = client.post(f"/api/v1/rosters/imports/{job['id']}/undo", **admin).json()["result"]["undo"]
    assert report["moves_restored"] == 0 and report["moves_changed_since"] == 1
    assert report["enrollments_changed_since"] == 1
    assert report["accounts_used_since"] == 1 and report["accounts_removed"] == 1
    assert Person.objects.get(pk=student_a2.pk).name == "又改了"
    assert Enrollment.objects.get(person=student_a, ended_on=None).school_class == world.class_b1
    assert Account.objects.get(person__name="用过的").status == "deleted"
    assert not Person.objects.filter(name="没用的").exists()


def test_commit_uses_the_previews_parse_without_reading_the_file_again(client, world, admin):
    from renrentong.rosters import worker

    rows = [row(f"学生{i}", new_id(), world.class_a1, make_phone(), "家长") for i in range(3)]
    job = preview(client, admin, csv_file(rows))
    found = ImportJob.objects.get(pk=job["id"])
    (worker.UPLOAD_DIR / found.file_path).unlink()  # what is kept beside it is enough
    done = commit(client, admin, job["id"])
    assert done["status"] == "committed" and done["result"]["applied"]["created_accounts"] == 3
    assert Account.objects.filter(person__name__startswith="学生").count() == 3


def test_commit_reads_the_file_again_when_the_kept_parse_is_gone_or_damaged(client, world, admin, chunked):
    from renrentong.rosters import worker

    other = preview(client, admin, csv_file([row("别的文件", new_id(), world.class_a1)]))
    for damage in ("remove", "truncate", "another_job"):
        rows = [row(f"学生{damage}{i}", new_id(), world.class_a1, make_phone(), "家长") for i in range(3)]
        job = preview(client, admin, csv_file(rows))
        kept = worker._parsed_path(ImportJob.objects.get(pk=job["id"]))
        assert kept.exists()
        if damage == "remove":
            kept.unlink()
        elif damage == "truncate":
            kept.write_bytes(kept.read_bytes()[:len(kept.read_bytes()) // 2])
        else:
            kept.write_bytes(worker._parsed_path(ImportJob.objects.get(pk=other["id"])).read_bytes())
        done = commit(client, admin, job["id"])
        assert done["status"] == "committed" and done["result"]["applied"]["created_accounts"] == 3
        assert Account.objects.filter(person__name__startswith=f"学生{damage}").count() == 3
        assert not kept.exists()  # dropped once the job is done
    assert not Person.objects.filter(name="别的文件").exists()


def test_mobile_check_by_block_agrees_with_phonenumbers():
    """The import asks phonenumbers once per five-digit block of 11-digit numbers (students.py); for
    every block, numbers with different endings get phonenumbers' own answer."""
    import random

    from renrentong.core.text import is_valid_mobile
    from renrentong.rosters.importers.students import _is_valid_mobile

    rng = random.Random(5)
    for block in range(10_000, 20_000):
        for ending in ("000000", "999999", f"{rng.randrange(10 ** 6):06d}"):
            phone = f"{block}{ending}"
            assert _is_valid_mobile(phone) == is_valid_mobile(phone), phone
    for phone in ("", "1381234567", "138123456789", "1381234567a", "２３８１２３４５６７８", "02188886666"):
        assert _is_valid_mobile(phone) == is_valid_mobile(phone)
