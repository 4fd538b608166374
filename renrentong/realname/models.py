"""The real-name registry (实名校验库, RN-1..RN-4) and teacher self-registration applications (ACC-4).

History is rows: a wrong ID number is never edited, its entry is retired and a new one added (RN-3);
a binding that is undone gets an end date, it is never deleted (RN-4).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.accounts.models import Account, Guardianship, Identity
from renrentong.core.crypto import open_id_number, sealed_id_fields
from renrentong.orgs.models import School, SchoolClass


class RegistryEntry(models.Model):
    """One person a school vouches for: name, ID number, role, certificate or student number, class."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        STUDENT = "student", _("Student")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=Role.choices)
    name = models.CharField(max_length=64)
    id_number_key = models.CharField(max_length=16)
    id_number_cipher = models.BinaryField()
    id_number_digest = models.CharField(max_length=64, db_index=True)
    id_number_masked = models.CharField(max_length=18)
    # Teacher certificate number (教师资格证编号) or student number (学籍号); "" when the school has none.
    number = models.CharField(max_length=32, blank=True)
    school_class = models.ForeignKey(SchoolClass, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The class as the school wrote it while no such class exists yet; verification waits for it (RN-2).
    class_text = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Set when a new entry replaced this one because its ID number was wrong (RN-3).
    retired_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            # One live entry per ID number on the whole platform: a second school's entry for the same
            # person is how "registered at another school" is detected (RN-2).
            models.UniqueConstraint(fields=["id_number_digest"], condition=Q(retired_at__isnull=True),
                                    name="one_live_registry_entry_per_id"),
        ]
        indexes = [models.Index(fields=["school", "role", "name"])]

    def set_id_number(self, id_number: str) -> None:
        for field, value in sealed_id_fields(id_number).items():
            setattr(self, field, value)

    def reveal_id_number(self) -> str:
        """The full number; callers go through a service that audits the read."""
        return open_id_number(self.id_number_key, self.id_number_cipher)

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number_masked})"


class Binding(models.Model):
    """An account verified against a registry entry: as that teacher or student, or as a parent of that
    student. Unbinding ends the row (RN-3 replacement, RN-4 teacher who verified as a parent)."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        STUDENT = "student", _("Student")
        PARENT = "parent", _("Parent")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="bindings")
    school_id = models.BigIntegerField()  # its entry's
    role = models.CharField(max_length=8, choices=Role.choices)
    # What this verification created, so that unbinding removes exactly that and nothing else.
    created_identity = models.ForeignKey(Identity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_guardianship = models.ForeignKey(Guardianship, null=True, blank=True, on_delete=models.SET_NULL,
                                             related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, blank=True)  # unbound | replaced

    class Meta:
        constraints = [
            # A person is verified by one account; parents of the same child may be several.
            models.UniqueConstraint(fields=["entry", "school_id"],
                                    condition=Q(ended_at__isnull=True) & ~Q(role="parent"),
                                    name="one_live_own_binding_per_entry"),
            models.UniqueConstraint(fields=["account"], condition=Q(ended_at__isnull=True) & ~Q(role="parent"),
                                    name="one_live_own_binding_per_account"),
            models.UniqueConstraint(fields=["account", "entry", "school_id"], condition=Q(ended_at__isnull=True),
                                    name="one_live_binding_per_account_and_entry"),
        ]


class RegistrationApplication(models.Model):
    """A teacher's self-registration, waiting for the school admin (ACC-4; seed 002 section 1)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    reason = models.CharField(max_length=200, blank=True)  # why it was refused; the applicant sees it
    created_at = models.DateTimeField(default=timezone.now)
    source = models.GenericIPAddressField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account"], condition=Q(status="pending"),
                                    name="one_pending_application_per_account"),
        ]
        indexes = [models.Index(fields=["school", "status", "created_at"])]
