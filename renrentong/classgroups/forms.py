"""Page forms of class groups: parse only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Class code"), max_length=32, required=False)


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=5000, required=False, strip=False)
    roles = forms.MultipleChoiceField(label=_("Send to"), required=False, choices=[
        ("parent", _("Parents")), ("student", _("Students")), ("teacher", _("Teachers"))])


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=1000, strip=False)
    message_id = IdField(label=_("Message"))
    to_account_id = IdField(label=_("Teacher"))


class RemoveForm(forms.Form):
    account_id = IdField(label=_("Member"), required=True)
    role = forms.ChoiceField(label=_("Role"), choices=[("teacher", "teacher"), ("student", "student"),
                                                       ("parent", "parent")])


class DecisionForm(forms.Form):
    request_id = IdField(label=_("Request"), required=True)
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", "approve"), ("refuse", "refuse")])


class SettingForm(forms.Form):
    parents_may_post = forms.ChoiceField(label=_("Parents may"), choices=[
        ("no", "no"), ("reply", "reply"), ("to_teacher", "to_teacher")])
