"""The authorization page of the OpenID Connect provider (INT-1): the toolkit's view in the phone shell, with
the identity the user signs in as (ACC-1), max_age, and errors that say who can help."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from oauth2_provider.forms import AllowForm
from oauth2_provider.signals import app_authorized
from oauthlib.common import add_params_to_uri
from oauth2_provider.exceptions import InvalidOIDCClientError, OAuthToolkitError
from oauth2_provider.views import (AuthorizationView, ConnectDiscoveryInfoView, RPInitiatedLogoutView, TokenView,
                                   UserInfoView)

from renrentong.accounts.login.middleware import SESSION_IDENTITY
from renrentong.accounts.login.sessions import session_auth_time
from renrentong.accounts.selectors import contact_for
from renrentong.integration import logout, selectors, services, tasks
from renrentong.integration.oidc import keys
from renrentong.integration.oidc.formtarget import allow_form_target
from renrentong.integration.oidc.validator import REMEMBERED, SIGNED_IN

# Asking for any of these shows the consent page even to a returning user (OpenID Connect Core 3.1.2.1).
ASKS_AGAIN = {"consent", "login", "select_account"}


class ConsentForm(AllowForm):
    identity = forms.TypedChoiceField(label=_("Sign in as"), coerce=int, required=False, widget=forms.RadioSelect)

    def __init__(self, *args, identities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.identities = {identity.pk: identity for identity in identities}
        self.fields["identity"].choices = [(identity.pk, identity.label()) for identity in identities]

    def clean(self):
        data = super().clean()
        if data.get("allow") and data.get("identity") not in self.identities:
            raise forms.ValidationError(_("Choose who you sign in as."))
        return data


class AuthorizeView(AuthorizationView):
    template_name = "integration/authorize.html"
    form_class = ConsentForm

    def _identities(self):
        if not hasattr(self, "_eligible"):
            self._eligible = selectors.identities_for(self._app, self.request.user) if self._app else []
        return self._eligible

    def dispatch(self, request, *args, **kwargs):
        request.META[SIGNED_IN] = request.user.is_authenticated  # for prompt=none (validator.validate_silent_login)
        request.focused_page = True  # the page leads back to the app only (home.context_processors.shell)
        self._app = self._remembered = self._validated = None
        if not request.user.is_authenticated:  # off to the login page (or refused, prompt=none): no app to show
            return super().dispatch(request, *args, **kwargs)
        with selectors.app_of_request(request.POST.get("client_id") or request.GET.get("client_id") or "") as self._app:
            return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "identities": self._identities()}

    def get_initial(self):
        initial = super().get_initial()
        current = self.request.session.get(SESSION_IDENTITY)
        eligible = [identity.pk for identity in self._identities()]
        initial["identity"] = current if current in eligible else (eligible[0] if eligible else None)
        return initial

    def get(self, request, *args, **kwargs):
        if not request.GET.get("redirect_uri"):
            # OpenID Connect Core 3.1.2.1 requires it; without it nothing may be redirected to.
            return self.render_to_response({"error": {"error": "invalid_request", "description": _(
                "The request names no redirect_uri.")}}, status=400)
        max_age = request.GET.get("max_age", "")
        if request.user.is_authenticated and max_age.isdigit():
            # OpenID Connect Core 3.1.2.1: a login older than max_age seconds is asked for again. The login
            # returns here without max_age, as the toolkit's prompt=login does without prompt, or max_age=0
            # would send the user back to the login page for ever.
            if time.time() - (session_auth_time(request) or 0) > int(max_age):
                query = request.GET.copy()
                query.pop("max_age")
                return redirect_to_login(f"{request.path}?{query.urlencode()}", resolve_url(self.get_login_url()))
        prompt = set(request.GET.get("prompt", "").split())
        if self._app is not None and not prompt & ASKS_AGAIN:
            self._remembered = selectors.remembered_identity(self._app, request.user, self._identities(),
                                                             set(request.GET.get("scope", "").split()))
            request.META[REMEMBERED] = self._remembered is not None  # prompt=none (validate_silent_authorization)
        return super().get(request, *args, **kwargs)

    def validate_authorization_request(self, request):
        self._validated = super().validate_authorization_request(request)
        return self._validated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        app = kwargs.get("application")
        context.update(app=app, identities=self._identities(), contact=contact_for(self.request.user),
                       claims=app.claims if app else [])
        return context

    def render_to_response(self, context, **response_kwargs):
        if self._remembered is not None and self._validated and "form" in context and not context.get("error"):
            return self._allow_again()
        response = super().render_to_response(context, **response_kwargs)
        if not context.get("error"):
            allow_form_target(response, self.oauth2_data.get("redirect_uri"))
        return response

    def _allow_again(self):
        """A returning user's request, valid and asking no more than they allowed: the code at once, as the toolkit
        answers an app that skips authorization, for the identity they chose then."""
        scopes, credentials = self._validated
        self._chosen = self._remembered
        try:
            uri, _headers, _body, _status = self.create_authorization_response(
                self.request, " ".join(scopes), credentials, allow=True)
        except OAuthToolkitError as error:
            return self.error_response(error, self._app)
        return self.redirect(uri, self._app)

    def redirect(self, redirect_to, application):
        # RFC 9207 2: `iss` in every authorization response, errors (access_denied, consent_required) included;
        # the toolkit adds it to successes only.
        query = parse_qs(urlsplit(redirect_to).query)
        if "error" in query and "iss" not in query:
            redirect_to = add_params_to_uri(redirect_to, [("iss", keys.issuer())])
        return super().redirect(redirect_to, application)

    def form_valid(self, form):
        self._chosen = form.identities.get(form.cleaned_data.get("identity"))
        return super().form_valid(form)

    def create_authorization_response(self, request, scopes, credentials, allow):
        # The identity and this session's login time travel with the grant (validator._create_authorization_code).
        credentials["rrt_identity"] = getattr(self, "_chosen", None)
        auth_time = session_auth_time(request)
        credentials["rrt_auth_time"] = datetime.fromtimestamp(auth_time, tz=timezone.utc) if auth_time else None
        credentials["rrt_sid"] = logout.session_sid(request.session)
        if self._app is not None:
            # The app as read for the identities; the toolkit's validation takes it (request.client) instead of
            # reading the row once more, and still checks its client_id and that it is active (_load_application).
            credentials["client"] = self._app
        answer = super().create_authorization_response(request, scopes, credentials, allow)
        if allow and self._remembered is None and credentials["rrt_identity"] is not None:
            services.remember_consent(request.actor, self._app, credentials["rrt_identity"], scopes)
        return answer



class DiscoveryView(ConnectDiscoveryInfoView):
    """The toolkit's discovery document, saying what the platform does: RS256 only (an HS256 ID token would be
    keyed by the client secret, which is kept only hashed) and Back-Channel Logout with sessions."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["id_token_signing_alg_values_supported"] = ["RS256"]
        data["backchannel_logout_supported"] = True
        data["backchannel_logout_session_supported"] = True
        data["claims_parameter_supported"] = False
        answer = JsonResponse(data)
        answer["Access-Control-Allow-Origin"] = "*"
        return answer


class LogoutView(RPInitiatedLogoutView):
    """RP-initiated logout in the phone shell. Ending the platform session ends what it signed in to everywhere
    (logout.end_app_sessions, on Django's user_logged_out); an app whose user has no platform session left
    still ends the session its ID token names."""

    template_name = "integration/logout_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        request.focused_page = True  # an app's step, as the consent page (home.context_processors.shell)
        return super().dispatch(request, *args, **kwargs)

    def get_request_application(self, id_token, client_id):
        try:
            return super().get_request_application(id_token, client_id)
        except ObjectDoesNotExist:  # an unknown client_id: the toolkit would answer 500
            raise InvalidOIDCClientError() from None

    def validate_logout_request_user(self, id_token_hint, client_id):
        self._hint = super().validate_logout_request_user(id_token_hint, client_id)
        return self._hint

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "contact": contact_for(self.request.user)}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not context.get("error"):
            allow_form_target(response, self.oidc_data.get("post_logout_redirect_uri"))
        return response

    def do_logout(self, application=None, post_logout_redirect_uri=None, state=None, token_user=None):
        hint = getattr(self, "_hint", None)
        if not self.request.user.is_authenticated and hint is not None:
            tasks.end_app_sessions(hint.user, hint.sid)
        return super().do_logout(application, post_logout_redirect_uri, state, token_user)


class ClientTokenView(TokenView):
    """The toolkit's token endpoint; a refused client is challenged in the scheme it used (RFC 6749 5.2), where
    oauthlib always names Bearer."""

    @method_decorator(sensitive_post_parameters("password", "client_secret"))
    def authorization_flow_token_response(self, request, *args, **kwargs):
        if app_authorized.has_listeners():
            return super().authorization_flow_token_response(request, *args, **kwargs)
        # The toolkit's, without reading the new access token back by its checksum only to send it to nobody.
        url, headers, body, status = self.create_token_response(request)
        response = HttpResponse(content=body, status=status)
        for name, value in headers.items():
            response[name] = value
        return response

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.content.startswith(b"{"):
            # oauthlib's headers name JSON except for an error raised after validation (a code two exchanges used).
            response["Content-Type"] = "application/json"
        if response.status_code == 401 and request.headers.get("Authorization", "").startswith("Basic "):
            response["WWW-Authenticate"] = 'Basic realm="oauth", error="invalid_client"'
        return response


class ClaimsView(UserInfoView):
    """The toolkit's userinfo endpoint; a request with no token at all gets a bare challenge (RFC 6750 3.1), and
    every answer says it is JSON."""

    def _create_userinfo_response(self, request):
        response = super()._create_userinfo_response(request)
        if response.status_code == 200 or response.content.startswith(b"{"):
            response["Content-Type"] = "application/json"
        sent = request.headers.get("Authorization") or request.POST.get("access_token")
        if response.status_code == 401 and not sent:
            response["WWW-Authenticate"] = 'Bearer realm="oauth"'
        return response
