"""The home pages' line about link requests waiting for the current identity (issue 10 #2): a parent
whose child someone asked to be linked to, a head teacher or school admin for children without a
parent. A tag, so the home pages need one line each and no view changes."""

from __future__ import annotations

from django import template

from renrentong.accounts.family import services as children
register = template.Library()


@register.inclusion_tag("accounts/link_requests_waiting.html", takes_context=True)
def link_requests_waiting(context) -> dict:
    actor = context["request"].actor
    waiting = [r for r in children.link_requests(actor) if r.direction == "incoming"]
    return {"waiting": len(waiting)}
