"""Reading stored files: signed, expiring links issued after the attaching app checked its scope."""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing
from django.db.models import QuerySet
from django.urls import reverse

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.uploads.models import StoredFile

LINK_SECONDS = 15 * 60
_SALT = "renrentong.uploads.link"
_ID_MAX = 2**63 - 1


def signed_url(actor: Actor, stored: StoredFile, *, thumbnail: bool = False) -> str:
    """A link only this account can open, for LINK_SECONDS; call it only after checking the actor may see
    the object the file is attached to. A thumbnail link of a file without a thumbnail serves the file."""
    token = signing.dumps({"f": stored.pk, "a": actor.account.pk, "t": int(thumbnail)}, salt=_SALT, compress=True)
    return reverse("uploads:file", args=[token])


def thumbnail_url(actor: Actor, stored: StoredFile) -> str | None:
    """The thumbnail's signed link, or None for a file without one (documents)."""
    return signed_url(actor, stored, thumbnail=True) if stored.thumbnail_name else None


def file_facts(actor: Actor, stored: StoredFile) -> dict[str, object]:
    """What the uploader is told about their new file (the API's answer), links included."""
    return {"id": stored.pk, "name": stored.name, "kind": stored.kind, "size": stored.size,
            "content_type": stored.content_type, "width": stored.width, "height": stored.height,
            "url": signed_url(actor, stored), "thumbnail_url": thumbnail_url(actor, stored)}


def file_for_link(account_id: int | None, token: str) -> tuple[StoredFile, bool]:
    """The file a link names and whether it asks for the thumbnail; a link that is bad, expired, or
    issued to another account is refused the same way (403, never a 500)."""
    try:
        found = signing.loads(token, salt=_SALT, max_age=LINK_SECONDS)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError, OverflowError):
        raise UserFacingError("uploads.link_expired") from None
    if not isinstance(found, dict) or account_id is None or found.get("a") != account_id:
        raise UserFacingError("uploads.link_expired")
    file_id = found.get("f")
    if not isinstance(file_id, int) or not 1 <= file_id <= _ID_MAX:
        raise UserFacingError("uploads.link_expired")
    stored = StoredFile.objects.filter(pk=file_id).first()
    if stored is None:
        raise UserFacingError("uploads.link_expired")
    return stored, bool(found.get("t"))


def own_files(actor: Actor, file_ids: Iterable[int]) -> QuerySet[StoredFile]:
    """The actor's own uploads among file_ids (what a compose form may attach); foreign ids are left out."""
    wanted = {i for i in file_ids if isinstance(i, int) and 1 <= i <= _ID_MAX}
    return StoredFile.objects.filter(pk__in=wanted, owner=actor.account)
