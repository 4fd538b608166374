"""Helpers for roster import tests: build files, upload through the API, run the worker."""

from __future__ import annotations

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from renrentong.rosters import worker

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
    worker.run_preview(job_id)
    return client.get(f"/api/v1/rosters/imports/{job_id}", **headers).json()


def rows_of(client, headers, job_id: int, outcome: str | None = None) -> list[dict]:
    url = f"/api/v1/rosters/imports/{job_id}/rows" + (f"?outcome={outcome}" if outcome else "")
    return client.get(url, **headers).json()["rows"]


def commit(client, headers, job_id: int, **body) -> dict:
    response = client.post(f"/api/v1/rosters/imports/{job_id}/commit", json.dumps(body),
                           content_type="application/json", **headers)
    assert response.status_code == 202, response.content
    worker.run_commit(job_id)
    return client.get(f"/api/v1/rosters/imports/{job_id}", **headers).json()


def grade_of(world_class):
    """The grade a class of the world is in this school year."""
    return world_class.cohort.grade_number(world_class.school.school_year)


def row(name, id_number, school_class, parent_phone="", parent_name="", sex="", parent2_phone=""):
    """One line of a student roster in HEADERS' order."""
    return [name, sex, id_number, f"{grade_of(school_class)}年级", f"{school_class.number}班", parent_name,
            "父亲" if parent_name else "", parent_phone, "", "", parent2_phone]


TEACHER_HEADERS = ["姓名", "性别", "手机号", "身份证号", "任教学科", "任教班级", "班主任班级"]


def preview_teachers(client, headers, rows) -> dict:
    """Upload a teacher roster of these rows and run the preview task; returns the job."""
    response = client.post("/api/v1/rosters/imports", {"file": csv_file(rows, headers=TEACHER_HEADERS),
                                                       "kind": "teachers"}, **headers)
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    worker.run_preview(job_id)
    return client.get(f"/api/v1/rosters/imports/{job_id}", **headers).json()


def commit_teachers(client, headers, job_id) -> dict:
    """Commit a teacher import and run the commit task; returns the job."""
    client.post(f"/api/v1/rosters/imports/{job_id}/commit", "{}", content_type="application/json", **headers)
    worker.run_commit(job_id)
    return client.get(f"/api/v1/rosters/imports/{job_id}", **headers).json()


def teacher_class_name(school_class) -> str:
    """A class as a teacher roster names it in 2026 ("3年级1班")."""
    return f"{school_class.cohort.grade_number(2026)}年级{school_class.number}班"
