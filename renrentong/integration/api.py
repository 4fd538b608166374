"""Apps that sign users in through the platform, registered by province and city admins (INT-1)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Path, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID, Schema

from renrentong.integration import selectors, services

router = Router(tags=["apps"])
Id = Path(..., ge=1, le=MAX_ID)


class AppIn(Schema):
    region_id: int = Field(..., ge=1, le=MAX_ID, description="The app serves this region and every region below it")
    name: str = Field(..., max_length=200)
    redirect_uris: list[str] = Field(..., min_length=1, max_length=10)
    post_logout_redirect_uris: list[str] = Field([], max_length=10)
    backchannel_logout_uri: str = Field("", max_length=512)
    claims: list[str] = Field([], max_length=8, description="Of name, role, school, class (with the profile scope)")
    school_ids: list[int] = Field([], max_length=10000, description="Empty: every school of the region")
    roster_scopes: list[str] = Field([], max_length=3, description="OneRoster REST scopes for the app's own token: "
                                     "roster-core.readonly, roster.readonly, roster-demographics.readonly")


class AppOut(Schema):
    id: int
    client_id: str
    name: str
    region_id: int
    region: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    backchannel_logout_uri: str
    claims: list[str]
    school_ids: list[int]
    roster_scopes: list[str]
    active: bool
    created: datetime


class RegisteredOut(AppOut):
    client_secret: str = Field(description="Shown this once; only its keyed hash is kept")


class ActiveIn(Schema):
    active: bool


def app_out(app, **extra) -> dict:
    return dict(id=app.pk, client_id=app.client_id, name=app.name, region_id=app.region_id, region=app.region.name,
                redirect_uris=app.redirect_uris.split(),
                post_logout_redirect_uris=app.post_logout_redirect_uris.split(),
                backchannel_logout_uri=app.backchannel_logout_uri, claims=app.claims,
                school_ids=sorted(s.pk for s in app.schools.all()), roster_scopes=app.roster_scopes,
                active=app.active, created=app.created, **extra)


@router.get("", response={200: list[AppOut], **ERRORS}, summary="The apps registered in my region (province and "
            "city admins)")
def list_apps(request: HttpRequest):
    return [AppOut(**app_out(app)) for app in selectors.apps_of(request.auth)]


@router.post("", response={201: RegisteredOut, **ERRORS}, summary="Register an app that signs users in through "
             "the platform (OpenID Connect); the answer holds its client secret, shown this once")
def register(request: HttpRequest, body: AppIn):
    app, secret = services.register_app(request.auth, **body.dict())
    return Status(201, RegisteredOut(**app_out(app, client_secret=secret)))


@router.put("/{app_id}/active", response={200: AppOut, **ERRORS},
            summary="Suspend an app (its tokens stop working at once) or resume it")
def set_active(request: HttpRequest, body: ActiveIn, app_id: int = Id):
    return AppOut(**app_out(services.set_active(request.auth, app_id, body.active)))


class AllowedOut(Schema):
    app_id: int
    app: str
    identity: str = Field(description="Who the app signs the user in as")
    claims: list[str]
    allowed_at: datetime


@router.get("/allowed", response={200: list[AllowedOut], **ERRORS},
            summary="The apps I allowed to sign me in without asking again (any signed-in user)")
def list_allowed(request: HttpRequest):
    return [AllowedOut(app_id=c.app_id, app=c.app.name, identity=c.identity.label(), claims=c.claims,
                       allowed_at=c.allowed_at) for c in selectors.consents_of(request.auth)]


@router.delete("/allowed/{app_id}", response={204: None, **ERRORS},
               summary="Withdraw an app I allowed: it is signed out of my account everywhere and asks next time")
def withdraw_allowed(request: HttpRequest, app_id: int = Id):
    services.withdraw_consent(request.auth, app_id)
    return Status(204, None)
