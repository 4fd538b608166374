"""Storing an upload (SPC-4): the type is read from the content, never the name; the object is written
before its row, so a crash leaves at most an object without a row, which sweep_orphans removes a day later.

Object keys are uploads/<yyyymmdd>/<hh>/<random>.<ext> (UTC), the thumbnail beside as <random>.thumb.jpg:
the sweep lists one hour of objects at a time, and no key says whose file it is."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from renrentong.core.actor import Actor
from renrentong.core.availability import CACHE_ERRORS
from renrentong.core.errors import UserFacingError
from renrentong.uploads import content
from renrentong.uploads.content import megabytes
from renrentong.uploads.models import StoredFile

logger = logging.getLogger(__name__)

# The daily quota per account, counted on StoredFile rows (so it survives restarts and holds across
# processes): files and bytes kept in the last 24 hours.
DAILY_FILES = 200
DAILY_BYTES = 500 * 1024 * 1024
PREFIX = "uploads/"
ORPHAN_AGE = timedelta(days=1)
SWEEP_LOOKBACK = timedelta(days=7)  # hours older than this were swept already (or the duty never ran)
_SWEPT_KEY = "uploads:swept:{}"


def store_upload(actor: Actor, data: bytes, name: str, *, purpose: str, school_id: int | None = None,
                 region_id: int | None = None, upload_key: str = "") -> StoredFile:
    """Check, store and record one upload; the caller has checked the actor may attach to its object.
    A retried upload (same account, same upload_key) returns the first one's row."""
    upload_key = (upload_key or "")[:64]
    if upload_key:
        found = StoredFile.objects.filter(owner=actor.account, upload_key=upload_key).first()
        if found:
            return found
    _check_quota(actor, 0)
    checked = content.check(data, name)
    _check_quota(actor, len(checked.data))
    storage = storages["default"]
    stem = f"{PREFIX}{_utc(timezone.now()):%Y%m%d/%H}/{secrets.token_urlsafe(16)}"  # not hex: see evaluation.forms
    stored_name = storage.save(stem + checked.extension, ContentFile(checked.data))
    written = [stored_name]
    thumbnail_name = ""
    try:
        if checked.thumbnail:
            thumbnail_name = storage.save(stem + ".thumb.jpg", ContentFile(checked.thumbnail))
            written.append(thumbnail_name)
        with transaction.atomic():
            # One account's uploads are counted one at a time, so parallel uploads cannot pass the quota
            # together (a row lock on PostgreSQL; SQLite's write transactions are serial anyway).
            get_user_model().objects.select_for_update().filter(pk=actor.account.pk).exists()
            _check_quota(actor, len(checked.data))
            return StoredFile.objects.create(
                school_id=school_id, region_id=region_id, owner=actor.account, purpose=(purpose or "")[:16],
                kind=checked.kind, content_type=checked.content_type, name=checked.name, size=len(checked.data),
                sha256=hashlib.sha256(checked.data).hexdigest(), storage_name=stored_name,
                thumbnail_name=thumbnail_name, width=checked.width, height=checked.height, upload_key=upload_key,
            )
    except IntegrityError:
        # The same upload key arrived twice at once: the other request's row stands.
        _delete(storage, written)
        found = StoredFile.objects.filter(owner=actor.account, upload_key=upload_key).first()
        if found is None:
            raise
        return found
    except BaseException:
        _delete(storage, written)
        raise


def _delete(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # the sweep removes what could not be removed now
            logger.warning("could not delete %s", name, exc_info=True)


def _check_quota(actor: Actor, adding: int) -> None:
    since = timezone.now() - timedelta(days=1)
    used = StoredFile.objects.filter(owner=actor.account, created_at__gte=since).aggregate(
        files=Count("pk"), size=Sum("size"))
    if used["files"] + 1 > DAILY_FILES or (used["size"] or 0) + adding > DAILY_BYTES:
        raise UserFacingError("uploads.quota_exceeded", files=DAILY_FILES, limit=megabytes(DAILY_BYTES))


def sweep_orphans(now: datetime | None = None) -> int:
    """Delete objects under uploads/ older than a day that have no row (a crash between writing the object
    and its row, or a refused quota re-check that could not delete). Each hour of keys is listed once,
    when it is over a day old; the cache remembers which hours are done (forgetting only costs a re-list).
    Returns how many objects were deleted. Files with rows are never touched: whether a file is attached
    to anything is the attaching app's business."""
    now = now or timezone.now()
    storage = storages["default"]
    deleted = 0
    hour = _utc(now - SWEEP_LOOKBACK).replace(minute=0, second=0, microsecond=0)
    newest = _utc(now - ORPHAN_AGE - timedelta(hours=1))
    while hour <= newest:
        key = _SWEPT_KEY.format(f"{hour:%Y%m%d%H}")
        if not _swept(key):
            deleted += _sweep_hour(storage, f"{PREFIX}{hour:%Y%m%d/%H}")
            _mark_swept(key)
        hour += timedelta(hours=1)
    return deleted


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(dt_timezone.utc)


def _swept(key: str) -> bool:
    try:
        return bool(cache.get(key))
    except CACHE_ERRORS:
        return False  # sweeping twice is harmless


def _mark_swept(key: str) -> None:
    try:
        cache.set(key, 1, timeout=int((SWEEP_LOOKBACK + timedelta(days=1)).total_seconds()))
    except CACHE_ERRORS:
        pass


def _sweep_hour(storage, folder: str) -> int:
    try:
        _, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    names = [f"{folder}/{f}" for f in files]
    deleted = 0
    for start in range(0, len(names), 500):
        batch = names[start:start + 500]
        kept = set()
        for stored, thumb in StoredFile.objects.filter(
                Q(storage_name__in=batch) | Q(thumbnail_name__in=batch)).values_list("storage_name", "thumbnail_name"):
            kept.update((stored, thumb))
        for name in batch:
            if name not in kept:
                _delete(storage, [name])
                deleted += 1
    return deleted
