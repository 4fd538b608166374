"""Serving a stored file through its signed link, private, never sniffed, never cached by others."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, HttpRequest

from renrentong.uploads import selectors


@login_required
def file_page(request: HttpRequest, token: str) -> FileResponse:
    stored, thumbnail = selectors.file_for_link(request.user.pk, token)
    name = stored.thumbnail_name if thumbnail and stored.thumbnail_name else stored.storage_name
    response = FileResponse(storages["default"].open(name, "rb"), content_type=stored.content_type,
                            as_attachment=stored.kind != "image", filename=stored.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=900"
    return response
