"""RES-4 pages: a teacher's books, chapter and report pages; the check, checkers, catalogue, import and queue
pages of the console; each does what its API does and refuses the same way."""

from renrentong.resources.models import Chapter, MissingTextbookReport, PrepChecker, PreparedLesson, Textbook

from tests.factories import as_user, make_teacher
from tests.resources.export_jobs import cells, page_job, written
from tests.resources.lessonprep.helpers import upload


def test_teacher_prepares_a_chapter_through_the_pages(client, world, catalogue):
    as_user(client, world.teacher_a)
    index = client.get("/lessonprep/")
    assert index.status_code == 200 and "数学 三年级上册" in index.content.decode()
    book = Textbook.objects.get(subject="数学", grade=3)
    assert client.get(f"/lessonprep/books/{book.pk}/").status_code == 200
    chapter = Chapter.objects.get(textbook=book, number="1")
    assert client.get(f"/lessonprep/chapters/{chapter.pk}/").status_code == 200
    file_id = upload(world.teacher_a)
    saved = client.post(f"/lessonprep/chapters/{chapter.pk}/", {"design": "教学设计", "courseware_ids": [file_id],
                                                               "action": "done"})
    assert saved.status_code == 302
    lesson = PreparedLesson.objects.get()
    assert lesson.state == "done" and lesson.files.count() == 1
    empty = client.post(f"/lessonprep/chapters/{Chapter.objects.get(textbook=book, number='2').pk}/",
                        {"action": "done"})
    assert empty.status_code == 400


def test_a_book_not_taught_is_refused_on_the_page(client, world, catalogue):
    as_user(client, world.teacher_a)
    physics = Textbook.objects.get(subject="物理")
    assert client.get(f"/lessonprep/books/{physics.pk}/").status_code == 403
    assert client.get("/lessonprep/books/99999999999999999999/").status_code == 404


def test_missing_report_page(client, world, catalogue):
    as_user(client, world.teacher_a)
    assert client.get("/lessonprep/missing/").status_code == 200
    sent = client.post("/lessonprep/missing/", {
        "subject": "数学", "grade": "3", "edition": "苏教版", "publisher": "江苏凤凰教育出版社",
        "cover_ids": [upload(world.teacher_a)], "copyright_ids": [upload(world.teacher_a)],
        "contents_ids": [upload(world.teacher_a)]})
    assert sent.status_code == 302 and MissingTextbookReport.objects.count() == 1
    as_user(client, world.city_admin)
    assert "苏教版" in client.get("/lessonprep/catalogue/missing/").content.decode()
    report = MissingTextbookReport.objects.get()
    client.post("/lessonprep/catalogue/missing/", {"report_id": report.pk, "action": "decline", "reason": "未选用"})
    assert MissingTextbookReport.objects.get().status == "declined"


def test_checking_and_checkers_pages(client, world, catalogue):
    checker = make_teacher(world.school_a, name="检查员")
    as_user(client, world.school_admin_a)
    assert client.get("/lessonprep/checkers/").status_code == 200
    client.post("/lessonprep/checkers/", {"action": "name", "teacher_id": checker.identities.get().pk})
    assert PrepChecker.objects.filter(ended_at__isnull=True).count() == 1
    as_user(client, checker)
    page = client.get("/lessonprep/checking/")
    assert page.status_code == 200 and "王老师" in page.content.decode()
    assert client.get(f"/lessonprep/checking/teachers/{world.teacher_a.identities.get().pk}/").status_code == 200
    export = client.get("/lessonprep/checking/?export=xlsx")
    assert export.status_code == 200
    as_user(client, world.teacher_a)
    assert client.get("/lessonprep/checking/").status_code == 403


def test_catalogue_pages_for_a_city_admin(client, world, catalogue):
    as_user(client, world.city_admin)
    assert client.get("/lessonprep/catalogue/").status_code == 200
    made = client.post("/lessonprep/catalogue/", {"subject": "科学", "grade": "3", "volume": "first",
                                                  "edition": "教科版", "publisher": "教育科学出版社"})
    assert made.status_code == 302
    book = Textbook.objects.get(subject="科学")
    client.post(f"/lessonprep/catalogue/{book.pk}/", {"action": "add", "number": "1", "title": "植物"})
    assert Chapter.objects.filter(textbook=book).count() == 1
    province_book = Textbook.objects.filter(region_id=world.province.pk).first()
    refused = client.post(f"/lessonprep/catalogue/{province_book.pk}/", {"action": "retire"})
    assert refused.status_code == 403
    assert client.get("/lessonprep/catalogue/imports/").status_code == 200
    assert client.get("/lessonprep/catalogue/imports/template/").status_code == 200


def test_the_catalogue_page_exports_what_it_lists(client, world, catalogue, monkeypatch, tmp_path):
    retired = Textbook.objects.create(region_id=world.city.pk, subject="科学", grade=3, volume="first",
                                      edition="教科版", publisher="教育科学出版社", title="旧科学")
    Textbook.objects.filter(pk=retired.pk).update(retired_at=retired.created_at)
    as_user(client, world.city_admin)
    assert 'href="?export=xlsx" data-testid="export"' in client.get("/lessonprep/catalogue/").content.decode()
    kept = client.get("/lessonprep/catalogue/", {"export": "xlsx"})
    assert kept.status_code == 200 and {"旧科学", "已停用", "义务教育教科书·数学 三年级上册"} <= set(cells(kept.content))
    as_user(client, world.school_admin_a)  # a school reads the catalogue: retired books are not on its page
    read = cells(client.get("/lessonprep/catalogue/", {"export": "xlsx"}).content)
    assert "旧科学" not in read and "义务教育教科书·数学 三年级上册" in read
    from renrentong.exports import services, worker

    monkeypatch.setattr(services, "SYNC_ROWS", 0)
    monkeypatch.setattr(worker, "EXPORT_DIR", tmp_path)
    assert "义务教育教科书·数学 三年级上册" in written(page_job(client.get("/lessonprep/catalogue/", {"export": "xlsx"})),
                                                world.school_admin_a)
    as_user(client, world.student_a)
    assert client.get("/lessonprep/catalogue/", {"export": "xlsx"}).status_code == 403
