"""Reading stored files: signed, expiring links issued after the attaching app checked its scope."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.uploads.models import StoredFile

LINK_SECONDS = 15 * 60
_SALT = "renrentong.uploads.link"


def signed_url(actor: Actor, stored: StoredFile, *, thumbnail: bool = False) -> str:
    """A link only this account can open, for LINK_SECONDS; call it only after checking the actor may see
    the object the file is attached to."""
    token = signing.dumps({"f": stored.pk, "a": actor.account.pk, "t": int(thumbnail)}, salt=_SALT, compress=True)
    return reverse("uploads:file", args=[token])


def file_for_link(account_id: int | None, token: str) -> tuple[StoredFile, bool]:
    try:
        found = signing.loads(token, salt=_SALT, max_age=LINK_SECONDS)
    except signing.BadSignature:
        raise UserFacingError("uploads.link_expired") from None
    if found.get("a") != account_id:
        raise UserFacingError("uploads.link_expired")
    stored = StoredFile.objects.filter(pk=found.get("f")).first()
    if stored is None:
        raise UserFacingError("uploads.link_expired")
    return stored, bool(found.get("t"))
