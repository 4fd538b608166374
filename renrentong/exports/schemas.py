"""API types of export jobs."""

from __future__ import annotations

from datetime import datetime

from ninja import Field

from renrentong.core.schemas import Schema


class ExportJobOut(Schema):
    id: int
    title: str
    status: str = Field(description="queued | running | done | failed | expired")
    rows_written: int
    total_rows: int
    percent: int
    file_name: str = Field(description="the download's name once written, else empty")
    file_url: str = Field(description="GET it for the file once status is done, else empty")
    error: str = Field(description="why a failed export failed, in the request's language, else empty")
    expires_at: datetime | None


class ExportJobStartedOut(Schema):
    """What an endpoint answers (202) when its spreadsheet is too big to write while the client waits."""

    job_id: int
    status_url: str = Field(description="GET /api/v1/exports/{id}: poll it until status is done")
    page_url: str = Field(description="the export's progress page; the file is offered there when written")
