"""API of logging in (AUTH-1), the identity switch, tokens (AUTH-7, AUTH-8) and school login networks."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Status

from renrentong.core.actor import Actor
from renrentong.core.masking import mask_phone
from renrentong.core.schemas import ERRORS, MAX_ID, ErrorOut
from renrentong.core.web.client import client_address

from renrentong.accounts.login import networks, services
from renrentong.accounts.login.auth import initial_token_auth
from renrentong.accounts.login.schemas import (
    IdentityOut, LoginChallengeIn, LoginChallengeOut, LoginIn, LoginOut, MeOut, SchoolNetworkIn, SchoolNetworkOut,
    ScopeOut, SwitchIdentityIn, identities_out, identity_out, login_out,
)

router = Router(tags=["accounts"])


# 503 service.busy: the cache is unreachable and the login fails closed (throttle.ensure_cache).
@router.post("/auth/login", auth=None, response={200: LoginOut, **ERRORS, 503: ErrorOut},
             summary="Log in and get a bearer token")
def login(request: HttpRequest, body: LoginIn):
    outcome = services.log_in(body.identifier, body.password, source=client_address(request), channel="api",
                              challenge=body.challenge)
    return login_out(outcome, services.issue_token(outcome))


@router.post("/auth/challenge", auth=None, response={200: LoginChallengeOut, **ERRORS},
             summary="A proof-of-work challenge, to solve and send with a login answered login.challenge_required")
def login_challenge(request: HttpRequest, body: LoginChallengeIn):
    return LoginChallengeOut(**services.login_challenge(body.identifier))


@router.post("/auth/logout", auth=initial_token_auth, response={204: None, **ERRORS}, summary="End this token")
def logout(request: HttpRequest):
    services.revoke_token(request.api_token)
    return Status(204, None)


@router.get("/me", auth=initial_token_auth, response={200: MeOut, **ERRORS}, summary="Who I am and what I may see")
def me(request: HttpRequest):
    actor: Actor = request.auth
    account = actor.account
    scope = actor.scope
    return MeOut(
        account_number=account.number,
        name=account.person.name if account.person_id else "",
        status=account.status,
        phone=mask_phone(account.phone or ""),
        id_number=account.person.id_number_masked if account.person_id else "",
        must_change_password=request.api_token.must_change_password,
        identity=identity_out(actor.identity) if actor.identity else None,
        identities=identities_out(account),
        scope=ScopeOut(kind=scope.kind, region_ids=sorted(scope.region_ids), school_ids=sorted(scope.school_ids),
                       class_ids=sorted(scope.class_ids), person_ids=sorted(scope.person_ids)),
    )


@router.get("/me/identities", auth=initial_token_auth, response={200: list[IdentityOut], **ERRORS},
            summary="The identities of my account")
def my_identities(request: HttpRequest):
    return identities_out(request.auth.account)


@router.post("/me/identity", response={200: IdentityOut, **ERRORS}, summary="Switch the identity this token acts as")
def switch_identity(request: HttpRequest, body: SwitchIdentityIn):
    identity = services.switch_identity(request.auth, body.identity_id)
    services.switch_token_identity(request.api_token, identity)
    return identity_out(identity)


def network_out(row) -> SchoolNetworkOut:
    return SchoolNetworkOut(id=row.pk, school_id=row.school_id, network=row.network, threshold=row.threshold,
                            note=row.note)


@router.get("/schools/{school_id}/login-networks", response={200: list[SchoolNetworkOut], **ERRORS},
            summary="The school's registered network addresses (school admin of the school, region admins above)")
def school_networks(request: HttpRequest, school_id: int = Path(..., ge=1, le=MAX_ID)):
    return [network_out(row) for row in networks.networks_of(request.auth, school_id)]


@router.post("/schools/{school_id}/login-networks", response={201: SchoolNetworkOut, **ERRORS},
             summary="Register (or change the threshold of) a school's NAT address; audited")
def add_school_network(request: HttpRequest, body: SchoolNetworkIn, school_id: int = Path(..., ge=1, le=MAX_ID)):
    row = networks.add_network(request.auth, school_id, body.network, body.threshold, body.note)
    return Status(201, network_out(row))


@router.delete("/login-networks/{network_id}", response={204: None, **ERRORS},
               summary="Remove a school's registered network address; audited")
def remove_school_network(request: HttpRequest, network_id: int = Path(..., ge=1, le=MAX_ID)):
    networks.remove_network(request.auth, network_id)
    return Status(204, None)
