"""POST /api/v1/files and the signed links (SPC-4), through the API and the file view."""

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from renrentong.uploads import content, services
from renrentong.uploads.models import StoredFile
from tests.factories import as_user, bearer
from tests.uploads import files

URL = "/api/v1/files"


def post(account, data: bytes, name: str, client=None, **fields):
    client = client or Client()
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **fields}, HTTP_ACCEPT_LANGUAGE="en",
                       **bearer(account))


def fetch(account, url: str):
    return Client().get(url, HTTP_ACCEPT_LANGUAGE="en", **bearer(account))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("maker, name, content_type, kind", [
    (lambda: files.image("JPEG"), "photo.jpg", "image/jpeg", "image"),
    (lambda: files.image("PNG"), "shot.png", "image/png", "image"),
    (files.gif, "moving.gif", "image/gif", "image"),
    (lambda: files.image("WEBP"), "pic.webp", "image/webp", "image"),
    (files.pdf, "homework.pdf", "application/pdf", "document"),
    (lambda: files.ooxml("docx"), "plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "document"),
    (lambda: files.ooxml("xlsx"), "marks.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "document"),
    (lambda: files.ooxml("pptx"), "talk.pptx",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation", "document"),
    (lambda: files.ole2("WordDocument"), "old.doc", "application/msword", "document"),
    (lambda: files.ole2("Workbook"), "old.xls", "application/vnd.ms-excel", "document"),
    (lambda: files.ole2("PowerPoint Document"), "old.ppt", "application/vnd.ms-powerpoint", "document"),
])
def test_each_type_is_uploaded_and_served_back(world, maker, name, content_type, kind):
    response = post(world.teacher_a, maker(), name)
    assert response.status_code == 200, response.content
    out = response.json()
    assert (out["kind"], out["content_type"], out["name"]) == (kind, content_type, name)
    stored = StoredFile.objects.get(pk=out["id"])
    assert stored.school_id == world.school_a.pk and stored.owner_id == world.teacher_a.pk
    served = fetch(world.teacher_a, out["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"].startswith("sandbox")
    assert served["Content-Disposition"].startswith("attachment" if kind == "document" else "inline")
    assert len(body(served)) == out["size"]
    if kind == "image":
        thumb = fetch(world.teacher_a, out["thumbnail_url"])
        assert thumb["Content-Type"] == "image/jpeg"
        assert max(Image.open(io.BytesIO(body(thumb))).size) <= content.THUMBNAIL_SIDE
    else:
        assert out["thumbnail_url"] is None


def test_a_real_heic_photo_is_kept_as_jpeg(world):
    out = post(world.parent_a, files.heic(), "IMG_0001.HEIC").json()
    assert (out["content_type"], out["name"], out["width"], out["height"]) == ("image/jpeg", "IMG_0001.jpg", 640, 480)
    assert Image.open(io.BytesIO(body(fetch(world.parent_a, out["url"])))).format == "JPEG"
    # A parent's file belongs to the child's school.
    assert StoredFile.objects.get(pk=out["id"]).school_id == world.school_a.pk


def test_region_admin_files_name_the_region(world):
    out = post(world.district_admin_x, files.pdf(), "通知.pdf").json()
    stored = StoredFile.objects.get(pk=out["id"])
    assert (stored.school_id, stored.region_id) == (None, world.district_x.pk)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_gps_exif_is_removed_and_orientation_applied(world, fmt):
    data = files.image(fmt, (600, 400), gps=True, orientation=6)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    out = post(world.parent_a, data, "here.jpg").json()
    kept = Image.open(io.BytesIO(body(fetch(world.parent_a, out["url"]))))
    assert not kept.getexif().get_ifd(0x8825)
    assert kept.getexif().get(0x0112) in (None, 1)
    assert kept.size == (400, 600) == (out["width"], out["height"])  # turned upright


def test_an_oversize_jpeg_is_reencoded_under_4_mb(world):
    data = files.noise_jpeg()
    assert content.IMAGE_LIMIT < len(data) <= content.DOCUMENT_LIMIT
    response = post(world.teacher_a, data, "big.jpg")
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["size"] <= content.IMAGE_LIMIT and out["content_type"] == "image/jpeg"
    assert len(body(fetch(world.teacher_a, out["url"]))) == out["size"]


def test_an_oversize_png_becomes_a_jpeg_under_4_mb(world):
    out_png = io.BytesIO()
    Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3)).save(out_png, "PNG")
    data = out_png.getvalue()
    assert len(data) > content.IMAGE_LIMIT
    out = post(world.teacher_a, data, "scan.png").json()
    assert out["content_type"] == "image/jpeg" and out["name"] == "scan.jpg" and out["size"] <= content.IMAGE_LIMIT


def test_over_20_mb_is_refused_saying_the_limit(world):
    response = post(world.teacher_a, b"\xff\xd8\xff" + b"\0" * (content.DOCUMENT_LIMIT + 1), "huge.jpg")
    assert response.status_code == 413
    assert response.json()["code"] == "uploads.too_large"
    assert "20.0 MB" in response.json()["message"]
    assert not StoredFile.objects.exists()


@pytest.mark.parametrize("data", [files.SVG, files.HTML, files.EXE, files.ELF, files.plain_zip(), files.ooxml("docm")],
                         ids=["svg", "html", "exe", "elf", "zip", "docm"])
def test_dangerous_types_are_refused_even_named_jpg(world, data, file_store):
    response = post(world.teacher_a, data, "photo.jpg")
    assert response.status_code == 400
    assert response.json()["code"] == "uploads.type_refused"
    assert response.json()["who_can_fix"]
    assert not StoredFile.objects.exists()
    assert not file_store.exists() or not any(p.is_file() for p in file_store.rglob("*"))


def test_a_decompression_bomb_is_refused_fast(world):
    started = time.monotonic()
    response = post(world.teacher_a, files.png_bomb(), "bomb.png")
    assert response.status_code == 400 and response.json()["code"] == "uploads.bomb"
    assert time.monotonic() - started < 2
    # Just over our budget, well under Pillow's own: still refused before decoding.
    response = post(world.teacher_a, files.png_bomb(8000), "big.png")
    assert response.json()["code"] == "uploads.bomb"


def test_a_damaged_image_is_refused_as_unreadable(world):
    data = files.image("JPEG")
    response = post(world.teacher_a, data[: len(data) // 2], "cut.jpg")
    assert response.status_code in (200, 400)  # Pillow may decode a truncated JPEG in part; never a 500
    response = post(world.teacher_a, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "bad.png")
    assert response.status_code == 400 and response.json()["code"] == "uploads.unreadable"


def test_a_retried_upload_key_returns_the_same_file(world):
    first = post(world.parent_a, files.image("PNG"), "a.png", upload_key="k-123").json()
    again = post(world.parent_a, files.image("PNG"), "a.png", upload_key="k-123").json()
    assert first["id"] == again["id"]
    assert StoredFile.objects.count() == 1
    # The key is the account's own: another account's same key is another upload.
    other = post(world.parent_b, files.image("PNG"), "a.png", upload_key="k-123").json()
    assert other["id"] != first["id"]


def test_an_upload_key_with_a_nul_or_too_long_is_refused_naming_the_field(world):
    # PostgreSQL cannot hold a NUL in text: schemathesis sent one in the key, and the lookup by key was a 500.
    nul = post(world.parent_a, files.image("PNG"), "a.png", upload_key="k-\x00")
    assert nul.status_code == 400
    assert nul.json()["fields"] == [{"field": "upload_key", "code": "field.control_character",
                                     "message": "The upload key holds an invisible control character (such as NUL); "
                                                "remove it and try again."}]
    long = post(world.parent_a, files.image("PNG"), "a.png", upload_key="k" * 65)
    assert long.status_code == 400 and long.json()["fields"][0]["field"] == "upload_key"
    assert StoredFile.objects.count() == 0


def test_a_nul_in_a_query_parameter_is_refused_naming_it(world):
    response = Client().get("/api/v1/school/recycle-bin", {"q": "张\x00"}, HTTP_ACCEPT_LANGUAGE="en",
                            **bearer(world.school_admin_a))
    assert response.status_code == 400
    assert [(f["field"], f["code"]) for f in response.json()["fields"]] == [("q", "field.control_character")]


def test_another_accounts_link_is_refused(world):
    out = post(world.parent_a, files.image("JPEG"), "mine.jpg").json()
    for url in (out["url"], out["thumbnail_url"]):
        response = fetch(world.parent_b, url)
        assert response.status_code == 403
        assert b"uploads.link_expired" in response.content or response.status_code == 403
    session = as_user(Client(), world.teacher_a)
    assert session.get(out["url"]).status_code == 403
    assert as_user(Client(), world.parent_a).get(out["url"]).status_code == 200


def test_an_expired_link_is_403_and_a_bad_token_never_500(world, freezer):
    out = post(world.parent_a, files.pdf(), "a.pdf").json()
    assert fetch(world.parent_a, out["url"]).status_code == 200
    freezer.tick(timedelta(minutes=16))
    assert fetch(world.parent_a, out["url"]).status_code == 403
    for token in ("x", "a" * 300, "eyJmIjoxfQ:1abc:zzz", "..", "%00"):
        assert fetch(world.parent_a, f"/files/{token}/").status_code in (403, 404)


def test_a_link_needs_a_login(world):
    out = post(world.parent_a, files.pdf(), "a.pdf").json()
    response = Client().get(out["url"])
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_the_daily_quota_counts_files_and_bytes(world, monkeypatch):
    monkeypatch.setattr(services, "DAILY_FILES", 2)
    assert post(world.teacher_a, files.pdf(), "1.pdf").status_code == 200
    assert post(world.teacher_a, files.pdf(), "2.pdf").status_code == 200
    refused = post(world.teacher_a, files.pdf(), "3.pdf")
    assert refused.status_code == 429 and refused.json()["code"] == "uploads.quota_exceeded"
    assert "2 files" in refused.json()["message"]
    assert post(world.teacher_b, files.pdf(), "1.pdf").status_code == 200  # per account
    monkeypatch.setattr(services, "DAILY_FILES", 200)
    monkeypatch.setattr(services, "DAILY_BYTES", 1000)
    assert post(world.parent_a, files.pdf(), "small.pdf").status_code == 200
    assert post(world.parent_a, files.image("PNG"), "big.png").status_code == 429


def test_the_quota_frees_after_a_day(world, monkeypatch, freezer):
    monkeypatch.setattr(services, "DAILY_FILES", 1)
    assert post(world.teacher_a, files.pdf(), "1.pdf").status_code == 200
    assert post(world.teacher_a, files.pdf(), "2.pdf").status_code == 429
    freezer.tick(timedelta(hours=24, minutes=1))
    assert post(world.teacher_a, files.pdf(), "2.pdf").status_code == 200


def test_no_file_and_no_login(world):
    response = Client().post(URL, {"purpose": "notice"}, **bearer(world.teacher_a))
    assert response.status_code == 400
    assert Client().post(URL, {"file": SimpleUploadedFile("a.pdf", files.pdf())}).status_code == 401


def test_an_account_with_no_school_cannot_upload(world):
    from tests.factories import make_parent
    lonely = make_parent(name="无孩家长")
    response = post(lonely, files.pdf(), "a.pdf")
    assert response.status_code == 403 and response.json()["code"] == "uploads.no_place"


def test_own_files_leaves_out_foreign_and_impossible_ids(world):
    from renrentong.accounts.access import actor_for
    from renrentong.uploads import selectors
    mine = post(world.teacher_a, files.pdf(), "a.pdf").json()["id"]
    theirs = post(world.teacher_b, files.pdf(), "b.pdf").json()["id"]
    actor = actor_for(world.teacher_a, world.teacher_a.identities.get())
    assert list(selectors.own_files(actor, [mine, theirs, 2**63, 0, -1]).values_list("pk", flat=True)) == [mine]
