"""`{% password_checklist policy account_number "new_password" "repeat_password" %}`: the live checklist of a
region's password rule under a hand-written new-password input (the form pack adds it to its own fields).
The input names "<input_id>_rules" in its aria-describedby; forms.js ticks the lines off."""

from __future__ import annotations

from django import template

from renrentong.accounts.passwords.rules import password_rules

register = template.Library()


@register.inclusion_tag("forms/password_rules.html")
def password_checklist(policy, account_number: str = "", input_id: str = "new_password", repeat_id: str = ""):
    return {"rules": password_rules(policy, account_number or "", repeat_id), "input_id": input_id}
