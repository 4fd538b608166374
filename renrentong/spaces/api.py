"""Posts, feeds, moderation, the word list and statistics through the API (SPC-1, SPC-2)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import ERRORS, MAX_ID

from renrentong.spaces import access, selectors, services
from renrentong.spaces.schemas import (
    FeedOut, PostIn, PostOut, ReasonIn, ReportOut, ReviewItemOut, StatsOut, StatsRowOut, WordIn, WordOut,
)

router = Router(tags=["spaces"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}
PostId = Path(..., ge=1, le=MAX_ID)


def post_out(actor: Actor, post, images: list[str] | None = None, schema=PostOut, **extra) -> PostOut:
    own = access.is_author(actor, post)
    return schema(
        id=post.pk, school_id=post.school_id, class_id=post.class_id, author_id=post.author_id,
        author_label=post.author_label, author_kind=post.author_kind, kind=post.kind, text=post.text, visibility=post.visibility,
        status=post.status, removed_reason=access.removal_reason_for(actor, post),
        images=images or [], created_at=post.created_at, may_remove=access.may_moderate(actor, post), own=own, **extra)


def feed_out(actor: Actor, page: selectors.FeedPage) -> FeedOut:
    links = selectors.image_links(actor, page.posts)
    return FeedOut(items=[post_out(actor, p, links.get(p.pk)) for p in page.posts], next_before=page.next_before)


@router.post("/posts", response={201: PostOut, **WRITE_ERRORS}, summary="Write a post (mood, quote or news)")
def create_post(request: HttpRequest, body: PostIn):
    post = services.create_post(request.auth, services.PostDraft(
        text=body.text, kind=body.kind, visibility=body.visibility, class_id=body.class_id, file_ids=body.file_ids))
    return Status(201, post_out(request.auth, post, selectors.image_links(request.auth, [post]).get(post.pk)))


@router.get("/posts", response={200: FeedOut, **ERRORS},
            summary="A feed, newest first: the school feed (校园动态), a class feed (班级动态) or a person's posts")
def list_posts(request: HttpRequest, feed: Literal["school", "class", "person", "mine"] = "school",
               class_id: int | None = Query(None, ge=1, le=MAX_ID), school_id: int | None = Query(None, ge=1, le=MAX_ID),
               author_id: int | None = Query(None, ge=1, le=MAX_ID), before: int | None = Query(None, ge=1, le=MAX_ID)):
    actor = request.auth
    if feed == "school":
        page = selectors.school_feed(actor, school_id, before)
    elif feed == "class":
        page = selectors.class_feed(actor, class_id, before)
    elif feed == "person":
        if author_id is None:
            raise UserFacingError("request.invalid", detail="author_id is required for feed=person")
        page = selectors.person_feed(actor, author_id, before)
    else:
        page = selectors.person_feed(actor, actor.account.pk, before)
    return feed_out(actor, page)


@router.get("/posts/{post_id}", response={200: PostOut, **ERRORS}, summary="One post I may see")
def read_post(request: HttpRequest, post_id: int = PostId):
    post = selectors.post_for_reader(request.auth, post_id)
    return post_out(request.auth, post, selectors.image_links(request.auth, [post]).get(post.pk))


@router.delete("/posts/{post_id}", response={204: None, **ERRORS}, summary="Delete my own post")
def delete_post(request: HttpRequest, post_id: int = PostId):
    services.delete_post(request.auth, post_id)
    return Status(204, None)


@router.post("/posts/{post_id}/reports", response={201: ReportOut, **WRITE_ERRORS}, summary="Report a post")
def report_post(request: HttpRequest, body: ReasonIn, post_id: int = PostId):
    report = services.report_post(request.auth, post_id, body.reason)
    return Status(201, ReportOut(id=report.pk, post_id=report.post_id, reason=report.reason, created_at=report.created_at))


@router.post("/posts/{post_id}/removal", response={200: PostOut, **WRITE_ERRORS},
             summary="Remove a post with a reason the author sees (school admin; class head teacher)")
def remove_post(request: HttpRequest, body: ReasonIn, post_id: int = PostId):
    return post_out(request.auth, services.remove_post(request.auth, post_id, body.reason))


@router.post("/posts/{post_id}/approval", response={200: PostOut, **WRITE_ERRORS},
             summary="Publish a held post, or keep a reported one (closes its reports)")
def approve_post(request: HttpRequest, post_id: int = PostId):
    return post_out(request.auth, services.approve_post(request.auth, post_id))


@router.get("/review", response={200: list[ReviewItemOut], **ERRORS},
            summary="The review queue: held and reported posts of my school (school admin)")
def review_queue(request: HttpRequest):
    actor = request.auth
    posts = selectors.review_queue(actor)
    return [post_out(actor, p, schema=ReviewItemOut, reports=p.report_reasons, held_words=p.held_words)
            for p in posts]


def _words(actor: Actor) -> list[WordOut]:
    own, inherited = selectors.word_list(actor)
    return ([WordOut(id=w.pk, word=w.word, region_id=w.region_id, own=True) for w in own]
            + [WordOut(id=w.pk, word=w.word, region_id=w.region_id, own=False) for w in inherited])


@router.get("/words", response={200: list[WordOut], **ERRORS}, summary="My region's word list and the inherited one")
def words(request: HttpRequest):
    return _words(request.auth)


@router.post("/words", response={201: WordOut, **WRITE_ERRORS}, summary="Add a word to my region's list")
def add_word(request: HttpRequest, body: WordIn):
    row = services.add_word(request.auth, body.word)
    return Status(201, WordOut(id=row.pk, word=row.word, region_id=row.region_id, own=True))


@router.delete("/words/{word_id}", response={204: None, **ERRORS}, summary="Remove a word from my region's list")
def remove_word(request: HttpRequest, word_id: int = Path(..., ge=1, le=MAX_ID)):
    services.remove_word(request.auth, word_id)
    return Status(204, None)


@router.get("/stats", response={200: StatsOut, **ERRORS},
            summary="Space statistics: per class of a school, or per school of a region admin's scope")
def stats(request: HttpRequest, school_id: int | None = Query(None, ge=1, le=MAX_ID)):
    school, rows = selectors.space_stats(request.auth, school_id)
    return StatsOut(school_id=school.pk if school else None, per="class" if school else "school",
                    rows=[StatsRowOut(id=r.key, name=r.name, spaces_opened=r.spaces_opened, posts=r.posts,
                                      visits=r.visits) for r in rows])
