"""RES-4: a teacher prepares per chapter of the books matching the subjects and grades they teach (ADM-2):
teaching design, courseware and exercises; drafts and done; checkers and school admins see the figures."""

from django.test import Client

from renrentong.resources.models import PreparedLesson, Textbook

from renrentong.exports.models import ExportJob

from tests.factories import bearer, make_teacher
from tests.resources.export_jobs import api_job, written
from tests.resources.lessonprep.helpers import book_by_subject, call, chapter_of, refused, upload, upload_pdf


def test_teacher_sees_what_they_teach_and_the_matching_books(world, catalogue):
    assert call("get", "/teaching", world.teacher_a).json()[0] | {"classes": []} == {
        "subject": "数学", "grade": 3, "classes": []}
    books = call("get", "/my/textbooks", world.teacher_a).json()
    assert [(b["subject"], b["grade"]) for b in books] == [("数学", 3)]


def test_teacher_prepares_a_chapter_as_a_draft_then_done_with_files(world, catalogue):
    book = book_by_subject(world.teacher_a, "数学", 3)
    chapter = chapter_of(book, "3.1")
    assert call("get", f"/my/chapters/{chapter}", world.teacher_a).json()["state"] == "none"
    draft = call("put", f"/my/chapters/{chapter}", world.teacher_a, {"design": "教学目标：认识毫米、分米"}).json()
    assert draft["state"] == "draft"
    courseware, sheet = upload_pdf(world.teacher_a), upload(world.teacher_a)
    done = call("put", f"/my/chapters/{chapter}", world.teacher_a, {
        "design": "教学目标：认识毫米、分米", "exercises": "1. 量一量铅笔的长度", "courseware_ids": [courseware],
        "exercise_file_ids": [sheet], "done": True})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["state"] == "done" and {f["role"] for f in body["files"]} == {"courseware", "exercise"}
    file_link = next(f["url"] for f in body["files"] if f["role"] == "courseware")
    assert Client().get(file_link, **bearer(world.teacher_a)).status_code == 200
    states = {c["number"]: c["lesson_state"] for c in call("get", f"/textbooks/{book['id']}", world.teacher_a).json()[
        "chapters"]}
    assert states["3.1"] == "done" and states["1"] is None
    assert PreparedLesson.objects.get().school_id == world.school_a.pk


def test_marking_an_empty_lesson_done_is_refused(world, catalogue):
    chapter = chapter_of(book_by_subject(world.teacher_a, "数学", 3), "1")
    refused(call("put", f"/my/chapters/{chapter}", world.teacher_a, {"done": True}), "resources.prep_empty", 400)


def test_a_book_the_teacher_does_not_teach_is_refused_naming_the_school_admin(world, catalogue):
    chapter = chapter_of(book_by_subject(world.teacher_a, "物理", 8), "1")
    body = refused(call("put", f"/my/chapters/{chapter}", world.teacher_a, {"design": "x"}),
                   "resources.prep_not_teaching", 403)
    assert body["who_can_fix"] == "the school admin"


def test_another_accounts_file_cannot_be_attached(world, catalogue):
    chapter = chapter_of(book_by_subject(world.teacher_a, "数学", 3), "1")
    foreign = upload(world.head_teacher_a)
    refused(call("put", f"/my/chapters/{chapter}", world.teacher_a, {"courseware_ids": [foreign]}),
            "resources.prep_file_not_yours", 400)


def test_only_teachers_prepare(world, catalogue):
    chapter = chapter_of(book_by_subject(world.teacher_a, "数学", 3), "1")
    refused(call("put", f"/my/chapters/{chapter}", world.school_admin_a, {"design": "x"}),
            "resources.prep_teachers_only", 403)


def test_a_retired_book_takes_no_new_lessons_but_keeps_the_old(world, catalogue):
    book = book_by_subject(world.teacher_a, "数学", 3)
    first, second = chapter_of(book, "1"), chapter_of(book, "2")
    call("put", f"/my/chapters/{first}", world.teacher_a, {"design": "x"})
    Textbook.objects.filter(pk=book["id"]).update(retired_at="2026-10-01T00:00:00Z")
    refused(call("put", f"/my/chapters/{second}", world.teacher_a, {"design": "y"}),
            "resources.textbook_retired_for_prep", 409)
    assert call("put", f"/my/chapters/{first}", world.teacher_a, {"design": "z", "done": True}).json()["state"] == "done"


def test_a_chapter_with_a_prepared_lesson_cannot_be_deleted(world, catalogue):
    chapter = chapter_of(book_by_subject(world.teacher_a, "数学", 3), "3.2")
    call("put", f"/my/chapters/{chapter}", world.teacher_a, {"design": "x"})
    parent = chapter_of(book_by_subject(world.teacher_a, "数学", 3), "3")
    refused(call("delete", f"/chapters/{parent}", world.province_admin), "resources.chapter_has_lessons", 409)


def test_school_admin_names_a_checker_who_sees_each_teachers_figure_and_comments(world, catalogue):
    book = book_by_subject(world.teacher_a, "数学", 3)
    for number in ("1", "2"):
        call("put", f"/my/chapters/{chapter_of(book, number)}", world.teacher_a, {"design": "x", "done": True})
    call("put", f"/my/chapters/{chapter_of(book, '3')}", world.teacher_a, {"design": "draft"})
    checker = make_teacher(world.school_a, name="检查员老师")
    refused(call("get", "/checking/teachers", checker), "resources.prep_not_checker", 403)
    teacher_id = checker.identities.get().pk
    named = call("post", "/checkers", world.school_admin_a, {"teacher_id": teacher_id})
    assert named.status_code == 201, named.content
    rows = {r["name"]: r for r in call("get", "/checking/teachers", checker).json()}
    assert (rows["王老师"]["prepared"], rows["王老师"]["drafts"], rows["王老师"]["total"]) == (2, 1, 11)
    teacher = world.teacher_a.identities.get().pk
    lessons = call("get", f"/checking/teachers/{teacher}", checker).json()
    assert len(lessons) == 3
    said = call("post", f"/checking/lessons/{lessons[0]['id']}/comments", checker, {"text": "设计清楚，请补充习题"})
    assert said.status_code == 201
    seen = call("get", f"/my/chapters/{chapter_of(book, '1')}", world.teacher_a).json()
    assert [c["text"] for c in seen["comments"]] == ["设计清楚，请补充习题"]
    refused(call("post", f"/checking/lessons/{lessons[0]['id']}/comments", checker, {"text": " "}),
            "resources.prep_comment_empty", 400)
    export = call("get", "/checking/teachers.xlsx", world.school_admin_a)
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    checker_row = call("get", "/checkers", world.school_admin_a).json()[0]
    assert call("delete", f"/checkers/{checker_row['id']}", world.school_admin_a).status_code == 204
    refused(call("get", "/checking/teachers", checker), "resources.prep_not_checker", 403)
    refused(call("delete", f"/checkers/{checker_row['id']}", world.school_admin_a), "resources.prep_checker_not_found")


def test_only_the_school_admin_names_checkers_and_only_its_teachers(world, catalogue):
    refused(call("post", "/checkers", world.teacher_a, {"teacher_id": 1}), "resources.prep_school_admins_only", 403)
    other = world.teacher_b.identities.get().pk
    refused(call("post", "/checkers", world.school_admin_a, {"teacher_id": other}),
            "resources.prep_checker_not_teacher", 404)


def test_a_checker_never_sees_another_schools_teacher_or_lesson(world, catalogue):
    book = book_by_subject(world.teacher_b, "数学", 3)
    call("put", f"/my/chapters/{chapter_of(book, '1')}", world.teacher_b, {"design": "x"})
    lesson = PreparedLesson.objects.get()
    refused(call("get", f"/checking/teachers/{world.teacher_b.identities.get().pk}", world.school_admin_a),
            "resources.prep_teacher_not_found", 404)
    refused(call("post", f"/checking/lessons/{lesson.pk}/comments", world.school_admin_a, {"text": "x"}),
            "resources.prep_lesson_not_found", 404)
    assert "孙老师" not in {r["name"] for r in call("get", "/checking/teachers", world.school_admin_a).json()}


def test_an_overlong_design_is_refused(world, catalogue):
    from renrentong.resources.lessonprep.services import LessonDraft, save_lesson
    from tests.evaluation.helpers import actor

    import pytest
    from renrentong.core.errors import UserFacingError

    chapter = chapter_of(book_by_subject(world.teacher_a, "数学", 3), "1")
    with pytest.raises(UserFacingError) as refusal:
        save_lesson(actor(world.teacher_a), chapter, LessonDraft(design="x" * 20_001))
    assert refusal.value.code == "resources.prep_text_too_long"


def test_a_large_schools_overview_exports_as_a_task(world, catalogue, big_exports):
    refused(call("get", "/checking/teachers.xlsx", world.teacher_a), "resources.prep_not_checker", 403)
    assert not ExportJob.objects.exists()  # refused before any job is made
    job_id = api_job(call("get", "/checking/teachers.xlsx", world.school_admin_a))
    made = written(job_id, world.school_admin_a)
    assert "教师" in made and "王老师" in made
