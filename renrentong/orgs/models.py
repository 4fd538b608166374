"""Regions, schools (tenants) and school structure (ORG-1..ORG-3)."""

from __future__ import annotations

from django.db import models
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


class School(models.Model):
    """A school; only a registered one (a tenant, ORG-2) lets its users in."""

    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=128)
    code = models.CharField(max_length=16, unique=True)
    registered = models.BooleanField(default=True)
    # The school year in force: 2026 means the 2026-2027 year. Grades derive from it (ORG-7).
    school_year = models.PositiveSmallIntegerField()
    admin_contact = models.CharField(max_length=128, blank=True)

    def __str__(self) -> str:
        return self.name


class Campus(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="campuses")
    name = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """A stage of a campus with its school system: 六三制 gives 6+3 grades, 五四制 5+4; senior has 3."""

    class Level(models.TextChoices):
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary")

    class System(models.TextChoices):
        SIX_THREE = "6-3", _("6-3 system")
        FIVE_FOUR = "5-4", _("5-4 system")

    campus = models.ForeignKey(Campus, on_delete=models.CASCADE, related_name="stages")
    level = models.CharField(max_length=8, choices=Level.choices)
    system = models.CharField(max_length=3, choices=System.choices, default=System.SIX_THREE)

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

    def is_graduated(self, school_year: int) -> bool:
        return school_year - self.enrollment_year >= self.stage.years

    def grade_name(self, school_year: int) -> str:
        if self.is_graduated(school_year):
            return str(_("Graduated %(year)s") % {"year": self.enrollment_year + self.stage.years})
        return str(_("%(grade)s (enrolled %(year)s)") % {
            "grade": GRADE_NAMES[self.grade_number(school_year)], "year": self.enrollment_year
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

    def display_name(self, school_year: int | None = None) -> str:
        year = school_year if school_year is not None else self.school.school_year
        if self.cohort.is_graduated(year):
            return str(_("Class of %(year)s, class %(n)s") % {
                "year": self.cohort.enrollment_year + self.cohort.stage.years, "n": self.number
            })
        return str(_("%(grade)s class %(n)s") % {
            "grade": GRADE_NAMES[self.cohort.grade_number(year)], "n": self.number
        })

    def __str__(self) -> str:
        return self.display_name()


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
