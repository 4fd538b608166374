"""Exports in the resources tests, read as a client reads them: a direct file's cells, or a task (202 or a redirect
to its progress page) that the worker writes and its owner then downloads through /api/v1/exports."""

from __future__ import annotations

import io
import re

from django.test import Client
from python_calamine import CalamineWorkbook

from renrentong.exports import worker

from tests.factories import bearer


def cells(content: bytes) -> list[str]:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    return [str(c) for row in rows for c in row if c != ""]


def api_job(response) -> int:
    """The export job an API export answered with (202), pointing at its status and its page."""
    assert response.status_code == 202, response.content
    started = response.json()
    job_id = started["job_id"]
    assert (started["status_url"], started["page_url"]) == (f"/api/v1/exports/{job_id}", f"/exports/{job_id}/")
    return job_id


def page_job(response) -> int:
    """The export job a page's export went to: a redirect to the job's progress page (exports:job)."""
    assert response.status_code == 302, response.status_code
    found = re.fullmatch(r"/exports/(\d+)/", response["Location"])
    assert found, response["Location"]
    return int(found.group(1))


def written(job_id: int, account) -> list[str]:
    """The worker writes the job; its owner fetches the file through the API: the file's cells."""
    assert worker.run(job_id) == "done"
    response = Client().get(f"/api/v1/exports/{job_id}/file", **bearer(account))
    assert response.status_code == 200, response.content
    return cells(response.content)
