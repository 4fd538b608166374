"""Page input of the sender's notice pages (MSG-1): the compose form, the audience preview, corrections."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import IdListField, OptionalIdField, ShownForm
from renrentong.notices.models import Notice
from renrentong.notices.services import BODY_LIMIT, TITLE_LIMIT, Correction, NoticeDraft


class SendAtField(forms.DateTimeField):
    """A send time typed in an <input type="datetime-local"> (2026-12-05T07:30), read in the local time zone."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        super().__init__(**kwargs)


class AudienceForm(forms.Form):
    """Who a notice goes to: roles and classes or grades (school notices), schools or districts (a region's)."""

    roles = forms.MultipleChoiceField(label=_("Send to"), choices=Notice.Role.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    class_ids = IdListField(label=_("Classes"), required=False)
    grade_ids = IdListField(label=_("Grades"), required=False)
    school_ids = IdListField(label=_("Schools"), required=False)
    district_ids = IdListField(label=_("Whole districts"), required=False)

    def audience(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) or [] for key in ("roles", "class_ids", "grade_ids", "school_ids", "district_ids")}


class ComposeForm(ShownForm, AudienceForm):
    title = forms.CharField(label=_("Title"), required=False, strip=False,
                            widget=forms.TextInput(attrs={"maxlength": str(TITLE_LIMIT)}))
    body = forms.CharField(label=_("Text"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 6, "maxlength": str(BODY_LIMIT)}))
    file_ids = IdListField(label=_("Images and files"), required=False)
    confirm_required = forms.BooleanField(label=_("Ask readers to confirm receipt"), required=False)
    urgent = forms.BooleanField(label=_("Urgent (pushed even in quiet hours)"), required=False)
    send_at = SendAtField(label=_("Send at (leave empty to send now)"))

    refusal_fields = {
        "notices.title_required": "title", "notices.body_too_long": "body",
        "notices.send_at_past": "send_at", "notices.send_at_too_far": "send_at",
        "notices.urgent_not_allowed": "urgent", "notices.too_many_files": "file_ids",
        "notices.file_not_yours": "file_ids", "uploads.": "file_ids",
    }

    def draft(self, file_ids: list[int]) -> NoticeDraft:
        data = self.cleaned_data
        send_at = data.get("send_at")
        if send_at is not None and timezone.is_naive(send_at):
            send_at = timezone.make_aware(send_at)
        audience = self.audience()
        return NoticeDraft(
            title=data.get("title") or "", body=data.get("body") or "", roles=audience["roles"],
            class_ids=audience["class_ids"], grade_ids=audience["grade_ids"], school_ids=audience["school_ids"],
            district_ids=audience["district_ids"], file_ids=[*(data.get("file_ids") or []), *file_ids],
            confirm_required=bool(data.get("confirm_required")), urgent=bool(data.get("urgent")), send_at=send_at)


class DistrictForm(forms.Form):
    district = OptionalIdField()


class BeforeForm(forms.Form):
    """The keyset of the sent list: notices older than this id (anything that is no id starts at the top)."""

    before = OptionalIdField()


class CorrectForm(ShownForm):
    title = forms.CharField(label=_("Title"), required=False, strip=False,
                            widget=forms.TextInput(attrs={"maxlength": str(TITLE_LIMIT)}))
    body = forms.CharField(label=_("Text"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 6, "maxlength": str(BODY_LIMIT)}))
    keep_file_ids = IdListField(label=_("Files to keep"), required=False)

    refusal_fields = {"notices.title_required": "title", "notices.body_too_long": "body",
                      "notices.too_many_files": "keep_file_ids", "uploads.": "keep_file_ids"}

    def correction(self, added_file_ids: list[int]) -> Correction:
        data = self.cleaned_data
        return Correction(title=data.get("title") or "", body=data.get("body") or "",
                          file_ids=[*(data.get("keep_file_ids") or []), *added_file_ids])


def checked(form: forms.Form) -> forms.Form:
    """The bound form, or the refusal naming its first invalid field."""
    if not form.is_valid():
        field = next(iter(form.errors))
        label = form.fields[field].label if field in form.fields else field
        raise UserFacingError("field.invalid", field=str(label or field))
    return form
