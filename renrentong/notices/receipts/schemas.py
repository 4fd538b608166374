"""The receipts API's types (MSG-3)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field

from renrentong.core.schemas import Id, Schema
from renrentong.notices.receipts.selectors import Figures, Receipts, ReceiptView


class FiguresOut(Schema):
    id: int = Field(description="The class or school (0: the school's teachers of a region notice; 0 in totals)")
    name: str
    addressed: int
    read: int
    unread: int
    confirmed: int


class ReminderOut(Schema):
    id: int
    class_id: int | None = Field(description="None: every unread of the notice")
    reminded: int
    created_at: datetime


class NoticeReceiptsOut(Schema):
    notice_id: int
    title: str
    sender: str
    sent_at: datetime
    status: str
    confirm_required: bool
    group_by: str = Field(description='"class" or "school"')
    may_remind: bool
    totals: FiguresOut
    groups: list[FiguresOut]
    reminders: list[ReminderOut]


class FollowedNoticeOut(Schema):
    notice_id: int
    title: str
    sender: str
    sent_at: datetime
    status: str
    group_by: str


class UnreadReaderOut(Schema):
    name: str = Field(description="A parent as their child's parent with the phone masked")
    role: str


class ClassUnreadOut(Schema):
    notice_id: int
    class_id: int
    class_name: str
    unread: list[UnreadReaderOut]


class RemindIn(Schema):
    class_id: Id | None = Field(None, description="One class; leave out for every unread (the sender)")


def figures_out(f: Figures) -> dict:
    return dict(id=f.key, name=f.label, addressed=f.addressed, read=f.read, unread=f.unread, confirmed=f.confirmed)


def reminder_out(r) -> dict:
    return dict(id=r.pk, class_id=r.class_id, reminded=r.reminded, created_at=r.created_at)


def followed_out(view: ReceiptView) -> dict:
    n = view.notice
    return dict(notice_id=n.pk, title=n.title, sender=n.sender_label, sent_at=n.send_at, status=n.status,
                group_by=view.group_by)


def receipts_out(receipts: Receipts) -> dict:
    n = receipts.view.notice
    return dict(notice_id=n.pk, title=n.title, sender=n.sender_label, sent_at=n.send_at, status=n.status,
                confirm_required=n.confirm_required, group_by=receipts.view.group_by,
                may_remind=receipts.view.may_remind, totals=figures_out(receipts.totals),
                groups=[figures_out(g) for g in receipts.groups],
                reminders=[reminder_out(r) for r in receipts.reminders])
