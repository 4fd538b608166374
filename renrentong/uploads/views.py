"""Serving a stored file through its signed link (private, never sniffed, sandboxed, never cached by
others), and the page-side upload that the picker (uploads/_picker.html) posts each chosen file to."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import storages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from renrentong.accounts.login.auth import token_auth
from renrentong.core.errors import UserFacingError
from renrentong.uploads import selectors, services
from renrentong.uploads.access import home_of
from renrentong.uploads.content import DOCUMENT_LIMIT, megabytes


def file_page(request: HttpRequest, token: str) -> HttpResponse:
    if request.user.is_authenticated:
        account_id = request.user.pk
    else:
        actor = token_auth(request)  # an app shows files with its bearer token
        if actor is None:
            return redirect_to_login(request.get_full_path())
        account_id = actor.account.pk
    stored, thumbnail = selectors.file_for_link(account_id, token)
    thumbnail = thumbnail and bool(stored.thumbnail_name)
    try:
        handle = storages["default"].open(stored.thumbnail_name if thumbnail else stored.storage_name, "rb")
    except (FileNotFoundError, OSError):
        raise UserFacingError("request.not_found") from None
    response = FileResponse(handle, content_type="image/jpeg" if thumbnail else stored.content_type,
                            as_attachment=stored.kind != "image", filename=stored.name)
    response["X-Content-Type-Options"] = "nosniff"
    # Whatever the bytes are, the browser runs nothing from them: no script, no form, no same origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, max-age=900"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def uploaded_file(request: HttpRequest, field: str = "file"):
    """The uploaded file of a multipart request, refused before reading when it is over the limit."""
    upload = request.FILES.get(field)
    if upload is None:
        raise UserFacingError("uploads.no_file")
    if upload.size > DOCUMENT_LIMIT:
        raise UserFacingError("uploads.too_large", size=megabytes(upload.size), limit=megabytes(DOCUMENT_LIMIT))
    return upload


@require_POST
def upload_fragment(request: HttpRequest) -> HttpResponse:
    if request.actor is None:
        return redirect_to_login(request.get_full_path())
    upload = uploaded_file(request)
    school_id, region_id = home_of(request.actor)
    stored = services.store_upload(
        request.actor, upload.read(), upload.name or "file", purpose=request.POST.get("purpose", "")[:16],
        school_id=school_id, region_id=region_id, upload_key=request.POST.get("upload_key", "")[:64])
    name = request.POST.get("name", "file_ids")
    return render(request, "uploads/_uploaded.html", {
        "file": stored, "name": name if name.isidentifier() else "file_ids",
        "url": selectors.signed_url(request.actor, stored),
        "thumbnail_url": selectors.thumbnail_url(request.actor, stored),
    })
