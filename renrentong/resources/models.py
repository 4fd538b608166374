"""Learning resources (RES-1..RES-4): the textbook catalogue every area here hangs on (a resource, a
question and a prepared lesson each name a chapter), and the tables of the rooms below it.

The catalogue is kept by a province or city admin (region_id; school_id always None, a region's row);
a school sees the catalogue of every region above it. Chapters form a tree (parent), ordered by
`position` across the whole book, numbered as the book's contents print them ("1", "1.2")."""

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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["textbook", "number"], name="one_chapter_number_per_book")]
        ordering = ["textbook_id", "position"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
