"""Read receipts through the API (MSG-3), mounted under /api/v1/receipts."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.notices.receipts import selectors, services
from renrentong.notices.receipts.schemas import (
    ClassUnreadOut, FollowedNoticeOut, NoticeReceiptsOut, ReminderOut, RemindIn, followed_out, receipts_out,
    reminder_out,
)

router = Router(tags=["receipts"])
REMIND_ERRORS = {**ERRORS, 409: ERRORS[400]}


@router.get("", response={200: list[FollowedNoticeOut], **ERRORS},
            summary="Notices whose receipts I follow (sent by me, my classes, my school, my region), newest first")
def followed(request: HttpRequest):
    return [followed_out(v) for v in selectors.notices_followed(request.auth)]


@router.get("/{notice_id}", response={200: NoticeReceiptsOut, **ERRORS},
            summary="Addressed, read and confirmed, in total and per class (per school for regions)")
def receipts(request: HttpRequest, notice_id: int = Path(..., ge=1, le=MAX_ID)):
    return receipts_out(selectors.receipts_of(request.auth, notice_id))


@router.get("/{notice_id}/classes/{class_id}/unread", response={200: ClassUnreadOut, **ERRORS},
            summary="The unread of one class by name (phones masked)")
def class_unread(request: HttpRequest, notice_id: int = Path(..., ge=1, le=MAX_ID),
                 class_id: int = Path(..., ge=1, le=MAX_ID)):
    view, school_class, readers = selectors.unread_of_class(request.auth, notice_id, class_id)
    return {"notice_id": view.notice.pk, "class_id": school_class.pk, "class_name": selectors.class_label(school_class),
            "unread": [{"name": r.display, "role": r.role} for r in readers]}


@router.post("/{notice_id}/remind", response={201: ReminderOut, **REMIND_ERRORS},
             summary="Remind the unread (at most 3 times, an hour apart); a head teacher reminds their class")
def remind(request: HttpRequest, body: RemindIn, notice_id: int = Path(..., ge=1, le=MAX_ID)):
    return Status(201, reminder_out(services.remind_unread(request.auth, notice_id, body.class_id)))
