"""Learning resources (RES-1..RES-4): the textbook catalogue every area here hangs on (a resource, a
question and a prepared lesson each name a chapter), and the tables of the rooms below it.

The catalogue is kept by a province or city admin (region_id; school_id always None, a region's row);
a school sees the catalogue of every region above it. Chapters form a tree (parent), ordered by
`position` across the whole book, numbered as the book's contents print them ("1", "1.2")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Textbook(models.Model):
    """A textbook (教材): subject, grade and volume of one edition by one publisher."""

    class Volume(models.TextChoices):
        FIRST = "first", _("First volume (autumn term)")
        SECOND = "second", _("Second volume (spring term)")
        WHOLE = "whole", _("Single volume")

    region_id = models.BigIntegerField()  # the province or city that keeps it
    school_id = models.BigIntegerField(null=True, blank=True)  # always None: a region's row
    subject = models.CharField(max_length=32)
    grade = models.PositiveSmallIntegerField()  # 1..12, as orgs numbers grades
    volume = models.CharField(max_length=8, choices=Volume.choices)
    edition = models.CharField(max_length=32)  # 版本, e.g. 人教版
    publisher = models.CharField(max_length=64)  # 出版社, e.g. 人民教育出版社
    title = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)  # hidden from new choices; prepared lessons keep it
    # The catalogue import that made it (lessonprep), so that undoing the import finds it set-based (IMP-4).
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["region_id", "subject", "grade", "volume", "edition", "publisher"],
            condition=models.Q(school_id__isnull=True), name="one_textbook_per_region_edition")]
        indexes = [models.Index(fields=["subject", "grade"], name="textbook_subject_grade")]

    def __str__(self) -> str:
        return self.title or f"{self.subject} {self.grade} {self.edition}"


class Chapter(models.Model):
    """A chapter or section of a textbook's contents (目录)."""

    region_id = models.BigIntegerField()  # the textbook's region
    school_id = models.BigIntegerField(null=True, blank=True)  # always None: a region's row
    textbook = models.ForeignKey(Textbook, on_delete=models.CASCADE, related_name="chapters")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    number = models.CharField(max_length=16)  # as printed: "1", "1.2"
    title = models.CharField(max_length=80)
    position = models.PositiveIntegerField(default=0)  # order across the whole book
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)  # as Textbook's

    class Meta:
        constraints = [models.UniqueConstraint(fields=["textbook", "number"], name="one_chapter_number_per_book")]
        ordering = ["textbook_id", "position"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


# -- lessonprep/: lesson preparation (RES-4, seed 002 section 7 网络备课) ---------------------------------------


class PrepChecker(models.Model):
    """A teacher the school admin named prep checker (备课检查员): they see every teacher's preparation at
    the school. Ending it keeps the row (history)."""

    school_id = models.BigIntegerField()
    teacher = models.ForeignKey("accounts.Identity", on_delete=models.CASCADE, related_name="+")
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "teacher"], condition=models.Q(ended_at__isnull=True),
                                               name="one_current_prep_checker")]


class PreparedLesson(models.Model):
    """A teacher's preparation (备课) of one chapter: teaching design (教学设计), courseware and exercises."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DONE = "done", _("Done")

    school_id = models.BigIntegerField()
    teacher = models.ForeignKey("accounts.Identity", on_delete=models.CASCADE, related_name="+")
    textbook = models.ForeignKey(Textbook, on_delete=models.PROTECT, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="+")
    design = models.TextField(blank=True)
    exercises = models.TextField(blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "teacher", "chapter"],
                                               name="one_prepared_lesson_per_chapter")]
        indexes = [models.Index(fields=["school_id", "teacher", "textbook"], name="prepared_by_teacher_book")]


class PreparedLessonFile(models.Model):
    """A file of a prepared lesson: courseware (课件) or exercises (习题)."""

    class Role(models.TextChoices):
        COURSEWARE = "courseware", _("Courseware")
        EXERCISE = "exercise", _("Exercises")

    school_id = models.BigIntegerField()
    lesson = models.ForeignKey(PreparedLesson, on_delete=models.CASCADE, related_name="files")
    file = models.ForeignKey("uploads.StoredFile", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "lesson", "file"], name="one_lesson_file")]


class PrepComment(models.Model):
    """A checker's or school admin's comment on a prepared lesson; the teacher sees it."""

    school_id = models.BigIntegerField()
    lesson = models.ForeignKey(PreparedLesson, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=64)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)


class MissingTextbookReport(models.Model):
    """A teacher's report of a textbook the catalogue lacks (seed 002: subject, grade, edition, publisher and
    photos of the cover, copyright page and contents). Catalogue admins above the school accept or decline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    school_id = models.BigIntegerField()
    reporter = models.ForeignKey("accounts.Identity", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=32)
    grade = models.PositiveSmallIntegerField()
    volume = models.CharField(max_length=8, choices=Textbook.Volume.choices, blank=True)
    edition = models.CharField(max_length=32)
    publisher = models.CharField(max_length=64)
    note = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    textbook = models.ForeignKey(Textbook, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_region_id = models.BigIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["school_id", "status"], name="missing_textbook_by_state")]


class MissingTextbookPhoto(models.Model):
    class Role(models.TextChoices):
        COVER = "cover", _("Cover")
        COPYRIGHT = "copyright", _("Copyright page")
        CONTENTS = "contents", _("Contents")

    school_id = models.BigIntegerField()
    report = models.ForeignKey(MissingTextbookReport, on_delete=models.CASCADE, related_name="photos")
    file = models.ForeignKey("uploads.StoredFile", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "report", "file"], name="one_report_photo")]
