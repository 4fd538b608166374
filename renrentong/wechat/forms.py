"""Page input of the WeChat pages: the official account's configuration, the follow pages' filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import OptionalIdField, ShownForm


class ConfigForm(ShownForm):
    appid = forms.CharField(label=_("AppID"), required=False, max_length=64,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    secret = forms.CharField(label=_("AppSecret"), required=False, max_length=64, strip=True,
                             help_text=_("Leave empty to keep the stored secret (or the one set in the server's environment)."),
                             widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    template_id = forms.CharField(label=_("Template ID"), required=False, max_length=64,
                                  help_text=_("A template with the fields thing, thing, time (title, sender, time)."))
    callback_token = forms.CharField(label=_("Callback token"), required=False, max_length=64)
    aes_key = forms.CharField(label=_("EncodingAESKey (optional)"), required=False, max_length=64,
                              help_text=_("Needed for safe mode (encrypted messages); leave empty for plaintext mode."))

    refusal_fields = {"wechat.appid_invalid": "appid", "wechat.appid_taken": "appid",
                      "wechat.secret_required": "secret", "wechat.template_required": "template_id",
                      "wechat.token_invalid": "callback_token", "wechat.aes_key_invalid": "aes_key"}


class PlaceForm(forms.Form):
    school = OptionalIdField()
    class_id = OptionalIdField()
