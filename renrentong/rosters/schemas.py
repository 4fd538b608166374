from __future__ import annotations

from datetime import datetime

from ninja import Field

from renrentong.core.schemas import Schema


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    school_id: int | None
    file_name: str
    total_rows: int
    rows_done: int
    progress: int
    rows_checked: int = Field(description="The preview's rows checked so far, of total_rows")
    phase: str = Field(description="What a working job is doing: reading (the file; no count yet), checking "
                                   "(rows checked of total), saving (the preview), writing (the commit); "
                                   "\"\" when not working")
    phase_done: int = Field(description="Rows done in the phase: checked, or written")
    phase_total: int
    seconds_left: int | None = Field(description="An estimate of the time the phase still needs, from its pace")
    counts: dict[str, int]
    result: dict
    error_code: str
    created_at: datetime


class ImportRowOut(Schema):
    number: int
    outcome: str
    reason: str
    message: str
    who_can_fix: str
    original: list[str] = Field(description="The row's cells as in the file, every long number masked (NFR-1); "
                                            "the rejected-rows download has them in full, audited")


class ImportRowsOut(Schema):
    total: int
    page: int
    rows: list[ImportRowOut]


class CommitIn(Schema):
    create_missing_classes: bool = False
