"""RES-4: the textbook catalogue kept by province and city admins; a school sees every region's above it."""

from renrentong.core.models import AuditEvent
from renrentong.exports.models import ExportJob
from renrentong.resources.models import Chapter, Textbook

from tests.resources.export_jobs import api_job, cells, written
from tests.resources.lessonprep.helpers import call, chapter_of, refused

BOOK = {"subject": "数学", "grade": 3, "volume": "first", "edition": "北师大版", "publisher": "北京师范大学出版社",
        "title": "数学 三年级上册（北师大版）"}


def test_city_admin_adds_a_textbook_with_chapters_and_schools_below_see_it(world, catalogue):
    made = call("post", "/textbooks", world.city_admin, BOOK)
    assert made.status_code == 201, made.content
    book = made.json()
    assert book["region_id"] == world.city.pk and book["editable"]
    for number, title in (("1", "观察物体"), ("2", "加与减"), ("1.1", "看一看"), ("1.10", "第十节"), ("1.2", "搭一搭")):
        assert call("post", f"/textbooks/{book['id']}/chapters", world.city_admin,
                    {"number": number, "title": title}).status_code == 201
    detail = call("get", f"/textbooks/{book['id']}", world.teacher_a).json()
    assert [c["number"] for c in detail["chapters"]] == ["1", "1.1", "1.2", "1.10", "2"]
    assert detail["chapters"][1]["parent_id"] == chapter_of(detail, "1") and not detail["editable"]
    seen = {b["region_id"] for b in call("get", "/textbooks", world.teacher_a).json()}
    assert seen == {world.city.pk, world.province.pk}


def test_a_chapter_needs_its_parent_and_a_free_number(world, catalogue):
    book = call("post", "/textbooks", world.city_admin, BOOK).json()
    refused(call("post", f"/textbooks/{book['id']}/chapters", world.city_admin, {"number": "2.1", "title": "x"}),
            "resources.chapter_parent_missing", 400)
    refused(call("post", f"/textbooks/{book['id']}/chapters", world.city_admin, {"number": "1-2", "title": "x"}),
            "resources.chapter_number_invalid", 400)
    call("post", f"/textbooks/{book['id']}/chapters", world.city_admin, {"number": "1", "title": "观察物体"})
    refused(call("post", f"/textbooks/{book['id']}/chapters", world.city_admin, {"number": "1", "title": "again"}),
            "resources.chapter_number_taken", 409)
    refused(call("post", f"/textbooks/{book['id']}/chapters", world.city_admin, {"number": "2", "title": "  "}),
            "resources.textbook_field_missing", 400)


def test_the_same_book_twice_in_a_region_is_refused(world, catalogue):
    call("post", "/textbooks", world.city_admin, BOOK)
    refused(call("post", "/textbooks", world.city_admin, BOOK), "resources.textbook_exists", 409)
    refused(call("post", "/textbooks", world.city_admin, {**BOOK, "publisher": " "}), "resources.textbook_field_missing")


def test_a_city_admin_reads_the_province_books_but_never_edits_them(world, catalogue):
    province_book = Textbook.objects.filter(region_id=world.province.pk).first()
    body = refused(call("put", f"/textbooks/{province_book.pk}", world.city_admin, BOOK),
                   "resources.textbook_not_yours", 403)
    assert world.province.name in body["message"]
    chapter = Chapter.objects.filter(textbook=province_book).first()
    refused(call("put", f"/chapters/{chapter.pk}", world.city_admin, {"title": "x"}), "resources.textbook_not_yours")


def test_district_admins_school_admins_and_teachers_keep_no_catalogue(world, catalogue):
    for account in (world.district_admin_x, world.school_admin_a, world.teacher_a):
        refused(call("post", "/textbooks", account, BOOK), "resources.catalogue_not_allowed", 403)


def test_students_and_parents_do_not_read_the_catalogue(world, catalogue):
    for account in (world.student_a, world.parent_a):
        refused(call("get", "/textbooks", account), "resources.catalogue_not_allowed", 403)


def test_editing_renaming_retiring_restoring_and_deleting(world, catalogue):
    book = call("post", "/textbooks", world.province_admin, BOOK).json()
    one = call("post", f"/textbooks/{book['id']}/chapters", world.province_admin, {"number": "1", "title": "a"}).json()
    call("post", f"/textbooks/{book['id']}/chapters", world.province_admin, {"number": "1.1", "title": "b"})
    edited = call("put", f"/textbooks/{book['id']}", world.province_admin, {**BOOK, "title": "新书名"}).json()
    assert edited["title"] == "新书名"
    assert call("put", f"/chapters/{one['id']}", world.province_admin, {"title": "观察"}).json()["title"] == "观察"
    assert call("post", f"/textbooks/{book['id']}/retire", world.province_admin, {}).json()["retired"]
    assert book["id"] not in {b["id"] for b in call("get", "/textbooks", world.teacher_a).json()}
    assert not call("post", f"/textbooks/{book['id']}/retire", world.province_admin, {"retired": False}).json()["retired"]
    assert call("delete", f"/chapters/{one['id']}", world.province_admin).status_code == 204
    assert not Chapter.objects.filter(textbook_id=book["id"]).exists()  # with its section


def test_an_unknown_or_foreign_textbook_is_not_found(world, catalogue):
    refused(call("get", "/textbooks/999999", world.teacher_a), "resources.textbook_not_found", 404)
    refused(call("put", "/chapters/999999", world.city_admin, {"title": "x"}), "resources.chapter_not_found", 404)


def test_the_catalogue_exports_with_the_lists_filters(world, catalogue):
    book = call("post", "/textbooks", world.city_admin, {**BOOK, "title": "=HYPERLINK(\"http://x\")"}).json()
    call("post", f"/textbooks/{book['id']}/chapters", world.city_admin, {"number": "1", "title": "观察物体"})
    response = call("get", "/textbooks.xlsx", world.teacher_a, subject="数学", grade=3)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    found = cells(response.content)
    assert "教材名称" in found and "义务教育教科书·数学 三年级上册" in found and "北师大版" in found
    assert "义务教育教科书·语文 三年级上册" not in found and "义务教育教科书·数学 七年级上册" not in found
    assert not any(c.startswith("=") for c in found)  # formula-safe
    event = AuditEvent.objects.get(verb="resources.catalogue_export")
    assert event.details["rows"] == 2 and event.details["subject"] == "数学"
    own = cells(call("get", "/textbooks.xlsx", world.city_admin, own_only=True).content)
    assert "北师大版" in own and "义务教育教科书·数学 三年级上册" not in own
    refused(call("get", "/textbooks.xlsx", world.student_a), "resources.catalogue_not_allowed", 403)


def test_a_long_catalogue_exports_as_a_task(world, catalogue, big_exports):
    refused(call("get", "/textbooks.xlsx", world.parent_a), "resources.catalogue_not_allowed", 403)
    assert not ExportJob.objects.exists()
    job_id = api_job(call("get", "/textbooks.xlsx", world.school_admin_a, subject="英语"))
    made = written(job_id, world.school_admin_a)
    assert "义务教育教科书·英语（PEP）四年级上册" in made and "义务教育教科书·数学 三年级上册" not in made
