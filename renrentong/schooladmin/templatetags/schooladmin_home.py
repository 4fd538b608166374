"""What the home pages show of transfers and class changes: a person's transfer outcome (ADM-5) and class change
requests. Tags, so the home pages need one line each and no view changes. (The school admin's waiting approvals
are on the dashboard: home.selectors.approvals_waiting.)"""

from __future__ import annotations

from django import template

from renrentong.keyinfo import access as keyinfo_access
from renrentong.schooladmin.class_changes import access as class_change_access
from renrentong.schooladmin.class_changes import services as class_changes
from renrentong.schooladmin.transfers import access as transfer_access
from renrentong.schooladmin.transfers import services as transfers

register = template.Library()


@register.inclusion_tag("schooladmin/transfer_status.html", takes_context=True)
def transfer_status(context, requests: bool = True) -> dict:
    """The transfer card; `requests=False` leaves out the requests (the parent's home shows them per child)."""
    actor = context["request"].actor
    return {"requests": transfers.own_transfers(actor, limit=5) if requests else [],
            "can_apply": transfer_access.can_request(actor),
            "keyinfo_link": keyinfo_access.may_propose(actor)}


@register.inclusion_tag("schooladmin/class_change_card.html", takes_context=True)
def class_change_card(context) -> dict:
    """Students ask for a class change from their home page; school admins and head teachers see how
    many requests wait (issue 10)."""
    actor = context["request"].actor
    if class_change_access.can_ask(actor):
        latest = class_changes.requests_in_scope(actor).order_by("-created_at", "-pk").first()
        return {"show": True, "student": True, "latest": latest}
    if class_change_access.follows_queue(actor):
        return {"show": True, "student": False, "waiting": class_changes.pending_count(actor)}
    return {"show": False}
