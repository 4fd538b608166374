"""EVA-6: academic scores imported on the roster machinery: per-row preview, commit, refusals by row (never
the file), re-import idempotent, undo restoring what an import overwrote, who may import what."""

from decimal import Decimal

import pytest

from renrentong.evaluation.models import AcademicScore, AcademicScoreChange

from tests.evaluation.scores.helpers import (
    by_account, by_id_number, by_national, commit, get, imported, post, preview, rows_of, upload,
)
from tests.factories import make_student


def scores():
    return {(s.student_id, s.item.code): s.score for s in AcademicScore.objects.select_related("item")}


def test_school_admin_imports_school_items_by_account_national_and_id_number(world, catalogue):
    a, a2 = world.student_a, world.student_a2
    other = make_student(world.class_a1, "王小五")
    job = preview(world.school_admin_a, [
        by_account(a, "体育平时成绩", "88.5"),
        by_national(a2, "pe_daily", "90"),
        by_id_number(other, "艺术平时成绩", "７５"),
    ])
    assert job["status"] == "previewed" and job["counts"] == {"create": 3}
    assert AcademicScore.objects.count() == 0  # the preview writes nothing but the job's rows
    job = commit(world.school_admin_a, job["id"])
    assert job["status"] == "committed" and job["result"]["applied"]["scores_created"] == 3
    assert scores() == {(a.person_id, "pe_daily"): Decimal("88.5"), (a2.person_id, "pe_daily"): Decimal("90"),
                        (other.person_id, "art_daily"): Decimal("75")}
    row = AcademicScore.objects.get(student=a.person)
    assert (row.school_id, row.class_id, row.school_year) == (world.school_a.pk, world.class_a1.pk, 2026)


def test_city_admin_imports_city_items_for_every_school_below_in_one_file(world, catalogue):
    job = imported(world.city_admin, [
        by_account(world.student_a, "英语人机对话成绩", "95"),
        by_account(world.student_b, "chinese_dialogue", "87"),
        by_account(world.student_a2, "艺术考查成绩", "60"),
    ])
    assert job["status"] == "committed" and job["counts"] == {"create": 3}
    assert {s.school_id for s in AcademicScore.objects.all()} == {world.school_a.pk, world.school_b.pk}


def test_reimport_is_idempotent_and_a_changed_score_updates(world, catalogue):
    rows = [by_account(world.student_a, "体育平时成绩", "80"), by_account(world.student_a2, "体育平时成绩", "70")]
    first = imported(world.school_admin_a, rows)
    again = imported(world.school_admin_a, rows)
    assert again["counts"] == {"unchanged": 2} and again["result"]["applied"]["scores_created"] == 0
    assert AcademicScore.objects.count() == 2
    assert set(AcademicScore.objects.values_list("import_job_id", flat=True)) == {first["id"]}
    changed = imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "85"), rows[1]])
    assert changed["counts"] == {"update": 1, "unchanged": 1}
    assert scores()[(world.student_a.person_id, "pe_daily")] == Decimal("85")


def test_undo_removes_new_scores_and_restores_overwritten_ones(world, catalogue):
    admin = world.school_admin_a
    first = imported(admin, [by_account(world.student_a, "体育平时成绩", "80")])
    second = imported(admin, [by_account(world.student_a, "体育平时成绩", "85"),
                              by_account(world.student_a2, "体育平时成绩", "70")])
    undone = post(admin, f"/imports/{second['id']}/undo").json()
    assert undone["status"] == "undone"
    assert undone["result"]["undo"] == {"scores_removed": 1, "scores_restored": 1, "scores_kept": 0}
    assert scores() == {(world.student_a.person_id, "pe_daily"): Decimal("80")}
    assert AcademicScore.objects.get().import_job_id == first["id"]
    assert not AcademicScoreChange.objects.exists()
    post(admin, f"/imports/{first['id']}/undo")
    assert not AcademicScore.objects.exists()


def test_undoing_an_import_overwritten_since_keeps_the_later_value_and_chains_back(world, catalogue):
    admin = world.school_admin_a
    first = imported(admin, [by_account(world.student_a, "体育平时成绩", "80")])
    second = imported(admin, [by_account(world.student_a, "体育平时成绩", "85")])
    third = imported(admin, [by_account(world.student_a, "体育平时成绩", "90")])
    report = post(admin, f"/imports/{second['id']}/undo").json()["result"]["undo"]
    assert report == {"scores_removed": 0, "scores_restored": 0, "scores_kept": 1}
    assert scores()[(world.student_a.person_id, "pe_daily")] == Decimal("90")
    post(admin, f"/imports/{third['id']}/undo")  # back to what the first import wrote, not the undone second's
    score = AcademicScore.objects.get()
    assert (score.score, score.import_job_id) == (Decimal("80"), first["id"])


def test_undo_of_a_created_score_overwritten_since_leaves_the_later_import_nothing_to_restore(world, catalogue):
    admin = world.school_admin_a
    first = imported(admin, [by_account(world.student_a, "体育平时成绩", "80")])
    second = imported(admin, [by_account(world.student_a, "体育平时成绩", "85")])
    post(admin, f"/imports/{first['id']}/undo")
    assert scores() == {(world.student_a.person_id, "pe_daily"): Decimal("85")}
    post(admin, f"/imports/{second['id']}/undo")
    assert not AcademicScore.objects.exists()


def test_rows_are_refused_one_by_one_with_reasons_and_who_can_fix(world, catalogue):
    a, a2 = world.student_a, world.student_a2
    third = make_student(world.class_a2, "赵小三")
    bad_id = a.person.reveal_id_number()[:-1] + ("0" if a.person.reveal_id_number()[-1] != "0" else "1")
    job = preview(world.school_admin_a, [
        by_account(a, "体育平时成绩", "101"),                                  # 2 out of range
        by_account(a2, "体育平时成绩", "88.25"),                               # 3 too precise
        by_account(third, "体育平时成绩", "优"),                               # 4 not a number
        by_account(a, "体育平时成绩", "90", name="李大明"),                     # 5 name mismatch
        by_account(world.student_b, "体育平时成绩", "90"),                     # 6 another school's student
        by_account(a, "英语人机对话成绩", "90"),                                # 7 the city's item
        by_account(a, "志愿服务", "90"),                                        # 8 an uploaded item
        by_account(a, "不存在的项目", "90"),                                    # 9 unknown item
        ["无号码", "", "", "", "体育平时成绩", "90"],                          # 10 no key
        ["坏号码", "", "", bad_id, "体育平时成绩", "90"],                       # 11 invalid ID number
        ["", a.number, "", "", "体育平时成绩", "90"],                          # 12 missing name
        by_account(a, "", "90"),                                               # 13 missing item
        by_account(a, "体育平时成绩", ""),                                      # 14 missing score
        [a.person.name, "99999999", "", "", "体育平时成绩", "90"],               # 15 unknown account
        [a.person.name, a.number, "", a2.person.reveal_id_number(), "体育平时成绩", "90"],  # 16 keys differ
        by_account(a, "体质健康测试成绩", "110"),                               # 17 goes in (0-120)
        by_id_number(a, "体质健康测试成绩", "100"),                             # 18 duplicate of row 17
    ])
    assert job["status"] == "previewed" and job["total_rows"] == 17
    rows = rows_of(world.school_admin_a, job["id"])
    got = {n: (r["outcome"], r["reason"]) for n, r in rows.items()}
    assert got == {
        2: ("error", "score_out_of_range"), 3: ("error", "score_too_precise"), 4: ("error", "score_not_a_number"),
        5: ("error", "score_name_mismatch"), 6: ("error", "score_other_school"),
        7: ("error", "score_item_city_imports"), 8: ("error", "score_item_uploaded"),
        9: ("error", "score_unknown_item"), 10: ("error", "score_no_key"), 11: ("error", "score_invalid_id_number"),
        12: ("error", "score_missing_name"), 13: ("error", "score_missing_item"),
        14: ("error", "score_missing_score"), 15: ("error", "score_unknown_student"),
        16: ("error", "score_keys_differ"), 17: ("create", ""), 18: ("error", "score_duplicate_in_file"),
    }
    assert rows[2]["message"] == "The score 101 is outside the range of “体育平时成绩”, 0 to 100."
    assert rows[3]["message"] == "The score 88.25: scores of “体育平时成绩” have at most 1 decimal places."
    other = rows[6]
    assert "陈*红" in other["message"] and "陈小红" not in other["message"]
    assert other["who_can_fix"] == "the admin of the student's school"
    assert rows[7]["who_can_fix"] == "the city admin"
    assert rows[5]["message"].startswith("The name differs from the student 李*明")
    assert rows[18]["message"] == "The same student and item as row 17; this row was not imported."
    assert all(r["who_can_fix"] for n, r in rows.items() if n != 17)
    # The ID numbers in the rows the page and API show are masked (NFR-1).
    assert a2.person.reveal_id_number() not in str(rows[16]["original"])
    job = commit(world.school_admin_a, job["id"])
    assert job["status"] == "committed" and job["result"]["applied"]["scores_created"] == 1


def test_a_student_of_another_city_is_refused_for_the_city_admin_too(world, catalogue):
    from renrentong.orgs.models import Region

    from tests.factories import SchoolFactory, make_class

    elsewhere = Region.objects.create(kind="city", name="株洲市", code="430200", parent=world.province)
    district = Region.objects.create(kind="district", name="荷塘区", code="430202", parent=elsewhere)
    stranger = make_student(make_class(SchoolFactory(district=district)), "钱小七")
    job = preview(world.city_admin, [by_account(stranger, "英语人机对话成绩", "90"),
                                     by_account(world.student_a, "体育平时成绩", "90")])
    rows = rows_of(world.city_admin, job["id"])
    assert (rows[2]["reason"], rows[3]["reason"]) == ("score_other_school", "score_item_school_imports")


def test_the_same_student_under_two_keys_in_two_chunks_is_written_once(world, catalogue, monkeypatch):
    from renrentong.rosters import worker

    monkeypatch.setattr(worker, "CHUNK_ROWS", 1)
    job = imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "80"),
                                          by_id_number(world.student_a, "体育平时成绩", "81")])
    rows = rows_of(world.school_admin_a, job["id"])
    assert (rows[2]["outcome"], rows[3]["outcome"]) == ("create", "error")
    assert scores()[(world.student_a.person_id, "pe_daily")] == Decimal("80")


def test_a_file_without_the_required_columns_fails_as_a_whole_with_the_reason(world, catalogue):
    job = preview(world.school_admin_a, [["李小明", "90"]], headers=["姓名", "分数"])
    assert job["status"] == "failed" and job["error_code"] == "import.header_missing"


@pytest.mark.parametrize("who", ["teacher_a", "student_a", "parent_a", "district_admin_x", "province_admin"])
def test_only_the_city_admin_and_school_admins_import_scores(world, catalogue, who):
    response = upload(getattr(world, who), [by_account(world.student_a, "体育平时成绩", "80")])
    assert response.status_code == 403 and response.json()["code"] == "evaluation.scores_not_allowed"


def test_a_score_import_is_not_found_by_another_school_or_level_nor_through_the_roster_api(world, catalogue):
    job = preview(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "80")])
    for other in (world.school_admin_b, world.city_admin):
        response = get(other, f"/imports/{job['id']}")
        assert response.status_code == 404 and response.json()["code"] == "evaluation.score_import_not_found"
        assert post(other, f"/imports/{job['id']}/commit").status_code == 404
    from django.test import Client

    from tests.factories import bearer

    for admin in (world.school_admin_a, world.district_admin_x):
        roster_api = Client().post(f"/api/v1/rosters/imports/{job['id']}/undo", **bearer(admin))
        assert roster_api.status_code == 404
    sneaky = Client().post("/api/v1/rosters/imports", {"file": upload.__globals__["score_file"](
        [by_account(world.student_a, "体育平时成绩", "80")]), "kind": "scores"}, **bearer(world.school_admin_a))
    assert sneaky.status_code in (400, 422)


def test_wrong_state_actions_are_refused(world, catalogue):
    job = imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "80")])
    response = post(world.school_admin_a, f"/imports/{job['id']}/commit")
    assert response.status_code == 409 and response.json()["code"] == "import.wrong_state"


def test_an_id_number_turned_into_a_number_a_student_in_no_class_and_a_retired_item_are_refused(world, catalogue):
    from django.utils import timezone

    from renrentong.accounts.models import Enrollment
    from renrentong.evaluation.models import EvidenceItem

    left = make_student(world.class_a1, "离校生")
    Enrollment.objects.filter(person=left.person).update(ended_on=timezone.localdate())
    EvidenceItem.objects.filter(code="art_daily").update(retired_at=timezone.now())
    job = preview(world.school_admin_a, [
        [world.student_a.person.name, "", "", "4.30102E+17", "体育平时成绩", "80"],
        by_account(left, "体育平时成绩", "80"),
        by_account(world.student_a, "艺术平时成绩", "80"),
    ])
    rows = rows_of(world.school_admin_a, job["id"])
    assert [rows[n]["reason"] for n in (2, 3, 4)] == [
        "score_id_number_as_number", "score_not_enrolled", "score_item_retired"]
    assert rows[3]["message"] == ("The student 离*生 (" + left.number[:2] + "****" + left.number[-2:] + ") is in no "
                                  "class at the moment, so no score can be imported; the school admin puts them in a "
                                  "class first.")
    assert rows[4]["who_can_fix"] == "the city admin"


def test_a_student_this_import_wrote_under_another_key_is_refused_not_overwritten(world, catalogue):
    """The preview refuses a second row for the same student and item; should a chunk still meet a score this
    same import wrote (the student's keys changed between preview and commit), it refuses the row rather than
    overwrite the file's first value, and undo stays exact."""
    from datetime import date

    from renrentong.evaluation.scores.importer import ScoreRow, apply_chunk, scope_of

    job = imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "88")])
    row = ScoreRow(3, [], scope_of({}, world.school_a.pk), name=world.student_a.person.name,
                   account=world.student_a.number, item_text="体育平时成绩", score="90")
    result = apply_chunk(job["id"], world.school_admin_a.pk, [row], date.today())
    assert (row.outcome, row.reason, result.rows_refused) == ("error", "score_written_twice", 1)
    assert AcademicScore.objects.get(student_id=world.student_a.person_id).score == Decimal("88")
