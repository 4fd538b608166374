"""The one entry point other apps' pages call for a spreadsheet download that may be big (issue 12, item 5).

    return export_response(request, my_producer, {"school_id": 1}, estimate=rows, title="学生名单")

`estimate`: a cheap upper bound of the rows (a COUNT); at or below services.SYNC_ROWS the file is written
in the request and downloaded at once, as before; above it (or None: unknown) the export becomes a task
and the browser goes to its progress page, which offers the download when the file is ready.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from renrentong.core.web.downloads import content_type_of, download

from renrentong.exports import services
from renrentong.exports.producers import Producer


def export_response(request: HttpRequest, function: Producer, params: dict, *, estimate: int | None,
                    title: str) -> HttpResponse:
    actor = request.actor
    if estimate is not None and estimate <= services.SYNC_ROWS:
        name, content = services.write_now(actor, function, params)
        return download(content, name, content_type_of(name))
    job = services.start(actor, function, params, title)
    return redirect("exports:job", job_id=job.pk)
