"""Registering the apps that sign users in through the platform (INT-1). A province or city admin registers an
app for their region (and every region below), optionally for some schools only, with the claims it may
receive; the client secret is shown once and kept only as a keyed hash (hashers.py). Each change is audited."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.text import clean_text
from renrentong.orgs.models import School
from renrentong.orgs.selectors import region_in_scope

from renrentong.accounts.selectors import region_descendants
from renrentong.integration import tasks
from renrentong.integration.models import App, Consent
from renrentong.integration.selectors import CLAIMS, ROSTER_SCOPES, app_in_scope, require_registrar

NAME_MAX = 64
LOOPBACK = {"127.0.0.1", "localhost", "::1"}  # as urlsplit gives the host: no brackets


def _uri(uri: str) -> str:
    """An absolute https URI without a fragment (RFC 6749 3.1.2); plain http only to this machine while developing."""
    uri = (uri or "").strip()
    parts = urlsplit(uri)
    local = settings.DEBUG and parts.scheme == "http" and parts.hostname in LOOPBACK
    if not parts.netloc or parts.fragment or (parts.scheme != "https" and not local) or len(uri) > 512:
        raise UserFacingError("apps.redirect_uri_invalid", uri=uri[:120])
    return uri


@transaction.atomic
def register_app(actor: Actor, *, region_id: int, name: str, redirect_uris: list[str],
                 post_logout_redirect_uris: list[str] = (), backchannel_logout_uri: str = "",
                 claims: list[str] = (), school_ids: list[int] = (), school_codes: list[str] = (),
                 roster_scopes: list[str] = ()) -> tuple[App, str]:
    """The new app and its client secret, which is never shown again. Schools by id (API) or code (page)."""
    require_registrar(actor)
    region = region_in_scope(actor, region_id)
    name = " ".join(clean_text(name).split())
    if not name or len(name) > NAME_MAX:
        raise UserFacingError("apps.name_required", limit=NAME_MAX)
    if not redirect_uris:
        raise UserFacingError("apps.redirect_uri_invalid", uri="")
    for claim in claims:
        if claim not in CLAIMS:
            raise UserFacingError("apps.claims_unknown", claim=str(claim)[:32], allowed=", ".join(CLAIMS))
    for scope in roster_scopes:
        if scope not in ROSTER_SCOPES:
            raise UserFacingError("apps.claims_unknown", claim=str(scope)[:32], allowed=", ".join(ROSTER_SCOPES))
    regions = [r.pk for r in region_descendants(region)]
    schools = list(School.objects.filter(pk__in=set(school_ids), district_id__in=regions))
    outside = set(school_ids) - {s.pk for s in schools}
    if outside:
        raise UserFacingError("apps.school_outside_region", school=min(outside))
    if school_codes:
        by_code = {s.code: s for s in School.objects.filter(code__in=set(school_codes), district_id__in=regions)}
        unknown = sorted(set(school_codes) - by_code.keys())
        if unknown:
            raise UserFacingError("apps.school_outside_region", school=unknown[0][:16])
        schools += [s for s in by_code.values() if s not in schools]
    secret = generate_client_secret()
    app = App.objects.create(
        name=name, region=region, client_type=App.CLIENT_CONFIDENTIAL,
        authorization_grant_type=App.GRANT_AUTHORIZATION_CODE, algorithm=App.RS256_ALGORITHM,
        redirect_uris=" ".join(_uri(u) for u in redirect_uris),
        post_logout_redirect_uris=" ".join(_uri(u) for u in post_logout_redirect_uris),
        backchannel_logout_uri=_uri(backchannel_logout_uri) if backchannel_logout_uri else "",
        client_secret=secret, hash_client_secret=True, claims=list(dict.fromkeys(claims)),
        roster_scopes=list(dict.fromkeys(roster_scopes)), registered_by=actor.account)
    app.schools.set(schools)
    audit.record(actor, "apps.register", app, {"name": name, "region": region.pk, "client_id": app.client_id,
                                                "claims": app.claims, "roster_scopes": app.roster_scopes,
                                                "schools": sorted(s.pk for s in schools)})
    return app, secret


@transaction.atomic
def set_active(actor: Actor, app_id: int, active: bool) -> App:
    """Suspend an app (its tokens stop working at once: App.is_usable) or resume it."""
    app = app_in_scope(actor, app_id)
    if app.active != active:
        app.active = active
        app.save(update_fields=["active"])
        audit.record(actor, "apps.resume" if active else "apps.suspend", app, {"name": app.name})
    return app


def remember_consent(actor: Actor, app: App, identity, scopes: str) -> None:
    """The user allowed the app on the consent page: a later sign-in asking no more skips the page
    (selectors.remembered_identity). One statement: a second allowal replaces the first."""
    Consent.objects.bulk_create(
        [Consent(account=actor.account, app=app, identity=identity, scopes=scopes, claims=list(app.claims),
                 allowed_at=timezone.now())],
        update_conflicts=True, unique_fields=["account", "app"],
        update_fields=["identity", "scopes", "claims", "allowed_at"])


@transaction.atomic
def withdraw_consent(actor: Actor, app_id: int) -> App:
    """The user takes back what they allowed an app: the next sign-in asks again, and what the app holds for them
    (tokens on every device) ends at once, with a back-channel announcement where the app takes one."""
    consent = Consent.objects.filter(account=actor.account, app_id=app_id).select_related("app").first()
    if consent is None:
        raise UserFacingError("scope.not_found")
    consent.delete()
    tasks.end_app_access(actor.account, consent.app)
    audit.record(actor, "oidc.consent_withdrawn", consent.app, {"name": consent.app.name})
    return consent.app
