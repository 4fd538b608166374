"""Calls and files as the lesson preparation tests (RES-4) use them."""

from __future__ import annotations

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from renrentong.rosters import worker

from tests.factories import bearer
from tests.uploads.files import image, pdf

API = "/api/v1/lessonprep"
HEADERS = ["学科", "年级", "册次", "版本", "出版社", "教材名称", "章节编号", "章节名称"]
PEP = ["人教版", "人民教育出版社"]


def call(method: str, path: str, account, body: dict | None = None, *, language: str = "en", kind=None, **params):
    client = Client()
    headers = {**bearer(account, kind), "HTTP_ACCEPT_LANGUAGE": language}
    if method == "get":
        return client.get(API + path, params, **headers)
    if method == "delete":
        return client.delete(API + path, **headers)
    return getattr(client, method)(API + path, json.dumps(body if body is not None else {}),
                                   content_type="application/json", **headers)


def refused(response, code: str, status: int | None = None) -> dict:
    body = response.json()
    assert body.get("code") == code, (response.status_code, body)
    if status is not None:
        assert response.status_code == status, (response.status_code, body)
    assert body["who_can_fix"]
    return body


def upload(account, data: bytes | None = None, name: str = "photo.jpg") -> int:
    stream = io.BytesIO(data or image())
    stream.name = name
    response = Client().post("/api/v1/files", {"file": stream}, **bearer(account))
    assert response.status_code == 200, response.content
    return response.json()["id"]


def upload_pdf(account) -> int:
    return upload(account, pdf(), "courseware.pdf")


def chapter_of(book: dict, number: str) -> int:
    return next(c["id"] for c in book["chapters"] if c["number"] == number)


def book_by_subject(account, subject: str, grade: int) -> dict:
    listed = call("get", "/textbooks", account, subject=subject, grade=grade).json()
    return call("get", f"/textbooks/{listed[0]['id']}", account).json()


# -- Catalogue import files -------------------------------------------------------------------------------

def catalogue_file(rows: list[list[str]], headers: list[str] = HEADERS) -> SimpleUploadedFile:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(headers)
    out.writerows(rows)
    return SimpleUploadedFile("catalogue.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv")


def row(number: str, title: str, subject="化学", grade="九年级", volume="上册", book_title="") -> list[str]:
    return [subject, grade, volume, *PEP, book_title, number, title]


def preview(account, rows) -> dict:
    response = Client().post(API + "/imports", {"file": catalogue_file(rows)}, **bearer(account),
                             HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 202, response.content
    worker.run_preview(response.json()["id"])
    return call("get", f"/imports/{response.json()['id']}", account).json()


def commit(account, job_id: int) -> dict:
    response = call("post", f"/imports/{job_id}/commit", account)
    assert response.status_code == 202, response.content
    worker.run_commit(job_id)
    return call("get", f"/imports/{job_id}", account).json()


def imported(account, rows) -> dict:
    job = preview(account, rows)
    assert job["status"] == "previewed", job
    return commit(account, job["id"])


def rows_of(account, job_id: int) -> dict[int, dict]:
    return {r["number"]: r for r in call("get", f"/imports/{job_id}/rows", account).json()["rows"]}
