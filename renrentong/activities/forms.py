"""Page forms of activities: parse only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.activities.models import Activity
from renrentong.activities.services import MAX_CAPACITY, ActivityDraft
from renrentong.core.web.forms import IdField, IdListField, ShownForm
from renrentong.orgs.models import GRADE_NAMES

GRADES = [(str(n), label) for n, label in GRADE_NAMES.items()]


class LocalDateTime(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _when(label) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=LocalDateTime(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class ActivityForm(ShownForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    starts_at = _when(_("Starts"))
    ends_at = _when(_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=200)
    programme = forms.CharField(label=_("Programme"), max_length=5000, required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    bring = forms.CharField(label=_("What to bring"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=MAX_CAPACITY)
    signup_opens_at = _when(_("Sign-up opens"))
    signup_closes_at = _when(_("Sign-up closes"))
    cancel_until = _when(_("Parents may cancel until"))
    approval = forms.ChoiceField(label=_("Sign-ups"), choices=Activity.Approval.choices, widget=forms.RadioSelect)
    grades = forms.TypedMultipleChoiceField(label=_("Grades (none chosen: all)"), choices=GRADES, coerce=int,
                                            required=False, widget=forms.CheckboxSelectMultiple)
    class_ids = forms.TypedMultipleChoiceField(label=_("Classes (none chosen: all)"), coerce=int, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    school_ids = forms.TypedMultipleChoiceField(label=_("Schools (none chosen: all below you)"), coerce=int,
                                                required=False, widget=forms.CheckboxSelectMultiple)
    refusal_fields = {"activities.title_required": "title", "activities.ends_before_start": "ends_at",
                      "activities.window_invalid": "signup_closes_at",
                      "activities.cancel_deadline_invalid": "cancel_until", "activities.capacity_": "capacity",
                      "activities.audience_outside": "grades"}

    def __init__(self, *args, classes=(), schools=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_ids"].choices = [(str(pk), name) for pk, name in classes]
        self.fields["school_ids"].choices = [(str(pk), name) for pk, name in schools]
        if not classes:
            del self.fields["class_ids"]
        if not schools:
            del self.fields["school_ids"]

    def draft(self) -> ActivityDraft:
        data = self.cleaned_data
        return ActivityDraft(
            title=data["title"], starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"],
            capacity=data["capacity"], signup_opens_at=data["signup_opens_at"],
            signup_closes_at=data["signup_closes_at"], cancel_until=data["cancel_until"],
            programme=data["programme"], bring=data["bring"], approval=data["approval"], grades=data["grades"],
            class_ids=data.get("class_ids") or [], school_ids=data.get("school_ids") or [])

    @staticmethod
    def initial_of(activity: Activity) -> dict:
        names = ["title", "starts_at", "ends_at", "place", "programme", "bring", "capacity", "signup_opens_at",
                 "signup_closes_at", "cancel_until", "approval"]
        initial = {name: getattr(activity, name) for name in names}
        initial.update(grades=[str(g) for g in activity.grades], class_ids=[str(c) for c in activity.class_ids],
                       school_ids=[str(s) for s in activity.school_ids])
        return initial


class SignUpForm(forms.Form):
    child_id = IdField(label=_("Child"), required=True)


class DecisionForm(forms.Form):
    sign_up_id = IdField(label=_("Sign-up"), required=True)
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", "approve"), ("refuse", "refuse")])
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class BulkApproveForm(forms.Form):
    sign_up_ids = IdListField(label=_("Sign-ups"))


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "")] + list(choices)


class AttendanceForm(forms.Form):
    attended = IdListField(label=_("Came"), required=False)
    listed = IdListField(label=_("Sign-ups"), required=False)
