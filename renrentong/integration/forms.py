"""Page input of the apps page (INT-1): the registration form and the suspend/resume buttons; and the button that
withdraws an app a user allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import NumberField, PageForm
from renrentong.orgs.forms import not_found

from renrentong.integration.selectors import CLAIMS, ROSTER_SCOPES


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AppForm(PageForm):
    refusals = {"region": not_found}

    region = NumberField()
    name = forms.CharField(required=False, strip=False, label=_("App name"))
    redirect_uris = forms.CharField(required=False, label=_("Redirect URIs, one per line"))
    post_logout_redirect_uris = forms.CharField(required=False, label=_("After sign-out, back to (optional)"))
    backchannel_logout_uri = forms.CharField(required=False, label=_("Back-channel logout URI (optional)"))
    claims = forms.MultipleChoiceField(required=False, choices=[(c, c) for c in CLAIMS])
    roster_scopes = forms.MultipleChoiceField(required=False, choices=[(s, s) for s in ROSTER_SCOPES])
    school_codes = forms.CharField(required=False, label=_("Only these schools: codes, one per line (optional)"))

    def registration(self) -> dict:
        data = self.valid_data()
        return {"region_id": data["region"], "name": data["name"], "redirect_uris": _lines(data["redirect_uris"]),
                "post_logout_redirect_uris": _lines(data["post_logout_redirect_uris"]),
                "backchannel_logout_uri": data["backchannel_logout_uri"].strip(), "claims": data["claims"],
                "school_codes": _lines(data["school_codes"]), "roster_scopes": data["roster_scopes"]}


class ActiveForm(PageForm):
    refusals = {"app": not_found}

    app = NumberField()
    active = forms.BooleanField(required=False)


class WithdrawForm(PageForm):
    refusals = {"app": not_found}

    app = NumberField()
