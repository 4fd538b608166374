"""Page input of the teaching pages (ADM-2): the grid's cells are fields named after class and subject."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField


class CohortForm(forms.Form):
    cohort_id = IdField(label=_("Grade"))


class TeachingGridForm(forms.Form):
    """One checkbox per arranged course, one teacher per cell and one head teacher per class of the grid;
    a cell absent from the post is left as it is."""

    new_subject = forms.CharField(label=_("Add a subject to every class of this grade (optional)"), required=False)

    def __init__(self, data, *, class_ids: list[int], subject_count: int) -> None:
        super().__init__(data)
        for class_id in class_ids:
            for index in range(subject_count):
                self.fields[f"course-{class_id}-{index}"] = forms.CharField(label=_("Subject"), required=False)
                self.fields[f"teacher-{class_id}-{index}"] = IdField(label=_("Teacher"))
            self.fields[f"head-{class_id}"] = IdField(label=_("Class head teacher"))

    def sent(self, name: str) -> bool:
        return name in self.data


class OwnCourseForm(forms.Form):
    action = forms.CharField(label=_("Choose"), required=False)
    class_id = IdField(label=_("Class"))
    subject = forms.CharField(label=_("Subject"), required=False, strip=False)
