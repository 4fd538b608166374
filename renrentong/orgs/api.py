from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Router

from renrentong.core.schemas import ERRORS
from renrentong.orgs import selectors, services
from renrentong.orgs.policy import EffectivePolicy, weak_rules_of
from renrentong.orgs.schemas import PolicyIn, PolicyOut, RegionOut
from renrentong.orgs.structure import api as structure_api
from renrentong.orgs.tenants import api as tenants_api

router = Router(tags=["orgs"])


def region_out(region) -> RegionOut:
    return RegionOut(id=region.pk, kind=region.kind, name=region.name, code=region.code, parent_id=region.parent_id)


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="Regions within my scope")
def regions(request: HttpRequest):
    return [region_out(r) for r in selectors.visible_regions(request.auth)]


@router.get("/regions/{region_id}", response={200: RegionOut, **ERRORS}, summary="One region within my scope")
def region(request: HttpRequest, region_id: int):
    return region_out(selectors.region_in_scope(request.auth, region_id))


def policy_out(policy: EffectivePolicy) -> PolicyOut:
    return PolicyOut(**asdict(policy), weak_initial_rules=weak_rules_of(policy))


@router.get("/policy", response={200: PolicyOut, **ERRORS},
            summary="Account settings in force for my region or school (admins)")
def get_policy(request: HttpRequest):
    return policy_out(services.effective_policy(request.auth))


@router.patch("/policy", response={200: PolicyOut, **ERRORS},
              summary="Change my region's settings, or my school's overrides (school admins)")
def patch_policy(request: HttpRequest, body: PolicyIn):
    return policy_out(services.update_policy(request.auth, body.dict(exclude_none=True)))


# The rooms' endpoints, under the same /orgs paths; school admin roles and class members are accounts'
# (mounted under /orgs in renrentong/api.py).
router.add_router("", structure_api.router)
router.add_router("", tenants_api.router)
