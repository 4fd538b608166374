"""The class group entry on the phone's 班级 tab (the home pages of students, parents and teachers): one line
in each home template, no view changes."""

from __future__ import annotations

from django import template

from renrentong.classgroups import access, selectors

register = template.Library()


@register.inclusion_tag("classgroups/home_card.html", takes_context=True)
def class_groups_card(context) -> dict:
    actor = context["request"].actor
    if not access.uses_class_groups(actor):
        return {"show": False}
    groups = selectors.my_groups(actor)
    return {"show": True, "groups": groups, "waiting": selectors.waiting_count(actor)}
