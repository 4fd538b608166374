"""Seed 002 §7: a teacher reports a missing textbook (subject, grade, edition, publisher, photos of the cover,
copyright page and contents); the catalogue admins above the school accept or decline; the teacher sees it."""

from tests.resources.lessonprep.helpers import call, refused, upload, upload_pdf


def report(account, **changes) -> dict:
    body = {"subject": "数学", "grade": 3, "volume": "first", "edition": "苏教版", "publisher": "江苏凤凰教育出版社",
            "cover_ids": [upload(account)], "copyright_ids": [upload(account)], "contents_ids": [upload(account)],
            **changes}
    return call("post", "/missing", account, body)


def test_a_report_reaches_the_city_and_province_queue_and_the_teacher_sees_the_decision(world, catalogue):
    made = report(world.teacher_a)
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "open" and len(made.json()["photos"]) == 3
    for admin in (world.city_admin, world.province_admin):
        assert [r["id"] for r in call("get", "/missing/queue", admin).json()] == [made.json()["id"]]
    refused(call("get", "/missing/queue", world.district_admin_x), "resources.catalogue_not_allowed", 403)
    book = call("post", "/textbooks", world.city_admin, {"subject": "数学", "grade": 3, "volume": "first",
                                                          "edition": "苏教版", "publisher": "江苏凤凰教育出版社"}).json()
    accepted = call("post", f"/missing/{made.json()['id']}/accept", world.city_admin, {"textbook_id": book["id"]})
    assert accepted.json()["status"] == "accepted" and accepted.json()["textbook_id"] == book["id"]
    mine = call("get", "/missing", world.teacher_a).json()
    assert mine[0]["status"] == "accepted"
    body = refused(call("post", f"/missing/{made.json()['id']}/decline", world.province_admin, {"reason": "x"}),
                   "resources.missing_report_decided", 409)
    assert "Accepted" in body["message"]


def test_declining_needs_a_reason_the_teacher_reads(world, catalogue):
    made = report(world.teacher_a).json()
    refused(call("post", f"/missing/{made['id']}/decline", world.city_admin, {"reason": " "}),
            "resources.missing_reason_required", 400)
    call("post", f"/missing/{made['id']}/decline", world.city_admin, {"reason": "该版本本省未选用"})
    assert call("get", "/missing", world.teacher_a).json()[0]["reason"] == "该版本本省未选用"


def test_each_kind_of_photo_is_required_and_must_be_an_image(world, catalogue):
    refused(report(world.teacher_a, contents_ids=[]), "resources.missing_photos_required", 400)
    refused(report(world.teacher_a, cover_ids=[upload_pdf(world.teacher_a)]), "resources.missing_photo_not_image", 400)


def test_another_citys_admin_never_sees_the_report(world, catalogue):
    from renrentong.orgs.models import Region

    from tests.factories import make_region_admin

    other_city = Region.objects.create(kind="city", name="株洲市", code="430200", parent=world.province)
    stranger = make_region_admin(other_city, "株洲管理员")
    made = report(world.teacher_a).json()
    assert call("get", "/missing/queue", stranger).json() == []
    refused(call("post", f"/missing/{made['id']}/accept", stranger, {}), "resources.missing_report_not_found", 404)


def test_only_teachers_report(world, catalogue):
    refused(call("get", "/missing", world.school_admin_a), "resources.prep_teachers_only", 403)
