"""A school's network addresses (issue 10 item 4): the public addresses or CIDRs its NAT logs in from,
with a higher threshold before a login from there needs the challenge (throttle.py). A school admin
registers them for their own school, a region admin for the schools below them; every change is audited."""

from __future__ import annotations

import ipaddress

from django.db import transaction

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School

from .models import Identity, SchoolNetwork

MIN_THRESHOLD = 30
MAX_THRESHOLD = 20_000
# A school's exit addresses are a handful; a wider block would lift the threshold for strangers too.
WIDEST_V4, WIDEST_V6 = 24, 48


def school_for(actor: Actor, school_id: int) -> School:
    """The school whose addresses the actor may manage, or a refusal that names who can."""
    identity = actor.require_identity()
    if identity.kind not in (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN):
        raise UserFacingError("networks.not_allowed")
    school = actor.scope.schools(School.objects.all()).filter(pk=school_id).first()
    if school is None:
        raise UserFacingError("networks.not_found")
    return school


def school_id_by_code(actor: Actor, code: str) -> int:
    """A region admin names the school by its code; one outside their scope is not found."""
    school = actor.scope.schools(School.objects.all()).filter(code=code.strip()[:16]).first()
    if school is None:
        raise UserFacingError("networks.not_found")
    return school.pk


def networks_of(actor: Actor, school_id: int) -> list[SchoolNetwork]:
    return list(SchoolNetwork.objects.filter(school=school_for(actor, school_id)).order_by("network"))


def normalise(value: str) -> str:
    text = (value or "").strip()
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise UserFacingError("networks.invalid_address", value=text[:64]) from None
    widest = WIDEST_V4 if network.version == 4 else WIDEST_V6
    if network.prefixlen < widest:
        raise UserFacingError("networks.too_wide", value=str(network), limit=widest)
    return str(network)


@transaction.atomic
def add_network(actor: Actor, school_id: int, network: str, threshold: int, note: str = "") -> SchoolNetwork:
    school = school_for(actor, school_id)
    value = normalise(network)
    if not isinstance(threshold, int) or not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise UserFacingError("networks.invalid_threshold", min=MIN_THRESHOLD, max=MAX_THRESHOLD)
    row, created = SchoolNetwork.objects.update_or_create(
        school=school, network=value, defaults={"threshold": threshold, "note": (note or "").strip()[:100]})
    audit.record(actor, "login_network.add" if created else "login_network.change", row,
                 {"network": value, "threshold": threshold}, school_id=school.pk)
    return row


@transaction.atomic
def remove_network(actor: Actor, network_id: int) -> None:
    row = SchoolNetwork.objects.select_for_update().filter(pk=network_id).first()
    if row is None:
        raise UserFacingError("networks.not_found")
    school_for(actor, row.school_id)
    audit.record(actor, "login_network.remove", row, {"network": row.network, "threshold": row.threshold},
                 school_id=row.school_id)
    row.delete()
