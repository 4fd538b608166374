"""Class groups (SPC-3, 班级群): one per class. Who is in it is derived from the class's enrollments,
guardianships and teaching assignments (its students, their parents, its teachers); the rows here hold
only what derivation cannot: who the head teacher took out (请出班级), join requests, the class's
setting, the group's messages (each one a Notice that reaches the inbox), replies and files.

Every table carries school_id, so the tables can be partitioned by school later."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.notices.models import Notice
from renrentong.uploads.models import StoredFile


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent")


class ClassGroupSetting(models.Model):
    class ParentsMayPost(models.TextChoices):
        NO = "no", _("Parents only read")
        REPLY = "reply", _("Parents reply to teachers' messages")
        TO_TEACHER = "to_teacher", _("Parents write to a teacher privately")

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    parents_may_post = models.CharField(max_length=16, choices=ParentsMayPost.choices, default=ParentsMayPost.REPLY)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["class_id", "school_id"], name="one_class_group_setting")]


class ClassGroupRemoval(models.Model):
    """A member the head teacher took out (请出班级); it stays out, whatever derivation says, until an
    approved join request lifts it."""

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=8, choices=Role.choices)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "class_id", "account", "role"],
                                               condition=models.Q(lifted_at__isnull=True), name="one_open_removal")]
        indexes = [models.Index(fields=["class_id", "lifted_at"])]


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class Via(models.TextChoices):
        CODE = "code", _("Class code")
        LINK = "link", _("Invite link")

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    identity_id = models.BigIntegerField()
    role = models.CharField(max_length=8, choices=Role.choices)
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.CODE)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "class_id", "account", "role"],
                                               condition=models.Q(status="pending"), name="one_pending_join")]
        indexes = [models.Index(fields=["class_id", "status"])]


class GroupMessage(models.Model):
    """A teacher's message to the group; its text and files are the Notice's, which reaches the inbox."""

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["class_id", "-created_at", "-id"])]


class GroupReply(models.Model):
    """A reply under a message (seen by the group), or a private message between a member and a teacher
    (to_account set: seen by the two of them only)."""

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    message = models.ForeignKey(GroupMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=8, choices=Role.choices)
    author_label = models.CharField(max_length=100)
    to_account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    text = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["class_id", "created_at"])]


class GroupFile(models.Model):
    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploader_label = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["class_id", "-created_at"])]
