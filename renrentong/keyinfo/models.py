"""Key information of students and its approvals (KEY-1..KEY-3).

These tables were created by the schooladmin app and keep their names (db_table); the move was
state-only (keyinfo 0001, schooladmin 0004)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KeyField(models.TextChoices):
    """The key information of a student (KEY-1)."""

    LOCAL_STUDENT_NUMBER = "local_student_number", _("Local student number")
    NATIONAL_STUDENT_NUMBER = "national_student_number", _("National student number")
    ID_NUMBER = "id_number", _("ID number")


class KeyInfoChange(models.Model):
    """Changes to a student's key information proposed by the student or a parent, waiting for the school."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Replaced by a newer request")

    person = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="key_info_changes")
    # The school that decides: where the student was enrolled when asking. A transfer moves pending
    # requests with the student (see transfers.complete), so the new school decides them.
    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_as = models.CharField(max_length=16)  # identity kind: student or guardian
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        db_table = "schooladmin_keyinfochange"  # the table kept its name when the model moved here
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(status="pending"),
                                    name="one_pending_key_info_change")
        ]
        indexes = [models.Index(fields=["school", "status"])]

    @property
    def asked_by_parent(self) -> bool:
        """Asked by a parent for their child (else by the student): the pages say which."""
        return self.requested_as == "guardian"


class KeyInfoFieldChange(models.Model):
    """One field of a change: the value at the time of asking and the proposed one, each decided alone.

    Student numbers are kept as typed; an ID number only sealed (as on Person) with its masked form."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    change = models.ForeignKey(KeyInfoChange, on_delete=models.CASCADE, related_name="fields")
    school_id = models.BigIntegerField()  # its change's
    field = models.CharField(max_length=32, choices=KeyField.choices)
    old_value = models.CharField(max_length=32, blank=True)  # masked for an ID number
    new_value = models.CharField(max_length=32, blank=True)  # masked for an ID number
    new_key = models.CharField(max_length=16, blank=True)
    new_cipher = models.BinaryField(null=True, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)

    class Meta:
        db_table = "schooladmin_keyinfofieldchange"
        constraints = [models.UniqueConstraint(fields=["change", "field", "school_id"], name="one_field_per_change")]


class RegistryComparison(models.Model):
    """An official student registry list compared with the platform (KEY-3); items hold masked numbers."""

    school = models.ForeignKey("orgs.School", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    counts = models.JSONField(default=dict)
    items = models.JSONField(default=list)

    class Meta:
        db_table = "schooladmin_registrycomparison"
