"""WeChat binding and follow figures through the API (MSG-2): my binding code, who follows per class and
school, a class's parents with their follow state."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import ERRORS, MAX_ID

from renrentong.wechat import access, selectors, services
from renrentong.wechat.schemas import WeChatBindingOut, FollowFiguresOut, ParentFollowOut

router = Router(tags=["wechat"])
BINDING_ERRORS = {**ERRORS, 424: ERRORS[400]}


@router.get("/binding", response={200: WeChatBindingOut, **BINDING_ERRORS},
            summary="My WeChat binding: following or not, and the QR code content to scan when not")
def binding(request: HttpRequest):
    actor = request.auth
    follower = selectors.follower_of(actor)
    following = bool(follower and follower.following)
    try:
        selectors.official_account_of(actor)
    except UserFacingError:
        return WeChatBindingOut(configured=False, following=False)
    if following:
        return WeChatBindingOut(configured=True, following=True)
    scene = services.binding_scene(actor)
    return WeChatBindingOut(configured=True, following=False, qr_url=scene.url, expires_at=scene.expires_at)


@router.get("/follows", response={200: list[FollowFiguresOut], **ERRORS},
            summary="Who follows: per school for region admins (without school_id), else per class")
def follows(request: HttpRequest, school_id: int | None = Query(None, ge=1, le=MAX_ID)):
    actor = request.auth
    if access.sees_schools_of_region(actor) and school_id is None:
        return [FollowFiguresOut(school_id=f.school.pk, name=f.label, parents=f.parents, following=f.following,
                                 share=f.share) for f in selectors.follows_region(actor)]
    _school, classes = selectors.follows_school(actor, school_id)
    return [FollowFiguresOut(school_id=f.school_class.school_id, class_id=f.school_class.pk, name=f.label,
                             parents=f.parents, following=f.following, share=f.share) for f in classes]


@router.get("/follows/classes/{class_id}", response={200: list[ParentFollowOut], **ERRORS},
            summary="A class's parent accounts (masked phones) and whether each follows")
def class_follows(request: HttpRequest, class_id: int = Path(..., ge=1, le=MAX_ID),
                  following: bool | None = Query(None, description="false: only those not following")):
    _class, parents = selectors.class_parents(request.auth, class_id)
    return [ParentFollowOut(account_id=p.account_id, name=p.parent, children=p.children, phone=p.phone,
                            following=p.following) for p in parents if following is None or p.following == following]
