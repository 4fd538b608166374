"""The inbox API's types (issue 13 item 2)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field

from renrentong.notices.inbox.selectors import InboxEntry, InboxPage
from renrentong.core.schemas import Schema


class InboxAttachmentOut(Schema):
    name: str
    size: int
    content_type: str
    image: bool
    url: str = Field(description="A signed link for this account, valid for 15 minutes")
    thumbnail_url: str | None = None


class InboxItemOut(Schema):
    id: int = Field(description="The inbox item")
    notice_id: int = Field(description="Open it with GET /inbox/{notice_id}")
    kind: str
    title: str
    sender: str
    sent_at: datetime
    sort_at: datetime = Field(description="When it arrived, or was last reminded")
    read: bool
    read_at: datetime | None
    confirm_required: bool
    confirmed_at: datetime | None
    recalled: bool = Field(description="Recalled by its sender: shown as 已撤回, without its text")
    edited: bool = Field(description="Corrected by its sender after sending: shown as 已修改")
    reminded: int = Field(description="How many times the sender reminded")
    excerpt: str = ""


class InboxNoticeOut(InboxItemOut):
    body: str | None = Field(None, description="None when recalled")
    attachments: list[InboxAttachmentOut] = []


class InboxPageOut(Schema):
    items: list[InboxItemOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class UnreadCountOut(Schema):
    count: int = Field(description="Unread notices, at most 100 (then shown as 99+)")
    display: str = Field(description='The badge text: "", "7" or "99+"')


def item_out(entry: InboxEntry) -> dict:
    item, notice = entry.item, entry.notice
    return dict(
        id=item.pk, notice_id=notice.pk, kind=notice.kind, title=notice.title, sender=notice.sender_label,
        sent_at=notice.send_at, sort_at=item.sort_at, read=item.read_at is not None, read_at=item.read_at,
        confirm_required=notice.confirm_required, confirmed_at=item.confirmed_at, recalled=entry.recalled,
        edited=entry.edited, reminded=item.reminded_count, excerpt=entry.excerpt,
    )


def notice_out(entry: InboxEntry) -> dict:
    return {**item_out(entry), "body": entry.body, "attachments": entry.attachments}


def page_out(page: InboxPage) -> dict:
    return {"items": [item_out(e) for e in page.entries], "next_cursor": page.next_cursor}
