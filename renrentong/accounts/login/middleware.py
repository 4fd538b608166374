"""Builds request.actor once per request and keeps a forced password change forced."""

from django.shortcuts import redirect
from django.urls import reverse

from renrentong.accounts.access import actor_for
from renrentong.accounts.models import Identity

SESSION_IDENTITY = "identity_id"
SESSION_MUST_CHANGE = "must_change_password"

# Pages reachable before the initial password is changed or an identity is chosen.
OPEN_PATHS = ("/accounts/", "/i18n/", "/static/", "/api/")
# Pages that ask for the identity themselves: an app's sign-in through the platform (integration/oidc), whose
# consent page offers the identities that app serves; the forced password change still comes first.
CHOOSE_THEIR_IDENTITY = ("/oauth/",)


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
                    return redirect(reverse("accounts:password_change"))
                if identity is None and not request.path.startswith(CHOOSE_THEIR_IDENTITY):
                    return redirect(reverse("accounts:identities"))
        return self.get_response(request)
