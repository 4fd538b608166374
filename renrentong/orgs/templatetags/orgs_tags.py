"""The home page's view of one's own applications (ADM-6): `{% load orgs_tags %}{% my_applications %}`."""

from django import template

from renrentong.orgs.admin_roles import access as admin_roles_access
from renrentong.orgs.admin_roles.services import PENDING, my_applications as applications_of
from renrentong.orgs.tenants import access as tenants_access
from renrentong.orgs.tenants.services import system_requests

register = template.Library()


@register.inclusion_tag("orgs/_home_applications.html", takes_context=True)
def my_applications(context) -> dict:
    actor = context.get("actor")
    applications = applications_of(actor.account) if actor else []
    return {"applications": applications, "pending": PENDING, "csrf_token": context.get("csrf_token"),
            "can_apply": actor is not None and admin_roles_access.can_apply_for_school_admin(actor)}


@register.inclusion_tag("orgs/_home_system_requests.html", takes_context=True)
def my_system_requests(context) -> dict:
    """A school admin's recent school system requests with their outcome (ORG-6)."""
    actor = context.get("actor")
    if actor is None or not tenants_access.can_request_system_change(actor):
        return {"requests": []}
    return {"requests": system_requests(actor, status=None)[:3], "school_id": actor.identity.school_id}
