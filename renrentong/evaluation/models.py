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
            # The review queue, newest first a keyset page at a time (docs/benchmarks.md, evaluation): by state,
            # and by class and state, each in id order, so a page reads its 50 rows and stops.
            models.Index(fields=["school_id", "state", "-id"], name="eva_record_review_state"),
            models.Index(fields=["school_id", "class_id", "state", "-id"], name="eva_record_review_class"),
            # Submissions in the order they happened, which the usage statistics read on from where they stopped
            # (stats/catchup.py) every 30 seconds: a range read instead of a scan of every record.
            models.Index(fields=["submitted_at", "id"], condition=models.Q(submitted_at__isnull=False),
                         name="eva_record_submitted"),
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


# Peer evaluation (学生互评, EVA-5) -------------------------------------------------------------------------
# Graduating grade-9 students rate the classmates of their own class on the city's criteria, once per pair,
# while both the city's and the school's switches are on. Who rated whom is kept only so that a pair is rated
# once and a student sees whom they have rated; no page or endpoint shows it to anyone else, and the school
# reads aggregates only (renrentong/evaluation/peer).


class PeerSwitch(models.Model):
    """A switch for peer evaluation in a school year: the city's (region_id, school_id None), set by the city
    admin, or a school's (school_id), set by its school admin. Rating needs both on; no row means off."""

    region_id = models.BigIntegerField(null=True, blank=True)
    school_id = models.BigIntegerField(null=True, blank=True)
    school_year = models.PositiveSmallIntegerField()
    is_on = models.BooleanField(default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_id", "school_year"], condition=models.Q(school_id__isnull=True),
                                    name="one_city_peer_switch_per_year"),
            models.UniqueConstraint(fields=["school_id", "school_year"], condition=models.Q(school_id__isnull=False),
                                    name="one_school_peer_switch_per_year"),
            models.CheckConstraint(condition=models.Q(school_id__isnull=False) | models.Q(region_id__isnull=False),
                                   name="peer_switch_names_its_place"),
        ]


class PeerCriterion(models.Model):
    """A criterion classmates rate each other on (品德表现, 合作交流 ...): a city's row for a school year."""

    region_id = models.BigIntegerField()  # the city
    school_id = models.BigIntegerField(null=True, blank=True)  # always None: a region's row
    school_year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=32)
    label = models.CharField(max_length=32)
    hint = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_id", "school_year", "code"],
                                               condition=models.Q(school_id__isnull=True),
                                               name="one_peer_criterion_code_per_city_year")]

    def __str__(self) -> str:
        return self.label


class PeerRating(models.Model):
    """One rater's grade (A..D) of one classmate on one criterion. A pair's grades are written together in
    one transaction, and the unique key makes "once per pair" hold under concurrent submits. No time is kept:
    nothing may tie a rating to the moment a student was seen rating (the audit log says "rated 1 classmate")."""

    class Grade(models.TextChoices):
        A = "A", _("A (excellent)")
        B = "B", _("B (good)")
        C = "C", _("C (satisfactory)")
        D = "D", _("D (needs to improve)")

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    school_year = models.PositiveSmallIntegerField()
    rater = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    ratee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(PeerCriterion, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=1, choices=Grade.choices)

    class Meta:
        indexes = [models.Index(fields=["school_id", "school_year", "class_id", "ratee"])]
        constraints = [
            models.UniqueConstraint(fields=["school_id", "school_year", "rater", "ratee", "criterion"],
                                    name="one_peer_rating_per_pair_and_criterion"),
            models.CheckConstraint(condition=~models.Q(rater=models.F("ratee")), name="peer_rating_never_self"),
            models.CheckConstraint(condition=models.Q(grade__in=["A", "B", "C", "D"]), name="peer_rating_grade_a_to_d"),
        ]
# Progress (EVA-4, renrentong/evaluation/progress) -----------------------------------------------------------

class ProgressReminder(models.Model):
    """One "nothing submitted yet" reminder batch to a class (its students and parents), sent through the
    notice services; one per class per day is plenty, and the unique key makes it so even under a double
    click. A school-wide batch is one notice and one row per class it reached."""

    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    sent_on = models.DateField()
    school_year = models.PositiveSmallIntegerField()
    notice_id = models.BigIntegerField()
    students = models.PositiveIntegerField(default=0)  # students with nothing submitted, reminded
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_by_label = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "class_id", "sent_on"],
                                               name="one_progress_reminder_per_class_day")]
# Review (issue 14 item 4): reviewers a school appoints, its review setting, public display (公示) and
# objections. The review's decisions themselves stay on WrittenRecord (decided_by, decided_at, reason).

class ReviewSetting(models.Model):
    """A school's review settings: whether class head teachers review their own class's material."""

    school_id = models.BigIntegerField(unique=True)
    head_teachers_review = models.BooleanField(default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)


class ReviewerAppointment(models.Model):
    """A teacher of the school appointed to review material: the whole school, or given classes and grades
    (a grade is a cohort, so the remit moves up with its students). Ending it keeps the row (history)."""

    school_id = models.BigIntegerField()
    teacher = models.ForeignKey("accounts.Identity", on_delete=models.CASCADE, related_name="+")
    whole_school = models.BooleanField(default=False)
    class_ids = models.JSONField(default=list, blank=True)
    cohort_ids = models.JSONField(default=list, blank=True)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "teacher"], condition=models.Q(ended_at__isnull=True),
                                               name="one_current_appointment_per_teacher")]


class PublicDisplay(models.Model):
    """公示: the school shows its approved material to its own students, parents and teachers for a period
    (dates inclusive), for the whole school or one grade (cohort). The records shown are fixed at opening."""

    school_id = models.BigIntegerField()
    cohort_id = models.BigIntegerField(null=True, blank=True)  # None: the whole school
    title = models.CharField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school_id", "-starts_on"])]


class DisplayedRecord(models.Model):
    display = models.ForeignKey(PublicDisplay, on_delete=models.CASCADE, related_name="shown")
    school_id = models.BigIntegerField()
    record = models.ForeignKey(WrittenRecord, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "display", "record"], name="one_displayed_record")]


class DisplayObjection(models.Model):
    """An objection (异议) to displayed material, lodged by anyone of the school during the display; the
    school admin upholds it (the record fails with the reason) or dismisses it with a note."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    school_id = models.BigIntegerField()
    display = models.ForeignKey(PublicDisplay, on_delete=models.PROTECT, related_name="objections")
    record = models.ForeignKey(WrittenRecord, on_delete=models.CASCADE, related_name="+")
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lodged_as = models.CharField(max_length=16)  # the identity kind it was lodged as
    reason = models.CharField(max_length=200)
    lodged_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school_id", "state", "-lodged_at"])]
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
        constraints = [models.UniqueConstraint(fields=["job_id", "score_row", "school_id"],
                                               name="one_change_per_job_score")]
        indexes = [models.Index(fields=["before_job_id"])]
