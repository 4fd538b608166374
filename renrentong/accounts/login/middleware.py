"""Builds request.actor once per request and keeps a forced password change forced."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from renrentong.accounts.access import actor_for
from renrentong.accounts.models import Identity

SESSION_IDENTITY = "identity_id"
SESSION_MUST_CHANGE = "must_change_password"

# Pages reachable before the initial password is changed or an identity is chosen.
OPEN_PATHS = ("/accounts/", "/i18n/", "/static/", "/api/")
# Pages that ask for the identity themselves: an app's sign-in through the platform (integration/oidc), whose
# consent page offers the identities that app serves; the forced password change still comes first.
CHOOSE_THEIR_IDENTITY = ("/oauth/",)


def same_site(request: HttpRequest, target: str) -> str:
    """`target` (a `next` from a query or a form) if it is an address on this site, else ''."""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


def forced_change(request: HttpRequest, target: str = "") -> HttpResponse:
    """The forced password change page, which leads on to `target` (on this site only) once the password is
    changed: an app's sign-in (its authorize URL) survives the change."""
    page = reverse("accounts:password_change")
    target = same_site(request, target)
    return redirect(f"{page}?{urlencode({'next': target})}" if target else page)


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        if request.user.is_authenticated:
            identity = None
            identity_id = request.session.get(SESSION_IDENTITY)
            if identity_id:
                identity = (
                    Identity.objects.filter(pk=identity_id, account=request.user)
                    .select_related("school", "region")
                    .first()
                )
            request.actor = actor_for(request.user, identity)
            if not request.path.startswith(OPEN_PATHS):
                if request.session.get(SESSION_MUST_CHANGE):
                    app_sign_in = request.method == "GET" and request.path.startswith(CHOOSE_THEIR_IDENTITY)
                    return forced_change(request, request.get_full_path() if app_sign_in else "")
                if identity is None and not request.path.startswith(CHOOSE_THEIR_IDENTITY):
                    return redirect(reverse("accounts:identities"))
        return self.get_response(request)
