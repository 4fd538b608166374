"""Page input of lesson preparation (RES-4): an invalid field is a 400 naming it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField, IdListField

VOLUMES = [("first", _("First volume (autumn term)")), ("second", _("Second volume (spring term)")),
           ("whole", _("Single volume"))]


class TextbookForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=32)
    grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=12)
    volume = forms.ChoiceField(label=_("Volume"), choices=VOLUMES)
    edition = forms.CharField(label=_("Edition"), max_length=32)
    publisher = forms.CharField(label=_("Publisher"), max_length=64)
    title = forms.CharField(label=_("Title"), max_length=80, required=False)


class ChapterForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=16)
    title = forms.CharField(label=_("Title"), max_length=80)


class ChapterTitleForm(forms.Form):
    chapter_id = IdField(label=_("Chapter"), required=True)
    title = forms.CharField(label=_("Title"), max_length=80)


class ChapterIdForm(forms.Form):
    chapter_id = IdField(label=_("Chapter"), required=True)


class LessonForm(forms.Form):
    design = forms.CharField(label=_("Teaching design"), max_length=20_000, required=False, strip=False)
    exercises = forms.CharField(label=_("Exercises"), max_length=10_000, required=False, strip=False)
    courseware_ids = IdListField(label=_("Courseware"), required=False)
    exercise_file_ids = IdListField(label=_("Exercise files"), required=False)
    done = forms.BooleanField(required=False)


class CommentForm(forms.Form):
    lesson_id = IdField(label=_("Lesson"), required=True)
    text = forms.CharField(label=_("Comment"), max_length=500, required=False)


class CheckerForm(forms.Form):
    teacher_id = IdField(label=_("Teacher"))
    checker_id = IdField(label=_("Checker"))


class MissingForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=32)
    grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=12)
    volume = forms.ChoiceField(label=_("Volume"), choices=[("", "")] + VOLUMES, required=False)
    edition = forms.CharField(label=_("Edition"), max_length=32)
    publisher = forms.CharField(label=_("Publisher"), max_length=64)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    cover_ids = IdListField(label=_("Cover"), required=False)
    copyright_ids = IdListField(label=_("Copyright page"), required=False)
    contents_ids = IdListField(label=_("Contents"), required=False)


class DecisionForm(forms.Form):
    report_id = IdField(label=_("Report"), required=True)
    textbook_id = IdField(label=_("Textbook"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(required=False)
