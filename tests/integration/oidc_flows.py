"""What an OpenID Connect client does, step by step, against the test client (RFC 6749, RFC 7636, OIDC Core)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests
from jwcrypto import jwk, jwt

from tests.factories import bearer

REDIRECT = "https://app.example.cn/callback"


@dataclass
class Client:
    id: int
    client_id: str
    secret: str


def register(client, admin, region, *, claims=("name", "role", "school", "class"), redirect=REDIRECT, **more):
    response = client.post("/api/v1/apps", json.dumps({
        "region_id": region.pk, "name": "智慧作业", "redirect_uris": [redirect], "claims": list(claims), **more}),
        content_type="application/json", **bearer(admin))
    assert response.status_code == 201, response.content
    body = response.json()
    return Client(body["id"], body["client_id"], body["client_secret"])


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_query(app: Client, challenge: str, **more) -> str:
    params = {"response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT,
              "scope": "openid profile", "state": "st-1", "nonce": "n-1", "code_challenge": challenge,
              "code_challenge_method": "S256", **more}
    return "/oauth/authorize/?" + urlencode({k: v for k, v in params.items() if v is not None})


def consent(client, app: Client, challenge: str, identity=None, **more):
    """GET the consent page, then allow it as the pre-selected identity (or `identity`). A user who allowed the
    app before gets the redirect with the code at once instead of the page (selectors.remembered_identity)."""
    page = client.get(authorize_query(app, challenge, **more))
    if page.status_code == 302 and identity is None:
        return page
    assert page.status_code == 200, page.content
    form = page.context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(allow="1", identity=identity.pk if identity else form.initial["identity"])
    return client.post("/oauth/authorize/", data)


def code_from(response, redirect: str = REDIRECT) -> dict:
    """The parameters of the redirect back to the app (a test client's or a `requests` response)."""
    assert response.status_code == 302, response.content
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == redirect
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def basic(app: Client) -> dict:
    raw = f"{app.client_id}:{app.secret}".encode()
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(raw).decode()}


def exchange(client, app: Client, code: str, verifier: str):
    return client.post("/oauth/token/", {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                         "code_verifier": verifier}, **basic(app))


def sign_in(client, app: Client, identity=None) -> dict:
    """The whole code flow; the token answer."""
    verifier, challenge = pkce()
    code = code_from(consent(client, app, challenge, identity))["code"]
    response = exchange(client, app, code, verifier)
    assert response.status_code == 200, response.content
    return response.json()


def id_claims(client, id_token: str, app: Client) -> dict:
    """The ID token checked as a client checks it: signature by a key of the JWKS named by its kid, audience."""
    keys = jwk.JWKSet.from_json(client.get("/oauth/.well-known/jwks.json").content)
    token = jwt.JWT(jwt=id_token, key=keys, expected_type="JWS")
    claims = json.loads(token.claims)
    assert claims["aud"] == app.client_id
    return claims


def userinfo(client, access_token: str):
    return client.get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}")


class _FormFields(HTMLParser):
    """What a browser sends from the form marked data-testid=`testid`: its inputs, the checked radio of each name."""

    def __init__(self, testid: str):
        super().__init__()
        self.testid, self.inside, self.fields = testid, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("data-testid") == self.testid
        elif tag == "input" and self.inside and attrs.get("name"):
            if attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs:
                self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "form"


def form_fields(html: str, testid: str) -> dict:
    parser = _FormFields(testid)
    parser.feed(html)
    assert parser.fields, f"no form {testid!r} in the page"
    return parser.fields


def allow_in_browser(authorize_url: str, identifier: str, password: str) -> requests.Response:
    """The user's part over real HTTP, in a browser of their own: the app's link leads to the login page, the
    login back to the consent page, and "allow" answers with the redirect to the app (not followed: no app runs)."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=30)
    assert urlsplit(page.url).path == "/accounts/login/", page.url
    login = {**form_fields(page.text, "login-form"), "identifier": identifier, "password": password}
    back = browser.post(page.url, data=login, allow_redirects=False, timeout=30)
    assert back.status_code == 302 and urlsplit(back.headers["Location"]).path == "/oauth/authorize/", back.text[:300]
    page = browser.get(urljoin(page.url, back.headers["Location"]), allow_redirects=False, timeout=30)
    if page.status_code == 302:  # allowed before: the code at once
        return page
    assert page.status_code == 200, page.text[:300]
    consent = {**form_fields(page.text, "consent-form"), "allow": "1"}
    return browser.post(page.url, data=consent, allow_redirects=False, timeout=30)
