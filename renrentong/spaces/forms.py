"""Page input for posts and spaces (SPC-1, SPC-2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField, PageForm, ShownForm

from renrentong.spaces.models import Post


class PostForm(ShownForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Post.Kind.choices, initial=Post.Kind.MOOD)
    text = forms.CharField(label=_("What is on your mind?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=Post.Visibility.choices,
                                   initial=Post.Visibility.CLASS)
    class_id = forms.TypedChoiceField(label=_("Class"), coerce=int, required=False, empty_value=None)
    refusal_fields = {"spaces.text_required": "text", "spaces.public_not_allowed": "visibility",
                      "spaces.choose_class": "class_id", "spaces.too_many_images": "text",
                      "spaces.not_an_image": "text"}

    def __init__(self, *args, classes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_id"].choices = [("", _("No class (school or public posts)"))] + [
            (c.pk, f"{c.school.name} · {c.display_name()}") for c in classes]
        if len(classes) <= 1:
            self.fields["class_id"].widget = forms.HiddenInput()
            if classes:
                self.fields["class_id"].initial = classes[0].pk


class FeedForm(PageForm):
    feed = forms.ChoiceField(choices=[("school", "school"), ("class", "class")], required=False)
    class_id = IdField()
    school_id = IdField()
    before = IdField()


class ReasonForm(PageForm):
    reason = forms.CharField(max_length=200, required=False)


class SpaceHeaderForm(ShownForm):
    title = forms.CharField(label=_("Title"), max_length=40, required=False)
    intro = forms.CharField(label=_("Introduction"), max_length=500, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    cover = forms.FileField(label=_("Cover image"), required=False)


class AppointForm(PageForm):
    account_number = forms.CharField(max_length=16)


class WordForm(ShownForm):
    word = forms.CharField(label=_("Word or phrase"), max_length=50)
    refusal_fields = {"spaces.word_invalid": "word", "spaces.word_exists": "word"}


class PolicyForm(PageForm):
    allowed = forms.BooleanField(required=False)


class StatsForm(PageForm):
    school_id = IdField()
