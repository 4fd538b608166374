"""Reads for the apps that sign users in through the platform (INT-1): which schools an app serves, which of
a user's identities it may sign in, and what it learns about them (minimal claims, a pairwise subject)."""

from __future__ import annotations

import base64
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from renrentong.core.actor import Actor
from renrentong.core.crypto import lookup_digest
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import Region

from renrentong.accounts.access import actor_for
from renrentong.accounts.models import Account, Identity
from renrentong.accounts.selectors import (children_of, classes_of_teacher, current_enrollment, identities_of,
                                           region_descendants)
from renrentong.integration import access
from renrentong.integration.models import REQUEST_APP, App, Consent

# The claims an app may be granted beyond `sub`; each needs the `profile` scope as well.
CLAIMS = ("name", "role", "school", "class")
# The OneRoster REST scopes an app may be granted for its own token (INT-3): core rosters, all of them with
# demographics, demographics alone.
ROSTER_SCOPES = ("roster-core.readonly", "roster.readonly", "roster-demographics.readonly")


@dataclass(frozen=True)
class Served:
    region_ids: frozenset[int]  # the app's region and every region below it
    school_ids: frozenset[int] | None  # None: every school of those regions

    def has_school(self, school) -> bool:
        if school is None:
            return False
        if self.school_ids is not None:
            return school.pk in self.school_ids
        return school.district_id in self.region_ids


def require_registrar(actor: Actor) -> None:
    actor.require_identity()
    if not access.can_register_apps(actor):
        raise UserFacingError("apps.not_allowed")


def app_in_scope(actor: Actor, app_id: int) -> App:
    """An app registered in the actor's regions, for a registrar; another is "not found"."""
    require_registrar(actor)
    app = App.objects.filter(pk=app_id, region__in=actor.scope.regions(Region.objects.all())).first()
    if app is None:
        raise UserFacingError("scope.not_found")
    return app


def apps_of(actor: Actor) -> list[App]:
    """The apps registered in the actor's regions (the apps page), for a registrar."""
    require_registrar(actor)
    return list(App.objects.filter(region__in=actor.scope.regions(Region.objects.all())).select_related("region")
                .prefetch_related("schools").order_by("pk"))


def active_app(client_id: str) -> App | None:
    return App.objects.filter(client_id=client_id, active=True).select_related("region").first()


def registered_redirect_uri(client_id: str, redirect_uri: str) -> str | None:
    """`redirect_uri` when it is one the active app `client_id` registered, else None."""
    if not client_id or not redirect_uri:
        return None
    app = active_app(client_id)
    return redirect_uri if app is not None and app.redirect_uri_allowed(redirect_uri) else None


@contextmanager
def app_of_request(client_id: str) -> Iterator[App | None]:
    """The active app named by client_id, read once for a request of the authorization page: within the block the
    toolkit's own reads of it by client_id are answered with it (models.AppManager)."""
    app = active_app(client_id)
    token = REQUEST_APP.set(app)
    try:
        yield app
    finally:
        REQUEST_APP.reset(token)


def served_by(app: App) -> Served:
    schools = frozenset(app.schools.values_list("pk", flat=True))
    return Served(frozenset(r.pk for r in region_descendants(app.region)), schools or None)


def _serves(served: Served, identity: Identity) -> bool:
    if access.is_region_admin(identity):
        return identity.region_id in served.region_ids
    if access.is_guardian(identity):
        return any(served.has_school(child.school) for child in children_of(actor_for(identity.account, identity)))
    return served.has_school(identity.school)


def identities_for(app: App, account: Account) -> list[Identity]:
    """The account's identities the app serves, in the account's own order: the choices on the consent page."""
    served = served_by(app)
    return [identity for identity in identities_of(account) if _serves(served, identity)]


def remembered_identity(app: App, account: Account, eligible: list[Identity], scopes: set[str]) -> Identity | None:
    """The identity a returning user signs in to the app as without the consent page: the one they allowed before,
    when it is still the only one the app serves them as, the request asks for no more scopes than they allowed,
    and the app has been granted no claims since. Anything else (a second identity, ACC-1) shows the page."""
    if len(eligible) != 1:
        return None
    consent = Consent.objects.filter(account=account, app=app, identity=eligible[0]).first()
    if consent is None or not scopes <= set(consent.scopes.split()) or not set(app.claims) <= set(consent.claims):
        return None
    return eligible[0]


def consents_of(actor: Actor) -> list[Consent]:
    """The apps the actor's account allowed to sign it in without asking (the page of apps they allowed)."""
    return list(Consent.objects.filter(account=actor.account).select_related("app", "identity__school",
                                                                            "identity__region")
                .order_by("-allowed_at", "pk"))


def pairwise_subject(app: App, account_id: int) -> str:
    """The `sub` an app knows the account by: a keyed digest of (app, account), so two apps' subjects for one
    child cannot be matched. Base32 (letters and 2-7), so it never reads as a phone or an ID number."""
    digest = bytes.fromhex(lookup_digest("oidc-sub", f"{app.client_id}:{account_id}"))[:20]
    return base64.b32encode(digest).decode().lower()


def same_subject(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _class_name(school_class) -> str:
    return school_class.display_name() if school_class is not None else ""


def _school(school) -> dict:
    return {"code": school.code, "name": school.name}


def claims_for(app: App, identity: Identity, scopes) -> dict:
    """What the app learns about the identity: only the claims it was granted, and only with `profile`.
    Never an ID number, a student number or a phone; a parent's children only where the app serves them."""
    if "profile" not in scopes:
        return {}
    granted = set(app.claims)
    account = identity.account
    claims: dict = {}
    if "name" in granted and account.person_id:
        claims["name"] = account.person.name
    if "role" in granted:
        claims["role"] = access.role_of(identity)
    actor = actor_for(account, identity)
    if access.is_guardian(identity):
        served = served_by(app)
        children = []
        for child in children_of(actor):
            if not served.has_school(child.school):
                continue
            entry = {"name": child.person.name} if "name" in granted else {}
            if "school" in granted:
                entry["school"] = _school(child.school)
            if "class" in granted:
                entry["class"] = _class_name(child.school_class)
            children.append(entry)
        if granted & {"name", "school", "class"}:
            claims["children"] = children
        return claims
    if access.is_region_admin(identity):
        if "school" in granted:
            claims["region"] = {"code": identity.region.code, "name": identity.region.name}
        return claims
    if "school" in granted and identity.school_id:
        claims["school"] = _school(identity.school)
    if "class" in granted:
        if access.is_student(identity):
            enrollment = current_enrollment(account.person_id)
            claims["class"] = _class_name(enrollment.school_class if enrollment else None)
        elif access.is_teacher(identity):
            claims["classes"] = [_class_name(c) for c, _subjects, _head in classes_of_teacher(actor)]
    return claims
