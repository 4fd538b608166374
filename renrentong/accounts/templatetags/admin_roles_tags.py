"""The home page's view of one's own school admin applications (ADM-6):
`{% load admin_roles_tags %}{% my_applications %}`."""

from __future__ import annotations

from django import template

from renrentong.accounts.admin_roles import access as admin_roles_access
from renrentong.accounts.admin_roles.services import PENDING, my_applications as applications_of

register = template.Library()


@register.inclusion_tag("orgs/_home_applications.html", takes_context=True)
def my_applications(context) -> dict:
    actor = context.get("actor")
    applications = applications_of(actor.account) if actor else []
    return {"applications": applications, "pending": PENDING, "csrf_token": context.get("csrf_token"),
            "can_apply": actor is not None and admin_roles_access.can_apply_for_school_admin(actor)}
