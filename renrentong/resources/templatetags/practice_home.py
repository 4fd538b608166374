"""The online practice entry on a student's home page (the phone's 班级 tab): one line in the template."""

from __future__ import annotations

from django import template

from renrentong.resources.practice import access, selectors

register = template.Library()


@register.inclusion_tag("practice/home_card.html", takes_context=True)
def practice_card(context) -> dict:
    actor = context["request"].actor
    if not access.takes_practice(actor):
        return {"show": False}
    papers = selectors.papers_for_student(actor)
    return {"show": True, "todo": [p for p in papers if p.best is None][:3]}
