"""OneRoster 1.2 CSV packages through the API (INT-2): GET /api/v1/oneroster/csv, for region and school admins.
A small package is the download itself; a big one is a task (202) whose page offers the file when written."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router

from renrentong.exports.responses import EXPORT_RESPONSES, file_or_job

from renrentong.integration.oneroster import package

router = Router(tags=["oneroster"])


@router.get("/csv", response=EXPORT_RESPONSES,
            summary="A OneRoster 1.2 CSV package (.zip) of the rosters I keep: bulk, or a delta of what changed "
                    "after `since`; national student numbers in userIds only when asked for (audited)")
def csv_package(request: HttpRequest, since: datetime | None = Query(None, description="ISO 8601; empty: bulk"),
                student_numbers: bool = False):
    actor = request.auth
    params = {"since": since.isoformat() if since else "", "student_numbers": student_numbers}
    return file_or_job(actor, package.oneroster_csv, params, estimate=package.size(actor), title=str(package.TITLE))
