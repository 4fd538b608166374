"""Evaluation API types (EVA-1..EVA-3). Names carry the app's word so the OpenAPI schema stays unique."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema

RecordKind = Literal["growth", "autobiography", "works", "honours", "reading", "study_plan", "public_welfare",
                     "research", "volunteer", "term_comments"]


class EvaluationItemOut(Schema):
    id: int
    code: str
    label: str
    kind: str = Field(description="uploaded (by students or parents) or imported")
    source: str = Field(description="family, city or school")
    retired: bool


class EvaluationDimensionOut(Schema):
    id: int
    code: str
    label: str
    items: list[EvaluationItemOut]


class EvaluationCatalogueOut(Schema):
    city_id: int | None
    school_year: int
    dimensions: list[EvaluationDimensionOut]


class EvaluationDimensionIn(Schema):
    school_year: int = Field(..., ge=2000, le=2100)
    code: str = Field(..., max_length=64)
    label: str = Field(..., max_length=100)


class EvaluationItemIn(Schema):
    dimension_id: Id
    code: str = Field(..., max_length=64)
    label: str = Field(..., max_length=100)
    source: Literal["family", "city", "school"] = "family"


class EvaluationLabelIn(Schema):
    label: str = Field(..., max_length=100)


class EvaluationYearIn(Schema):
    school_year: int = Field(..., ge=2000, le=2100)


class EvaluationWindowOut(Schema):
    opens_on: date
    closes_on: date


class EvaluationWindowsOut(Schema):
    school_year: int
    city: EvaluationWindowOut | None
    school: EvaluationWindowOut | None


class EvaluationWindowIn(Schema):
    school_year: int = Field(..., ge=2000, le=2100)
    opens_on: date
    closes_on: date


class RecordFileOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    url: str = Field(description="Signed link, valid 15 minutes")
    thumbnail_url: str | None


class WrittenRecordIn(Schema):
    kind: RecordKind = "growth"
    title: str = Field("", max_length=200)
    text: str = Field(..., max_length=4000, description="Up to 2,000 characters after trimming")
    happened_on: date
    student_id: Id | None = Field(None, description="A parent's child (a person id); left out: the only one")
    item_id: Id | None = Field(None, description="The uploaded evidence item it is filed under (遴选)")
    file_ids: list[Id] = Field(default_factory=list, max_length=9, description="Files uploaded by the author")
    client_key: str = Field("", max_length=64, description="The client's key for this record: a retry with the "
                                                           "same key returns the same record")


class WrittenRecordPatch(Schema):
    kind: RecordKind | None = None
    title: str | None = Field(None, max_length=200)
    text: str | None = Field(None, max_length=4000)
    happened_on: date | None = None
    item_id: Id | None = Field(None, description="Classify under this item")
    unclassify: bool = Field(False, description="Take the classification off")
    file_ids: list[Id] | None = Field(None, max_length=9, description="The files it carries afterwards (all)")


class WrittenRecordOut(Schema):
    id: int
    student_id: int
    student_name: str
    school_year: int
    kind: str
    title: str
    text: str
    happened_on: date
    item_id: int | None
    item_label: str
    item_retired: bool
    dimension_label: str
    state: str = Field(description="draft, pending (submitted, waiting for review), approved or failed")
    reason: str = Field(description="Why it did not pass, when failed")
    reopened: bool = Field(description="Approved and reopened by the school: it may be withdrawn")
    version: int
    submitted_at: datetime | None
    decided_at: datetime | None
    created_at: datetime
    files: list[RecordFileOut]


class RecordSubmissionIn(Schema):
    record_ids: list[Id] = Field(..., max_length=200)


class RecordDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=400)
