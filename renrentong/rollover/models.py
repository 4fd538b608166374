"""The yearly rollover of a school (ORG-7): what each run did, so that it can be shown and undone.

Grades are derived from a cohort's enrollment year and the school's school year, so moving up is one
change of School.school_year; only the graduating classes and their students change rows, and those
are recorded here (one row per graduate) for undo.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RolloverRun(models.Model):
    class Status(models.TextChoices):
        DONE = "done", _("Done")
        UNDONE = "undone", _("Undone")

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Run by an admin")
        SCHEDULED = "scheduled", _("Run on the set date")

    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="+")
    from_year = models.PositiveSmallIntegerField()
    to_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DONE)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    run_on = models.DateField()  # the day the graduates' enrollments ended
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    # classes_up, students_up, classes_graduated, students_graduated
    counts = models.JSONField(default=dict, blank=True)
    graduated_classes = models.JSONField(default=list, blank=True)  # ids of the classes made "graduated"

    class Meta:
        constraints = [
            # Idempotent even under two concurrent runs: a school rolls into a year once.
            models.UniqueConstraint(fields=["school", "to_year"], condition=Q(status="done"),
                                    name="one_rollover_per_school_year"),
        ]
        indexes = [models.Index(fields=["school", "created_at"])]


class Graduate(models.Model):
    """A student a run graduated, and what undo puts back."""

    run = models.ForeignKey(RolloverRun, on_delete=models.CASCADE, related_name="graduates")
    school_id = models.BigIntegerField()  # its run's
    enrollment_id = models.BigIntegerField()
    person_id = models.BigIntegerField()
    school_class_id = models.BigIntegerField()
    previous_reason = models.CharField(max_length=32, blank=True)
    account_id = models.BigIntegerField(null=True, blank=True)
    previous_status = models.CharField(max_length=16, blank=True)
