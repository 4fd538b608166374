"""Transfers between schools (ADM-5) and students' class-change requests (issue 10).

Key information's tables (KEY-1..KEY-3) live in renrentong.keyinfo.models (same tables).

Imports raise transfer requests when a student is enrolled elsewhere (IMP-3c); students and teachers
raise their own. A request records each school's approval separately, so approving twice is a no-op.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransferRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Kind(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Teacher")

    person = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="transfer_requests")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.STUDENT)
    from_school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="transfers_out")
    to_school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="transfers_in")
    to_class = models.ForeignKey("orgs.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # "import": raised by the target school's roster import (IMP-3c); "self": the person asked.
    source = models.CharField(max_length=16, default="import")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Decided when the request is made, from the old school's policy (ADM-5): a later change of the
    # setting does not move the goalposts of requests already in the queues.
    needs_source_approval = models.BooleanField(default=True)
    source_approved_at = models.DateTimeField(null=True, blank=True)
    source_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    target_approved_at = models.DateTimeField(null=True, blank=True)
    target_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    reason = models.CharField(max_length=200, blank=True)  # why it was refused, shown to the person

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "to_school", "from_school"], condition=models.Q(status="pending"),
                                    name="one_pending_transfer_per_target")
        ]
        indexes = [models.Index(fields=["to_school", "status"]), models.Index(fields=["from_school", "status"])]

    @property
    def moves_student(self) -> bool:
        """A student's enrollment moves (else a teacher's post)."""
        return self.kind == self.Kind.STUDENT

    @property
    def target_approved(self) -> bool:
        # An import-raised request is the target school's own act: its admin imported the student.
        return self.target_approved_at is not None or self.source == "import"

    @property
    def source_approved(self) -> bool:
        return self.source_approved_at is not None or not self.needs_source_approval


class ClassChangeRequest(models.Model):
    """A student's request to move to another class of their grade (调班申请, issue 10); it waits for the
    school admin, who approves (the enrollment moves as a batch class change moves it) or refuses with
    a reason the student sees. The head teachers of both classes can follow it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the school")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    school = models.ForeignKey("orgs.School", on_delete=models.CASCADE, related_name="class_change_requests")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_class = models.ForeignKey("orgs.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    to_class = models.ForeignKey("orgs.SchoolClass", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)  # the student's
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decision_note = models.CharField(max_length=200, blank=True)  # why it was refused, shown to the student

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "school"], condition=models.Q(status="pending"),
                                    name="one_pending_class_change_per_student")
        ]
        indexes = [models.Index(fields=["school", "status"])]
