"""Page input of the key information pages (KEY-1..KEY-3)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField
from renrentong.keyinfo.models import KeyField


class SchoolForm(forms.Form):
    """Which school's completion a region admin looks at (a school admin's is their own)."""

    school_id = IdField(label=_("School"))


class KeyInfoForm(forms.Form):
    """A student's numbers as typed; the services normalise and check them. Blank means "no change"."""

    local_student_number = forms.CharField(label=KeyField.LOCAL_STUDENT_NUMBER.label, required=False, strip=False,
                                           max_length=200)
    national_student_number = forms.CharField(label=KeyField.NATIONAL_STUDENT_NUMBER.label, required=False,
                                              strip=False, max_length=200)
    id_number = forms.CharField(label=KeyField.ID_NUMBER.label, required=False, strip=False, max_length=200)

    def changes(self) -> dict[str, str]:
        return {field: value for field, value in self.cleaned_data.items() if value.strip()}


class DecisionForm(forms.Form):
    """The school's decision on each proposed field: accept or refuse (the service checks the words)."""

    decision_local_student_number = forms.CharField(label=KeyField.LOCAL_STUDENT_NUMBER.label, required=False,
                                                    max_length=16)
    decision_national_student_number = forms.CharField(label=KeyField.NATIONAL_STUDENT_NUMBER.label,
                                                       required=False, max_length=16)
    decision_id_number = forms.CharField(label=KeyField.ID_NUMBER.label, required=False, max_length=16)

    def decisions(self) -> dict[str, str]:
        return {name.removeprefix("decision_"): value for name, value in self.cleaned_data.items() if value}
