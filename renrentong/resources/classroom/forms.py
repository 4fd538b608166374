"""Page forms of the smart classroom: parse only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField, ShownForm
from renrentong.orgs.models import GRADE_NAMES, StageLevel
from renrentong.resources.classroom.services import URL_MAX, ResourceDraft
from renrentong.resources.models import Resource

GRADES = [(n, label) for n, label in GRADE_NAMES.items()]


def _optional(choices) -> list:
    return [("", _("All"))] + list(choices)


class BrowseForm(forms.Form):
    """The classroom's filters; blanks are filled from the student's class and the current term."""

    stage = forms.ChoiceField(label=_("Stage"), choices=_optional(StageLevel.choices), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=32, required=False)
    grade = forms.TypedChoiceField(label=_("Grade"), choices=_optional(GRADES), coerce=int, empty_value=None,
                                   required=False)
    term = forms.ChoiceField(label=_("Term"), choices=_optional(Resource.Term.choices), required=False)
    edition = forms.CharField(label=_("Edition"), max_length=32, required=False)
    chapter_id = IdField(label=_("Chapter"), required=False)
    module = forms.ChoiceField(label=_("Module"), choices=_optional(Resource.Module.choices), required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=_optional(Resource.Kind.choices), required=False)


class ResourceForm(ShownForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Type"), choices=Resource.Kind.choices)
    module = forms.ChoiceField(label=_("Module"), choices=Resource.Module.choices, initial="review")
    stage = forms.ChoiceField(label=_("Stage"), choices=StageLevel.choices)
    subject = forms.CharField(label=_("Subject"), max_length=32)
    grade = forms.TypedChoiceField(label=_("Grade"), choices=GRADES, coerce=int)
    term = forms.ChoiceField(label=_("Term"), choices=Resource.Term.choices)
    edition = forms.CharField(label=_("Edition"), max_length=32, required=False)
    chapter_id = forms.TypedChoiceField(label=_("Chapter"), coerce=int, empty_value=None, required=False)
    description = forms.CharField(label=_("Description"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    url = forms.CharField(label=_("Link (http:// or https://)"), max_length=URL_MAX, required=False,
                          widget=forms.URLInput(attrs={"inputmode": "url"}))
    is_basic = forms.BooleanField(label=_("Basic resource, free to every student"), required=False, initial=True)
    sharing = forms.ChoiceField(label=_("Share with"), choices=Resource.Sharing.choices, widget=forms.RadioSelect,
                                initial="me")
    refusal_fields = {"classroom.title_required": "title", "classroom.url_invalid": "url",
                      "classroom.link_needs_url": "url", "classroom.file_or_url": "url",
                      "classroom.chapter_": "chapter_id", "classroom.placement_invalid": "grade"}

    def __init__(self, *args, chapters=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chapter_id"].choices = [("", _("None (a general resource)"))] + [
            (c.pk, f"{c.textbook} · {c.number} {c.title}") for c in chapters]

    def draft(self, file_id: int | None) -> ResourceDraft:
        data = self.cleaned_data
        return ResourceDraft(title=data["title"], kind=data["kind"], module=data["module"], stage=data["stage"],
                             subject=data["subject"], grade=data["grade"], term=data["term"],
                             edition=data["edition"], chapter_id=data["chapter_id"],
                             description=data["description"], url=data["url"], is_basic=data["is_basic"],
                             sharing=data["sharing"], file_id=file_id)

    @staticmethod
    def initial_of(resource: Resource) -> dict:
        return {"title": resource.title, "kind": resource.kind, "module": resource.module, "stage": resource.stage,
                "subject": resource.subject, "grade": resource.grade, "term": resource.term,
                "edition": resource.edition, "chapter_id": resource.chapter_id, "description": resource.description,
                "url": resource.url, "is_basic": resource.is_basic, "sharing": resource.sharing}


class TakeDownForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RecommendForm(ShownForm):
    resource_id = forms.TypedChoiceField(label=_("Resource"), coerce=int)
    stage = forms.ChoiceField(label=_("Stage"), choices=StageLevel.choices)
    subject = forms.CharField(label=_("Subject"), max_length=32)
    term = forms.ChoiceField(label=_("Term"), choices=Resource.Term.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    refusal_fields = {"classroom.recommend_private": "resource_id", "classroom.already_recommended": "resource_id"}

    def __init__(self, *args, resources=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource_id"].choices = [(r.pk, f"{r.title} · {r.subject}") for r in resources]


class RemoveRecommendationForm(forms.Form):
    recommendation_id = IdField(required=True)
