"""API types of the academic score import and the scores (EVA-6)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field

from renrentong.core.schemas import Schema


class ScoreOut(Schema):
    id: int
    student_id: int
    student_name: str
    school_year: int
    class_id: int | None
    class_name: str
    item_id: int
    item_code: str
    item_label: str
    dimension_label: str
    score: str = Field(description="The score as a decimal text, e.g. \"18.5\"")
    lowest: int = Field(description="The item's scale")
    highest: int
    updated_at: datetime


class ScorePageOut(Schema):
    total: int
    page: int
    items: list[ScoreOut]


class ImportableItemOut(Schema):
    id: int
    code: str
    label: str
    school_year: int
    lowest: int
    highest: int
    decimals: int
