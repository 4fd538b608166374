"""API of the audit log (AUTH-5, NFR-1): who did what to whom, when and how, within the reader's scope."""

from __future__ import annotations

from datetime import date, datetime

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import ERRORS, Schema

from renrentong.auditlog import selectors
from renrentong.auditlog.describe import describe

router = Router(tags=["audit"])


DAY = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def _day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserFacingError("request.invalid", detail=f"{field}: not a day of the calendar") from None


class AuditQuery(Schema):
    kind: str = Field("", max_length=64, description="An event kind, e.g. password.reset; empty for all")
    # Text with a pattern, not `date`: pydantic would take "0" as a Unix timestamp (1970-01-01).
    date_from: str | None = Field(None, pattern=DAY, description="First day, local time (YYYY-MM-DD)")
    date_to: str | None = Field(None, pattern=DAY, description="Last day, included (YYYY-MM-DD)")
    page: int = Field(1, ge=1, le=100_000)


class AuditEventOut(Schema):
    id: int
    at: datetime
    kind: str = Field(description="The event code, e.g. password.reset")
    kind_label: str
    who_name: str
    who_account: str
    who_identity: str
    whose_name: str = Field(description="Masked")
    whose_account: str
    target: str = Field(description="What the event concerns when it is not a person or an account")
    how: str
    school_id: int | None


class AuditPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[AuditEventOut]


def event_out(row: dict) -> AuditEventOut:
    return AuditEventOut(**{**{k: v for k, v in row.items() if k not in ("verb", "kind")},
                            "kind": row["verb"], "kind_label": row["kind"]})


@router.get("/events", response={200: AuditPageOut, **ERRORS},
            summary="Audit records concerning my school or the schools below me, newest first")
def events(request: HttpRequest, query: Query[AuditQuery]):
    found = selectors.visible_events(request.auth, verb=query.kind, since=_day(query.date_from, "date_from"),
                                     until=_day(query.date_to, "date_to"))
    paginator = Paginator(found, selectors.PAGE_SIZE)
    page = paginator.get_page(query.page)
    return AuditPageOut(count=paginator.count, page=page.number, pages=paginator.num_pages,
                        items=[event_out(r) for r in describe(list(page.object_list))])
