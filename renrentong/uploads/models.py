"""Stored files (SPC-4): one row per object in the file store, written after the object.

The object is private: who may read it is decided by the app the file is attached to (a notice, a post,
a class group file), which checks its own scope and then asks uploads for a signed, expiring URL."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    # Partition-ready (issue 13): the school the file belongs to, or none for a region's own file,
    # which then names its region.
    school_id = models.BigIntegerField(null=True, blank=True)
    region_id = models.BigIntegerField(null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # What it was uploaded for: notice | post | group | record ...; the attaching app's word.
    purpose = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    content_type = models.CharField(max_length=100)
    name = models.CharField(max_length=255)  # the name shown and given to the download, cleaned
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=255, unique=True)
    thumbnail_name = models.CharField(max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # The client's key for one upload: a retried upload on a bad network returns the same row.
    upload_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "created_at"]), models.Index(fields=["school_id", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["owner", "upload_key"], condition=~models.Q(upload_key=""),
                                    name="one_file_per_upload_key"),
        ]

    def __str__(self) -> str:
        return self.name
