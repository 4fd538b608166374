"""`{% if error|about:"phone" %}`: whether the page's refusal is about one input a page writes by hand, so
the input carries aria-invalid and the message stands beside it (forms/inline_error.html) as the form pack
does for Django-rendered fields. The refusal block above the form still says who can fix it."""

from __future__ import annotations

from django import template

register = template.Library()

# The refusals that concern one input, by the input's name.
FIELD_OF = {
    "code_login.invalid_phone": "phone", "code_login.unknown_phone": "phone",
    "verification.invalid_target": "phone", "verification.out_of_province": "phone",
    "verification.provider_rejected_number": "phone",
    "phone.invalid": "phone", "phone.taken": "phone", "phone.same": "phone", "phone.none_bound": "phone",
    "verification.wrong_code": "code", "verification.code_missing": "code", "verification.expired": "code",
    "verification.used": "code", "verification.voided": "code", "verification.unknown": "code",
    "code_login.expired": "code", "totp.wrong_code": "code",
    "phone.password_required": "current_password", "password.wrong_current": "current_password",
    "recovery.missing_identifier": "identifier", "recovery.no_such_user": "identifier",
    "realname.invalid_id_number": "id_number", "realname.name_id_swapped": "id_number",
    "realname.number_mismatch": "number",
}


@register.filter
def about(error, field: str) -> bool:
    code = getattr(error, "code", "")
    return bool(code) and FIELD_OF.get(code) == field
