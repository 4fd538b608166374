"""NFR-2 for lesson preparation (RES-4): school B's teachers, lessons, prep checkers and missing-textbook reports
stay out of reach of every role of school A and district X (a prep checker of school A included), and another
city's textbooks and catalogue imports out of reach of this city's and the province's admins; whatever id is put
in a URL or a body, every refusal has the one error shape."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from renrentong.demo.textbooks import install_demo_textbooks
from renrentong.orgs.models import Region
from renrentong.resources.models import PrepChecker
from renrentong.rosters import worker
from renrentong.rosters.models import ImportJob

from tests.accounts.test_scope_matrix import ROLES_OF_A
from tests.factories import as_user, bearer, make_region_admin, make_teacher
from tests.platform.test_scope_matrix_messaging import assert_refused
from tests.resources.lessonprep.helpers import catalogue_file, row
from tests.uploads.files import image

API = "/api/v1/lessonprep"


def _call(method, path, account, body=None):
    headers = bearer(account)
    if method == "get":
        return Client().get(API + path, **headers)
    if method == "delete":
        return Client().delete(API + path, **headers)
    return getattr(Client(), method)(API + path, json.dumps(body or {}), content_type="application/json", **headers)


def _photo(account) -> int:
    stream = io.BytesIO(image())
    stream.name = "p.jpg"
    return Client().post("/api/v1/files", {"file": stream}, **bearer(account)).json()["id"]


@pytest.fixture
def objects(world):
    """School B's teacher with a lesson and a missing-textbook report; a checker at school A and one at school B;
    another city with its own textbook, admin and catalogue import (previewed, waiting for its commit)."""
    install_demo_textbooks(world.province)
    book = _call("get", "/my/textbooks", world.teacher_b).json()[0]
    detail = _call("get", f"/textbooks/{book['id']}", world.teacher_b).json()
    chapter = detail["chapters"][0]["id"]
    lesson = _call("put", f"/my/chapters/{chapter}", world.teacher_b, {"design": "B 校教案", "done": True}).json()
    report = _call("post", "/missing", world.teacher_b, {
        "subject": "数学", "grade": 3, "edition": "苏教版", "publisher": "江苏凤凰教育出版社",
        "cover_ids": [_photo(world.teacher_b)], "copyright_ids": [_photo(world.teacher_b)],
        "contents_ids": [_photo(world.teacher_b)]}).json()
    checker = make_teacher(world.school_a, name="甲校检查员")
    _call("post", "/checkers", world.school_admin_a, {"teacher_id": checker.identities.get().pk})
    other_city = Region.objects.create(kind="city", name="株洲市", code="430200", parent=world.province)
    other_admin = make_region_admin(other_city, "株洲管理员")
    other_book = _call("post", "/textbooks", other_admin, {"subject": "数学", "grade": 3, "volume": "first",
                                                           "edition": "湘教版", "publisher": "湖南教育出版社"}).json()
    other_chapter = _call("post", f"/textbooks/{other_book['id']}/chapters", other_admin,
                          {"number": "1", "title": "一"}).json()
    checker_b = make_teacher(world.school_b, name="乙校检查员")
    named_b = _call("post", "/checkers", world.school_admin_b, {"teacher_id": checker_b.identities.get().pk}).json()
    upload = Client().post(API + "/imports", {"file": catalogue_file([row("1", "走进化学世界")])}, **bearer(other_admin))
    worker.run_preview(upload.json()["id"])
    assert ImportJob.objects.get(pk=upload.json()["id"]).status == "previewed"
    return {"teacher": world.teacher_b.identities.get().pk, "lesson": lesson["id"], "report": report["id"],
            "checker": checker, "other_admin": other_admin, "book": other_book["id"],
            "chapter": other_chapter["id"], "checker_b": named_b["id"], "import": upload.json()["id"]}


ROLES = ROLES_OF_A + ["checker_a"]


def _account(world, objects, role):
    return objects["checker"] if role == "checker_a" else getattr(world, role)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_of_school_a_sees_or_comments_on_school_bs_teachers(world, objects, role):
    account = _account(world, objects, role)
    assert_refused(_call("get", f"/checking/teachers/{objects['teacher']}", account), (403, 404))
    assert_refused(_call("post", f"/checking/lessons/{objects['lesson']}/comments", account, {"text": "x"}), (403, 404))
    overview = _call("get", "/checking/teachers", account)
    if overview.status_code == 200:
        assert objects["teacher"] not in [t["teacher_id"] for t in overview.json()]
    else:
        assert_refused(overview, (403,))
    if role in ("checker_a", "school_admin_a"):
        assert _call("get", f"/checking/teachers/{objects['teacher']}", account).json()["code"] == \
            "resources.prep_teacher_not_found"


@pytest.mark.parametrize("role", ROLES + ["other_city_admin"])
def test_school_bs_missing_report_is_decided_only_above_it(world, objects, role):
    account = objects["other_admin"] if role == "other_city_admin" else _account(world, objects, role)
    assert_refused(_call("post", f"/missing/{objects['report']}/decline", account, {"reason": "x"}), (403, 404))
    assert_refused(_call("post", f"/missing/{objects['report']}/accept", account, {}), (403, 404))
    mine = _call("get", "/missing", account)
    if mine.status_code == 200:
        assert objects["report"] not in [r["id"] for r in mine.json()]
    if role == "other_city_admin":
        assert _call("get", "/missing/queue", account).json() == []


EDITS = {
    "edit": ("put", "/textbooks/{book}", {"subject": "数学", "grade": 3, "volume": "first", "edition": "改",
                                          "publisher": "改"}),
    "retire": ("post", "/textbooks/{book}/retire", {}),
    "add chapter": ("post", "/textbooks/{book}/chapters", {"number": "2", "title": "二"}),
    "rename chapter": ("put", "/chapters/{chapter}", {"title": "改"}),
    "delete chapter": ("delete", "/chapters/{chapter}", None),
}


@pytest.mark.parametrize("what", EDITS)
@pytest.mark.parametrize("role", ROLES + ["city_admin", "province_admin"])
def test_no_one_but_its_city_edits_another_citys_textbook(world, objects, role, what):
    method, url, body = EDITS[what]
    response = _call(method, url.format(**objects), _account(world, objects, role), body)
    assert_refused(response, (403, 404))
    from renrentong.resources.models import Chapter, Textbook

    assert Textbook.objects.get(pk=objects["book"]).edition == "湘教版"
    assert Textbook.objects.get(pk=objects["book"]).retired_at is None
    assert Chapter.objects.filter(textbook_id=objects["book"]).count() == 1


@pytest.mark.parametrize("role", ROLES + ["city_admin", "province_admin"])
def test_another_citys_textbook_is_not_even_seen(world, objects, role):
    account = _account(world, objects, role)
    assert_refused(_call("get", f"/textbooks/{objects['book']}", account), (403, 404))
    if role.startswith("teacher") or role == "checker_a":
        assert_refused(_call("put", f"/my/chapters/{objects['chapter']}", account, {"design": "x"}), (404,))


@pytest.mark.parametrize("role", ROLES)
def test_pages_of_school_bs_teacher_are_not_found(client, world, objects, role):
    as_user(client, _account(world, objects, role))
    assert client.get(f"/lessonprep/checking/teachers/{objects['teacher']}/").status_code in (403, 404)
    assert client.get(f"/lessonprep/catalogue/{objects['book']}/").status_code in (403, 404)


# School B's prep checker and another city's catalogue import: read or changed by nobody of school A, district X,
# this city or the province (the import is its own city admin's; the checker its school admin's).
READS = {
    "catalogue import": "/imports/{import}",
    "its rows": "/imports/{import}/rows",
    "its refused rows": "/imports/{import}/rejected",
}
FOREIGN_EDITS = {
    "end school B's checker": ("delete", "/checkers/{checker_b}", None),
    "commit the import": ("post", "/imports/{import}/commit", {}),
    "cancel the import": ("post", "/imports/{import}/cancel", {}),
    "undo the import": ("post", "/imports/{import}/undo", {}),
}
PAGE_READS = {
    "import page": "/lessonprep/catalogue/imports/{import}/",
    "import status": "/lessonprep/catalogue/imports/{import}/status/",
    "import refused rows": "/lessonprep/catalogue/imports/{import}/rejected/",
}
PAGE_EDITS = {
    "end school B's checker": ("/lessonprep/checkers/", {"action": "end", "checker_id": "{checker_b}"}),
    "commit the import": ("/lessonprep/catalogue/imports/{import}/commit/", {}),
    "cancel the import": ("/lessonprep/catalogue/imports/{import}/cancel/", {}),
    "undo the import": ("/lessonprep/catalogue/imports/{import}/undo/", {}),
}
EVERY_ROLE = ROLES + ["city_admin", "province_admin"]


def _unchanged(objects) -> None:
    assert PrepChecker.objects.get(pk=objects["checker_b"]).ended_at is None
    assert ImportJob.objects.get(pk=objects["import"]).status == "previewed"


@pytest.mark.parametrize("what", READS)
@pytest.mark.parametrize("role", EVERY_ROLE)
def test_no_one_but_its_city_reads_another_citys_catalogue_import(world, objects, role, what):
    account = _account(world, objects, role)
    assert_refused(_call("get", READS[what].format(**objects), account), (403, 404))
    listed = _call("get", "/imports", account)
    if listed.status_code == 200:
        assert objects["import"] not in [j["id"] for j in listed.json()]
    assert _call("get", READS[what].format(**objects), objects["other_admin"]).status_code == 200


@pytest.mark.parametrize("what", FOREIGN_EDITS)
@pytest.mark.parametrize("role", EVERY_ROLE)
def test_no_one_ends_school_bs_checker_or_acts_on_another_citys_import(world, objects, role, what):
    method, url, body = FOREIGN_EDITS[what]
    response = _call(method, url.format(**objects), _account(world, objects, role), body)
    assert_refused(response, (403, 404))
    _unchanged(objects)
    if role == "school_admin_a" and "checker" in what:  # another school's checker is as if there were none
        assert response.json()["code"] == "resources.prep_checker_not_found"
    if role == "city_admin" and "import" in what:  # so is a sibling city's import
        assert response.json()["code"] == "resources.catalogue_import_not_found"


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_pages_of_school_bs_checker_and_another_citys_import_are_not_found(client, world, objects, role):
    as_user(client, _account(world, objects, role))
    for what, url in PAGE_READS.items():
        assert client.get(url.format(**objects)).status_code in (403, 404), what
    for what, (url, data) in PAGE_EDITS.items():
        sent = {k: v.format(**objects) for k, v in data.items()}
        assert client.post(url.format(**objects), sent).status_code in (403, 404), what
    _unchanged(objects)
