"""Regions, schools (tenants) and school structure (ORG-1..ORG-3)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Region(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=64)
    code = models.CharField(max_length=12, unique=True, help_text="Administrative division code, e.g. 430102")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    support_contact = models.CharField(max_length=128, blank=True)

    def __str__(self) -> str:
        return self.name


class StageLevel(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")


class SchoolSystem(models.TextChoices):
    SIX_THREE = "6-3", _("6-3 system")
    FIVE_FOUR = "5-4", _("5-4 system")


class School(models.Model):
    """A school; only a registered one (a tenant, ORG-2) lets its users in."""

    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=128)
    code = models.CharField(max_length=16, unique=True)
    registered = models.BooleanField(default=True)
    # The school year in force: 2026 means the 2026-2027 year. Grades derive from it (ORG-7).
    school_year = models.PositiveSmallIntegerField()
    admin_contact = models.CharField(max_length=128, blank=True)
    # What the district admin registered (ORG-2, ORG-6): the school system (学制) and the stages the
    # school runs. A school admin builds campuses from these and asks the district to change them.
    system = models.CharField(max_length=3, choices=SchoolSystem.choices, default=SchoolSystem.SIX_THREE)
    levels = models.JSONField(default=list, blank=True)

    LEVEL_ORDER = ("primary", "junior", "senior")

    def registered_levels(self) -> list[str]:
        """The stages the school runs; a school created before they were recorded runs those it has."""
        levels = set(self.levels) or set(Stage.objects.filter(campus__school=self).values_list("level", flat=True))
        return [level for level in self.LEVEL_ORDER if level in levels]

    def __str__(self) -> str:
        return self.name


class Campus(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="campuses")
    name = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="one_campus_name_per_school")]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """A stage of a campus with its school system: 六三制 gives 6+3 grades, 五四制 5+4; senior has 3."""

    Level = StageLevel
    System = SchoolSystem

    campus = models.ForeignKey(Campus, on_delete=models.CASCADE, related_name="stages")
    level = models.CharField(max_length=8, choices=Level.choices)
    # Always the school's system (School.system); kept here because every grade is derived from it.
    system = models.CharField(max_length=3, choices=System.choices, default=System.SIX_THREE)
    # ORG-5 年级命名: {"1": "一年级"} overrides the platform's grade names; a class pattern such as
    # "{grade}({n})班" overrides "{grade}{n}班". Empty means the platform's names in the user's language.
    grade_names = models.JSONField(default=dict, blank=True)
    class_pattern = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campus", "level"], name="one_stage_per_level")]

    @property
    def years(self) -> int:
        if self.level == self.Level.PRIMARY:
            return 6 if self.system == self.System.SIX_THREE else 5
        if self.level == self.Level.JUNIOR:
            return 3 if self.system == self.System.SIX_THREE else 4
        return 3

    @property
    def first_grade(self) -> int:
        if self.level == self.Level.PRIMARY:
            return 1
        if self.level == self.Level.JUNIOR:
            return 7 if self.system == self.System.SIX_THREE else 6
        return 10

    def grade_label(self, grade: int) -> str:
        return self.grade_names.get(str(grade)) or str(GRADE_NAMES[grade])


GRADE_NAMES = {
    1: pgettext_lazy("grade", "Grade 1"),
    2: pgettext_lazy("grade", "Grade 2"),
    3: pgettext_lazy("grade", "Grade 3"),
    4: pgettext_lazy("grade", "Grade 4"),
    5: pgettext_lazy("grade", "Grade 5"),
    6: pgettext_lazy("grade", "Grade 6"),
    7: pgettext_lazy("grade", "Grade 7"),
    8: pgettext_lazy("grade", "Grade 8"),
    9: pgettext_lazy("grade", "Grade 9"),
    10: pgettext_lazy("grade", "Senior 1"),
    11: pgettext_lazy("grade", "Senior 2"),
    12: pgettext_lazy("grade", "Senior 3"),
}


class Cohort(models.Model):
    """The students of a stage who enrolled in one year; its grade follows from the school year."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="cohorts")
    enrollment_year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "enrollment_year"], name="one_cohort_per_year")]

    def grade_number(self, school_year: int) -> int:
        return self.stage.first_grade + (school_year - self.enrollment_year)

    @property
    def graduation_year(self) -> int:
        """毕业年份: the summer the cohort leaves its stage. Derived, never stored, so a school system
        change (ORG-6) or a grade re-dated by the rollover cannot leave a stale year behind."""
        return self.enrollment_year + self.stage.years

    def is_graduated(self, school_year: int) -> bool:
        return school_year - self.enrollment_year >= self.stage.years

    def grade_name(self, school_year: int) -> str:
        if self.is_graduated(school_year):
            return str(_("Graduated %(year)s") % {"year": self.graduation_year})
        return str(_("%(grade)s (enrolled %(year)s)") % {
            "grade": self.stage.grade_label(self.grade_number(school_year)), "year": self.enrollment_year
        })


class SchoolClass(models.Model):
    """An administrative, teaching or graduated class with its short class code (班级编码)."""

    class Kind(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Administrative class")
        TEACHING = "teaching", _("Teaching class")
        GRADUATED = "graduated", _("Graduated class")

    # Denormalised from cohort -> stage -> campus so scope filters need no four-table join.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="classes")
    number = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ADMINISTRATIVE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number", "kind"], name="one_class_number_per_cohort")
        ]

    @property
    def enrollment_year(self) -> int:
        return self.cohort.enrollment_year

    @property
    def graduation_year(self) -> int:
        return self.cohort.graduation_year

    def display_name(self, school_year: int | None = None) -> str:
        year = school_year if school_year is not None else self.school.school_year
        if self.cohort.is_graduated(year):
            return str(_("Class of %(year)s, class %(n)s") % {
                "year": self.graduation_year, "n": self.number
            })
        stage = self.cohort.stage
        grade = stage.grade_label(self.cohort.grade_number(year))
        if stage.class_pattern:
            # Plain replacement, never str.format: the pattern is typed by an admin.
            return stage.class_pattern.replace("{grade}", grade).replace("{n}", str(self.number))
        return str(_("%(grade)s class %(n)s") % {"grade": grade, "n": self.number})

    def __str__(self) -> str:
        return self.display_name()


# Class codes (班级编码) are short random codes like Zhejiang's "gu22cm", upper case because imports
# compare them upper-cased; no 0/O, 1/I/L, so a code read aloud or typed on a phone is not mistaken.
CLASS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLASS_CODE_LENGTH = 6


def new_class_codes(count: int) -> list[str]:
    """`count` codes no class holds yet (31^6 ≈ 887 million: a clash is rare and simply drawn again)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        drawn = {"".join(secrets.choice(CLASS_CODE_ALPHABET) for _ in range(CLASS_CODE_LENGTH))
                 for _ in range(wanted)}
        taken = set(SchoolClass.objects.filter(code__in=drawn).values_list("code", flat=True))
        codes |= drawn - taken
    return sorted(codes)[:count]


class Policy(models.Model):
    """Settings that differ between regions, inherited down the tree, overridable per school."""

    region = models.OneToOneField(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="policy")
    school = models.OneToOneField(School, null=True, blank=True, on_delete=models.CASCADE, related_name="policy")
    values = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=True) ^ models.Q(school__isnull=True), name="policy_has_one_owner"
            )
        ]


class FaqEntry(models.Model):
    """A question and its answer, kept by a region's admins and shown to everyone in the region and below it
    (HELP-2): a school's users read their district's entries first, then the city's and the province's."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="faq_entries")
    category = models.CharField(max_length=32, blank=True)  # a heading such as 实名认证, kept as the admin typed it
    question = models.CharField(max_length=200)
    answer = models.TextField()
    position = models.PositiveIntegerField(default=0)  # the order within the region, smallest first
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ("region", "position", "pk")
        indexes = [models.Index(fields=("region", "position"), name="faq_by_region")]


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SystemChangeRequest(models.Model):
    """A school admin's request to change the school system or stages; the district decides (ORG-6)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="system_requests")
    system = models.CharField(max_length=3, choices=SchoolSystem.choices)
    levels = models.JSONField(default=list)
    reason = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school"], condition=models.Q(status="pending"),
                                               name="one_pending_system_request")]


class AdminApplication(models.Model):
    """A teacher's application to be school admin; the district or city admin decides (ADM-6)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="admin_applications")
    reason = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "school"], condition=models.Q(status="pending"),
                                               name="one_pending_admin_application")]
