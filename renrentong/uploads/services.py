"""Storing an upload (SPC-4): the type is read from the content, never the name; the object is written
before its row, so a crash leaves at most an object without a row, which the sweep removes."""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.uploads import content
from renrentong.uploads.models import StoredFile


def store_upload(actor: Actor, data: bytes, name: str, *, purpose: str, school_id: int | None = None,
                 region_id: int | None = None, upload_key: str = "") -> StoredFile:
    """Check, store and record one upload; the caller has checked the actor may attach to its object."""
    if upload_key:
        found = StoredFile.objects.filter(owner=actor.account, upload_key=upload_key).first()
        if found:
            return found
    checked = content.check(data, name)
    storage = storages["default"]
    key = f"uploads/{school_id or 'region-' + str(region_id or 0)}/{uuid.uuid4().hex}{checked.extension}"
    stored_name = storage.save(key, ContentFile(checked.data))
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                school_id=school_id, region_id=region_id, owner=actor.account, purpose=purpose,
                kind=checked.kind, content_type=checked.content_type, name=checked.name, size=len(checked.data),
                sha256=hashlib.sha256(checked.data).hexdigest(), storage_name=stored_name,
                width=checked.width, height=checked.height, upload_key=upload_key,
            )
    except IntegrityError:
        # The same upload key arrived twice at once: the other request's row stands.
        storage.delete(stored_name)
        found = StoredFile.objects.filter(owner=actor.account, upload_key=upload_key).first()
        if found is None:
            raise
        return found


def refuse_type() -> UserFacingError:
    return UserFacingError("uploads.type_refused")
