"""The inbox through the API (issue 13 item 2): GET /inbox, /inbox/unread-count, /inbox/{notice_id},
POST /inbox/{notice_id}/confirm. Mounted under /api/v1/inbox."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.notices.inbox import selectors, services
from renrentong.notices.inbox.schemas import InboxNoticeOut, InboxPageOut, UnreadCountOut, notice_out, page_out

router = Router(tags=["inbox"])
CONFIRM_ERRORS = {**ERRORS, 409: ERRORS[400]}


@router.get("", response={200: InboxPageOut, **ERRORS},
            summary="My inbox, newest first; keyset paging with ?cursor=, a parent filters by ?child_id=")
def inbox(request: HttpRequest, cursor: str | None = Query(None, max_length=64),
          child_id: int | None = Query(None, ge=1, le=MAX_ID),
          limit: int = Query(selectors.PAGE_SIZE, ge=1, le=selectors.PAGE_LIMIT)):
    return page_out(selectors.inbox_page(request.auth, cursor=cursor, child_id=child_id, limit=limit))


@router.get("/unread-count", response={200: UnreadCountOut, **ERRORS}, summary="The unread badge")
def unread_count(request: HttpRequest):
    selectors.require_reader(request.auth)
    count = selectors.unread_count(request.auth)
    return {"count": count, "display": selectors.badge(count)}


@router.get("/{notice_id}", response={200: InboxNoticeOut, **ERRORS},
            summary="Open a notice of my inbox (marks it read)")
def open_notice(request: HttpRequest, notice_id: int = Path(..., ge=1, le=MAX_ID)):
    return notice_out(services.open_notice(request.auth, notice_id))


@router.post("/{notice_id}/confirm", response={200: InboxNoticeOut, **CONFIRM_ERRORS},
             summary="Confirm receipt (回执) of a notice that asks for it")
def confirm(request: HttpRequest, notice_id: int = Path(..., ge=1, le=MAX_ID)):
    return notice_out(services.confirm_receipt(request.auth, notice_id))
