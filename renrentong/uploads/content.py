"""What a file is, read from its bytes (SPC-4)."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from renrentong.core.errors import UserFacingError

IMAGE_LIMIT = 4 * 1024 * 1024
DOCUMENT_LIMIT = 20 * 1024 * 1024

_IMAGE_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "GIF": ("image/gif", ".gif"),
                  "WEBP": ("image/webp", ".webp")}
_DOCUMENTS = [
    (b"%PDF-", "application/pdf", ".pdf"),
]


@dataclass(frozen=True)
class Checked:
    data: bytes
    kind: str
    content_type: str
    extension: str
    name: str
    width: int | None = None
    height: int | None = None


def clean_name(name: str, extension: str) -> str:
    stem = os.path.splitext(os.path.basename(name or ""))[0]
    stem = re.sub(r"[\x00-\x1f\x7f/\\\"<>|:*?]", "", stem).strip()[:100] or "file"
    return stem + extension


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check(data: bytes, name: str) -> Checked:
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = _IMAGE_FORMATS.get(image.format or "")
            if found is None:
                raise UserFacingError("uploads.type_refused")
            image.verify()
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        found = None
    if found:
        if len(data) > IMAGE_LIMIT:
            raise UserFacingError("uploads.too_large", size=_size(len(data)), limit=_size(IMAGE_LIMIT))
        return Checked(data, "image", found[0], found[1], clean_name(name, found[1]), width, height)
    for magic, content_type, extension in _DOCUMENTS:
        if data.startswith(magic):
            if len(data) > DOCUMENT_LIMIT:
                raise UserFacingError("uploads.too_large", size=_size(len(data)), limit=_size(DOCUMENT_LIMIT))
            return Checked(data, "document", content_type, extension, clean_name(name, extension))
    raise UserFacingError("uploads.type_refused")
