"""A file download: the body, a file name in any script (RFC 6266 filename*), and its type."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = {".zip": "application/zip", ".pdf": "application/pdf"}


def content_type_of(filename: str) -> str:
    """The type of an export's file by its name: a sheet unless it is a .zip or a .pdf."""
    return next((t for ext, t in TYPES.items() if filename.lower().endswith(ext)), XLSX)


def download(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
