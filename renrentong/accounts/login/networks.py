"""A school's network addresses (issue 10 item 4): the public addresses or CIDRs its NAT logs in from,
with a higher threshold before a login from there needs the challenge (throttle.py). A school admin
registers them for their own school, a region admin for the schools below them; every change is audited."""

from __future__ import annotations

import ipaddress

from django.db import transaction

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError, in_language
from renrentong.orgs.models import School
from renrentong.orgs.selectors import school_for

from renrentong.accounts.models import Identity, SchoolNetwork

MIN_THRESHOLD = 30
MAX_THRESHOLD = 20_000  # a region admin's ceiling
# A school admin's ceiling: one compromised school admin must not be able to lift an address (theirs or an
# attacker's) to the platform's highest threshold; a region admin above the school may set more.
SCHOOL_ADMIN_MAX_THRESHOLD = 3_000
# A school's exit addresses are a handful; more rows is a school admin exempting ranges that are not theirs.
MAX_NETWORKS_PER_SCHOOL = 8
# A school's exit addresses are a handful; a wider block would lift the threshold for strangers too.
WIDEST_V4, WIDEST_V6 = 24, 48


def max_threshold_for(identity: Identity | None) -> int:
    from renrentong.accounts.login.access import sets_region_thresholds

    return MAX_THRESHOLD if sets_region_thresholds(identity) else SCHOOL_ADMIN_MAX_THRESHOLD


def block_of(address: ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress.IPv4Network
             | ipaddress.IPv6Network) -> str:
    """The widest block a registered network may be (/24, /48) holding the address or network: every
    registered network that contains an address has the address's block, so a login looks up one key."""
    if isinstance(address, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        address = address.network_address
    widest = WIDEST_V4 if address.version == 4 else WIDEST_V6
    return str(ipaddress.ip_network(f"{address}/{widest}", strict=False))


# Why an address is not one a school's NAT can log in from (zh, en); checked in this order.
_NOT_PUBLIC = (
    ("is_unspecified", "未指定地址", "the unspecified address"),
    ("is_loopback", "本机回环地址", "a loopback address"),
    ("is_link_local", "链路本地地址", "a link-local address"),
    ("is_multicast", "组播地址", "a multicast address"),
    ("is_reserved", "保留地址", "a reserved address"),
    ("is_private", "内网或专用地址(含文档示例地址)", "a private or special-purpose address (documentation ranges included)"),
)


class _Why:
    """The reason in the language the message is shown in (both texts take the same placeholder)."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en

    def __str__(self) -> str:
        return in_language(self.zh, self.en)


def _refuse_non_public(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> None:
    for attribute, zh, en in _NOT_PUBLIC:
        if getattr(network, attribute) or getattr(network.network_address, attribute) \
                or getattr(network.broadcast_address, attribute):
            raise UserFacingError("networks.not_public", value=str(network), kind=_Why(zh, en))
    # Shared address space (100.64.0.0/10, carrier NAT) and whatever else the registry marks non-global.
    if not (network.network_address.is_global and network.broadcast_address.is_global):
        raise UserFacingError("networks.not_public", value=str(network),
                              kind=_Why("非公网地址", "not a public address"))


def school_id_by_code(actor: Actor, code: str) -> int:
    """A region admin names the school by its code; one outside their scope is not found."""
    school = actor.scope.schools(School.objects.all()).filter(code=code.strip()[:16]).first()
    if school is None:
        raise UserFacingError("networks.not_found")
    return school.pk


def networks_of(actor: Actor, school_id: int) -> list[SchoolNetwork]:
    school = school_for(actor, school_id, not_allowed="networks.not_allowed", not_found="networks.not_found")
    return list(SchoolNetwork.objects.filter(school=school).order_by("network"))


def normalise(value: str) -> str:
    text = (value or "").strip()
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise UserFacingError("networks.invalid_address", value=text[:64]) from None
    widest = WIDEST_V4 if network.version == 4 else WIDEST_V6
    if network.prefixlen < widest:
        raise UserFacingError("networks.too_wide", value=str(network), limit=widest)
    _refuse_non_public(network)
    return str(network)


@transaction.atomic
def add_network(actor: Actor, school_id: int, network: str, threshold: int, note: str = "") -> SchoolNetwork:
    school = school_for(actor, school_id, not_allowed="networks.not_allowed", not_found="networks.not_found")
    value = normalise(network)
    ceiling = max_threshold_for(actor.identity)
    if not isinstance(threshold, int) or not MIN_THRESHOLD <= threshold <= ceiling:
        raise UserFacingError("networks.invalid_threshold", min=MIN_THRESHOLD, max=ceiling)
    # The school's row is locked so that parallel additions cannot both pass the count.
    School.objects.select_for_update().filter(pk=school.pk).first()
    rows = SchoolNetwork.objects.filter(school=school)
    if not rows.filter(network=value).exists() and rows.count() >= MAX_NETWORKS_PER_SCHOOL:
        raise UserFacingError("networks.too_many", limit=MAX_NETWORKS_PER_SCHOOL)
    row, created = SchoolNetwork.objects.update_or_create(
        school=school, network=value,
        defaults={"threshold": threshold, "note": (note or "").strip()[:100],
                  "block": block_of(ipaddress.ip_network(value))})
    audit.record(actor, "login_network.add" if created else "login_network.change", row,
                 {"network": value, "threshold": threshold}, school_id=school.pk)
    return row


@transaction.atomic
def remove_network(actor: Actor, network_id: int) -> None:
    row = SchoolNetwork.objects.select_for_update().filter(pk=network_id).first()
    if row is None:
        raise UserFacingError("networks.not_found")
    school_for(actor, row.school_id, not_allowed="networks.not_allowed", not_found="networks.not_found")
    audit.record(actor, "login_network.remove", row, {"network": row.network, "threshold": row.threshold},
                 school_id=row.school_id)
    row.delete()


def networks_for_page(actor: Actor, code: str) -> tuple[int | None, list, UserFacingError | None]:
    """The school whose addresses the networks page shows (a school admin's own, or the one a region admin
    named by code), its rows, or no school and the refusal the page shows."""
    from renrentong.accounts.login.access import can_manage_networks, own_network_school_id

    try:
        if not can_manage_networks(actor):
            raise UserFacingError("networks.not_allowed")
        school_id = own_network_school_id(actor)
        if school_id is None and code:
            school_id = school_id_by_code(actor, code)
        return school_id, (networks_of(actor, school_id) if school_id is not None else []), None
    except UserFacingError as refusal:
        return None, [], refusal
