"""Activities (ACT-1): campus activities (校园活动) a school publishes and social practice (社会实践) a district or
city publishes for the schools below it; parents sign each child up; places are counted on the activity row,
which every sign-up, cancel and decision locks, so the capacity holds under concurrent sign-ups.

Every table carries school_id: an activity the organiser school's (a region activity carries region_id and
school_id null), a sign-up and an attendance row the child's school, and their unique constraints include it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Activity(models.Model):
    class Kind(models.TextChoices):
        CAMPUS = "campus", _("Campus activity")
        PRACTICE = "practice", _("Social practice")

    class Approval(models.TextChoices):
        AUTO = "auto", _("Accepted at once, in order, up to the places")
        SCHOOL = "school", _("The school approves each sign-up")

    school_id = models.BigIntegerField(null=True, blank=True)  # the organiser school (校园活动)
    region_id = models.BigIntegerField(null=True, blank=True)  # the organiser district or city (社会实践)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=100)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    programme = models.TextField(max_length=5000, blank=True)
    bring = models.TextField(max_length=2000, blank=True)
    capacity = models.PositiveIntegerField()
    # Who may sign up; an empty list means no limit of that kind. Grades are grade numbers (1..12).
    grades = models.JSONField(default=list, blank=True)
    class_ids = models.JSONField(default=list, blank=True)  # a school activity's classes
    school_ids = models.JSONField(default=list, blank=True)  # a region activity's schools below it
    signup_opens_at = models.DateTimeField()
    signup_closes_at = models.DateTimeField()
    cancel_until = models.DateTimeField()
    approval = models.CharField(max_length=8, choices=Approval.choices, default=Approval.AUTO)
    # Places held (accepted or waiting for the school's approval), and the last waiting-list number given:
    # both change only under this row's lock.
    places_taken = models.PositiveIntegerField(default=0)
    last_queue_number = models.PositiveIntegerField(default=0)
    organiser_name = models.CharField(max_length=128)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=(Q(school_id__isnull=False, region_id__isnull=True)
                                              | Q(school_id__isnull=True, region_id__isnull=False)),
                                   name="activity_school_or_region"),
            models.CheckConstraint(condition=Q(places_taken__lte=models.F("capacity")),
                                   name="activity_never_overbooked"),
        ]
        indexes = [models.Index(fields=["school_id", "-starts_at"]), models.Index(fields=["region_id", "-starts_at"])]

    @property
    def is_region_activity(self) -> bool:
        return self.region_id is not None

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)


class SignUp(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the school's approval")
        ACCEPTED = "accepted", _("Signed up")
        WAITING = "waiting", _("On the waiting list")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDS_PLACE = (Status.PENDING, Status.ACCEPTED)

    school_id = models.BigIntegerField()  # the child's school when signed up
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sign_ups")
    child = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    class_id = models.BigIntegerField()
    grade = models.PositiveSmallIntegerField()
    signed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    queue_number = models.PositiveIntegerField()  # the order of sign-ups: the waiting list moves up in it
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "activity", "child"], name="one_sign_up_per_child")]
        indexes = [models.Index(fields=["activity", "status", "queue_number"]),
                   models.Index(fields=["school_id", "activity", "status"])]


class Attendance(models.Model):
    """The organiser's confirmation that a signed-up child came (or did not). `material_id` is the written
    record filed from this attendance (activities.filing, issue 14 item 9): filed once."""

    school_id = models.BigIntegerField()
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    sign_up = models.OneToOneField(SignUp, on_delete=models.CASCADE, related_name="attendance")
    child = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField()
    attended_at = models.DateTimeField(null=True, blank=True)  # when the child came: the activity's start
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)
    material_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "activity", "child"],
                                               name="one_attendance_per_child")]
