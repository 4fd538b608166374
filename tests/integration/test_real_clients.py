"""The OpenID Connect provider (INT-1) as real client libraries see it, over HTTP against the live server: Authlib
(OAuth2Session, with joserfc for the ID token, as Authlib's own framework clients check it) and mozilla-django-oidc
(the relying party of a Django project: its authentication request view and its backend). The user's part runs in
a browser of its own: the real login page, then the consent page."""

import base64
import json

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from authlib.oidc.discovery import OpenIDProviderMetadata
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import include, path
from joserfc import jwt
from joserfc.errors import InvalidClaimError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

import renrentong.urls
from tests.factories import NEW_PASSWORD, give_password
from tests.integration.oidc_flows import REDIRECT, allow_in_browser, code_from, register

# The relying party's own routes (mozilla-django-oidc's callback is reversed by name), beside the platform's.
urlpatterns = [path("rp/oidc/", include("mozilla_django_oidc.urls")), *renrentong.urls.urlpatterns]
RP_HOST = "rp.example.cn"
RP_CALLBACK = f"https://{RP_HOST}/rp/oidc/callback/"
CLAIMS = ("sub", "name", "role", "school", "class")


@pytest.fixture
def issuer(live_server, settings):
    """The provider names the live server as its issuer (it never takes it from the Host header)."""
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": live_server.url + "/oauth"}
    return live_server.url + "/oauth"


@pytest.fixture
def discovery(issuer) -> dict:
    response = requests.get(issuer + "/.well-known/openid-configuration", timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def student(transactional_db, world):
    """李小明 with a password of his own (an initial one would stop the login at the forced change)."""
    return give_password(world.student_a)


def assert_minimal(claims: dict, world) -> None:
    """The student's name, role, school and class, and nothing that reveals his ID number or a phone."""
    assert claims["name"] == "李小明" and claims["role"] == "student"
    assert claims["school"] == {"code": "A0001", "name": "芙蓉第一小学"}
    assert claims["class"] == world.class_a1.display_name()
    text = json.dumps(claims, ensure_ascii=False)
    for secret in (world.student_a.person.reveal_id_number(), world.student_a.number, world.parent_a.phone):
        assert secret and secret not in text


def test_authlib_signs_a_student_in_with_pkce_and_verifies_the_id_token_by_the_discovered_jwks(
        discovery, issuer, student, world, client):
    OpenIDProviderMetadata(discovery).validate()  # Authlib's own check of the discovery document (RFC 8414)
    assert discovery["issuer"] == issuer and discovery["code_challenge_methods_supported"] == ["S256"]
    app = register(client, world.city_admin, world.city)
    rp = OAuth2Session(app.client_id, app.secret, scope="openid profile", redirect_uri=REDIRECT,
                       code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = rp.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce)

    answer = allow_in_browser(url, student.number, NEW_PASSWORD)
    returned = code_from(answer)
    assert returned["state"] == state and returned["iss"] == issuer  # RFC 9207
    token = rp.fetch_token(discovery["token_endpoint"], authorization_response=answer.headers["Location"],
                           code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["scope"] == "openid profile"

    keys = KeySet.import_key_set(requests.get(discovery["jwks_uri"], timeout=30).json())
    decoded = jwt.decode(token["id_token"], keys,
                         registry=JWSRegistry(algorithms=discovery["id_token_signing_alg_values_supported"]))
    assert decoded.header["alg"] == "RS256" and decoded.header["kid"] in {key.kid for key in keys}

    def id_token(expected_nonce: str) -> CodeIDToken:
        # iss and aud as claims options: joserfc's registry checks a claim's value only when it is given one.
        expected = {"iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": app.client_id}}
        params = {"nonce": expected_nonce, "client_id": app.client_id, "access_token": token["access_token"]}
        return CodeIDToken(decoded.claims, decoded.header, expected, params)

    claims = id_token(nonce)
    claims.validate(leeway=60)  # iss, aud, exp, iat, nonce, azp and at_hash
    assert claims["nonce"] == nonce and claims["aud"] in (app.client_id, [app.client_id])
    with pytest.raises(InvalidClaimError):
        id_token("another-nonce").validate(leeway=60)  # the nonce check is live, not vacuous
    assert_minimal(dict(claims), world)

    info = rp.get(discovery["userinfo_endpoint"], timeout=30)  # the bearer token in the header
    assert info.status_code == 200, info.text
    assert info.json() == {k: claims[k] for k in CLAIMS}
    assert_minimal(info.json(), world)
    assert requests.get(discovery["userinfo_endpoint"], timeout=30).status_code == 401


def test_authlib_cannot_exchange_the_code_without_the_verifier_or_with_a_wrong_secret(
        discovery, student, world, client):
    app = register(client, world.city_admin, world.city)
    verifier = generate_token(48)

    def code_for(rp: OAuth2Session) -> str:
        url, _ = rp.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier,
                                             nonce=generate_token(20))
        return allow_in_browser(url, student.number, NEW_PASSWORD).headers["Location"]

    def session(secret: str) -> OAuth2Session:
        return OAuth2Session(app.client_id, secret, scope="openid profile", redirect_uri=REDIRECT,
                             code_challenge_method="S256")

    rp = session(app.secret)
    with pytest.raises(OAuthError) as no_verifier:
        rp.fetch_token(discovery["token_endpoint"], authorization_response=code_for(rp))
    assert no_verifier.value.error == "invalid_request"
    impostor = session("x" * 128)
    with pytest.raises(OAuthError) as wrong_secret:
        impostor.fetch_token(discovery["token_endpoint"], authorization_response=code_for(impostor),
                             code_verifier=verifier)
    assert wrong_secret.value.error == "invalid_client"


class RelyingParty(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend as an app configures it. The app's own user table (keyed by `sub`) is not
    part of this test, so instead of finding or creating a local user it answers with what it verified and got."""

    def get_or_create_user(self, access_token, id_token, payload):
        return {"id_token": payload, "userinfo": self.get_userinfo(access_token, id_token, payload)}


@pytest.fixture
def mozilla_rp(discovery, settings, world, client):
    app = register(client, world.city_admin, world.city, redirect=RP_CALLBACK)
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, RP_HOST]
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = app.client_id, app.secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid profile"
    settings.OIDC_USE_PKCE = True  # S256 by default (OIDC_PKCE_CODE_CHALLENGE_METHOD)
    settings.OIDC_TIMEOUT = 30
    return app


def mozilla_sign_in(student) -> tuple[dict, Client, dict]:
    """The app's login link (mozilla's authentication request view, its state kept in the app's session), the
    user's part in the browser; the callback's parameters, the app's client and the state's entry in its session."""
    app_side = Client(HTTP_HOST=RP_HOST)
    start = app_side.get("/rp/oidc/authenticate/", secure=True)
    assert start.status_code == 302
    answer = code_from(allow_in_browser(start.headers["Location"], student.number, NEW_PASSWORD), RP_CALLBACK)
    return answer, app_side, app_side.session["oidc_states"][answer["state"]]


def callback_request(app_side: Client, answer: dict):
    request = RequestFactory(HTTP_HOST=RP_HOST).get("/rp/oidc/callback/", answer, secure=True)
    request.session = app_side.session
    return request


def test_mozilla_django_oidc_signs_a_student_in_with_pkce_and_checks_the_signature_and_nonce(
        mozilla_rp, issuer, student, world):
    answer, app_side, saved = mozilla_sign_in(student)
    assert answer["iss"] == issuer and saved["nonce"] and len(saved["code_verifier"]) == 64
    # What its callback view does with the state's entry: the token request (client_secret_post, the
    # code_verifier, the redirect_uri), the ID token (RS256 by the JWKS key its kid names, the nonce), userinfo.
    got = RelyingParty().authenticate(callback_request(app_side, answer), nonce=saved["nonce"],
                                      code_verifier=saved["code_verifier"])
    assert got is not None
    claims, info = got["id_token"], got["userinfo"]
    assert claims["nonce"] == saved["nonce"]
    # mozilla-django-oidc checks neither the issuer nor the audience (it decodes with verify_aud off): here, not there.
    assert claims["iss"] == issuer and claims["aud"] in (mozilla_rp.client_id, [mozilla_rp.client_id])
    assert_minimal(claims, world)
    assert info == {k: claims[k] for k in CLAIMS}


def test_mozilla_django_oidc_refuses_a_wrong_nonce_and_a_forged_id_token(mozilla_rp, student):
    answer, app_side, saved = mozilla_sign_in(student)
    backend = RelyingParty()
    token = backend.get_token({"client_id": mozilla_rp.client_id, "client_secret": mozilla_rp.secret,
                               "grant_type": "authorization_code", "code": answer["code"],
                               "redirect_uri": RP_CALLBACK, "code_verifier": saved["code_verifier"]})
    id_token = token["id_token"]
    assert backend.verify_token(id_token, nonce=saved["nonce"])["nonce"] == saved["nonce"]
    with pytest.raises(SuspiciousOperation, match="Nonce"):
        backend.verify_token(id_token, nonce="another-nonce")
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "name": "王小二"}).encode()).rstrip(b"=").decode()
    with pytest.raises(SuspiciousOperation, match="verification failed"):
        backend.verify_token(f"{header}.{forged}.{signature}", nonce=saved["nonce"])
    # A code is good once: the library's second token request is refused by the provider.
    with pytest.raises(requests.HTTPError, match="invalid_grant"):
        backend.get_token({"client_id": mozilla_rp.client_id, "client_secret": mozilla_rp.secret,
                           "grant_type": "authorization_code", "code": answer["code"],
                           "redirect_uri": RP_CALLBACK, "code_verifier": saved["code_verifier"]})
