"""The toolkit's request validator with what the platform adds (INT-1, docs/oidc.md):

- each grant and token carries the identity the user chose and the account's credentials epoch, and stops
  working the moment the account is frozen, leaves, is deleted or has its password reset (AUTH-8);
- a code used twice is refused and every token the first use got is revoked (RFC 6749 4.1.2);
- `sub` is pairwise per app, claims are the minimal set the app was granted (selectors.claims_for);
- the ID token's auth_time is this browser session's login, not the account's latest one on any device.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from jwcrypto import jwt
from oauth2_provider.bcp import bcp_compliant
from oauth2_provider.models import set_token_value
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors

from renrentong.core import audit

from renrentong.accounts.login.services import credentials_hold
from renrentong.accounts.models import Identity
from renrentong.integration import selectors
from renrentong.integration.models import AccessToken, App, Grant, IDToken, RefreshToken
from renrentong.integration.oidc.keys import published_keys

SIGNED_IN = "rrt.signed_in"
REMEMBERED = "rrt.remembered"  # the user allowed this app before and asks no more (AuthorizeView.get)
DISCOVERY_CLAIMS = ["sub", "name", "role", "school", "class", "classes", "children", "region"]


def revoke_grant_tokens(grant_id: int) -> None:
    """Everything a code's first exchange produced, and every refresh descended from it."""
    tokens = AccessToken.objects.filter(grant_id=grant_id)
    # Listed first: revoking a family deletes its access tokens, and with them the way to their ID tokens.
    id_tokens = list(tokens.exclude(id_token=None).values_list("id_token_id", flat=True))
    families = RefreshToken.objects.filter(access_token__in=tokens).exclude(token_family=None).values_list(
        "token_family", flat=True)
    for family in set(families):
        RefreshToken.revoke_family(family)
    IDToken.objects.filter(pk__in=id_tokens).delete()
    tokens.delete()


def revoke_reused(grant: Grant, app: App) -> None:
    """A code used a second time (RFC 6749 4.1.2): what its first use got is revoked, and the reuse audited."""
    revoke_grant_tokens(grant.pk)
    audit.record(None, "oidc.code_reused", app, {"grant": grant.pk}, account=grant.user,
                 school_id=grant.user.home_school_id)


# What a user's sign-in may ask for; the roster scopes (integration.oneroster.rest.SCOPES) are an app's own.
SIGN_IN_SCOPES = ("openid", "profile")


class Validator(OAuth2Validator):
    # Claims are filtered by scope and by the app's grant in selectors.claims_for, not per claim here.
    oidc_claim_scope = None

    # Codes ---------------------------------------------------------------------------------------------

    @transaction.atomic
    def _create_authorization_code(self, request, code, expires=None):
        # The toolkit's, with the platform's columns in the same INSERT (its own row would need an UPDATE after).
        if request.code_challenge_method == "plain" and bcp_compliant(
                "COMPLIANT_BCP_RFC9700_PKCE_METHOD", 'The PKCE "plain" code_challenge_method'):
            raise errors.InvalidRequestError(description='Unsupported "plain" code_challenge_method; use "S256".',
                                             request=request)
        grant = Grant.objects.create(
            application=request.client, user=request.user, code=code["code"],
            expires=expires or timezone.now() + timedelta(seconds=oauth2_settings.AUTHORIZATION_CODE_EXPIRE_SECONDS),
            redirect_uri=request.redirect_uri, scope=" ".join(request.scopes),
            code_challenge=request.code_challenge or "", code_challenge_method=request.code_challenge_method or "",
            nonce=request.nonce or "", claims=json.dumps(request.claims or {}),
            resource=getattr(request, "resource", []),  # RFC 8707
            identity=request.rrt_identity, epoch=request.user.credentials_epoch,
            auth_time=getattr(request, "rrt_auth_time", None), sid=getattr(request, "rrt_sid", "") or "")
        audit.record(None, "oidc.authorize", request.client, {"identity": grant.identity_id, "scope": grant.scope},
                     account=request.user, school_id=request.user.home_school_id)
        return grant

    def _grant(self, code, request):
        """The grant of `code`, read once per token request: oauthlib and the toolkit ask for it eight times (the
        scopes, the code, the redirect URI, the PKCE challenge and method, the nonce, the resource), the toolkit
        reading the row each time. Read by code alone for the scopes, before the client is authenticated; every
        later answer is for the authenticated client only, as the toolkit's reads filter by it."""
        held = getattr(request, "rrt_grant", None)
        if held is None or held.code != code:
            held = _with_identity(Grant.objects.filter(code=code)).first()
            request.rrt_grant = held
        if held is None or request.client is None:
            return held
        return held if held.application_id == request.client.pk else None

    def _load_application(self, client_id, request):
        # The dispatcher's grant read (by code, before the client is authenticated) joined its app: a request
        # naming that app's client_id is authenticated against that row rather than reading it again.
        held = getattr(request, "rrt_grant", None)
        if request.client is None and held is not None and held.application.client_id == client_id \
                and held.application.is_usable(request):
            request.client = held.application
            return request.client
        return super()._load_application(client_id, request)

    def get_authorization_code_scopes(self, client_id, code, redirect_uri, request):
        # The dispatcher's choice between OAuth and OpenID Connect, before client authentication (as the toolkit's).
        grant = self._grant(code, request)
        return grant.scope.split() if grant and grant.scope else []

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        request.client = client
        grant = self._grant(code, request)
        if grant is None:
            return False
        if grant.used_at is not None:
            with transaction.atomic():
                revoke_reused(grant, client)
            return False
        if grant.is_expired() or grant.identity is None or not credentials_hold(grant.user, grant.epoch):
            return False
        request.scopes = grant.scope.split(" ")
        request.user = grant.user
        if grant.nonce:
            request.nonce = grant.nonce
        if grant.claims:
            request.claims = json.loads(grant.claims)
        request.rrt_identity = grant.identity
        request.rrt_sid = grant.sid
        if grant.auth_time:
            # The toolkit reads the ID token's auth_time from the user's last_login (any device's latest login);
            # this in-memory copy is never saved.
            request.user.last_login = grant.auth_time
        return True

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, request=None, *args, **kwargs):
        request.client = client
        grant = self._grant(code, request)
        return grant is not None and grant.redirect_uri_allowed(redirect_uri)

    def get_code_challenge(self, code, request):
        grant = self._grant(code, request)
        return (grant.code_challenge or None) if grant else None

    def get_code_challenge_method(self, code, request):
        grant = self._grant(code, request)
        return (grant.code_challenge_method or None) if grant else None

    def get_authorization_code_nonce(self, client_id, code, redirect_uri, request):
        grant = self._grant(code, request)
        return (grant.nonce or None) if grant else None

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs):
        # oauthlib calls it after save_token, whose transaction has already marked the code (_save_bearer_token).
        if getattr(request, "rrt_code_reused", False):
            raise errors.InvalidGrantError(request=request)

    # Tokens --------------------------------------------------------------------------------------------

    def _save_bearer_token(self, token, request, *args, **kwargs):
        """The toolkit's, in save_bearer_token's transaction with the code's used mark and the ID token's row
        (finalize_id_token leaves it unsaved): one commit an exchange instead of three."""
        if request.grant_type == "authorization_code":
            grant = self._grant(request.code, request)
            if not Grant.objects.filter(pk=grant.pk, used_at=None).update(used_at=timezone.now()):
                # Another exchange of this code got there first (validate_code saw it unused): a reuse like any
                # other, and this one gets nothing (invalidate_authorization_code refuses it).
                revoke_reused(grant, request.client)
                request.rrt_code_reused = True
                return
        id_token = getattr(request, "id_token", None) if token.get("id_token") else None
        if id_token is not None and id_token.pk is None:
            id_token.save()
        super()._save_bearer_token(token, request, *args, **kwargs)

    def _check_and_set_request_resource(self, request):
        """The toolkit's RFC 8707 resource handling, narrowing to the grant validate_code read (the toolkit reads
        the row again)."""
        if request.grant_type != "authorization_code":
            return super()._check_and_set_request_resource(request)
        request.grant_type = None  # the toolkit's normalising and checking of the requested resource alone
        try:
            super()._check_and_set_request_resource(request)
        finally:
            request.grant_type = "authorization_code"
        grant = self._grant(request.code, request)
        granted = (grant.resource or []) if grant else []
        if request.resource and granted:
            for resource in request.resource:
                if resource not in granted:
                    raise errors.CustomOAuth2Error(
                        error="invalid_target", request=request, description=(
                            f"The requested resource '{resource}' is not allowed. Token request cannot escalate "
                            "resource permissions beyond the original authorization grant"))
        elif granted:
            self._validate_resource_uris(request, granted)  # a row older than the authorization's own check
            request.resource = granted

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        # The ID token's row is the one finalize_id_token made (request.id_token); the toolkit parses and verifies
        # the JWT it has just signed to find it again.
        id_token = getattr(request, "id_token", None) if token.get("id_token") else None
        user = request.user
        access_token = AccessToken(
            user=user, scope=token["scope"], expires=expires, id_token=id_token, application=request.client,
            source_refresh_token=source_refresh_token, resource=getattr(request, "resource", []),
            identity=getattr(request, "rrt_identity", None), epoch=user.credentials_epoch if user else 0,
            grant=getattr(request, "rrt_grant", None), sid=getattr(request, "rrt_sid", ""))
        set_token_value(access_token, token["access_token"])
        access_token.save()
        return access_token

    def _create_refresh_token(self, request, refresh_token_code, access_token, previous_refresh_token):
        # The toolkit's, with the platform's columns in the same INSERT.
        refresh_token = RefreshToken(
            user=request.user, application=request.client, access_token=access_token,
            token_family=previous_refresh_token.token_family if previous_refresh_token else uuid.uuid4(),
            resource=getattr(request, "resource", []), identity=access_token.identity, epoch=access_token.epoch,
            sid=access_token.sid)
        set_token_value(refresh_token, refresh_token_code)
        refresh_token.save()
        return refresh_token

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        held = request.refresh_token_instance
        if held.identity_id is None or not credentials_hold(held.user, held.epoch):
            return False
        request.rrt_identity = held.identity
        request.rrt_sid = held.sid
        return True

    def _load_access_token(self, token):
        # The toolkit's lookup, with the identity the claims and the scope checks read.
        checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
        return _with_identity(AccessToken.objects.filter(token_checksum=checksum)).first()

    def validate_bearer_token(self, token, scopes, request):
        if not super().validate_bearer_token(token, scopes, request):
            return False
        held = request.access_token
        ended = not held.application.active if held.application_id else False
        if held.user is not None and (held.identity is None or not credentials_hold(held.user, held.epoch)):
            ended = True
        if ended:
            request.oauth2_error = {"error": "invalid_token", "error_description": "The access token has ended."}
            return False
        request.rrt_identity = held.identity
        return True

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        """A sign-in asks for openid and profile; an app's own token (client credentials) for the roster scopes
        its registration granted, and nothing of a person's."""
        if request.grant_type == "client_credentials":
            return bool(scopes) and set(scopes) <= set(client.roster_scopes)
        return set(scopes) <= set(SIGN_IN_SCOPES)

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        if request.grant_type == "client_credentials":
            return list(request.client.roster_scopes)
        return super().get_default_scopes(client_id, request, *args, **kwargs)

    def finalize_id_token(self, id_token, token, token_handler, request):
        """The toolkit's, but the ID token's row is written with the tokens (_save_bearer_token): its own
        transaction was one more commit, and on SQLite one more hold of the write lock."""
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce  # oauthlib issue 746, as the toolkit
        header = {"typ": "JWT", "alg": request.client.algorithm}
        if request.client.algorithm == App.RS256_ALGORITHM:
            header["kid"] = request.client.jwk_key.thumbprint()
        signed = jwt.JWT(header=json.dumps(header, default=str), claims=json.dumps(id_token, default=str))
        signed.make_signed_token(request.client.jwk_key)
        request.id_token = request.access_token = IDToken(
            user=request.user, scope=request.scope or " ".join(request.scopes), expires=expiration_time,
            jti=id_token["jti"], application=request.client, identity=getattr(request, "rrt_identity", None),
            sid=getattr(request, "rrt_sid", ""))
        return signed.serialize()

    # Claims --------------------------------------------------------------------------------------------

    def get_claim_dict(self, request):
        claims = {"sub": selectors.pairwise_subject(request.client, request.user.pk)}
        claims.update(selectors.claims_for(request.client, request.rrt_identity, request.scopes))
        return claims

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expires = super().get_id_token_dictionary(token, token_handler, request)
        if getattr(request, "rrt_sid", ""):
            claims["sid"] = request.rrt_sid  # Back-Channel Logout 1.0: the session a logout token will name
        return claims, expires

    def _get_key_for_token(self, token):
        # Every published key, not only the active one: an ID token signed before a rotation is still ours.
        return super()._get_key_for_token(token) and published_keys()

    def get_discovery_claims(self, request):
        return DISCOVERY_CLAIMS

    def validate_silent_login(self, request):
        # oauthlib's request does not carry the user; the authorization view marks the WSGI environ, which the
        # toolkit passes on as headers (a client can only send HTTP_* keys, so it cannot forge this one).
        return request.headers.get(SIGNED_IN) is True

    def validate_silent_authorization(self, request):
        # The user chooses the identity an app gets on the consent page, so prompt=none answers consent_required,
        # unless they allowed the app before as their one identity it serves (selectors.remembered_identity).
        return request.headers.get(REMEMBERED) is True

    def validate_user_match(self, id_token_hint, scopes, claims, request):
        """`id_token_hint` names who the app expects: a session of someone else does not answer silently."""
        if not id_token_hint:
            return True
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        subject = hint_subject(id_token_hint)
        return subject is not None and selectors.same_subject(
            subject, selectors.pairwise_subject(request.client, user.pk))


def hint_subject(id_token: str) -> str | None:
    """The `sub` of an ID token this platform signed (expired or not: a hint names a past sign-in)."""
    try:
        token = jwt.JWT(key=published_keys(), jwt=id_token, check_claims=False)
    except Exception:  # jwcrypto raises several unrelated classes for a bad signature or a malformed token
        return None
    return json.loads(token.claims).get("sub")


def _with_identity(queryset):
    """A grant or token with its app and user, and its identity with what the claims read (person, school,
    region) in a second query: PostgreSQL took 2.2 ms to plan the one query joining all seven tables (more than
    it took to run; the token endpoint's largest cost on the server), the two 0.3 ms together."""
    return queryset.select_related("application", "user").prefetch_related(
        Prefetch("identity", queryset=Identity.objects.select_related("account__person", "school", "region")))
