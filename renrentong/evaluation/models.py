"""Comprehensive quality evaluation (综合素质评价, EVA-1..EVA-3): the catalogue a city keeps per school year,
the submission windows, and the one store of material (written records, 写实记录) with their files.

The catalogue and a city's window are region rows (region_id, school_id always None); everything a school
or a student owns carries school_id, and its unique constraints include it, so the big tables can be
partitioned or sharded by school later. Material points at its item's row: renaming an item edits the
row's label, retiring it only hides it from new classification, so nothing filed under it is orphaned."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.accounts.models import Person
from renrentong.uploads.models import StoredFile


class Dimension(models.Model):
    """One of a city's evaluation dimensions (维度) for a school year: 思想品德, 学业水平 ..."""

    region_id = models.BigIntegerField()  # the city
    school_id = models.BigIntegerField(null=True, blank=True)  # always None: a region's row
    school_year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=32)
    label = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_id", "school_year", "code"],
                                               condition=models.Q(school_id__isnull=True),
                                               name="one_dimension_code_per_city_year")]

    def __str__(self) -> str:
        return self.label


class EvidenceItem(models.Model):
    """An evidence item (实证项目) under a dimension: uploaded by students or parents, or imported."""

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded by students or parents")
        IMPORTED = "imported", _("Imported")

    class Source(models.TextChoices):
        FAMILY = "family", _("Students and parents")
        CITY = "city", _("City bureau")
        SCHOOL = "school", _("School")

    region_id = models.BigIntegerField()
    school_id = models.BigIntegerField(null=True, blank=True)  # always None: a region's row
    school_year = models.PositiveSmallIntegerField()
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(max_length=32)
    label = models.CharField(max_length=32)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    source = models.CharField(max_length=8, choices=Source.choices)
    position = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)  # hidden from new classification, kept for material

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_id", "school_year", "code"],
                                               condition=models.Q(school_id__isnull=True),
                                               name="one_item_code_per_city_year")]

    def __str__(self) -> str:
        return self.label


class SubmissionWindow(models.Model):
    """When material may be submitted (上报): a city's window (region_id, school_id None) and a school's
    (school_id); a submission needs both open. Dates are inclusive, in the platform's time zone."""

    region_id = models.BigIntegerField(null=True, blank=True)
    school_id = models.BigIntegerField(null=True, blank=True)
    school_year = models.PositiveSmallIntegerField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_id", "school_year"], condition=models.Q(school_id__isnull=True),
                                    name="one_city_window_per_year"),
            models.UniqueConstraint(fields=["school_id", "school_year"], condition=models.Q(school_id__isnull=False),
                                    name="one_school_window_per_year"),
            models.CheckConstraint(condition=models.Q(school_id__isnull=False) | models.Q(region_id__isnull=False),
                                   name="window_names_its_place"),
        ]


class WrittenRecord(models.Model):
    """A written record (写实记录, EVA-2): one piece of a student's material, written on the phone (成长记录)
    or at a desk; the same row either way.

    States: draft (editable, classify it) → pending (submitted, 待审核) → approved | failed (with reason).
    A pending or failed record can be withdrawn to draft; an approved one only after the school reopened it.
    Every change of state is a conditional update on `version`, so two reviewers never overwrite each other."""

    class Kind(models.TextChoices):
        GROWTH = "growth", _("Growth record")
        AUTOBIOGRAPHY = "autobiography", _("Autobiography")
        WORKS = "works", _("Works")
        HONOURS = "honours", _("Honours")
        READING = "reading", _("Reading notes")
        STUDY_PLAN = "study_plan", _("Study plan")
        PUBLIC_WELFARE = "public_welfare", _("Public welfare")
        RESEARCH = "research", _("Research report")
        VOLUNTEER = "volunteer", _("Volunteer service")
        TERM_COMMENTS = "term_comments", _("Term comments")

    class State(models.TextChoices):
        DRAFT = "draft", _("Not submitted")
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Passed")
        FAILED = "failed", _("Not passed")

    school_id = models.BigIntegerField()  # the student's school when it was written
    class_id = models.BigIntegerField(null=True, blank=True)
    school_year = models.PositiveSmallIntegerField()
    student = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_kind = models.CharField(max_length=16)  # student | guardian
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GROWTH)
    title = models.CharField(max_length=60, blank=True)
    text = models.TextField(max_length=2000)
    happened_on = models.DateField()
    item = models.ForeignKey(EvidenceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The review (item 4): one decision per row, written only by a conditional update on version.
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)  # why it failed, shown to the student and parents
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reopened_at = models.DateTimeField(null=True, blank=True)
    # The client's key for this record: a create retried on a bad network returns the first one's row.
    client_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["school_id", "student", "-happened_on"]),
            models.Index(fields=["school_id", "state", "item"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school_id", "author", "client_key"], condition=~models.Q(client_key=""),
                                    name="one_record_per_client_key"),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:20]

    def shown_name(self) -> str:
        """How a refusal names the record: its title, else the start of its text, with its date."""
        words = self.title or (self.text[:12] + ("…" if len(self.text) > 12 else ""))
        return f"{words}（{self.happened_on:%Y-%m-%d}）"


class RecordFile(models.Model):
    record = models.ForeignKey(WrittenRecord, on_delete=models.CASCADE, related_name="files")
    school_id = models.BigIntegerField()
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "record", "file"], name="one_record_file_per_file")]


# -- Academic scores (EVA-6, renrentong/evaluation/scores) -------------------------------------------------

class AcademicScore(models.Model):
    """A student's imported score for one academic item (学业成绩) in a school year: the city bureau imports
    its items (人机对话, 艺术考查 ...) for every school below it, a school its own (体育平时成绩 ...).

    One row per (school, student, item, school year): importing again updates it, so a re-import changes
    nothing that did not change. `import_job_id` is the import that last wrote the value (rosters' job, by
    id: undo finds its rows by it); what that import overwrote is kept in AcademicScoreChange for undo."""

    school_id = models.BigIntegerField()  # the student's school when the score was imported
    class_id = models.BigIntegerField(null=True, blank=True)
    school_year = models.PositiveSmallIntegerField()
    student = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    import_job_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "student", "item", "school_year"],
                                               name="one_score_per_student_item_year")]
        indexes = [models.Index(fields=["school_id", "school_year", "item"]),
                   models.Index(fields=["import_job_id"])]


class AcademicScoreChange(models.Model):
    """What an import overwrote: the score it replaced and the import that had written it, so that undoing
    the import puts that value back (a score the import created has no change row: undo deletes it)."""

    job_id = models.BigIntegerField()
    school_id = models.BigIntegerField()
    score_row = models.ForeignKey(AcademicScore, on_delete=models.CASCADE, related_name="+")
    before_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    before_job_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job_id", "score_row"], name="one_change_per_job_score")]
        indexes = [models.Index(fields=["before_job_id"])]
