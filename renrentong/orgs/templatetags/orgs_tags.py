"""The home page's school system requests (ORG-6): `{% load orgs_tags %}{% my_system_requests %}`.
One's own school admin applications are accounts' tag library admin_roles_tags."""

from django import template

from renrentong.orgs.tenants import access as tenants_access
from renrentong.orgs.tenants.services import system_requests

register = template.Library()


@register.inclusion_tag("orgs/_home_system_requests.html", takes_context=True)
def my_system_requests(context) -> dict:
    """A school admin's recent school system requests with their outcome (ORG-6)."""
    actor = context.get("actor")
    if actor is None or not tenants_access.can_request_system_change(actor):
        return {"requests": []}
    return {"requests": system_requests(actor, status=None)[:3], "school_id": actor.identity.school_id}
