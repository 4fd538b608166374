"""Evaluation through the API under /api/v1/evaluation (EVA-1..EVA-3): the same services and selectors as
the pages. Material: students and parents; the catalogue: read by all, edited by the city admin."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.core.actor import Actor
from renrentong.core.schemas import ERRORS, MAX_ID

from renrentong.evaluation import selectors, services
from renrentong.evaluation.review import services as review_services
from renrentong.evaluation.schemas import (
    RecordDecisionIn, EvaluationCatalogueOut, EvaluationDimensionIn, EvaluationDimensionOut, EvaluationItemIn,
    EvaluationItemOut, EvaluationLabelIn, EvaluationWindowIn, EvaluationWindowOut, EvaluationWindowsOut,
    EvaluationYearIn, RecordFileOut, RecordSubmissionIn, WrittenRecordIn, WrittenRecordOut, WrittenRecordPatch,
)

router = Router(tags=["evaluation"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}
ObjectId = Path(..., ge=1, le=MAX_ID)


def item_out(item) -> EvaluationItemOut:
    return EvaluationItemOut(id=item.pk, code=item.code, label=item.label, kind=item.kind, source=item.source,
                             retired=item.retired_at is not None)


def dimension_out(view) -> EvaluationDimensionOut:
    d = view.dimension
    return EvaluationDimensionOut(id=d.pk, code=d.code, label=d.label, items=[item_out(i) for i in view.items])


def record_out(actor: Actor, record, files: list[dict] | None = None) -> WrittenRecordOut:
    item = record.item
    return WrittenRecordOut(
        id=record.pk, student_id=record.student_id, student_name=record.student.name, school_year=record.school_year,
        kind=record.kind, title=record.title, text=record.text, happened_on=record.happened_on,
        item_id=record.item_id, item_label=item.label if item else "", item_retired=bool(item and item.retired_at),
        dimension_label=item.dimension.label if item else "", state=record.state, reason=record.reason,
        reopened=record.reopened_at is not None, version=record.version, submitted_at=record.submitted_at,
        decided_at=record.decided_at, created_at=record.created_at,
        files=[RecordFileOut(**f) for f in (files if files is not None else
                                            selectors.file_links(actor, [record]).get(record.pk, []))])


def _fresh(actor: Actor, record_id: int) -> WrittenRecordOut:
    return record_out(actor, selectors.record_for(actor, record_id))


@router.get("/catalogue", response={200: EvaluationCatalogueOut, **ERRORS},
            summary="The evaluation catalogue of the actor's city: dimensions and their items (EVA-1)")
def get_catalogue(request: HttpRequest, school_year: int | None = Query(None, ge=2000, le=2100)):
    found = selectors.catalogue_for(request.auth, school_year)
    return EvaluationCatalogueOut(city_id=found.city.pk if found.city else None, school_year=found.school_year,
                                  dimensions=[dimension_out(d) for d in found.dimensions])


@router.post("/catalogue/years", response={200: EvaluationCatalogueOut, **WRITE_ERRORS},
             summary="Start a school year's catalogue (a copy of the newest earlier year, else the standard list)")
def start_year(request: HttpRequest, body: EvaluationYearIn):
    services.start_year(request.auth, body.school_year)
    return get_catalogue(request, body.school_year)


@router.post("/catalogue/dimensions", response={201: EvaluationDimensionOut, **WRITE_ERRORS},
             summary="Add a dimension (city admin)")
def add_dimension(request: HttpRequest, body: EvaluationDimensionIn):
    d = services.add_dimension(request.auth, body.school_year, body.code, body.label)
    return Status(201, EvaluationDimensionOut(id=d.pk, code=d.code, label=d.label, items=[]))


@router.patch("/catalogue/dimensions/{dimension_id}", response={200: EvaluationDimensionOut, **WRITE_ERRORS},
              summary="Rename a dimension (city admin)")
def rename_dimension(request: HttpRequest, body: EvaluationLabelIn, dimension_id: int = ObjectId):
    d = services.rename_dimension(request.auth, dimension_id, body.label)
    return EvaluationDimensionOut(id=d.pk, code=d.code, label=d.label, items=[item_out(i) for i in d.items.all()])


@router.post("/catalogue/items", response={201: EvaluationItemOut, **WRITE_ERRORS}, summary="Add an item (city admin)")
def add_item(request: HttpRequest, body: EvaluationItemIn):
    return Status(201, item_out(services.add_item(request.auth, body.dimension_id, body.code, body.label, body.source)))


@router.patch("/catalogue/items/{item_id}", response={200: EvaluationItemOut, **WRITE_ERRORS},
              summary="Rename an item (city admin): material filed under it shows the new name")
def rename_item(request: HttpRequest, body: EvaluationLabelIn, item_id: int = ObjectId):
    return item_out(services.rename_item(request.auth, item_id, body.label))


@router.post("/catalogue/items/{item_id}/retire", response={200: EvaluationItemOut, **WRITE_ERRORS},
             summary="Retire an item: hidden from new classification, material under it kept")
def retire_item(request: HttpRequest, item_id: int = ObjectId):
    return item_out(services.retire_item(request.auth, item_id))


@router.post("/catalogue/items/{item_id}/restore", response={200: EvaluationItemOut, **WRITE_ERRORS},
             summary="Bring a retired item back")
def restore_item(request: HttpRequest, item_id: int = ObjectId):
    return item_out(services.retire_item(request.auth, item_id, retired=False))


def _window(window) -> EvaluationWindowOut | None:
    return EvaluationWindowOut(opens_on=window.opens_on, closes_on=window.closes_on) if window else None


@router.get("/windows", response={200: EvaluationWindowsOut, **ERRORS},
            summary="The submission windows that apply: the city's and the school's (both must be open)")
def get_windows(request: HttpRequest):
    found = selectors.windows_for(request.auth)
    return EvaluationWindowsOut(school_year=found.school_year, city=_window(found.city), school=_window(found.school))


@router.put("/windows", response={200: EvaluationWindowOut, **WRITE_ERRORS},
            summary="Set the window: a city admin the city's, a school admin the school's")
def put_window(request: HttpRequest, body: EvaluationWindowIn):
    return _window(services.set_window(request.auth, body.school_year, body.opens_on, body.closes_on))


@router.get("/records", response={200: list[WrittenRecordOut], **ERRORS},
            summary="Written records (写实记录): a student's own, a parent's children's, newest first")
def list_records(request: HttpRequest, student_id: int | None = Query(None, ge=1, le=MAX_ID),
                 state: Literal["draft", "pending", "approved", "failed"] | None = None):
    actor = request.auth
    found = list(selectors.records(actor, student_id, state)[:500])
    links = selectors.file_links(actor, found)
    return [record_out(actor, r, links.get(r.pk, [])) for r in found]


@router.post("/records", response={200: WrittenRecordOut, 201: WrittenRecordOut, **WRITE_ERRORS},
             summary="Write a record; a retry with the same client_key answers 200 with the first one")
def create_record(request: HttpRequest, body: WrittenRecordIn):
    record, created = services.create_record(request.auth, services.RecordDraft(
        text=body.text, happened_on=body.happened_on, kind=body.kind, title=body.title, student_id=body.student_id,
        item_id=body.item_id, file_ids=body.file_ids, client_key=body.client_key))
    return Status(201 if created else 200, _fresh(request.auth, record.pk))


@router.get("/records/{record_id}", response={200: WrittenRecordOut, **ERRORS}, summary="One record")
def get_record(request: HttpRequest, record_id: int = ObjectId):
    return _fresh(request.auth, record_id)


@router.patch("/records/{record_id}", response={200: WrittenRecordOut, **WRITE_ERRORS},
              summary="Edit a draft, or classify it under an uploaded item (遴选)")
def update_record(request: HttpRequest, body: WrittenRecordPatch, record_id: int = ObjectId):
    services.update_record(request.auth, record_id, services.RecordChange(
        text=body.text, title=body.title, kind=body.kind, happened_on=body.happened_on, item_id=body.item_id,
        clear_item=body.unclassify, file_ids=body.file_ids))
    return _fresh(request.auth, record_id)


@router.delete("/records/{record_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a draft")
def delete_record(request: HttpRequest, record_id: int = ObjectId):
    services.delete_record(request.auth, record_id)
    return Status(204, None)


@router.post("/submissions", response={200: list[WrittenRecordOut], **WRITE_ERRORS},
             summary="Submit (上报) classified drafts while the city's and school's windows are open")
def submit(request: HttpRequest, body: RecordSubmissionIn):
    actor = request.auth
    done = services.submit(actor, body.record_ids)
    links = selectors.file_links(actor, done)
    return [record_out(actor, r, links.get(r.pk, [])) for r in done]


@router.post("/records/{record_id}/withdraw", response={200: WrittenRecordOut, **WRITE_ERRORS},
             summary="Withdraw a submitted record (撤销上报) to edit it")
def withdraw(request: HttpRequest, record_id: int = ObjectId):
    services.withdraw(request.auth, record_id)
    return _fresh(request.auth, record_id)


@router.post("/records/{record_id}/reopen", response={200: WrittenRecordOut, **WRITE_ERRORS},
             summary="Reopen an approved record so that it can be withdrawn (school admin)")
def reopen(request: HttpRequest, record_id: int = ObjectId):
    services.reopen(request.auth, record_id)
    return _fresh(request.auth, record_id)


@router.post("/records/{record_id}/decision", response={200: WrittenRecordOut, **WRITE_ERRORS},
             summary="Pass a pending record, or fail it with a reason (a reviewer of its school)")
def decide(request: HttpRequest, body: RecordDecisionIn, record_id: int = ObjectId):
    return record_out(request.auth, review_services.decide(request.auth, record_id, body.approve, body.reason))
