"""Whether the current identity gets the reveal button of accounts/_reveal.html: `actor|may_reveal`."""

from __future__ import annotations

from django import template

from renrentong.accounts.privacy.access import can_reveal

register = template.Library()


@register.filter
def may_reveal(actor) -> bool:
    """Admins may reveal one full number of a person in their scope (the endpoint checks the scope)."""
    return actor is not None and can_reveal(actor)
