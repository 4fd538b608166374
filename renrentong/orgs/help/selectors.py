"""Reads of the FAQ and the support contacts (HELP-2): public, nearest region first."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError

from renrentong.core.actor import Actor
from renrentong.orgs.models import FaqEntry, Region
from renrentong.orgs.policy import region_contact


@dataclass(frozen=True)
class RegionHelp:
    region: Region
    entries: list[FaqEntry]


def chain_of(region: Region | None) -> list[Region]:
    """The region and those above it, nearest first; with none, the platform's top regions."""
    if region is None:
        return list(Region.objects.filter(parent__isnull=True).order_by("code"))
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return chain


def region_of(actor: Actor | None) -> Region | None:
    """Where a user's help comes from: a region admin's region, else the district of the home school."""
    if actor is None:
        return None
    identity = actor.identity
    if identity is not None and identity.region_id:
        return identity.region
    school = actor.account.home_school if actor.account.home_school_id else None
    return school.district if school is not None else None


def public_region(region_id: int | None) -> Region | None:
    """A region anyone may name: the tree of regions is public, as its FAQ is."""
    return Region.objects.filter(pk=region_id).select_related("parent").first() if region_id else None


def help_for(region: Region | None) -> list[RegionHelp]:
    """The FAQ a region's users read: their region's entries, then each region's above it."""
    chain = chain_of(region)
    by_region: dict[int, list[FaqEntry]] = {r.pk: [] for r in chain}
    for entry in FaqEntry.objects.filter(region__in=chain):
        by_region[entry.region_id].append(entry)
    return [RegionHelp(r, by_region[r.pk]) for r in chain]


def contact_of(sections: list[RegionHelp]) -> str:
    """The nearest contact along the chain help_for has read (orgs.policy.region_contact, without walking
    up the tree again)."""
    return next((s.region.support_contact for s in sections if s.region.support_contact), "")


def visitor_contact() -> str:
    """The platform's contact for a page anyone opens (the login page), which must still answer without the
    database: the login itself then fails closed with its own message."""
    try:
        return region_contact(None)
    except DatabaseError:
        return ""


def regions_to_choose() -> list[Region]:
    """Regions a visitor may pick on the public FAQ page (the tree's order: province, its cities, ...)."""
    return list(Region.objects.order_by("code"))
