"""Export jobs (issue 12, item 5): a spreadsheet too big to write while the browser waits is written by
the task worker into the export storage, with its rows written of the total for the progress bar; only
the actor who asked may download it, until it expires."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Writing the file")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    # Who asked, as what: the file is theirs alone, and the worker builds the same Actor to write it.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_by_identity_id = models.BigIntegerField()
    school_id = models.BigIntegerField(null=True, blank=True)
    # The dotted path of the function that builds the sheet (an @exports.producer), and what it was asked.
    producer = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)  # what the page calls the file while it is being written
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=255, blank=True)  # the name the download carries
    file_path = models.CharField(max_length=255, blank=True)  # inside settings.EXPORT_DIR
    file_size = models.PositiveBigIntegerField(default=0)
    error_code = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "expires_at"]), models.Index(fields=["created_by", "-id"])]
