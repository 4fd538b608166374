"""Page input of the structure pages (ORG-4, ORG-5).

A count or class number that is no number is refused as the service refuses one out of range
(structure.class_count, structure.class_range), so the page says what the rule is.
"""

from __future__ import annotations

from django import forms

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import NumberField, PageForm
from renrentong.orgs.models import Stage
from renrentong.orgs.structure.services import MAX_CLASS_NUMBER, MAX_CLASSES_PER_GRADE, system_label


def class_count_refused() -> UserFacingError:
    return UserFacingError("structure.class_count", limit=MAX_CLASSES_PER_GRADE)


def class_range_refused() -> UserFacingError:
    return UserFacingError("structure.class_range", limit=MAX_CLASS_NUMBER)


class StageCountsForm(PageForm):
    """Per stage offered: ticked or not, N classes in each grade, or a number typed for one grade.

    `stages` are the page's stage blocks (level, grades); the campus page adds the campus name."""

    def __init__(self, data, stages: list[dict], *, with_name: bool = False) -> None:
        super().__init__(data)
        self.stages = stages
        self.refusals = {}
        if with_name:
            self.fields["name"] = forms.CharField(required=False, strip=False)
        for stage in stages:
            level = stage["level"]
            self.fields[f"{level}-on"] = forms.BooleanField(required=False)
            self.fields[f"{level}-n"] = NumberField(empty_value=0)
            self.refusals[f"{level}-n"] = class_count_refused
            for i, *_rest in stage["grades"]:
                self.fields[f"{level}-g{i}"] = NumberField()
                self.refusals[f"{level}-g{i}"] = class_count_refused

    def counts(self, *, ticked_only: bool = True) -> dict[str, list[int]]:
        """N classes per grade, or the number typed for one grade where the admin changed it."""
        data = self.valid_data()
        chosen: dict[str, list[int]] = {}
        for stage in self.stages:
            level = stage["level"]
            if ticked_only and not data[f"{level}-on"]:
                continue
            default = data[f"{level}-n"]
            chosen[level] = [default if data[f"{level}-g{i}"] is None else data[f"{level}-g{i}"]
                             for i, *_rest in stage["grades"]]
        return chosen


class GradeForm(PageForm):
    grade = NumberField(empty_value=0)
    first = NumberField(empty_value=1)
    last = NumberField(empty_value=0)

    def __init__(self, data, stage: Stage) -> None:
        super().__init__(data)
        self.refusals = {
            "grade": lambda: UserFacingError(
                "structure.grade_outside_stage", grade=self.data.get("grade", ""),
                stage=str(stage.get_level_display()), first=stage.first_grade,
                last=stage.first_grade + stage.years - 1, system=system_label(stage.system)),
            "first": class_range_refused, "last": class_range_refused,
        }


class ClassesForm(PageForm):
    refusals = {"first": class_range_refused, "last": class_range_refused}

    first = NumberField(empty_value=0)
    last = NumberField(empty_value=0)
    kind = forms.CharField(required=False)

    def clean_kind(self) -> str:
        # Not sent: an administrative class; sent empty or unknown: the service refuses it.
        return self.cleaned_data["kind"] if "kind" in self.data else "administrative"


class NamingForm(PageForm):
    """A name per grade number of the stage ("" = the platform's) and the class name pattern."""

    class_pattern = forms.CharField(required=False, strip=False)

    def __init__(self, data, stage: Stage) -> None:
        super().__init__(data)
        self.grades = range(stage.first_grade, stage.first_grade + stage.years)
        for grade in self.grades:
            self.fields[f"grade-{grade}"] = forms.CharField(required=False, strip=False)

    def names(self) -> dict[int, str]:
        data = self.valid_data()
        return {grade: data[f"grade-{grade}"] for grade in self.grades}
