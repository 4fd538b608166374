"""The page-side upload the picker posts to, and the sweep of objects without a row (SPC-4)."""

import re
from datetime import datetime, timedelta, timezone

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from renrentong.core import periodic
from renrentong.uploads import services
from renrentong.uploads.models import StoredFile
from tests.factories import as_user
from tests.uploads import files

UPLOAD = "/files/upload/"


def test_the_picker_upload_returns_a_fragment_with_the_file_id(world):
    client = as_user(Client(), world.parent_a)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("a.png", files.image("PNG")), "upload_key": "p1",
                                     "name": "attachments", "purpose": "post"},
                           HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    stored = StoredFile.objects.get()
    html = response.content.decode()
    assert f'name="attachments" value="{stored.pk}"' in html
    assert 'data-uploaded-file="%d"' % stored.pk in html
    thumb = re.search(r'<img src="([^"]+)"', html).group(1)
    assert client.get(thumb).status_code == 200
    assert stored.purpose == "post" and stored.upload_key == "p1"


def test_the_picker_upload_refusal_is_an_error_fragment(world):
    client = as_user(Client(), world.teacher_a)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("x.jpg", files.SVG)}, HTTP_HX_REQUEST="true",
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert b'data-code="uploads.type_refused"' in response.content
    assert b"<html" not in response.content
    assert client.post(UPLOAD, {}, HTTP_HX_REQUEST="true").status_code == 400
    assert client.get(UPLOAD).status_code == 405
    assert Client().post(UPLOAD, {"file": SimpleUploadedFile("a.pdf", files.pdf())}).status_code == 302


def test_the_picker_include_renders_for_a_form():
    html = render_to_string("uploads/_picker.html", {"name": "file_ids", "max": 9, "csrf_token": "t"})
    assert 'data-url="%s"' % reverse("uploads:upload") in html
    assert 'data-max="9"' in html and 'data-name="file_ids"' in html
    assert "js/uploads.js" in html and "<script>" not in html


def _old_hour_key(now, hours_ago, name):
    hour = (now - timedelta(hours=hours_ago)).astimezone(timezone.utc)
    return f"uploads/{hour:%Y%m%d/%H}/{name}"


def test_the_sweep_deletes_day_old_objects_without_a_row_only(world):
    client = Client()
    from tests.factories import bearer
    out = client.post("/api/v1/files", {"file": SimpleUploadedFile("a.png", files.image("PNG"))},
                      **bearer(world.teacher_a)).json()
    stored = StoredFile.objects.get(pk=out["id"])
    storage = storages["default"]
    now = datetime.now(timezone.utc)
    old_orphan = storage.save(_old_hour_key(now, 30, "orphan.jpg"), ContentFile(b"x"))
    young_orphan = storage.save(_old_hour_key(now, 2, "young.jpg"), ContentFile(b"x"))
    # A file with a row, in the same old hour as the orphan: kept.
    kept = storage.save(_old_hour_key(now, 30, "kept.jpg"), ContentFile(b"y"))
    StoredFile.objects.filter(pk=stored.pk).update(storage_name=kept)

    assert services.sweep_orphans(now + timedelta(minutes=1)) == 1
    assert not storage.exists(old_orphan)
    assert storage.exists(young_orphan) and storage.exists(kept) and storage.exists(stored.thumbnail_name)
    # Each hour is listed once: a second run does nothing.
    storage.save(_old_hour_key(now, 30, "late.jpg"), ContentFile(b"x"))
    assert services.sweep_orphans(now + timedelta(minutes=2)) == 0
    # A day later the young orphan's hour is due.
    assert services.sweep_orphans(now + timedelta(days=1)) == 1
    assert not storage.exists(young_orphan)


def test_the_sweep_is_a_periodic_duty():
    assert "renrentong.uploads.services.sweep_orphans" in periodic.duties()


def test_a_failed_row_write_leaves_no_object(world, monkeypatch, file_store):
    def boom(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(StoredFile.objects, "create", boom)
    from tests.factories import bearer
    client = Client(raise_request_exception=False)
    response = client.post("/api/v1/files", {"file": SimpleUploadedFile("a.png", files.image("PNG"))},
                           **bearer(world.teacher_a))
    assert response.status_code == 500
    assert not any(p.is_file() for p in file_store.rglob("*"))
