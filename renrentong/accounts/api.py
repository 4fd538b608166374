from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Status

from renrentong.core.actor import Actor
from renrentong.core.masking import mask_phone
from renrentong.core.schemas import ERRORS, MAX_ID, ErrorOut, require_json_object
from renrentong.core.web.client import client_address

from renrentong.accounts import selectors, services

from renrentong.accounts.login import networks
from renrentong.accounts.login.auth import initial_token_auth
from renrentong.accounts.models import Identity
from renrentong.accounts.schemas import (
    IdentityOut, IdNumberOut, LoginChallengeIn, LoginChallengeOut, LoginIn, LoginOut, MeOut,
    NationalStudentNumberOut, PasswordChangeIn, PersonOut, SchoolNetworkIn, SchoolNetworkOut, ScopeOut,
    SwitchIdentityIn,
)

router = Router(tags=["accounts"])


def identity_out(identity: Identity) -> IdentityOut:
    return IdentityOut(id=identity.pk, kind=identity.kind, label=identity.label(),
                       school_id=identity.school_id, region_id=identity.region_id)


def identities_out(actor_account) -> list[IdentityOut]:
    return [identity_out(i) for i in selectors.identities_of(actor_account)]


# 503 service.busy: the cache is unreachable and the login fails closed (throttle.ensure_cache).
@router.post("/auth/login", auth=None, response={200: LoginOut, **ERRORS, 503: ErrorOut},
             summary="Log in and get a bearer token")
def login(request: HttpRequest, body: LoginIn):
    outcome = services.log_in(body.identifier, body.password, source=client_address(request), channel="api",
                              challenge=body.challenge)
    token = services.issue_token(outcome)
    return LoginOut(
        token=token,
        account_number=outcome.account.number,
        must_change_password=outcome.must_change_password,
        identity=identity_out(outcome.identity) if outcome.identity else None,
        identities=identities_out(outcome.account),
    )


@router.post("/auth/challenge", auth=None, response={200: LoginChallengeOut, **ERRORS},
             summary="A proof-of-work challenge, to solve and send with a login answered login.challenge_required")
def login_challenge(request: HttpRequest, body: LoginChallengeIn):
    require_json_object(request)
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
    token = request.api_token
    token.identity = identity
    token.save(update_fields=["identity"])
    return identity_out(identity)


@router.post("/me/password", auth=initial_token_auth, response={204: None, **ERRORS},
             summary="Change my password; ends my other sessions and tokens")
def change_password(request: HttpRequest, body: PasswordChangeIn):
    account = services.change_password(request.auth, body.current_password, body.new_password, body.repeat_password)
    token = request.api_token
    token.epoch = account.credentials_epoch
    token.must_change_password = False
    token.save(update_fields=["epoch", "must_change_password"])
    return Status(204, None)


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="A person within my scope")
def person(request: HttpRequest, person_id: int):
    found = selectors.person_in_scope(request.auth, person_id)
    enrollment = selectors.current_enrollment(found.pk)
    account = getattr(found, "account", None)
    return PersonOut(
        id=found.pk, name=found.name, sex=found.sex, id_number=found.id_number_masked,
        account_number=account.number if account else "",
        school_id=enrollment.school_id if enrollment else None,
        class_id=enrollment.school_class_id if enrollment else None,
    )


@router.get("/people/{person_id}/id-number", response={200: IdNumberOut, **ERRORS},
            summary="A person's full ID number (admins only; every read is audited)")
def person_id_number(request: HttpRequest, person_id: int):
    return IdNumberOut(id_number=services.reveal_id_number(request.auth, person_id))


@router.get("/people/{person_id}/national-student-number", response={200: NationalStudentNumberOut, **ERRORS},
            summary="A student's full national student number (admins only; every read is audited)")
def person_national_student_number(request: HttpRequest, person_id: int):
    return NationalStudentNumberOut(
        national_student_number=services.reveal_national_student_number(request.auth, person_id))


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
