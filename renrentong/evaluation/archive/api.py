"""The archive through the API under /api/v1/evaluation/archive (issue 14 item 8): one student's archive
as a PDF, for the student, a parent or the school admin; the same service as the page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.core.web.downloads import download

from renrentong.evaluation.archive import services

router = Router(tags=["evaluation"])


@router.get("/students/{student_id}/pdf", response={200: None, **ERRORS},
            summary="A student's evaluation archive (综合素质档案) as a PDF")
def student_pdf(request: HttpRequest, student_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    name, content = services.archive_pdf(request.auth, student_id)
    return download(content, name, "application/pdf")
