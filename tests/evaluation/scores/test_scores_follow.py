"""Scores follow the person (issue 14 item 8): after a transfer the new school sees a student's imported scores
and the old one does not; the archive (综合素质档案) prints them."""

from __future__ import annotations

from renrentong.evaluation.models import AcademicScore, AcademicScoreChange

from tests.evaluation.archive.test_archive import archive, text_of
from tests.evaluation.archive.test_transfers import transfer
from tests.evaluation.scores.helpers import by_account, get, imported


def test_a_transferred_students_scores_move_to_the_new_school_with_their_undo_bookkeeping(world, catalogue):
    imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "80")])
    imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "88.5")])  # overwrites: a change row
    transfer(world, world.student_a, world.school_b, world.class_b1, world.school_admin_a, world.school_admin_b)

    row = AcademicScore.objects.get(student_id=world.student_a.person_id)
    assert (row.school_id, row.class_id) == (world.school_b.pk, world.class_b1.pk)
    assert set(AcademicScoreChange.objects.values_list("school_id", flat=True)) == {world.school_b.pk}
    new_school = get(world.school_admin_b, "").json()
    assert [(s["student_name"], s["score"]) for s in new_school["items"]] == [(world.student_a.person.name, "88.5")]
    assert get(world.school_admin_a, "").json()["total"] == 0


def test_the_archive_prints_the_imported_scores(world, catalogue):
    imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "88.5")])
    status, pdf = archive(world.student_a, world.student_a)
    assert status == 200
    text = text_of(pdf)
    assert "体育平时成绩" in text and "88.5" in text
