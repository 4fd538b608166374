from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


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
