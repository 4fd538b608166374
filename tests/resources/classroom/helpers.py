"""Shared steps of the smart classroom's tests: a textbook of the world's province, resources made through
the API, a PDF uploaded through the API."""

from __future__ import annotations

import json

from renrentong.resources.models import Chapter, Textbook
from tests.factories import bearer
from tests.uploads.files import pdf


def math_book(world, term: str = "first") -> tuple[Textbook, Chapter, Chapter]:
    """数学 三年级 of the world's province, with chapter 3 and its section 3.1."""
    book = Textbook.objects.create(region_id=world.province.pk, subject="数学", grade=3, volume=term,
                                   edition="人教版", publisher="人民教育出版社", title="数学 三年级")
    chapter = Chapter.objects.create(region_id=world.province.pk, textbook=book, number="3", title="测量", position=0)
    section = Chapter.objects.create(region_id=world.province.pk, textbook=book, parent=chapter, number="3.1",
                                     title="毫米、分米的认识", position=1)
    return book, chapter, section


def body(**changes) -> dict:
    made = {"title": "测量 微课", "kind": "link", "module": "review", "stage": "primary", "subject": "数学",
            "grade": 3, "term": "first", "url": "https://example.org/lesson/1", "sharing": "school"}
    made.update(changes)
    return made


def post(client, account, url: str, data: dict, kind: str | None = None):
    return client.post(url, json.dumps(data), content_type="application/json", **bearer(account, kind))


def make(client, account, **changes) -> dict:
    response = post(client, account, "/api/v1/resources/classroom/", body(**changes))
    assert response.status_code == 201, response.content
    return response.json()


def upload_pdf(client, account) -> int:
    response = client.post("/api/v1/files", {"file": _named(pdf(), "教案.pdf"), "purpose": "resource"},
                           **bearer(account))
    assert response.status_code == 200, response.content
    return response.json()["id"]


def _named(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
