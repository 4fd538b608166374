"""POST /api/v1/files: upload one image or document (SPC-4) for a notice, post or class group to attach."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile

from renrentong.core.schemas import ERRORS, ErrorOut
from renrentong.uploads import selectors, services
from renrentong.uploads.access import home_of
from renrentong.uploads.content import DOCUMENT_LIMIT, megabytes
from renrentong.core.errors import UserFacingError
from renrentong.uploads.schemas import StoredFileOut

router = Router(tags=["files"])


@router.post("", response={200: StoredFileOut, 413: ErrorOut, **ERRORS},
             summary="Upload an image or document; send its id with the notice, post or message that attaches it")
def upload(request: HttpRequest, file: UploadedFile = File(...), purpose: str = Form("", max_length=16),
           upload_key: str = Form("", max_length=64, description="The client's key for this upload: a retry "
                                                                 "with the same key returns the same file")):
    if file.size > DOCUMENT_LIMIT:
        raise UserFacingError("uploads.too_large", size=megabytes(file.size), limit=megabytes(DOCUMENT_LIMIT))
    school_id, region_id = home_of(request.auth)
    stored = services.store_upload(request.auth, file.read(), file.name or "file", purpose=purpose,
                                   school_id=school_id, region_id=region_id, upload_key=upload_key)
    return StoredFileOut(**selectors.file_facts(request.auth, stored))
