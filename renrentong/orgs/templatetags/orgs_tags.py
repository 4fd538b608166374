"""The home page's view of one's own applications (ADM-6): `{% load orgs_tags %}{% my_applications %}`."""

from django import template

from renrentong.orgs.admin_roles.services import my_applications as applications_of
from renrentong.orgs.models import Decision

register = template.Library()


@register.inclusion_tag("orgs/_home_applications.html", takes_context=True)
def my_applications(context) -> dict:
    actor = context.get("actor")
    identity = actor.identity if actor else None
    applications = applications_of(actor.account) if actor else []
    return {"applications": applications, "pending": Decision.PENDING, "csrf_token": context.get("csrf_token"),
            "can_apply": identity is not None and identity.kind == "teacher"}


@register.inclusion_tag("orgs/_home_system_requests.html", takes_context=True)
def my_system_requests(context) -> dict:
    """A school admin's recent school system requests with their outcome (ORG-6)."""
    from renrentong.orgs.tenants.services import system_requests

    actor = context.get("actor")
    if actor is None or actor.identity is None or actor.identity.kind != "school_admin":
        return {"requests": []}
    return {"requests": system_requests(actor, status=None)[:3], "school_id": actor.identity.school_id}
