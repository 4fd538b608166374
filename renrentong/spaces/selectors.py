"""Reading posts and spaces (SPC-1, SPC-2), always from what the actor may see (NFR-2).

A reader sees a published post when it is public, when it is a school post of a school they belong to
(scope.school_ids: a student's, a parent's child's, a teacher's or school admin's school), or when it is a
class post of a class they belong to (scope.class_ids: the student's class, the child's class, the classes
a teacher teaches or heads). An author always sees their own posts, held or removed ones included."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School, SchoolClass
from renrentong.orgs.policy import region_chain
from renrentong.uploads.selectors import signed_url

from renrentong.spaces import access
from renrentong.spaces.models import (
    BlockedWord, ClassSpace, ClassSpaceAdmin, PersonalSpace, Post, PostReport, SchoolSpace, SpaceVisit,
)

PAGE_SIZE = 20
V = Post.Visibility


def visible_q(actor: Actor) -> Q:
    seen_by_others = Q(status=Post.Status.PUBLISHED) & (
        Q(visibility=V.PUBLIC)
        | Q(visibility=V.SCHOOL, school_id__in=actor.scope.school_ids)
        | Q(visibility=V.CLASS, class_id__in=actor.scope.class_ids)
    )
    return seen_by_others | (Q(author=actor.account) & ~Q(status=Post.Status.DELETED))


def moderated_q(actor: Actor) -> Q:
    """What the actor may moderate: their school's posts (school admin), their class's (head teacher)."""
    return (Q(school_id__in=access.moderated_school_ids(actor)) | Q(class_id__in=access.headed_class_ids(actor))) & \
        ~Q(status=Post.Status.DELETED)


def visible_posts(actor: Actor) -> QuerySet[Post]:
    return Post.objects.filter(visible_q(actor))


def post_for_reader(actor: Actor, post_id: int) -> Post:
    """A post the actor may read or moderate, else "not found" (a foreign id and a missing one look alike)."""
    post = Post.objects.filter(visible_q(actor) | moderated_q(actor)).filter(pk=post_id).first()
    if post is None:
        raise UserFacingError("spaces.not_found")
    return post


@dataclass
class FeedPage:
    posts: list[Post]
    next_before: int | None
    title: str = ""
    extra: dict = field(default_factory=dict)


def _page(qs: QuerySet[Post], before: int | None, limit: int = PAGE_SIZE) -> FeedPage:
    """Newest first, keyset paging on the id (stable while new posts arrive)."""
    if before:
        qs = qs.filter(pk__lt=before)
    posts = list(qs.order_by("-pk")[:limit + 1])
    more = len(posts) > limit
    posts = posts[:limit]
    return FeedPage(posts, posts[-1].pk if more and posts else None)


def default_school_id(actor: Actor) -> int | None:
    own = access.acting_school_id(actor)
    if own:
        return own
    return min(actor.scope.school_ids) if actor.scope.school_ids else None


def default_class_id(actor: Actor) -> int | None:
    return min(actor.scope.class_ids) if actor.scope.class_ids else None


def member_class(actor: Actor, class_id: int) -> SchoolClass:
    """A class the actor belongs to (student, a child's, taught or headed), else "not found"."""
    if class_id not in actor.scope.class_ids:
        raise UserFacingError("scope.not_found")
    found = SchoolClass.objects.select_related("school").filter(pk=class_id).first()
    if found is None:
        raise UserFacingError("scope.not_found")
    return found


def member_classes(actor: Actor) -> list[SchoolClass]:
    return list(SchoolClass.objects.select_related("school", "cohort__stage").filter(pk__in=actor.scope.class_ids)
                .order_by("school_id", "pk"))


def school_feed(actor: Actor, school_id: int | None = None, before: int | None = None) -> FeedPage:
    """校园动态: the public and school posts of a school the reader belongs to."""
    school_id = school_id or default_school_id(actor)
    if school_id is None or school_id not in actor.scope.school_ids:
        raise UserFacingError("scope.not_found")
    qs = visible_posts(actor).filter(school_id=school_id, visibility__in=(V.PUBLIC, V.SCHOOL))
    page = _page(qs, before)
    page.extra["school_id"] = school_id
    return page


def class_feed(actor: Actor, class_id: int | None = None, before: int | None = None) -> FeedPage:
    """班级动态: the posts of a class the reader belongs to (never another class's class posts)."""
    class_id = class_id or default_class_id(actor)
    if class_id is None:
        raise UserFacingError("scope.not_found")
    member_class(actor, class_id)
    qs = visible_posts(actor).filter(class_id=class_id).exclude(visibility=V.ONLY_ME)
    page = _page(qs, before)
    page.extra["class_id"] = class_id
    return page


def person_feed(actor: Actor, author_id: int, before: int | None = None) -> FeedPage:
    """A personal space: the author's posts this reader may see; none seen and not one's own is "not found"."""
    qs = visible_posts(actor).filter(author_id=author_id)
    page = _page(qs, before)
    if not page.posts and author_id != actor.account.pk and not before:
        raise UserFacingError("scope.not_found")
    page.extra["author_id"] = author_id
    return page


def review_queue(actor: Actor) -> list[Post]:
    """Held posts and posts with open reports, of the schools the actor moderates; oldest first."""
    schools = access.moderated_school_ids(actor)
    if not schools:
        raise UserFacingError("spaces.not_moderator")
    reported = PostReport.objects.filter(school_id__in=schools, resolved_at__isnull=True).values("post_id")
    qs = (Post.objects.filter(school_id__in=schools)
          .filter(Q(status=Post.Status.HELD) | Q(pk__in=reported, status=Post.Status.PUBLISHED))
          .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
          .order_by("pk"))
    posts = list(qs[:200])
    reasons: dict[int, list[str]] = {}
    for post_id, reason in PostReport.objects.filter(post__in=posts, resolved_at__isnull=True).values_list(
            "post_id", "reason")[:2000]:
        reasons.setdefault(post_id, []).append(reason)
    for post in posts:
        post.report_reasons = reasons.get(post.pk, [])
    return posts


def review_waiting(actor: Actor) -> int:
    schools = access.moderated_school_ids(actor)
    if not schools:
        return 0
    reported = PostReport.objects.filter(school_id__in=schools, resolved_at__isnull=True).values("post_id")
    return Post.objects.filter(school_id__in=schools).filter(
        Q(status=Post.Status.HELD) | Q(pk__in=reported, status=Post.Status.PUBLISHED)).count()


def image_links(actor: Actor, posts: list[Post]) -> dict[int, list[str]]:
    """Signed links to the posts' images; the caller has read the posts through the selectors above."""
    links: dict[int, list[str]] = {}
    from renrentong.spaces.models import PostImage

    for image in PostImage.objects.filter(post__in=posts).select_related("file").order_by("post_id", "position"):
        links.setdefault(image.post_id, []).append(signed_url(actor, image.file, thumbnail=True))
    return links


def words_in_force(school_id: int) -> list[str]:
    """The normalised words of the word lists of the school's district and every region above it."""
    school = School.objects.select_related("district").filter(pk=school_id).first()
    if school is None:
        return []
    region_ids = [r.pk for r in region_chain(school.district)]
    return list(BlockedWord.objects.filter(region_id__in=region_ids).values_list("normalised", flat=True))


def word_list(actor: Actor) -> tuple[list[BlockedWord], list[BlockedWord]]:
    """The actor's region's own words and those inherited from above (read only)."""
    if not access.edits_word_list(actor):
        raise UserFacingError("spaces.words_not_allowed")
    region = actor.identity.region
    own = list(BlockedWord.objects.filter(region_id=region.pk).order_by("word"))
    above = [r.pk for r in region_chain(region.parent)] if region.parent_id else []
    inherited = list(BlockedWord.objects.filter(region_id__in=above).order_by("word"))
    return own, inherited


def class_space(actor: Actor, class_id: int) -> tuple[SchoolClass, ClassSpace | None]:
    """A class whose space the actor may open: any class whose place in the structure they may see."""
    school_class = (actor.scope.classes(SchoolClass.objects.select_related("school", "cohort__stage"))
                    .filter(pk=class_id).first())
    if school_class is None:
        raise UserFacingError("scope.not_found")
    return school_class, ClassSpace.objects.filter(class_id=class_id).select_related("cover").first()


def class_space_admins(class_id: int) -> list[ClassSpaceAdmin]:
    return list(ClassSpaceAdmin.objects.filter(class_id=class_id).select_related("account__person").order_by("pk"))


def school_space(actor: Actor, school_id: int) -> tuple[School, SchoolSpace | None]:
    school = actor.scope.schools(School.objects.all()).filter(pk=school_id).first()
    if school is None and school_id in actor.scope.school_ids:
        school = School.objects.filter(pk=school_id).first()
    if school is None:
        raise UserFacingError("scope.not_found")
    return school, SchoolSpace.objects.filter(school_id=school_id).select_related("cover").first()


def class_posts(actor: Actor, class_id: int, before: int | None = None) -> FeedPage:
    """The class space's posts this reader may see (a non-member sees its public and school posts)."""
    return _page(visible_posts(actor).filter(class_id=class_id).exclude(visibility=V.ONLY_ME), before)


def school_posts(actor: Actor, school_id: int, before: int | None = None) -> FeedPage:
    return _page(visible_posts(actor).filter(school_id=school_id, visibility__in=(V.PUBLIC, V.SCHOOL)), before)


@dataclass
class StatsRow:
    key: int
    name: str
    spaces_opened: int = 0
    posts: int = 0
    visits: int = 0


def _counts(qs: QuerySet, by: str) -> dict[int, int]:
    return {row[by]: row["n"] for row in qs.values(by).annotate(n=Count("pk")).order_by()}


def space_stats(actor: Actor, school_id: int | None = None) -> tuple[School | None, list[StatsRow]]:
    """Per class of one school (school admin, or a region admin who opened one school), or per school of the
    region admin's scope: spaces opened, posts published, visits (one per visitor, space and day)."""
    if not access.sees_stats(actor):
        raise UserFacingError("spaces.stats_not_allowed")
    if access.sees_region_stats(actor) and school_id is None:
        schools = list(actor.scope.schools(School.objects.all()).order_by("name", "pk")[:500])
        ids = [s.pk for s in schools]
        personal = _counts(PersonalSpace.objects.filter(school_id__in=ids), "school_id")
        classes = _counts(ClassSpace.objects.filter(school_id__in=ids), "school_id")
        own = set(SchoolSpace.objects.filter(school_id__in=ids).values_list("school_id", flat=True))
        posts = _counts(Post.objects.filter(school_id__in=ids, status=Post.Status.PUBLISHED), "school_id")
        visits = _counts(SpaceVisit.objects.filter(school_id__in=ids), "school_id")
        return None, [StatsRow(s.pk, s.name, personal.get(s.pk, 0) + classes.get(s.pk, 0) + (s.pk in own),
                               posts.get(s.pk, 0), visits.get(s.pk, 0)) for s in schools]
    school_id = school_id or access.acting_school_id(actor)
    school = actor.scope.schools(School.objects.all()).filter(pk=school_id).first() if school_id else None
    if school is None:
        raise UserFacingError("scope.not_found")
    classes = list(SchoolClass.objects.filter(school=school).select_related("cohort__stage", "school")
                   .order_by("cohort__enrollment_year", "number", "pk"))
    personal = _counts(PersonalSpace.objects.filter(school_id=school.pk), "class_id")
    opened = set(ClassSpace.objects.filter(school_id=school.pk).values_list("class_id", flat=True))
    posts = _counts(Post.objects.filter(school_id=school.pk, status=Post.Status.PUBLISHED), "class_id")
    visits = _counts(SpaceVisit.objects.filter(school_id=school.pk), "class_id")
    rows = [StatsRow(c.pk, c.display_name(), personal.get(c.pk, 0) + (c.pk in opened), posts.get(c.pk, 0),
                     visits.get(c.pk, 0)) for c in classes]
    return school, rows


def cover_link(actor: Actor, space) -> str:
    """The cover of a class or school space the caller has let the actor open."""
    return signed_url(actor, space.cover) if space is not None and space.cover_id else ""
