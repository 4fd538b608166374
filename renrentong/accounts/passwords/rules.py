"""The region's password rule (AUTH-3) as lines a page can show and tick off while the user types.

check_password_policy (services.py) stays the authority: these lines mirror what it checks that a browser
can check (length, character classes, the account number) and carry it to forms.js in data- attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from renrentong.orgs.policy import EffectivePolicy


@dataclass(frozen=True)
class RuleLine:
    kind: str  # what forms.js checks: length, classes, alnum, digit, upper, lower, not-contains, same
    label: str
    data: dict[str, str] = field(default_factory=dict)


def password_rules(policy: EffectivePolicy, account_number: str = "", repeat_id: str = "") -> list[RuleLine]:
    """The checklist of `policy`'s password rule; `account_number` adds "not the account number" and
    `repeat_id` (the id of the repeat input) adds "both entries are the same"."""
    if policy.password_rule == "S":
        lines = [
            RuleLine("length", _("8 to 15 characters"), {"min": "8", "max": "15"}),
            RuleLine("alnum", _("Only letters and digits, no symbols or spaces")),
            RuleLine("digit", _("A digit")),
            RuleLine("upper", _("An upper-case letter")),
            RuleLine("lower", _("A lower-case letter")),
        ]
    else:
        lines = [
            RuleLine("length", _("8 to 20 characters"), {"min": "8", "max": "20"}),
            RuleLine("classes", _("At least 3 of: upper-case letters, lower-case letters, digits, symbols"),
                     {"need": "3"}),
        ]
    if account_number:
        lines.append(RuleLine("not-contains", _("Does not contain the account number"), {"value": account_number}))
    if repeat_id:
        lines.append(RuleLine("same", _("Both entries are the same"), {"other": repeat_id}))
    return lines
