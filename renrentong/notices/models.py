"""Notices (MSG-1), the inbox (MSG-2's web half) and read receipts (MSG-3).

A notice's audience is fixed when it is sent: fan-out writes one NoticeRecipient row per (account, class,
child) it addresses, from the enrollments, guardianships and teaching assignments of that day, and one
InboxItem per account, which carries the reader's read and confirm state. A parent of two addressed
children has one inbox item and two recipient rows, so the notice reaches them once and counts for both
classes. Every table carries school_id (None for a region's notice, which names its region instead), so
the big ones can be partitioned by school or month later (issue 16)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.uploads.models import StoredFile


class Notice(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School notice")
        HOMEWORK = "homework", _("Homework notice")
        REGION = "region", _("Education bureau notice")
        CLASS_MESSAGE = "class_message", _("Class group message")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RECALLED = "recalled", _("Recalled")

    class Role(models.TextChoices):
        PARENT = "parent", _("Parents")
        STUDENT = "student", _("Students")
        TEACHER = "teacher", _("Teachers")

    school_id = models.BigIntegerField(null=True, blank=True)
    region_id = models.BigIntegerField(null=True, blank=True)  # set for a region's notice
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENDING)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sender_identity_id = models.BigIntegerField()
    # How readers see the sender, fixed at sending: "王芳 · 三年级2班班主任", "长沙市教育局".
    sender_label = models.CharField(max_length=100)
    title = models.CharField(max_length=60)
    body = models.TextField(max_length=5000)
    confirm_required = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)  # pushed inside quiet hours; only admins allowed to
    # What the sender chose: {"roles": [...], "class_ids": [...], "school_ids": [...]} (the classes of
    # chosen grades are resolved into class_ids at sending).
    audience = models.JSONField(default=dict)
    send_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)  # fan-out finished
    edited_at = models.DateTimeField(null=True, blank=True)
    recalled_at = models.DateTimeField(null=True, blank=True)
    # Fan-out progress, so a worker that died midway resumes where it stopped (exactly one row per recipient).
    addressed = models.PositiveIntegerField(default=0)  # inbox items written
    fanout_cursor = models.PositiveIntegerField(default=0)  # units (classes or schools) done, in order
    fanout_started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["sender", "-id"]),
            models.Index(fields=["school_id", "-id"]),
            models.Index(fields=["status", "send_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    school_id = models.BigIntegerField(null=True, blank=True)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "file"], name="one_attachment_per_file")]
        ordering = ["position"]


class NoticeRecipient(models.Model):
    """One addressed (account, class, child): what receipts count per class. No foreign keys, so fan-out
    writes it set-based and it can be partitioned later; ids point at accounts, classes and people."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    school_id = models.BigIntegerField(null=True, blank=True)
    class_id = models.BigIntegerField()
    account_id = models.BigIntegerField()
    # The child, for parents and students; 0 for a teacher (not NULL, so the unique row holds everywhere).
    student_person_id = models.BigIntegerField(default=0)
    role = models.CharField(max_length=8, choices=Notice.Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "account_id", "class_id", "student_person_id"],
                                    name="one_recipient_row"),
        ]
        indexes = [models.Index(fields=["notice", "class_id"]), models.Index(fields=["account_id", "notice"])]


class InboxItem(models.Model):
    """One notice in one account's inbox. sort_at is when it arrived, moved to a reminder's time, so
    keyset paging on (sort_at, id) shows a reminded notice on top. notice_at is the notice's send time and
    never changes: PostgreSQL partitions the table by its month (core.partitions), and with it in the unique
    key an item is still written once, as every item of a notice has the same."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    school_id = models.BigIntegerField(null=True, blank=True)
    account_id = models.BigIntegerField()
    sort_at = models.DateTimeField()
    notice_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reminded_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "account_id"], name="one_inbox_item")]
        indexes = [
            models.Index(fields=["account_id", "-sort_at", "-id"], name="inbox_newest_first"),
            models.Index(fields=["account_id"], condition=models.Q(read_at__isnull=True), name="inbox_unread"),
        ]


class Reminder(models.Model):
    """A reminder to a notice's unread (MSG-3): at most three, an hour apart."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reminders")
    school_id = models.BigIntegerField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    class_id = models.BigIntegerField(null=True, blank=True)  # None: every unread of the notice
    reminded = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
