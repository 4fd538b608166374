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


# Online practice (RES-2) and personalised learning (RES-1): the room resources/practice ------------------
#
# A question is kept by a school (school_id, region_id None; `shared` offers it to the district's schools) or
# by a region (region_id, school_id None). A paper (练习卷) belongs to a school; a teacher publishes it to the
# classes they teach, or the platform assembles one for a single student from their weak points (personal).
# An attempt is one student's go at a paper: answers are saved as typed (PracticeAnswer, upserted), and the
# submit grades them all at once into PracticeGrade rows (bulk insert) while one conditional UPDATE ends the
# attempt, so a submit sent twice grades once.


class PracticeQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        FILL = "fill", _("Fill in the blanks")
        NUMERIC = "numeric", _("Numeric answer")

    school_id = models.BigIntegerField(null=True, blank=True)  # a school's question
    region_id = models.BigIntegerField(null=True, blank=True)  # a region's question (school_id None)
    district_id = models.BigIntegerField(null=True, blank=True)  # a school question's district, for sharing
    shared = models.BooleanField(default=False)  # a school's question offered to its district's schools
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=32)  # the chapter's textbook's, kept for filters
    kind = models.CharField(max_length=12, choices=Kind.choices)
    stem = models.TextField(max_length=2000)
    options = models.JSONField(default=list, blank=True)  # choices' texts, in order (A, B, C ...)
    # The key, never sent to a student before they submit: single an index, multiple a sorted list of
    # indexes, true_false a boolean, fill a list of accepted answers per blank, numeric {"value", "tolerance"}.
    key = models.JSONField()
    knowledge_points = models.JSONField(default=list, blank=True)
    explanation = models.TextField(max_length=4000, blank=True)
    created_by = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)  # out of new papers; old attempts keep it

    class Meta:
        constraints = [models.CheckConstraint(
            condition=(models.Q(school_id__isnull=False, region_id__isnull=True)
                       | models.Q(school_id__isnull=True, region_id__isnull=False)),
            name="practice_question_school_or_region")]
        indexes = [models.Index(fields=["school_id", "chapter"]), models.Index(fields=["region_id", "chapter"]),
                   models.Index(fields=["district_id", "shared"])]


class PracticePoint(models.Model):
    """A question's knowledge point (知识点), one row each, so weak points find questions set-based."""

    school_id = models.BigIntegerField(null=True, blank=True)  # the question's
    question = models.ForeignKey(PracticeQuestion, on_delete=models.CASCADE, related_name="points")
    point = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "point"], name="one_practice_point")]
        indexes = [models.Index(fields=["point"])]


class PracticePaper(models.Model):
    class Kind(models.TextChoices):
        CLASS = "class", _("Class paper")
        PERSONAL = "personal", _("My weak points")

    school_id = models.BigIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CLASS)
    title = models.CharField(max_length=100)
    subject = models.CharField(max_length=32, blank=True)
    student = models.ForeignKey("accounts.Person", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")  # a personal paper's student
    created_by = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["school_id", "kind", "-created_at"])]


class PracticePaperQuestion(models.Model):
    school_id = models.BigIntegerField()
    paper = models.ForeignKey(PracticePaper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(PracticeQuestion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "paper", "question"], name="one_question_per_paper")]
        ordering = ["paper_id", "position"]


class PracticePublication(models.Model):
    """A paper published to one class by a teacher who teaches it."""

    school_id = models.BigIntegerField()
    paper = models.ForeignKey(PracticePaper, on_delete=models.CASCADE, related_name="publications")
    class_id = models.BigIntegerField()
    published_by = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "paper", "class_id"],
                                               name="one_publication_per_class")]
        indexes = [models.Index(fields=["school_id", "class_id"])]


class PracticeAttempt(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", _("Handed in")

    school_id = models.BigIntegerField()
    paper = models.ForeignKey(PracticePaper, on_delete=models.CASCADE, related_name="attempts")
    student = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    class_id = models.BigIntegerField(null=True, blank=True)  # the class it was published to
    number = models.PositiveSmallIntegerField()  # 1, 2, ... per student and paper
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_id", "paper", "student", "number"], name="one_attempt_number"),
            models.UniqueConstraint(fields=["school_id", "paper", "student"], condition=models.Q(state="open"),
                                    name="one_open_attempt"),
        ]
        indexes = [models.Index(fields=["school_id", "student", "-started_at"])]


class PracticeAnswer(models.Model):
    """An answer as the student typed it, saved before submit; saved again it is overwritten."""

    school_id = models.BigIntegerField()
    attempt = models.ForeignKey(PracticeAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(PracticeQuestion, on_delete=models.PROTECT, related_name="+")
    response = models.JSONField()
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "attempt", "question"],
                                               name="one_answer_per_question")]


class PracticeGrade(models.Model):
    """A graded answer, written once at submit for every question of the paper (unanswered ones too)."""

    school_id = models.BigIntegerField()
    attempt = models.ForeignKey(PracticeAttempt, on_delete=models.CASCADE, related_name="grades")
    student = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(PracticeQuestion, on_delete=models.PROTECT, related_name="+")
    response = models.JSONField(null=True)
    shown = models.CharField(max_length=200, blank=True)  # the response normalised, for common wrong answers
    correct = models.BooleanField()
    graded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_id", "attempt", "question"],
                                               name="one_grade_per_question")]
        indexes = [models.Index(fields=["school_id", "student", "correct"])]
