"""The FAQ and the support contacts through the API (HELP-2): read by anyone, kept by region admins."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Status

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import ERRORS, MAX_ID, Schema

from renrentong.orgs import selectors as orgs_selectors
from renrentong.orgs.help import selectors, services

router = Router(tags=["help"])
Id = Path(..., ge=1, le=MAX_ID)


class FaqEntryOut(Schema):
    id: int
    region_id: int
    category: str
    question: str
    answer: str
    position: int
    updated_at: datetime


class RegionHelpOut(Schema):
    region_id: int
    region: str
    kind: str
    contact: str
    entries: list[FaqEntryOut]


class HelpOut(Schema):
    contact: str = Field(description="The nearest support contact: the region's own, else the nearest above it")
    regions: list[RegionHelpOut] = Field(description="The region's FAQ first, then each region's above it")


class FaqEntryIn(Schema):
    category: str = Field("", max_length=200)
    question: str = Field(..., max_length=1000)
    answer: str = Field(..., max_length=20000)
    position: int | None = Field(None, ge=0, le=100000)


class ContactIn(Schema):
    contact: str = Field(..., max_length=1000, description="Blank: the region above answers")


class EditableRegionOut(Schema):
    region_id: int
    region: str
    kind: str
    contact: str


def region_out(region) -> EditableRegionOut:
    return EditableRegionOut(region_id=region.pk, region=region.name, kind=region.kind,
                             contact=region.support_contact)


def entry_out(entry) -> FaqEntryOut:
    return FaqEntryOut(id=entry.pk, region_id=entry.region_id, category=entry.category, question=entry.question,
                       answer=entry.answer, position=entry.position, updated_at=entry.updated_at)


@router.get("/faq", auth=None, response={200: HelpOut, **ERRORS},
            summary="The FAQ and support contact of a region and those above it (public; no region: the top's)")
def faq(request: HttpRequest, region_id: int | None = Query(None, ge=1, le=MAX_ID)):
    region = selectors.public_region(region_id)
    if region_id and region is None:
        raise UserFacingError("scope.not_found")
    found = selectors.help_for(region)
    return HelpOut(contact=selectors.contact_of(found), regions=[
        RegionHelpOut(region_id=h.region.pk, region=h.region.name, kind=h.region.kind,
                      contact=h.region.support_contact, entries=[entry_out(e) for e in h.entries])
        for h in found])


@router.get("/regions", response={200: list[EditableRegionOut], **ERRORS},
            summary="The regions whose FAQ and contact I keep (region admins)")
def regions(request: HttpRequest):
    services.require_editor(request.auth)
    return [region_out(r) for r in orgs_selectors.visible_regions(request.auth)]


@router.put("/regions/{region_id}/contact", response={200: EditableRegionOut, **ERRORS},
            summary="Set a region's support contact (blank: the region above answers)")
def set_contact(request: HttpRequest, body: ContactIn, region_id: int = Id):
    return region_out(services.set_contact(request.auth, region_id, body.contact))


@router.post("/regions/{region_id}/entries", response={201: FaqEntryOut, **ERRORS},
             summary="Add a question and its answer to a region's FAQ")
def add_entry(request: HttpRequest, body: FaqEntryIn, region_id: int = Id):
    entry = services.add_entry(request.auth, region_id, body.category, body.question, body.answer, body.position)
    return Status(201, entry_out(entry))


@router.put("/entries/{entry_id}", response={200: FaqEntryOut, **ERRORS}, summary="Change an FAQ entry")
def update_entry(request: HttpRequest, body: FaqEntryIn, entry_id: int = Id):
    return entry_out(services.update_entry(request.auth, entry_id, body.category, body.question, body.answer,
                                           body.position))


@router.delete("/entries/{entry_id}", response={204: None, **ERRORS}, summary="Remove an FAQ entry")
def delete_entry(request: HttpRequest, entry_id: int = Id):
    services.delete_entry(request.auth, entry_id)
    return Status(204, None)
