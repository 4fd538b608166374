"""API of the smart classroom (RES-1, RES-3) under /api/v1/resources/classroom/: the same services and
selectors as the pages."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.exports.responses import EXPORT_RESPONSES, file_or_job
from renrentong.resources.classroom import access, exporting, selectors, services
from renrentong.resources.classroom.schemas import (
    ClassroomBrowseOut, ClassroomChapterOut, ClassroomModuleOut, ClassroomRecommendationOut, ClassroomRecommendIn,
    ClassroomResourceIn, ClassroomResourceOut, ClassroomTakeDownIn,
)
from renrentong.uploads.selectors import signed_url

router = Router(tags=["resources"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}
ResourceId = Path(..., ge=1, le=MAX_ID)
OptionalId = Query(None, ge=1, le=MAX_ID)
OptionalGrade = Query(None, ge=1, le=12)
Stage = Literal["", "primary", "junior", "senior"]
Term = Literal["", "first", "second"]
Module = Literal["", "review", "topic", "practice", "personalised", "centre"]
Kind = Literal["", "video", "document", "courseware", "exercises", "lesson_plan", "link"]


def resource_out(actor, r) -> ClassroomResourceOut:
    opened = r.url or (signed_url(actor, r.file) if r.file_id else "")
    return ClassroomResourceOut(
        id=r.pk, title=r.title, description=r.description, kind=r.kind, kind_label=r.get_kind_display(),
        module=r.module, stage=r.stage, subject=r.subject, grade=r.grade, term=r.term, edition=r.edition,
        chapter_id=r.chapter_id, chapter=str(r.chapter) if r.chapter_id else "", is_basic=r.is_basic,
        sharing=r.sharing, owner=r.owner_name, mine=access.owns(actor, r), school_id=r.school_id,
        region_id=r.region_id, url=r.url, file_name=r.file.name if r.file_id else "", open_url=opened,
        created_at=r.created_at, taken_down_at=r.taken_down_at, taken_down_reason=r.taken_down_reason)


def recommendation_out(c) -> ClassroomRecommendationOut:
    return ClassroomRecommendationOut(id=c.pk, school_id=c.school_id, region_id=c.region_id, stage=c.stage,
                                      subject=c.subject, term=c.term, note=c.note, resource_id=c.resource_id,
                                      title=c.resource.title)


def _filters(stage, subject, grade, term, edition, chapter_id, module, kind) -> selectors.Filters:
    return selectors.Filters(stage=stage, subject=(subject or "").strip()[:32], grade=grade, term=term,
                             edition=(edition or "").strip()[:32], chapter_id=chapter_id, module=module, kind=kind)


def _draft(body: ClassroomResourceIn) -> services.ResourceDraft:
    return services.ResourceDraft(**body.dict())


@router.get("/", response={200: ClassroomBrowseOut, **ERRORS},
            summary="Browse the smart classroom: a student's own stage, grade and the current term by default; the "
                    "five modules, recommended courses, resources (grades 1-2: classroom.none_for_grade)")
def browse(request: HttpRequest, stage: Stage = "", subject: str = Query("", max_length=32),
           grade: int | None = OptionalGrade, term: Term = "", edition: str = Query("", max_length=32),
           chapter_id: int | None = OptionalId, module: Module = "", kind: Kind = "",
           before: int | None = OptionalId):
    actor = request.auth
    f, place = selectors.defaults_for(actor, _filters(stage, subject, grade, term, edition, chapter_id, module, kind))
    found = selectors.browse(actor, f, before=before)
    return ClassroomBrowseOut(
        stage=f.stage, subject=f.subject, grade=f.grade, term=f.term, edition=f.edition, chapter_id=f.chapter_id,
        module=f.module, class_name=place.class_name if place else "",
        modules=[ClassroomModuleOut(key=m.key, label=m.label, count=m.count, link=m.link, extra=dict(m.extra))
                 for m in selectors.modules(actor, f)],
        recommended=[recommendation_out(c) for c in selectors.recommended(actor, f)],
        resources=[resource_out(actor, r) for r in found],
        next_before=found[-1].pk if len(found) == selectors.PAGE else None)


@router.get("/chapters", response={200: list[ClassroomChapterOut], **ERRORS},
            summary="The catalogue's chapters for a subject, grade, term and edition (the chapter filter's choices)")
def chapters(request: HttpRequest, subject: str = Query("", max_length=32), grade: int | None = OptionalGrade,
             term: Term = "", edition: str = Query("", max_length=32)):
    actor = request.auth
    if not (access.browses(actor) or access.keeps_resources(actor)):
        raise selectors.opening_refusal(actor)
    books = selectors.textbooks(actor, _filters("", subject, grade, term, edition, None, "", ""))
    return [ClassroomChapterOut(id=c.pk, textbook_id=c.textbook_id, textbook=str(c.textbook),
                                edition=c.textbook.edition, number=c.number, title=c.title, parent_id=c.parent_id)
            for c in selectors.chapters_of(books)]


@router.get("/mine", response={200: list[ClassroomResourceOut], **ERRORS},
            summary="A teacher's (or admin's) own resources and those shared with them; shared=false: own only")
def mine(request: HttpRequest, shared: bool = True, stage: Stage = "", subject: str = Query("", max_length=32),
         grade: int | None = OptionalGrade, term: Term = "", module: Module = "", kind: Kind = "",
         before: int | None = OptionalId):
    actor = request.auth
    found = selectors.mine(actor, _filters(stage, subject, grade, term, "", None, module, kind), shared=shared)
    if before:
        found = found.filter(pk__lt=before)
    return [resource_out(actor, r) for r in found[:200]]


def _export(request: HttpRequest, params: dict):
    actor = request.auth
    return file_or_job(actor, exporting.resources_export, params, estimate=exporting.export_size(actor, params),
                       title=str(exporting.TITLE))


@router.get("/mine/export", response=EXPORT_RESPONSES,
            summary="My resources as .xlsx with the same filters: at once, or a task (202) for a long list")
def mine_export(request: HttpRequest, stage: Stage = "", subject: str = Query("", max_length=32),
                grade: int | None = OptionalGrade, term: Term = "", module: Module = "", kind: Kind = ""):
    f = _filters(stage, subject, grade, term, "", None, module, kind)
    return _export(request, {"which": "mine", **f.as_params()})


@router.get("/school", response={200: list[ClassroomResourceOut], **ERRORS},
            summary="What the school admin's school shares with the school or district, taken down ones included")
def school(request: HttpRequest, before: int | None = OptionalId):
    actor = request.auth
    found = selectors.school_shared(actor).select_related("chapter", "file").order_by("-pk")
    if before:
        found = found.filter(pk__lt=before)
    return [resource_out(actor, r) for r in found[:200]]


@router.get("/school/export", response=EXPORT_RESPONSES,
            summary="The school's shared resources as .xlsx: at once, or a task (202) for a long list")
def school_export(request: HttpRequest):
    return _export(request, {"which": "school"})


@router.post("/", response={201: ClassroomResourceOut, **WRITE_ERRORS},
             summary="Upload a lesson plan or courseware (file_id from /api/v1/files) or curate a free link")
def create(request: HttpRequest, body: ClassroomResourceIn):
    actor = request.auth
    made = services.create(actor, _draft(body))
    return Status(201, resource_out(actor, selectors.resource_for(actor, made.pk)))


@router.get("/recommendations", response={200: list[ClassroomRecommendationOut], **ERRORS},
            summary="The recommended courses an admin set (a school admin's school, a region admin's region)")
def recommendations(request: HttpRequest):
    return [recommendation_out(c) for c in selectors.managed_recommendations(request.auth)]


@router.post("/recommendations", response={201: ClassroomRecommendationOut, **WRITE_ERRORS},
             summary="Recommend a shared resource for a stage, subject and term (school, district or city admins)")
def recommend(request: HttpRequest, body: ClassroomRecommendIn):
    made = services.recommend(request.auth, body.resource_id, stage=body.stage, subject=body.subject, term=body.term,
                              note=body.note)
    return Status(201, recommendation_out(made))


@router.delete("/recommendations/{recommendation_id}", response={204: None, **ERRORS},
               summary="Withdraw a recommendation")
def unrecommend(request: HttpRequest, recommendation_id: int = ResourceId):
    services.unrecommend(request.auth, recommendation_id)
    return Status(204, None)


@router.get("/{resource_id}", response={200: ClassroomResourceOut, **ERRORS}, summary="A resource")
def resource(request: HttpRequest, resource_id: int = ResourceId):
    actor = request.auth
    return resource_out(actor, selectors.resource_for(actor, resource_id))


@router.put("/{resource_id}", response={200: ClassroomResourceOut, **WRITE_ERRORS}, summary="Edit your resource")
def edit(request: HttpRequest, body: ClassroomResourceIn, resource_id: int = ResourceId):
    actor = request.auth
    services.update(actor, resource_id, _draft(body))
    return resource_out(actor, selectors.resource_for(actor, resource_id))


@router.delete("/{resource_id}", response={204: None, **ERRORS}, summary="Delete your resource")
def delete(request: HttpRequest, resource_id: int = ResourceId):
    services.delete(request.auth, resource_id)
    return Status(204, None)


@router.post("/{resource_id}/take-down", response={200: ClassroomResourceOut, **WRITE_ERRORS},
             summary="Take down a resource the school shares (its school admin), with a reason its owner sees")
def take_down(request: HttpRequest, body: ClassroomTakeDownIn, resource_id: int = ResourceId):
    actor = request.auth
    return resource_out(actor, services.take_down(actor, resource_id, body.reason))
