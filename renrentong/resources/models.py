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
# Smart classroom (classroom/, RES-1 and RES-3) -------------------------------------------------------------

class Resource(models.Model):
    """A learning resource of the smart classroom (智慧学堂): a micro-lesson video link, a document, courseware,
    an exercise set, a lesson plan or a free link, placed by stage, subject, grade, term, edition and chapter
    and in one of the five modules of seed 000. Its content is a stored file (uploads) or an http(s) URL.

    A teacher's or school admin's row carries its school (school_id) and that school's district (region_id);
    a region admin's carries their region and school_id None. `sharing` says who besides the owner sees it:
    nobody, the owner's school, or every school of the district (a region admin's: of their region)."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Micro-lesson video link")
        DOCUMENT = "document", _("Document")
        COURSEWARE = "courseware", _("Courseware")
        EXERCISES = "exercises", _("Exercise set")
        LESSON_PLAN = "lesson_plan", _("Lesson plan")
        LINK = "link", _("Free resource link")

    class Module(models.TextChoices):
        REVIEW = "review", _("Knowledge review")
        TOPIC = "topic", _("Topic study")
        PRACTICE = "practice", _("Online practice")
        PERSONALISED = "personalised", _("Personalised learning")
        CENTRE = "centre", _("Personal centre")

    class Sharing(models.TextChoices):
        ME = "me", _("Only me")
        SCHOOL = "school", _("My school")
        DISTRICT = "district", _("My district")

    class Term(models.TextChoices):
        FIRST = "first", _("First term (autumn)")
        SECOND = "second", _("Second term (spring)")

    region_id = models.BigIntegerField()  # the owner school's district, or the owner region admin's region
    school_id = models.BigIntegerField(null=True, blank=True)  # the owner's school; None for a region's row
    title = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    module = models.CharField(max_length=12, choices=Module.choices, default=Module.REVIEW)
    stage = models.CharField(max_length=8)  # orgs' stage levels: primary, junior, senior
    subject = models.CharField(max_length=32)
    grade = models.PositiveSmallIntegerField()  # 1..12, as orgs numbers grades
    term = models.CharField(max_length=8, choices=Term.choices)
    edition = models.CharField(max_length=32, blank=True)  # 版本; blank for one that fits every edition
    chapter = models.ForeignKey(Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_basic = models.BooleanField(default=True)  # basic resources are free to every student (seed 000)
    file = models.ForeignKey("uploads.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    url = models.CharField(max_length=500, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField(max_length=128)
    sharing = models.CharField(max_length=8, choices=Sharing.choices, default=Sharing.ME)
    taken_down_at = models.DateTimeField(null=True, blank=True)  # by the school admin: hidden but from its owner
    taken_down_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=(models.Q(file__isnull=False, url="")
                                                         | models.Q(file__isnull=True) & ~models.Q(url="")),
                                              name="resource_file_or_url")]
        indexes = [models.Index(fields=["school_id", "sharing", "stage", "grade"], name="resource_school_browse"),
                   models.Index(fields=["region_id", "sharing", "stage", "grade"], name="resource_region_browse"),
                   models.Index(fields=["owner", "-created_at"], name="resource_owner")]

    def __str__(self) -> str:
        return self.title


class RecommendedCourse(models.Model):
    """A recommended course (推荐课程): a resource a school admin recommends to their school's students, or a
    district or city admin to the schools of their region, for one stage, subject and term."""

    region_id = models.BigIntegerField(null=True, blank=True)  # a region admin's recommendation
    school_id = models.BigIntegerField(null=True, blank=True)  # a school admin's recommendation
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="recommendations")
    stage = models.CharField(max_length=8)
    subject = models.CharField(max_length=32)
    term = models.CharField(max_length=8, choices=Resource.Term.choices)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=(models.Q(school_id__isnull=False, region_id__isnull=True)
                                              | models.Q(school_id__isnull=True, region_id__isnull=False)),
                                   name="recommendation_school_or_region"),
            models.UniqueConstraint(fields=["school_id", "resource", "stage", "subject", "term"],
                                    condition=models.Q(school_id__isnull=False), name="one_school_recommendation"),
            models.UniqueConstraint(fields=["region_id", "resource", "stage", "subject", "term"],
                                    condition=models.Q(school_id__isnull=True), name="one_region_recommendation"),
        ]
        indexes = [models.Index(fields=["school_id", "stage", "term"], name="recommendation_school"),
                   models.Index(fields=["region_id", "stage", "term"], name="recommendation_region")]
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
