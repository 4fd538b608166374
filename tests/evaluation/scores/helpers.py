"""Score import files and the worker, as the tests of EVA-6 use them."""

from __future__ import annotations

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from renrentong.rosters import worker

from tests.factories import bearer

API = "/api/v1/evaluation/scores"
HEADERS = ["姓名", "账号", "全国学籍号", "身份证号", "项目", "成绩"]


def score_file(rows: list[list[str]], headers: list[str] = HEADERS, name: str = "scores.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(headers)
    out.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def by_account(account, item: str, score: str, name: str | None = None) -> list[str]:
    return [name if name is not None else account.person.name, account.number, "", "", item, score]


def by_id_number(account, item: str, score: str, name: str | None = None) -> list[str]:
    return [name if name is not None else account.person.name, "", "", account.person.reveal_id_number(), item, score]


def by_national(account, item: str, score: str) -> list[str]:
    """A row keyed by the national student number ("G" + the ID number), which the student is given here."""
    person = account.person
    person.set_national_student_number("G" + person.reveal_id_number())
    person.save()
    return [person.name, "", "g" + person.reveal_id_number(), "", item, score]


def get(account, path: str, language: str = "en", **params):
    return Client().get(API + path, params, **bearer(account), HTTP_ACCEPT_LANGUAGE=language)


def post(account, path: str, body: dict | None = None, language: str = "en"):
    return Client().post(API + path, json.dumps(body or {}), content_type="application/json", **bearer(account),
                         HTTP_ACCEPT_LANGUAGE=language)


def upload(account, rows, **kw):
    return Client().post(API + "/imports", {"file": score_file(rows, **kw)}, **bearer(account),
                         HTTP_ACCEPT_LANGUAGE="en")


def preview(account, rows, **kw) -> dict:
    """Upload and run the preview as the worker would; the job as the API shows it."""
    response = upload(account, rows, **kw)
    assert response.status_code == 202, response.content
    worker.run_preview(response.json()["id"])
    return get(account, f"/imports/{response.json()['id']}").json()


def rows_of(account, job_id: int, outcome: str | None = None) -> dict[int, dict]:
    params = {"outcome": outcome} if outcome else {}
    return {r["number"]: r for r in get(account, f"/imports/{job_id}/rows", **params).json()["rows"]}


def commit(account, job_id: int) -> dict:
    response = post(account, f"/imports/{job_id}/commit")
    assert response.status_code == 202, response.content
    worker.run_commit(job_id)
    return get(account, f"/imports/{job_id}").json()


def imported(account, rows) -> dict:
    job = preview(account, rows)
    assert job["status"] == "previewed", job
    return commit(account, job["id"])
