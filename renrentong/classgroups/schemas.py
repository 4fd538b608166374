"""API types of class groups (SPC-3)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema


class GroupOut(Schema):
    class_id: int
    name: str = Field(description="The class's name, e.g. 五年级1班")
    school: str
    code: str = Field(description="The class code (班级编码), shown to members to invite others")
    my_role: str = Field(description="teacher | student | parent")
    is_head_teacher: bool
    parents_may_post: str = Field(description="no | reply | to_teacher")
    teachers: int
    students: int
    parents: int


class ClassGroupMemberOut(Schema):
    account_id: int
    role: str
    name: str
    children: list[str] = Field(description="A parent's children in the class")
    is_head_teacher: bool


class FileOut(Schema):
    id: int
    name: str
    kind: str = Field(description="image | document")
    size: int
    url: str = Field(description="A signed link for this account, valid 15 minutes")
    thumbnail_url: str
    uploader: str
    created_at: datetime


class ReplyOut(Schema):
    id: int
    author: str
    author_role: str
    text: str
    created_at: datetime
    private: bool
    to_name: str


class MessageOut(Schema):
    id: int
    notice_id: int = Field(description="The inbox's notice for this message")
    sender: str
    text: str
    created_at: datetime
    recalled: bool
    edited: bool
    files: list[FileOut]
    replies: list[ReplyOut]


class MessageIn(Schema):
    text: str = Field("", max_length=5000)
    file_ids: list[Id] = Field(default_factory=list, max_length=9, description="Files uploaded to /files/attachments")
    roles: list[Literal["parent", "student", "teacher"]] = Field(
        default_factory=lambda: ["parent", "student", "teacher"], min_length=1, max_length=3)


class ReplyIn(Schema):
    text: str = Field(..., max_length=1000)
    message_id: Id | None = Field(None, description="The message replied to")
    to_account_id: Id | None = Field(None, description="A private message to this member (parents: a teacher)")


class JoinIn(Schema):
    code: str = Field("", max_length=32, description="The class code (班级编码)")
    token: str = Field("", max_length=512, description="Or the token of an invite link")


class JoinOut(Schema):
    state: str = Field(description="member: already in the group; pending: the head teacher decides")
    class_id: int
    name: str
    request_id: int | None


class RequestOut(Schema):
    id: int
    account_id: int
    name: str
    role: str
    via: str
    created_at: datetime


class DecisionIn(Schema):
    approve: bool


class RemoveIn(Schema):
    account_id: Id
    role: Literal["teacher", "student", "parent"]


class SettingIn(Schema):
    parents_may_post: Literal["no", "reply", "to_teacher"]


class InviteOut(Schema):
    url: str
    expires_in_days: int
