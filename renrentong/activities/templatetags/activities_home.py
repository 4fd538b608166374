"""The activities entry on a parent's home page (the phone's 孩子 tab): one line in the template."""

from __future__ import annotations

from django import template

from renrentong.activities import access, selectors

register = template.Library()


@register.inclusion_tag("activities/home_card.html", takes_context=True)
def activities_card(context) -> dict:
    actor = context["request"].actor
    if not access.signs_up_children(actor):
        return {"show": False}
    return {"show": True, "items": selectors.activities_for_parent(actor)[:3]}
