"""Page input for evaluation material, the catalogue and the windows (EVA-1..EVA-3)."""

from __future__ import annotations

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField, IdListField, PageForm, ShownForm

from renrentong.evaluation.models import WrittenRecord


class RecordForm(ShownForm):
    """A written record on the phone (成长记录) or at the desk (写实记录). `client_key` is made when the form is
    shown, so a submit the network retried (or the user pressed twice) makes one record."""

    kind = forms.ChoiceField(label=_("Kind"), choices=WrittenRecord.Kind.choices, initial=WrittenRecord.Kind.GROWTH)
    title = forms.CharField(label=_("Title (optional)"), max_length=60, required=False)
    text = forms.CharField(label=_("Content of the record"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    item_id = forms.TypedChoiceField(label=_("Evaluation item"), coerce=int, required=False, empty_value=None)
    client_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    refusal_fields = {"evaluation.text_required": "text", "evaluation.title_too_long": "title",
                      "evaluation.kind_unknown": "kind", "evaluation.date_in_future": "happened_on",
                      "evaluation.item_": "item_id"}

    def __init__(self, *args, items=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item_id"].choices = [("", _("Not classified yet"))] + [
            (i.pk, f"{i.dimension.label} · {i.label}") for i in items]
        if not self.is_bound:
            # Not hex: a random hex key holds an 11-digit run that reads as a phone about once in 400 forms,
            # which the leak scan rightly cannot tell from one.
            self.fields["client_key"].initial = secrets.token_urlsafe(16)
            self.fields["happened_on"].initial = timezone.localdate()


class StudentForm(PageForm):
    student = IdField()


class SortForm(PageForm):
    """The desk's sorting table: the chosen records, and each row's item (item_<record id>)."""

    action = forms.ChoiceField(choices=[("classify", "classify"), ("submit", "submit")])
    record_ids = IdListField(required=False)


class CatalogueActionForm(PageForm):
    action = forms.ChoiceField(choices=[(a, a) for a in (
        "start_year", "add_dimension", "rename_dimension", "add_item", "rename_item", "retire_item", "restore_item")])
    school_year = IdField(max_value=2100)
    dimension_id = IdField()
    item_id = IdField()
    code = forms.CharField(max_length=64, required=False)
    label = forms.CharField(max_length=100, required=False)
    source = forms.ChoiceField(choices=[("family", "family"), ("city", "city"), ("school", "school")], required=False)


class YearForm(PageForm):
    year = IdField(max_value=2100)


class WindowForm(ShownForm):
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    refusal_fields = {"evaluation.window_dates": "closes_on"}
