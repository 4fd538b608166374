"""OneRoster 1.2 CSV packages through the API (INT-2): GET /api/v1/oneroster/csv, for region and school admins.
A small package is the download itself; a big one is a task (202) whose page offers the file when written."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Status

from renrentong.core.schemas import ERRORS
from renrentong.core.web.downloads import content_type_of, download
from renrentong.exports import selectors as export_jobs
from renrentong.exports import services as exports
from renrentong.exports.schemas import ExportJobStartedOut

from renrentong.integration.oneroster import package

router = Router(tags=["oneroster"])


@router.get("/csv", response={200: None, 202: ExportJobStartedOut, **ERRORS},
            summary="A OneRoster 1.2 CSV package (.zip) of the rosters I keep: bulk, or a delta of what changed "
                    "after `since`; national student numbers in userIds only when asked for (audited)")
def csv_package(request: HttpRequest, since: datetime | None = Query(None, description="ISO 8601; empty: bulk"),
                student_numbers: bool = False):
    actor = request.auth
    params = {"since": since.isoformat() if since else "", "student_numbers": student_numbers}
    estimate = package.size(actor)
    if estimate <= exports.SYNC_ROWS:
        name, content = exports.write_now(actor, package.oneroster_csv, params)
        return download(content, name, content_type_of(name))
    job = exports.start(actor, package.oneroster_csv, params, str(package.TITLE))
    return Status(202, ExportJobStartedOut(**export_jobs.started(job)))
