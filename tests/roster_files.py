"""Helpers for roster import tests: build files, upload through the API, run the worker."""

from __future__ import annotations

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from renrentong.rosters import services

HEADERS = ["姓名", "性别", "身份证号", "年级", "班级", "家长1姓名", "家长1关系", "家长1手机号", "家长2姓名", "家长2关系",
           "家长2手机号"]


def csv_file(rows: list[list[str]], headers: list[str] = HEADERS, encoding: str = "utf-8",
             name: str = "roster.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def upload(client, headers, file, **form):
    return client.post("/api/v1/rosters/imports", {"file": file, "kind": "students", **form}, **headers)


def preview(client, headers, file, **form) -> dict:
    """Upload and run the preview task as the worker would; returns the job."""
    response = upload(client, headers, file, **form)
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    services.run_preview(job_id)
    return client.get(f"/api/v1/rosters/imports/{job_id}", **headers).json()


def rows_of(client, headers, job_id: int, outcome: str | None = None) -> list[dict]:
    url = f"/api/v1/rosters/imports/{job_id}/rows" + (f"?outcome={outcome}" if outcome else "")
    return client.get(url, **headers).json()["rows"]


def commit(client, headers, job_id: int, **body) -> dict:
    response = client.post(f"/api/v1/rosters/imports/{job_id}/commit", json.dumps(body),
                           content_type="application/json", **headers)
    assert response.status_code == 202, response.content
    services.run_commit(job_id)
    return client.get(f"/api/v1/rosters/imports/{job_id}", **headers).json()
