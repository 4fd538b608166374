"""The progress page's filters (EVA-4), read the same from the page's query string, an export's parameters
and the API: the level shown (schools of a region, classes of a school, students), the school, district,
grade (cohort) and class, and "only students with nothing submitted"."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField, PageForm

LEVELS = ("schools", "classes", "students")


class ProgressFilterForm(PageForm):
    level = forms.ChoiceField(label=_("Level"), choices=[(v, v) for v in LEVELS], required=False)
    school = IdField(label=_("School"))
    district = IdField(label=_("District"))
    grade = IdField(label=_("Grade"))
    class_id = IdField(label=_("Class"))
    nothing = forms.BooleanField(label=_("Only students with nothing submitted"), required=False)
    student = IdField(label=_("Student"))


@dataclass
class ProgressFilters:
    level: str = "classes"
    school_id: int | None = None
    district_id: int | None = None
    grade_id: int | None = None
    class_id: int | None = None
    only_nothing: bool = False

    @classmethod
    def from_query(cls, data, *, default_level: str) -> ProgressFilters:
        """From a query string: a class chosen shows its students, a school its classes."""
        found = ProgressFilterForm(data).valid_data()
        level = found["level"] or ("students" if found["class_id"] else default_level)
        if level == "schools" and found["school"]:
            level = "classes"
        return cls(level, found["school"], found["district"], found["grade"], found["class_id"], found["nothing"])

    @classmethod
    def from_params(cls, params: dict) -> ProgressFilters:
        """From an export job's JSON parameters (written by as_params)."""
        data = {"level": params.get("level") or "", "school": params.get("school_id") or "",
                "district": params.get("district_id") or "", "grade": params.get("grade_id") or "",
                "class_id": params.get("class_id") or "", "nothing": "1" if params.get("only_nothing") else ""}
        return cls.from_query(data, default_level="classes")

    def as_params(self) -> dict:
        return asdict(self)
