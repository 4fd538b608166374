"""Smart classroom verbs (RES-1, RES-3): keep a resource (create, edit, delete), take a shared one down, and
recommend a course. Each takes the Actor first, checks through access and selectors, runs in one
transaction and is audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from renrentong.core.text import clean_text
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School
from renrentong.resources.classroom import access, selectors
from renrentong.resources.models import RecommendedCourse, Resource
from renrentong.uploads.selectors import own_files

URL_MAX = 500
_URLS = URLValidator(schemes=["http", "https"])
LINK_KINDS = (Resource.Kind.VIDEO, Resource.Kind.LINK)


@dataclass
class ResourceDraft:
    title: str
    kind: str
    stage: str
    subject: str
    grade: int
    term: str
    module: str = Resource.Module.REVIEW
    description: str = ""
    edition: str = ""
    chapter_id: int | None = None
    is_basic: bool = True
    file_id: int | None = None
    url: str = ""
    sharing: str = Resource.Sharing.ME


def checked_url(value: str) -> str:
    """An http(s) address as given, without spaces; anything else (javascript:, data:, ftp:) is refused."""
    url = (value or "").strip()
    if not url:
        return ""
    if len(url) > URL_MAX or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise UserFacingError("classroom.url_invalid")
    try:
        _URLS(url)
    except ValidationError:
        raise UserFacingError("classroom.url_invalid") from None
    return url


def _placement_refusal(draft: ResourceDraft) -> str | None:
    if draft.stage not in selectors.STAGE_GRADES:
        return "stage"
    if not isinstance(draft.grade, int) or draft.grade not in selectors.STAGE_GRADES[draft.stage]:
        return "grade"
    if draft.term not in Resource.Term.values:
        return "term"
    if draft.kind not in Resource.Kind.values:
        return "kind"
    if draft.module not in Resource.Module.values:
        return "module"
    return None


def _checked(actor: Actor, draft: ResourceDraft) -> dict:
    title = clean_text(draft.title).replace("\n", " ")
    if not title or len(title) > 100:
        raise UserFacingError("classroom.title_required")
    subject = clean_text(draft.subject)[:32]
    why = _placement_refusal(draft) or ("" if subject else "subject")
    if why:
        raise UserFacingError("classroom.placement_invalid", why=why)
    if draft.sharing not in Resource.Sharing.values:
        raise UserFacingError("field.invalid", field="sharing")
    url = checked_url(draft.url)
    if bool(url) == bool(draft.file_id):
        raise UserFacingError("classroom.file_or_url")
    if draft.kind in LINK_KINDS and not url:
        raise UserFacingError("classroom.link_needs_url")
    stored = None
    if draft.file_id:
        stored = own_files(actor, [draft.file_id]).first()
        if stored is None:
            raise UserFacingError("classroom.file_not_yours")
    chapter = None
    if draft.chapter_id:
        chapter = selectors.chapter_for(actor, draft.chapter_id)
        book = chapter.textbook
        if (book.subject != subject or book.grade != draft.grade
                or book.volume not in (draft.term, book.Volume.WHOLE)):
            raise UserFacingError("classroom.chapter_mismatch", book=str(book))
    return {"title": title, "description": clean_text(draft.description)[:500], "kind": draft.kind,
            "module": draft.module, "stage": draft.stage, "subject": subject, "grade": draft.grade,
            "term": draft.term, "edition": clean_text(draft.edition)[:32] or (chapter.textbook.edition if chapter else ""),
            "chapter": chapter, "is_basic": bool(draft.is_basic), "file": stored, "url": url,
            "sharing": draft.sharing}


def _owner_place(actor: Actor) -> dict:
    identity = actor.identity
    if access.keeps_for_region(actor):
        return {"region_id": identity.region_id, "school_id": None}
    school = School.objects.only("district_id").get(pk=identity.school_id)
    return {"region_id": school.district_id, "school_id": school.pk}


def _owner_name(actor: Actor) -> str:
    person = actor.account.person
    return (person.name if person is not None else actor.account.number)[:128]


def _facts(resource: Resource) -> dict:
    return {"title": resource.title, "kind": resource.kind, "sharing": resource.sharing,
            "file_id": resource.file_id, "url": resource.url[:200]}


def create(actor: Actor, draft: ResourceDraft) -> Resource:
    """A teacher uploads a lesson plan or courseware, or curates a free link; admins too (to recommend it)."""
    if not access.keeps_resources(actor):
        raise UserFacingError("classroom.not_keeper")
    values = _checked(actor, draft)
    with transaction.atomic():
        resource = Resource.objects.create(**values, **_owner_place(actor), owner=actor.account,
                                           owner_name=_owner_name(actor))
        audit.record(actor, "classroom.create", resource, _facts(resource), school_id=resource.school_id)
    return resource


def update(actor: Actor, resource_id: int, draft: ResourceDraft) -> Resource:
    selectors.own_resource(actor, resource_id)
    values = _checked(actor, draft)
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource_id)
        for name, value in values.items():
            setattr(resource, name, value)
        resource.updated_at = timezone.now()
        resource.save()
        audit.record(actor, "classroom.update", resource, _facts(resource), school_id=resource.school_id)
    return resource


def delete(actor: Actor, resource_id: int) -> None:
    """The owner deletes their resource; the recommendations of it go with it."""
    resource = selectors.own_resource(actor, resource_id)
    with transaction.atomic():
        recommended = resource.recommendations.count()
        audit.record(actor, "classroom.delete", resource, {**_facts(resource), "recommendations": recommended},
                     school_id=resource.school_id)
        resource.delete()


def take_down(actor: Actor, resource_id: int, reason: str) -> Resource:
    """The school admin takes down what a teacher of the school shares: hidden from all but its owner."""
    if not access.takes_down(actor):
        raise UserFacingError("classroom.not_takedown")
    reason = clean_text(reason).replace("\n", " ")[:200]
    if not reason:
        raise UserFacingError("classroom.reason_required")
    with transaction.atomic():
        resource = selectors.shared_for_takedown(actor, resource_id)
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if not access.may_take_down(actor, resource):
            raise UserFacingError("classroom.not_takedown")
        if resource.taken_down_at is not None:
            raise UserFacingError("classroom.already_down", when=selectors.when(resource.taken_down_at))
        resource.taken_down_at, resource.taken_down_reason = timezone.now(), reason
        resource.save(update_fields=["taken_down_at", "taken_down_reason"])
        audit.record(actor, "classroom.take_down", resource, {**_facts(resource), "reason": reason,
                                                              "owner": resource.owner_name},
                     school_id=resource.school_id)
    return resource


def recommend(actor: Actor, resource_id: int, *, stage: str, subject: str, term: str,
              note: str = "") -> RecommendedCourse:
    """推荐课程: a school admin for their school, a district or city admin for their region."""
    if not access.recommends(actor):
        raise UserFacingError("classroom.not_recommender")
    resource = selectors.resource_for(actor, resource_id)
    if resource.sharing == Resource.Sharing.ME or resource.taken_down_at is not None:
        raise UserFacingError("classroom.recommend_private")
    subject = clean_text(subject)[:32]
    if stage not in selectors.STAGE_GRADES or term not in Resource.Term.values or not subject:
        raise UserFacingError("classroom.placement_invalid", why="stage, subject or term")
    identity = actor.identity
    place = ({"school_id": identity.school_id, "region_id": None} if access.takes_down(actor)
             else {"school_id": None, "region_id": identity.region_id})
    try:
        with transaction.atomic():
            made = RecommendedCourse.objects.create(**place, resource=resource, stage=stage, subject=subject,
                                                    term=term, note=clean_text(note)[:200], created_by=actor.account)
            audit.record(actor, "classroom.recommend", made, {"resource": resource.pk, "title": resource.title,
                                                              "stage": stage, "subject": subject, "term": term},
                         school_id=made.school_id)
    except IntegrityError:
        raise UserFacingError("classroom.already_recommended") from None
    return made


def unrecommend(actor: Actor, recommendation_id: int) -> None:
    found = selectors.recommendation_for(actor, recommendation_id)
    with transaction.atomic():
        audit.record(actor, "classroom.unrecommend", found, {"resource": found.resource_id,
                                                             "title": found.resource.title},
                     school_id=found.school_id)
        found.delete()
