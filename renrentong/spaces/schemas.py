"""Spaces API types (SPC-1, SPC-2)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema


class PostIn(Schema):
    kind: Literal["mood", "quote", "news"] = "mood"
    text: str = Field(..., max_length=4000, description="Up to 2,000 characters after trimming")
    visibility: Literal["public", "school", "class", "only_me"] = "class"
    class_id: Id | None = Field(None, description="The class posted to: one the author belongs to (a parent: "
                                                  "the child's); may be left out when there is only one")
    file_ids: list[Id] = Field(default_factory=list, max_length=9, description="Images uploaded by the author")


class PostOut(Schema):
    id: int
    school_id: int
    class_id: int | None
    author_id: int
    author_label: str = Field(description="The author's name")
    author_kind: str = Field(description="student, guardian or teacher")
    kind: str
    text: str
    visibility: str
    status: str = Field(description="published, held (for review: only the author sees it), removed")
    removed_reason: str = Field("", description="Shown to the author when a moderator removed the post")
    images: list[str] = Field(default_factory=list, description="Signed links, valid 15 minutes")
    created_at: datetime
    may_remove: bool = False
    own: bool = False


class FeedOut(Schema):
    items: list[PostOut]
    next_before: int | None = Field(None, description="Pass as `before` for the next (older) page")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=400)


class ReportOut(Schema):
    id: int
    post_id: int
    reason: str
    created_at: datetime


class ReviewItemOut(PostOut):
    reports: list[str] = Field(default_factory=list)
    held_words: list[str] = Field(default_factory=list)


class WordIn(Schema):
    word: str = Field(..., max_length=100)


class WordOut(Schema):
    id: int
    word: str
    region_id: int
    own: bool


class StatsRowOut(Schema):
    id: int = Field(description="The class id (per class of a school) or the school id (per school)")
    name: str
    spaces_opened: int
    posts: int
    visits: int


class StatsOut(Schema):
    school_id: int | None = Field(None, description="Set when the rows are the classes of one school")
    per: Literal["class", "school"]
    rows: list[StatsRowOut]
