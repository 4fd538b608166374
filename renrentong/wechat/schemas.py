"""API shapes of the WeChat binding and follow figures (MSG-2)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field

from renrentong.core.schemas import Schema


class WeChatBindingOut(Schema):
    configured: bool = Field(description="Whether the account's region has a WeChat official account")
    following: bool = Field(description="Bound and following: pushes reach this account in WeChat")
    qr_url: str | None = Field(None, description="What the binding QR code encodes (draw it as a QR code); "
                                                 "none when already following or not configured")
    expires_at: datetime | None = None


class FollowFiguresOut(Schema):
    school_id: int | None = None
    class_id: int | None = None
    name: str
    parents: int = Field(description="Parent accounts of the class's (or school's) students")
    following: int
    share: int = Field(description="Percent following, rounded")


class ParentFollowOut(Schema):
    account_id: int
    name: str
    children: list[str]
    phone: str = Field(description="Masked: 138****1234")
    following: bool
