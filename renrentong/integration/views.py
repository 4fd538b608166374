"""The apps page (INT-1): province and city admins register the apps that sign users in through the platform,
see them, and suspend or resume them. A new app's client secret is shown once, on the answer to the form.
And every user's page of the apps they allowed to sign them in, where they withdraw one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.orgs import selectors as orgs_selectors

from renrentong.integration import selectors, services
from renrentong.integration.forms import ActiveForm, AppForm, WithdrawForm


def _apps_page(request: HttpRequest, error: UserFacingError | None = None, registered=None) -> HttpResponse:
    request.console_page = True
    actor = request.actor
    apps = selectors.apps_of(actor)
    response = render_page(request, "integration/apps.html", {
        "apps": apps, "regions": orgs_selectors.visible_regions(actor), "claims": selectors.CLAIMS,
        "roster_scopes": selectors.ROSTER_SCOPES,
        "form": request.POST if error else {}, "chosen_claims": request.POST.getlist("claims") if error else [],
        "chosen_scopes": request.POST.getlist("roster_scopes") if error else [],
        "registered": registered}, error)
    add_never_cache_headers(response)  # the answer to a registration holds the secret
    return response


@login_required
@on_refusal(_apps_page)
def apps_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _apps_page(request)
    actor = request.actor
    if request.POST.get("action") == "active":
        data = ActiveForm(request.POST).valid_data()
        app = services.set_active(actor, data["app"], data["active"])
        messages.success(request, _("“%(app)s” is resumed.") % {"app": app.name} if app.active
                         else _("“%(app)s” is suspended: its tokens no longer work.") % {"app": app.name})
        return redirect("apps")
    app, secret = services.register_app(actor, **AppForm(request.POST).registration())
    return _apps_page(request, registered={"app": app, "secret": secret})


def _allowed_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    return render_page(request, "integration/allowed_apps.html",
                       {"consents": selectors.consents_of(request.actor)}, error)


@login_required
@on_refusal(_allowed_page)
def allowed_apps_page(request: HttpRequest) -> HttpResponse:
    """The apps the user allowed to sign them in without asking again; withdrawing one signs them out of it."""
    if request.method != "POST":
        return _allowed_page(request)
    app = services.withdraw_consent(request.actor, WithdrawForm(request.POST).valid_data()["app"])
    messages.success(request, _("“%(app)s” is signed out of your account and will ask you again next time.")
                     % {"app": app.name})
    return redirect("allowed_apps")
