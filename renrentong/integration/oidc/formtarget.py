"""Where a page's form may lead: Chromium holds a form's whole redirect chain to the page's CSP form-action
('self' here), so a page whose form ends at an app must also allow the app's origin, already checked against
the app's registered redirect URIs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from renrentong.accounts.login.sessions import SESSION_SECOND_FACTOR
from renrentong.integration import selectors

AUTHORIZE_PATH = "/oauth/authorize/"


def allow_form_target(response, uri: str | None) -> None:
    """Allow the form of this page to end at `uri`'s origin (the consent and logout pages answer with a redirect
    to the app; a page on the way back to the authorization page may too)."""
    parts = urlsplit(uri or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        allowed = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
        response._csp_update = response._csp_update_ro = allowed


def _next_of(request) -> str:
    target = request.GET.get("next") or ""
    if not target and getattr(request, "session", None) is not None:
        pending = request.session.get(SESSION_SECOND_FACTOR)
        target = pending.get("next", "") if isinstance(pending, dict) else ""
    return target if isinstance(target, str) else ""


class AppFormTargetMiddleware:
    """A page on the way back to the authorization page (the login page, the second factor, a forced password
    change, with `next` there) may end at the app itself: a returning user who allowed the app before gets the
    code without the consent page (AuthorizeView._allow_again). Such a page allows the app's registered origin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A redirect holds no form (the login's success is one): only a page, the one shown or shown again.
        if 300 <= response.status_code < 400 or not response.get("Content-Type", "").startswith("text/html"):
            return response
        target = _next_of(request)
        if target.startswith(AUTHORIZE_PATH):
            query = parse_qs(urlsplit(target).query)
            uri = selectors.registered_redirect_uri(query.get("client_id", [""])[0], query.get("redirect_uri", [""])[0])
            if uri:
                allow_form_target(response, uri)
        return response
