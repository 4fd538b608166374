"""RES-4: the catalogue imported from a spreadsheet on the roster machinery: one row per chapter, per-row
preview with reasons and who can fix them, background commit, re-import idempotent, undo."""

from django.test import Client

from renrentong.resources.models import Chapter, Textbook

from tests.factories import as_user
from tests.resources.lessonprep.helpers import (
    call, chapter_of, commit, imported, preview, refused, row, rows_of,
)

CHEMISTRY = [row("1", "走进化学世界", book_title="化学 九年级上册"), row("1.1", "物质的变化和性质"),
             row("1.2", "化学是一门以实验为基础的科学"), row("2", "我们周围的空气")]


def test_city_admin_imports_a_book_and_its_contents(world, catalogue):
    job = preview(world.city_admin, CHEMISTRY)
    assert job["status"] == "previewed" and job["counts"] == {"create": 4}
    assert not Textbook.objects.filter(subject="化学").exists()
    job = commit(world.city_admin, job["id"])
    assert job["status"] == "committed" and job["result"]["applied"]["chapters_created"] == 4
    book = Textbook.objects.get(subject="化学")
    assert (book.region_id, book.grade, book.volume, book.title) == (world.city.pk, 9, "first", "化学 九年级上册")
    assert [c.number for c in Chapter.objects.filter(textbook=book).order_by("position")] == ["1", "1.1", "1.2", "2"]
    assert Chapter.objects.get(textbook=book, number="1.2").parent.number == "1"


def test_reimport_changes_nothing_and_a_new_section_is_added(world, catalogue):
    imported(world.city_admin, CHEMISTRY)
    again = imported(world.city_admin, CHEMISTRY + [row("2.1", "空气")])
    assert again["counts"] == {"unchanged": 4, "create": 1}
    assert Chapter.objects.filter(textbook__subject="化学").count() == 5


def test_bad_rows_are_refused_one_by_one_with_who_can_fix(world, catalogue):
    imported(world.city_admin, CHEMISTRY)
    job = preview(world.city_admin, [
        row("3", "物质构成的奥秘"),
        row("1", "另一个标题"),
        row("5.1", "没有上级"),
        row("3", "物质构成的奥秘"),
        row("1..2", "x"),
        row("4", "x", grade="十三年级"),
        row("4", "x", volume="中册"),
        row("", "x"),
    ])
    found = rows_of(world.city_admin, job["id"])
    assert found[2]["outcome"] == "create"
    assert [found[n]["reason"] for n in range(3, 10)] == [
        "textbook_title_differs", "textbook_parent_missing", "textbook_duplicate_in_file", "textbook_bad_number",
        "textbook_bad_grade", "textbook_bad_volume", "textbook_missing_field"]
    assert all(found[n]["who_can_fix"] == "the admin who prepared the file" for n in range(3, 10))
    assert "走进化学世界" in found[3]["message"]
    rejected = call("get", f"/imports/{job['id']}/rejected", world.city_admin)
    assert rejected.status_code == 200
    # The job's page lists the same rows, the refused ones marked bad with their reason.
    client = Client()
    as_user(client, world.city_admin)
    page = client.get(f"/lessonprep/catalogue/imports/{job['id']}/", {"outcome": "error"}).content.decode()
    assert 'data-testid="rows"' in page and page.count('data-outcome="error"') == 7 and "走进化学世界" in page


def test_a_retired_book_takes_no_rows(world, catalogue):
    imported(world.city_admin, CHEMISTRY)
    Textbook.objects.filter(subject="化学").update(retired_at="2026-10-01T00:00:00Z")
    job = preview(world.city_admin, [row("3", "物质构成的奥秘")])
    assert rows_of(world.city_admin, job["id"])[2]["reason"] == "textbook_retired"


def test_undo_removes_the_import_but_keeps_a_prepared_chapter(world, catalogue):
    first = imported(world.city_admin, [row("1", "走进化学世界", subject="数学", grade="3", volume="下册"),
                                        row("2", "位置与方向", subject="数学", grade="3", volume="下册")])
    book = call("get", "/textbooks", world.teacher_a, subject="数学", grade=3).json()
    spring = next(b for b in book if b["volume"] == "second")
    detail = call("get", f"/textbooks/{spring['id']}", world.teacher_a).json()
    call("put", f"/my/chapters/{chapter_of(detail, '1')}", world.teacher_a, {"design": "x"})
    undone = call("post", f"/imports/{first['id']}/undo", world.city_admin).json()
    assert undone["status"] == "undone"
    assert undone["result"]["undo"] == {"chapters_removed": 1, "chapters_kept": 1, "textbooks_removed": 0}
    assert list(Chapter.objects.filter(textbook_id=spring["id"]).values_list("number", flat=True)) == ["1"]


def test_undo_of_a_whole_new_book_removes_the_book(world, catalogue):
    job = imported(world.province_admin, CHEMISTRY)
    call("post", f"/imports/{job['id']}/undo", world.province_admin)
    assert not Textbook.objects.filter(subject="化学").exists()


def test_imports_are_the_catalogue_admins_own(world, catalogue):
    job = preview(world.city_admin, CHEMISTRY)
    refused(call("get", f"/imports/{job['id']}", world.province_admin), "resources.catalogue_import_not_found", 404)
    refused(call("get", "/imports", world.school_admin_a), "resources.catalogue_not_allowed", 403)
    assert call("get", "/imports/template", world.city_admin).status_code == 200
    assert call("post", f"/imports/{job['id']}/cancel", world.city_admin).json()["status"] == "cancelled"
