"""API of class groups (SPC-3) under /api/v1/class-groups/: the same services and selectors as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile

from renrentong.classgroups import selectors, services
from renrentong.classgroups.schemas import (
    DecisionIn, FileOut, GroupOut, InviteOut, JoinIn, JoinOut, ClassGroupMemberOut, MessageIn, MessageOut, ReplyIn, ReplyOut,
    RemoveIn, RequestOut, SettingIn,
)
from renrentong.core.schemas import ERRORS, MAX_ID

router = Router(tags=["class groups"])
ClassId = Path(..., ge=1, le=MAX_ID)


def group_out(group: selectors.Group) -> GroupOut:
    counts = selectors.counts(group.class_id)
    c = group.school_class
    return GroupOut(class_id=c.pk, name=c.display_name(), school=c.school.name, code=c.code, my_role=group.role,
                    is_head_teacher=group.is_head, parents_may_post=group.parents_may_post,
                    teachers=counts["teacher"], students=counts["student"], parents=counts["parent"])


@router.get("/", response={200: list[GroupOut], **ERRORS}, summary="My class groups")
def my_groups(request: HttpRequest):
    return [group_out(g) for g in selectors.my_groups(request.auth)]


@router.post("/join", response={200: JoinOut, **ERRORS}, summary="Ask to join with a class code or invite link")
def join(request: HttpRequest, body: JoinIn):
    outcome = services.ask_to_join(request.auth, code=body.code, token=body.token)
    return JoinOut(state=outcome.state, class_id=outcome.school_class.pk, name=outcome.school_class.display_name(),
                   request_id=outcome.request.pk if outcome.request else None)


@router.get("/{class_id}", response={200: GroupOut, **ERRORS}, summary="A class group with its member counts")
def group(request: HttpRequest, class_id: int = ClassId):
    return group_out(selectors.group_for(request.auth, class_id))


@router.get("/{class_id}/members", response={200: list[ClassGroupMemberOut], **ERRORS})
def members(request: HttpRequest, class_id: int = ClassId):
    found = selectors.group_for(request.auth, class_id)
    return [ClassGroupMemberOut(account_id=m.account_id, role=m.role, name=m.name, children=m.children, is_head_teacher=m.is_head)
            for m in selectors.member_list(found)]


@router.post("/{class_id}/members/remove", response={204: None, **ERRORS}, summary="Take a member out (请出班级)")
def remove(request: HttpRequest, body: RemoveIn, class_id: int = ClassId):
    services.remove_member(request.auth, class_id, body.account_id, body.role)
    return Status(204, None)


def _file_out(f: selectors.FileView) -> FileOut:
    return FileOut(id=f.id, name=f.name, kind=f.kind, size=f.size, url=f.url, thumbnail_url=f.thumbnail_url,
                   uploader=f.uploader, created_at=f.created_at)


def _message_out(m: selectors.MessageView) -> MessageOut:
    return MessageOut(id=m.id, notice_id=m.notice_id, sender=m.sender, text=m.text, created_at=m.created_at,
                      recalled=m.recalled, edited=m.edited, files=[_file_out(f) for f in m.files],
                      replies=[_reply_out(r) for r in m.replies])


def _reply_out(r: selectors.ReplyView) -> ReplyOut:
    return ReplyOut(id=r.id, author=r.author, author_role=r.author_role, text=r.text, created_at=r.created_at,
                    private=r.private, to_name=r.to_name)


@router.get("/{class_id}/messages", response={200: list[MessageOut], **ERRORS}, summary="Messages, newest first")
def messages(request: HttpRequest, class_id: int = ClassId,
             before: int | None = Query(None, ge=1, le=MAX_ID, description="Keyset: messages older than this id"),
             images_only: bool = Query(False, description="The class circle: messages with images")):
    found = selectors.group_for(request.auth, class_id)
    return [_message_out(m) for m in selectors.messages(request.auth, found, before=before, with_images_only=images_only)]


@router.post("/{class_id}/messages", response={201: MessageOut, **ERRORS}, summary="Post a message (teachers)")
def post_message(request: HttpRequest, body: MessageIn, class_id: int = ClassId):
    message = services.post_message(request.auth, class_id, body.text, body.file_ids, body.roles)
    found = selectors.group_for(request.auth, class_id)
    view = next(m for m in selectors.messages(request.auth, found, limit=5) if m.id == message.pk)
    return Status(201, _message_out(view))


@router.get("/{class_id}/private", response={200: list[ReplyOut], **ERRORS}, summary="My private messages with teachers")
def private(request: HttpRequest, class_id: int = ClassId):
    found = selectors.group_for(request.auth, class_id)
    return [_reply_out(r) for r in selectors.private_messages(request.auth, found)]


@router.post("/{class_id}/replies", response={201: ReplyOut, **ERRORS},
             summary="Reply to a message, or write privately to a teacher, as the class setting allows")
def reply(request: HttpRequest, body: ReplyIn, class_id: int = ClassId):
    found = services.reply(request.auth, class_id, body.text, message_id=body.message_id,
                           to_account_id=body.to_account_id)
    return Status(201, ReplyOut(id=found.pk, author=found.author_label, author_role=found.author_role,
                                text=found.text, created_at=found.created_at,
                                private=found.to_account_id is not None, to_name=""))


@router.get("/{class_id}/files", response={200: list[FileOut], **ERRORS})
def files(request: HttpRequest, class_id: int = ClassId):
    found = selectors.group_for(request.auth, class_id)
    return [_file_out(f) for f in selectors.files(request.auth, found)]


@router.post("/{class_id}/files", response={201: FileOut, **ERRORS}, summary="Share a file with the group (teachers)")
def upload(request: HttpRequest, class_id: int = ClassId, file: UploadedFile = File(...),
           upload_key: str = Form("", max_length=64)):
    services.upload_file(request.auth, class_id, file.read(), file.name or "", upload_key=upload_key)
    found = selectors.group_for(request.auth, class_id)
    return Status(201, _file_out(selectors.files(request.auth, found)[0]))


@router.post("/{class_id}/files/attachments", response={201: dict, **ERRORS},
             summary="Upload an image or file to attach to a message (teachers)")
def attachment(request: HttpRequest, class_id: int = ClassId, file: UploadedFile = File(...)):
    return Status(201, {"file_id": services.store_attachment(request.auth, class_id, file.read(), file.name or "")})


@router.get("/{class_id}/requests", response={200: list[RequestOut], **ERRORS}, summary="Join requests (head teacher)")
def requests(request: HttpRequest, class_id: int = ClassId):
    found = selectors.managed_group(request.auth, class_id)
    return [RequestOut(id=r.pk, account_id=r.account_id, name=r.account.person.name if r.account.person else "",
                       role=r.role, via=r.via, created_at=r.created_at) for r in selectors.pending_requests(found)]


@router.post("/{class_id}/requests/{request_id}", response={204: None, **ERRORS}, summary="Approve or refuse")
def decide(request: HttpRequest, body: DecisionIn, class_id: int = ClassId,
           request_id: int = Path(..., ge=1, le=MAX_ID)):
    services.decide(request.auth, class_id, request_id, approve=body.approve)
    return Status(204, None)


@router.put("/{class_id}/settings", response={200: GroupOut, **ERRORS}, summary="What parents may post (head teacher)")
def settings(request: HttpRequest, body: SettingIn, class_id: int = ClassId):
    services.set_parents_may_post(request.auth, class_id, body.parents_may_post)
    return group_out(selectors.group_for(request.auth, class_id))


@router.post("/{class_id}/invite", response={200: InviteOut, **ERRORS}, summary="An invite link (teachers)")
def invite(request: HttpRequest, class_id: int = ClassId):
    token = services.invite_token(request.auth, class_id)
    return InviteOut(url=request.build_absolute_uri(reverse("classgroups:invite", args=[token])),
                     expires_in_days=services.INVITE_DAYS)
