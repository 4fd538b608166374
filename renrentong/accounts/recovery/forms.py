from __future__ import annotations

from django import forms


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


class RecoveryResetForm(forms.Form):
    account_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    new_password = forms.CharField(required=False, strip=False)
    repeat_password = forms.CharField(required=False, strip=False)
    totp_code = forms.CharField(required=False)
