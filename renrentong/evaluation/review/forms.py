"""Page input of the school's review (issue 14 item 4): parse only; the services decide."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField, IdListField, OptionalIdField, PageForm, ShownForm

STATES = [("pending", "pending"), ("approved", "approved"), ("failed", "failed"), ("any", "any")]


class QueueFilterForm(PageForm):
    """The queue's filters (query string): anything that is not a filter filters nothing."""

    state = forms.ChoiceField(choices=STATES, required=False)
    grade = OptionalIdField()
    class_id = OptionalIdField()
    item_id = OptionalIdField()
    before = OptionalIdField()

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        state = data.get("state") or "pending"
        return {"state": state, "grade": data.get("grade"), "class_id": data.get("class_id"),
                "item_id": data.get("item_id"), "before": data.get("before")}


class DecisionForm(PageForm):
    """One row's decision (pass, or fail with the reason typed beside it) or the chosen rows passed."""

    action = forms.ChoiceField(choices=[("approve", "approve"), ("fail", "fail"), ("approve_chosen", "approve_chosen")])
    record_id = IdField()
    record_ids = IdListField(required=False)
    reason = forms.CharField(max_length=400, required=False)


class SettingForm(PageForm):
    head_teachers_review = forms.BooleanField(required=False)


class AppointForm(PageForm):
    teacher_id = IdField(required=True)
    whole_school = forms.BooleanField(required=False)
    class_ids = IdListField(required=False)
    grade_ids = IdListField(required=False)


class EndForm(PageForm):
    appointment_id = IdField(required=True)


class DisplayForm(ShownForm):
    title = forms.CharField(label=_("Title"), max_length=60, initial="综合素质评价材料公示")
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    grade = forms.TypedChoiceField(label=_("Grade"), coerce=int, required=False, empty_value=None)
    refusal_fields = {"evaluation.display_title": "title", "evaluation.display_dates": "ends_on",
                      "evaluation.remit_not_in_school": "grade"}

    def __init__(self, *args, grades=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", _("Whole school"))] + [(g.id, g.label) for g in grades]
        if not self.is_bound:
            today = timezone.localdate()
            self.fields["starts_on"].initial = today
            self.fields["ends_on"].initial = today + timedelta(days=6)


class DisplayActionForm(PageForm):
    action = forms.ChoiceField(choices=[("close", "close"), ("uphold", "uphold"), ("dismiss", "dismiss")])
    display_id = IdField()
    objection_id = IdField()
    note = forms.CharField(max_length=400, required=False)


class ObjectionForm(PageForm):
    display_id = IdField(required=True)
    record_id = IdField(required=True)
    reason = forms.CharField(max_length=400, required=False)


class ObjectionFilterForm(PageForm):
    state = forms.ChoiceField(choices=[("open", "open"), ("upheld", "upheld"), ("dismissed", "dismissed")],
                              required=False)
