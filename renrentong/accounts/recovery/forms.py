from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import PasswordField, ShownForm


class DestinationField(forms.Field):
    """The index of a masked phone the user picked; absent on the first try. Anything that is not one of
    the offered indexes counts as no choice yet: the page lists the phones again."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> int | None:
        value = (value or "").strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) <= 2 else None


class RecoveryStartForm(forms.Form):
    identifier = forms.CharField(required=False, strip=False)
    phone = forms.CharField(required=False)
    destination = DestinationField()


class StudentRecoveryForm(forms.Form):
    name = forms.CharField(required=False, strip=False)
    id_number = forms.CharField(required=False, strip=False)
    school = forms.CharField(required=False, strip=False)
    destination = DestinationField()


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(required=False)


class RecoveryResetForm(ShownForm):
    """Step 3 of recovery: the page writes the account choice by hand and renders the rest with the pack."""

    account_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    new_password = PasswordField(label=_("New password"), autocomplete="new-password")
    repeat_password = PasswordField(label=_("Repeat the new password"), autocomplete="new-password")
    totp_code = forms.CharField(label=_("Authenticator code (admin accounts with an authenticator app)"),
                                required=False, max_length=16, widget=forms.TextInput(attrs={
                                    "inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}))

    refusal_fields = {"password.mismatch": "repeat_password", "password.": "new_password",
                      "recovery.totp_required": "totp_code"}

    def __init__(self, *args, rules: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password"].rules = rules or []
