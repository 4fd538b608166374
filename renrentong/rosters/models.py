"""Import jobs and their rows (IMP-2..IMP-4). The file is stored before the job is accepted; each
row's outcome is kept so the preview, the result and the "rows that did not go in" come from one place."""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.core.crypto import seal, unseal
from renrentong.core.masking import mask_numbers_in_each


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        STUDENTS = "students", _("Students")
        TEACHERS = "teachers", _("Teachers")

    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("Checking the file")
        PREVIEWED = "previewed", _("Ready to import")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")
        UNDONE = "undone", _("Undone")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEWING)
    # A school admin imports for one school; a district or city admin may import a file that names
    # the school on each row (school is then null and region is theirs).
    school = models.ForeignKey("orgs.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_by_identity_id = models.BigIntegerField()
    file_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveBigIntegerField()
    file_format = models.CharField(max_length=8)
    total_rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)  # the commit's cursor: rows written
    # The preview's progress: rows checked so far (of total_rows, known once the file is read), written
    # in its own short transaction every few hundred rows or every second, so the page can read it.
    rows_checked = models.PositiveIntegerField(default=0)
    # When the running phase (the check, or the commit) began: the page estimates the time left from it.
    phase_started_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    create_missing_classes = models.BooleanField(default=False)
    cancel_requested = models.BooleanField(default=False)
    error_code = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    committed_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)


class ImportRow(models.Model):
    class Outcome(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        UNCHANGED = "unchanged", _("Unchanged")
        MOVE = "move", _("Move class")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        CONFLICT = "conflict", _("Conflict")
        ERROR = "error", _("Error")
        REMOVE = "remove", _("Remove")  # a OneRoster delta's tobedeleted row (integration/oneroster/importer.py)

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.CharField(max_length=48, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The row as the spreadsheet had it holds full ID numbers and phones (NFR-1): what answers show is
    # the masked copy; the cells themselves are kept sealed, and only for rows that did not go in, for
    # the audited rejected-rows download (IMP-4), until the job can no longer be undone.
    original_masked = models.JSONField(default=list)
    original_key = models.CharField(max_length=16, blank=True)
    original_cipher = models.BinaryField(null=True, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    school_id = models.BigIntegerField(null=True, blank=True)
    class_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="one_row_per_number")]
        indexes = [models.Index(fields=["job", "outcome"])]

    def reveal_original(self) -> list[str]:
        """The cells in full; callers audit the read (the rejected-rows download). Masked once purged."""
        if not self.original_cipher:
            return [str(c) for c in self.original_masked]
        return json.loads(unseal(self.original_key, bytes(self.original_cipher), ORIGINAL_PURPOSE))


ORIGINAL_PURPOSE = "import_row"


def original_fields(cells: list[str], *, keep: bool) -> dict:
    """ImportRow's columns for a row's original cells: masked always, sealed when `keep` (rows that did not
    go in). Sealing only those keeps the cost off the rows that import cleanly, nearly all of a roster."""
    fields = {"original_masked": mask_numbers_in_each([str(c) for c in cells]), "original_key": "",
              "original_cipher": None}
    if keep:
        fields["original_key"], fields["original_cipher"] = seal(json.dumps(cells, ensure_ascii=False),
                                                                 ORIGINAL_PURPOSE)
    return fields


def purge_originals(job_id: int) -> int:
    """Forget the sealed cells of a job's rows; the masked copies stay for the result page."""
    return ImportRow.objects.filter(job_id=job_id, original_cipher__isnull=False).update(
        original_key="", original_cipher=None)


class ImportChange(models.Model):
    """What a committed import changed in rows it did not create, so that undo can put it back."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=24)  # move | transfer_in | update
    person_id = models.BigIntegerField()
    school_id = models.BigIntegerField()  # its row's school
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
