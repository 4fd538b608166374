"""Reading the inbox (issue 13 item 2): newest first by (sort_at, id), keyset paging with an opaque cursor,
a filter per child for a parent, the unread count for the badge. Every read starts from the actor's own
account: an inbox item of someone else is never found, it is not refused (NFR-2)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime, timezone as dt_timezone

from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from renrentong.accounts.selectors import children_of
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.core.web.forms import IdField, valid
from renrentong.notices import access
from renrentong.notices.models import InboxItem, Notice, NoticeAttachment, NoticeRecipient
from renrentong.notices.receipts import access as receipts_access
from renrentong.uploads.selectors import signed_url

PAGE_SIZE = 20
PAGE_LIMIT = 50
# The badge shows "99+" beyond this: the count reads at most UNREAD_CAP + 1 rows of the partial index.
UNREAD_CAP = 99
EXCERPT = 60


@dataclass
class InboxEntry:
    """One line of the inbox, or the opened notice when `body` is filled."""

    item: InboxItem
    notice: Notice
    recalled: bool
    edited: bool
    excerpt: str = ""
    body: str | None = None
    attachments: list[dict] = field(default_factory=list)

    @property
    def unread(self) -> bool:
        return self.item.read_at is None

    @property
    def awaits_receipt(self) -> bool:
        return self.notice.confirm_required and not self.recalled and self.item.confirmed_at is None


@dataclass
class InboxPage:
    entries: list[InboxEntry]
    next_cursor: str | None


def require_reader(actor: Actor) -> None:
    if not access.reads_inbox(actor):
        raise UserFacingError("inbox.not_reader")


def _own_items(actor: Actor) -> QuerySet[InboxItem]:
    return InboxItem.objects.filter(account_id=actor.account.pk)


def child_filter(actor: Actor, child_id: int | None) -> int | None:
    """The child a parent filters by: one of this guardian's own children, else "not found" (404)."""
    if child_id is None:
        return None
    if not access.acting_as_guardian(actor) or not 1 <= child_id <= MAX_ID or child_id not in actor.scope.person_ids:
        raise UserFacingError("inbox.child_not_found")
    return child_id


def encode_cursor(item: InboxItem) -> str:
    stamp = int(item.sort_at.timestamp() * 1_000_000)
    return base64.urlsafe_b64encode(f"{stamp}.{item.pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        stamp, pk = (int(part) for part in raw.split("."))
        if not (0 <= stamp < 10**17 and 1 <= pk <= MAX_ID):
            raise ValueError
        # Whole seconds and microseconds apart: a float would round the last digit.
        moment = datetime.fromtimestamp(stamp // 1_000_000, tz=dt_timezone.utc).replace(microsecond=stamp % 1_000_000)
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError, OSError):
        raise UserFacingError("inbox.bad_cursor") from None
    return moment, pk


def _entry(item: InboxItem, notice: Notice, *, body: str | None = None) -> InboxEntry:
    """`body` is the start of the notice's text when only that was read (at least EXCERPT + 1 characters)."""
    recalled = notice.status == Notice.Status.RECALLED or notice.recalled_at is not None
    body = (notice.body if body is None else body) or ""
    excerpt = "" if recalled else (body[:EXCERPT] + ("…" if len(body) > EXCERPT else ""))
    return InboxEntry(item=item, notice=notice, recalled=recalled, edited=notice.edited_at is not None, excerpt=excerpt)


def inbox_page(actor: Actor, *, cursor: str | None = None, child_id: int | None = None,
               limit: int = PAGE_SIZE) -> InboxPage:
    """A page of the actor's inbox, newest first. The cursor is the last (sort_at, id) shown: the next page
    starts strictly after it, so notices arriving meanwhile (on top) neither repeat nor hide a row."""
    require_reader(actor)
    child = child_filter(actor, child_id)
    limit = max(1, min(int(limit), PAGE_LIMIT))
    items = _own_items(actor)
    if child is not None:
        items = items.filter(notice_id__in=NoticeRecipient.objects.filter(
            account_id=actor.account.pk, student_person_id=child).values("notice_id"))
    if cursor:
        sort_at, pk = decode_cursor(cursor)
        items = items.filter(Q(sort_at__lt=sort_at) | Q(sort_at=sort_at, pk__lt=pk))
    # One query with the notices joined, and of each body only what the excerpt shows: this is the page every
    # parent opens on a school evening (issue 13's inbox benchmark).
    rows = list(items.select_related("notice").defer("notice__body")
                .annotate(body_head=Substr("notice__body", 1, EXCERPT + 1))
                .order_by("-sort_at", "-pk")[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    entries = [_entry(r, r.notice, body=r.body_head) for r in rows]
    return InboxPage(entries=entries, next_cursor=encode_cursor(rows[-1]) if more and rows else None)


def unread_count(actor: Actor) -> int:
    """Unread notices (recalled ones aside), counted on the partial index and capped at UNREAD_CAP + 1."""
    if not access.reads_inbox(actor):
        return 0
    unread = _own_items(actor).filter(read_at__isnull=True).exclude(notice__status=Notice.Status.RECALLED)
    return len(unread.values_list("pk", flat=True)[:UNREAD_CAP + 1])


def badge(count: int) -> str:
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count) if count else ""


def item_for(actor: Actor, notice_id: int) -> InboxItem:
    """The actor's own inbox item of the notice; anyone else's (or none) is "not found"."""
    require_reader(actor)
    if not 1 <= notice_id <= MAX_ID:
        raise UserFacingError("notices.not_found")
    item = _own_items(actor).filter(notice_id=notice_id).first()
    if item is None:
        raise UserFacingError("notices.not_found")
    return item


def opened(actor: Actor, item: InboxItem) -> InboxEntry:
    """The notice as its reader sees it: the body and attachments (signed links, issued only now that the
    inbox scope is checked), or "recalled" with neither."""
    notice = Notice.objects.get(pk=item.notice_id)
    entry = _entry(item, notice)
    if not entry.recalled:
        entry.body = notice.body
        for attachment in NoticeAttachment.objects.filter(notice=notice).select_related("file").order_by("position"):
            stored = attachment.file
            is_image = stored.kind == "image"
            entry.attachments.append({
                "name": stored.name, "size": stored.size, "content_type": stored.content_type, "image": is_image,
                "url": signed_url(actor, stored),
                "thumbnail_url": signed_url(actor, stored, thumbnail=True) if is_image and stored.thumbnail_name else None,
            })
    return entry


class InboxQuery(forms.Form):
    """?child= (a parent's filter) and ?cursor= (the next page), checked like every page input."""

    child = IdField()
    cursor = forms.CharField(required=False, max_length=64)


def messages_tab(actor: Actor, params) -> dict:
    """What the 消息 tab shows of the inbox: the first page (or the page after ?cursor=), the child chips."""
    if not access.reads_inbox(actor):
        return {"reads_inbox": False}
    query = valid(InboxQuery(params))
    page = inbox_page(actor, cursor=query["cursor"] or None, child_id=query["child"])
    return {
        "reads_inbox": True, "page": page, "child": query["child"],
        "children": [c.person for c in children_of(actor)],
        "follows_receipts": receipts_access.may_open_receipts(actor),
    }
