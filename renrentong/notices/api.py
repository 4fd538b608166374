"""Sending notices through the API (MSG-1): /api/v1/notices..."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.notices import selectors, services
from renrentong.notices.schemas import (
    AttachmentOut, AudienceIn, AudienceSizeOut, CorrectIn, NoticeIn, NoticeOut, ProgressOut, SentItemOut, SentPageOut,
)

router = Router(tags=["notices"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}


def notice_out(request: HttpRequest, notice) -> NoticeOut:
    actor = request.auth
    progress = selectors.progress_of(notice)
    return NoticeOut(
        id=notice.pk, kind=notice.kind, status=notice.status, title=notice.title, body=notice.body,
        sender_label=notice.sender_label, school_id=notice.school_id, region_id=notice.region_id,
        roles=notice.audience.get("roles") or [], class_ids=notice.audience.get("class_ids"),
        school_ids=notice.audience.get("school_ids"), places=selectors.audience_summary(notice).places,
        confirm_required=notice.confirm_required, urgent=notice.urgent, send_at=notice.send_at,
        created_at=notice.created_at, sent_at=notice.sent_at, edited_at=notice.edited_at,
        recalled_at=notice.recalled_at,
        progress=ProgressOut(units_done=progress.units_done, units=progress.units, addressed=progress.addressed),
        attachments=[AttachmentOut(file_id=a.file_id, name=a.name, kind=a.kind, size=a.size, url=a.url)
                     for a in selectors.attachments_of(actor, notice)],
    )


@router.post("/notices", response={201: NoticeOut, **WRITE_ERRORS},
             summary="Send a notice (school admin: school notice; teacher: homework notice; region admin: "
                     "to schools below); returns at once, the inbox rows follow")
def send(request: HttpRequest, body: NoticeIn):
    notice = services.send_notice(request.auth, services.NoticeDraft(**body.dict()))
    return Status(201, notice_out(request, selectors.notice_for_sender(request.auth, notice.pk)))


@router.post("/notices/audience", response={200: AudienceSizeOut, **ERRORS},
             summary="How many parents, students and teachers a choice reaches, before sending")
def audience(request: HttpRequest, body: AudienceIn):
    found = services.resolve_audience(request.auth, services.NoticeDraft(title="-", **body.dict()))
    sizes = selectors.audience_size(selectors.today(), roles=found.roles, class_ids=found.class_ids,
                                    school_ids=found.school_ids)
    return AudienceSizeOut(**sizes, classes=len(found.class_ids or []), schools=len(found.school_ids or []))


@router.get("/notices/sent", response={200: SentPageOut, **ERRORS},
            summary="The notices I sent, newest first (keyset paging with ?before=)")
def sent(request: HttpRequest, before: int | None = Query(None, ge=1, le=MAX_ID),
         limit: int = Query(20, ge=1, le=100)):
    found = selectors.sent_page(request.auth, before=before, limit=limit + 1)
    more = len(found) > limit
    found = found[:limit]
    return SentPageOut(
        items=[SentItemOut(id=n.pk, kind=n.kind, status=n.status, title=n.title, send_at=n.send_at,
                           edited=n.edited_at is not None, addressed=n.addressed) for n in found],
        next_before=found[-1].pk if more else None)


@router.get("/notices/{notice_id}", response={200: NoticeOut, **ERRORS},
            summary="A notice from the sender's side: text, files, audience, progress (sender and school admin)")
def get_notice(request: HttpRequest, notice_id: int = Path(..., ge=1, le=MAX_ID)):
    return notice_out(request, selectors.notice_for_sender(request.auth, notice_id))


@router.post("/notices/{notice_id}/recall", response={200: NoticeOut, **WRITE_ERRORS},
             summary="Recall a notice (readers see it was recalled) or cancel a scheduled one")
def recall(request: HttpRequest, notice_id: int = Path(..., ge=1, le=MAX_ID)):
    services.recall_notice(request.auth, notice_id)
    return notice_out(request, selectors.notice_for_sender(request.auth, notice_id))


@router.patch("/notices/{notice_id}", response={200: NoticeOut, **WRITE_ERRORS},
              summary="Correct the title, text or files (marked edited; the audience does not change)")
def correct(request: HttpRequest, body: CorrectIn, notice_id: int = Path(..., ge=1, le=MAX_ID)):
    services.correct_notice(request.auth, notice_id, services.Correction(**body.dict()))
    return notice_out(request, selectors.notice_for_sender(request.auth, notice_id))
