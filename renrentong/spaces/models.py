"""Posts (SPC-1: 日常记录) and spaces (SPC-2: personal, class and school space pages, their statistics).

A post belongs to the school (and, when it has one, the class) of the author's identity when it was written,
so the school and class feeds are an index range each. Its visibility decides who reads it; its status
decides whether anyone but the author does: a post held by the region's word list or removed by a moderator
is seen by its author only (with the reason). Every table carries school_id (the word list, a region's, carries
region_id instead), so the big ones can be partitioned by school later."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.uploads.models import StoredFile


AUTHOR_KINDS = {"student": _("Student"), "guardian": _("Parent"), "teacher": _("Teacher")}


class Post(models.Model):
    class Kind(models.TextChoices):
        MOOD = "mood", _("Mood")
        QUOTE = "quote", _("Quote")
        NEWS = "news", _("News")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        SCHOOL = "school", _("School members")
        CLASS = "class", _("Class members")
        ONLY_ME = "only_me", _("Only me")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held for review")
        REMOVED = "removed", _("Removed")
        DELETED = "deleted", _("Deleted")

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_identity_id = models.BigIntegerField()
    # How readers see the author, fixed at writing: the name ("李小明") and the identity's kind, shown in
    # the reader's language ("学生", "Parent").
    author_label = models.CharField(max_length=100)
    author_kind = models.CharField(max_length=16, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.MOOD)
    text = models.TextField(max_length=2000)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.CLASS)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    held_words = models.JSONField(default=list, blank=True)  # the word-list entries that held it
    moderation_reason = models.CharField(max_length=200, blank=True)  # shown to the author when removed
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["school_id", "-id"]),
            models.Index(fields=["class_id", "-id"]),
            models.Index(fields=["author", "-id"]),
            models.Index(fields=["school_id", "status"]),
        ]

    def __str__(self) -> str:
        return self.text[:30]

    def author_role(self) -> str:
        return str(AUTHOR_KINDS.get(self.author_kind, ""))


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    school_id = models.BigIntegerField()
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "file", "school_id"], name="one_post_image_per_file")]


class PostReport(models.Model):
    """A reader's report of a post (举报); the school admin's review queue lists the open ones."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    school_id = models.BigIntegerField()
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "reporter", "school_id"], name="one_report_per_reader")]
        indexes = [models.Index(fields=["school_id", "resolved_at"])]


class BlockedWord(models.Model):
    """A region's word list (敏感词): a post whose normalised text contains one is held for review."""

    region_id = models.BigIntegerField()
    school_id = models.BigIntegerField(null=True, blank=True)  # always None: a region's row
    word = models.CharField(max_length=50)
    normalised = models.CharField(max_length=50)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_id", "normalised"], name="one_blocked_word_per_region")]


class PersonalSpace(models.Model):
    """A personal space is opened by its owner's first post or first visit to it (the statistics count it)."""

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField(null=True, blank=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "account"], name="one_personal_space_per_school")]
        indexes = [models.Index(fields=["school_id", "class_id"])]


class ClassSpace(models.Model):
    """The class space page's header, managed by the head teacher or a class admin they appoint."""

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    title = models.CharField(max_length=40, blank=True)
    intro = models.TextField(max_length=500, blank=True)
    cover = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["class_id", "school_id"], name="one_class_space")]


class ClassSpaceAdmin(models.Model):
    """A class member the head teacher appointed to manage the class space (班级管理员)."""

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["class_id", "account", "school_id"],
                                               name="one_class_space_admin_row")]


class SchoolSpace(models.Model):
    """The school space page's header, managed by the school admin."""

    school_id = models.BigIntegerField(unique=True)
    title = models.CharField(max_length=40, blank=True)
    intro = models.TextField(max_length=500, blank=True)
    cover = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)


class SpaceVisit(models.Model):
    """One row per visitor, space and day: visits are counted set-based (INSERT ... ON CONFLICT DO NOTHING)."""

    class Space(models.TextChoices):
        PERSONAL = "personal", _("Personal space")
        CLASS = "class", _("Class space")
        SCHOOL = "school", _("School space")

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField(null=True, blank=True)  # the class space's, or the personal space owner's
    space = models.CharField(max_length=8, choices=Space.choices)
    space_key = models.BigIntegerField()  # the owner's account id, the class id or the school id
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "space", "space_key", "visitor", "day"],
                                               name="one_visit_per_visitor_and_day")]
        indexes = [models.Index(fields=["school_id", "day"])]
