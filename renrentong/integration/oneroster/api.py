"""OneRoster 1.2 CSV packages through the API (INT-2): GET /api/v1/oneroster/csv, for region and school admins.
A small package is the download itself; a big one is a task (202) whose page offers the file when written."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router

from renrentong.core.errors import UserFacingError
from renrentong.exports.responses import EXPORT_RESPONSES, file_or_job

from renrentong.integration.oneroster import package

router = Router(tags=["oneroster"])
# Text with a pattern, not `datetime`: pydantic would take "0" as a Unix timestamp; the offset is required, so
# that a delta's start is one moment wherever the client is.
MOMENT = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
          r"(Z|[+-][0-9]{2}:[0-9]{2})$")


def _moment(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise UserFacingError("request.invalid", detail="since: not a moment of the calendar") from None


@router.get("/csv", response=EXPORT_RESPONSES,
            summary="A OneRoster 1.2 CSV package (.zip) of the rosters I keep: bulk, or a delta of what changed "
                    "after `since`; national student numbers in userIds only when asked for (audited)")
def csv_package(request: HttpRequest, since: str | None = Query(None, pattern=MOMENT, description=(
                    "a moment in ISO 8601 with its offset, e.g. 2026-12-01T08:00:00Z; empty: bulk")),
                student_numbers: bool = False):
    actor = request.auth
    params = {"since": _moment(since).isoformat() if since else "", "student_numbers": student_numbers}
    return file_or_job(actor, package.oneroster_csv, params, estimate=package.size(actor), title=str(package.TITLE))
