"""Transfers between schools (ADM-5). Imports raise them when a student is enrolled elsewhere (IMP-3c);
the approval queues arrive with the school administration issue."""

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

    person = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="transfer_requests")
    from_school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="transfers_out")
    to_school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="transfers_in")
    to_class = models.ForeignKey("orgs.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=16, default="import")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "to_school"], condition=models.Q(status="pending"),
                                    name="one_pending_transfer_per_target")
        ]
