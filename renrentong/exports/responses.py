"""The one entry point other apps' pages call for a spreadsheet download that may be big (issue 12, item 5).

    return export_response(request, my_producer, {"school_id": 1}, estimate=rows, title="学生名单")

`estimate`: a cheap upper bound of the rows (a COUNT); at or below services.SYNC_ROWS the file is written
in the request and downloaded at once, as before; above it (or None: unknown) the export becomes a task
and the browser goes to its progress page, which offers the download when the file is ready.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from ninja import Status

from renrentong.core.actor import Actor
from renrentong.core.schemas import ERRORS
from renrentong.core.web.downloads import content_type_of, download

from renrentong.exports import selectors, services
from renrentong.exports.producers import Producer
from renrentong.exports.schemas import ExportJobStartedOut

# An API endpoint's answers when it exports: the file (200) or the task (202).
EXPORT_RESPONSES = {200: None, 202: ExportJobStartedOut, **ERRORS}


def export_response(request: HttpRequest, function: Producer, params: dict, *, estimate: int | None,
                    title: str) -> HttpResponse:
    actor = request.actor
    if estimate is not None and estimate <= services.SYNC_ROWS:
        name, content = services.write_now(actor, function, params)
        return download(content, name, content_type_of(name))
    job = services.start(actor, function, params, title)
    return redirect("exports:job", job_id=job.pk)


def file_or_job(actor: Actor, function: Producer, params: dict, *, estimate: int | None,
                title: str) -> HttpResponse | Status:
    """The API's twin of export_response: the file at once when the estimate is small, else a task the client
    polls (202 with the export job). An API client must never hold a request open while 50,000 rows are
    written."""
    if estimate is not None and estimate <= services.SYNC_ROWS:
        name, content = services.write_now(actor, function, params)
        return download(content, name, content_type_of(name))
    job = services.start(actor, function, params, title)
    return Status(202, ExportJobStartedOut(**selectors.started(job)))
