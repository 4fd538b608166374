"""Remembered consent (INT-1, ACC-1): a returning user who allowed an app as their one identity it serves signs in
without the consent page; anything more (a scope, a claim, a second identity, prompt=consent) asks again; the
user sees the apps they allowed on a page of their own and withdraws one, which signs it out of the account."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from renrentong.accounts.models import Identity
from renrentong.core.models import AuditEvent
from renrentong.integration.models import AccessToken, App, Grant, LogoutDelivery

from tests.factories import as_user, bearer
from tests.integration.oidc_flows import (authorize_query, code_from, consent, exchange, id_claims, pkce, register,
                                          sign_in, userinfo)


def answer_of(response) -> dict:
    assert response.status_code == 302, response.content
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def test_a_returning_student_gets_the_code_without_the_page_as_the_identity_allowed(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    first = sign_in(client, app)
    verifier, challenge = pkce()
    again = client.get(authorize_query(app, challenge))
    code = code_from(again)["code"]
    assert code_from(again)["state"] == "st-1" and code_from(again)["iss"]
    tokens = exchange(client, app, code, verifier).json()
    claims = id_claims(client, tokens["id_token"], app)
    assert claims["sub"] == id_claims(client, first["id_token"], app)["sub"] and claims["role"] == "student"
    assert claims["nonce"] == "n-1"
    assert Grant.objects.get(code=code).identity == world.student_a.identities.get()
    assert AuditEvent.objects.filter(verb="oidc.authorize", actor_account=world.student_a).count() == 2
    assert userinfo(client, tokens["access_token"]).json()["name"] == "李小明"


def test_prompt_none_answers_a_returning_user_with_a_code_and_a_new_one_with_consent_required(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    assert answer_of(client.get(authorize_query(app, pkce()[1], prompt="none")))["error"] == "consent_required"
    sign_in(client, app)
    answer = answer_of(client.get(authorize_query(app, pkce()[1], prompt="none")))
    assert answer["code"] and "error" not in answer


@pytest.mark.parametrize("more", [{"prompt": "consent"}, {"prompt": "select_account"},
                                  {"scope": "openid profile offline_access"}])
def test_asking_for_more_or_for_the_page_shows_the_page_again(client, world, more):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    sign_in(client, app)
    page = client.get(authorize_query(app, pkce()[1], **more))
    assert page.status_code in (200, 302)
    if page.status_code == 302:  # a scope the platform does not know is refused, never granted silently
        assert "code" not in answer_of(page)
    else:
        assert 'data-testid="consent-form"' in page.content.decode()


def test_a_claim_granted_to_the_app_since_asks_again(client, world):
    app = register(client, world.city_admin, world.city, claims=("name",))
    as_user(client, world.student_a)
    sign_in(client, app)
    App.objects.filter(pk=app.id).update(claims=["name", "school"])
    page = client.get(authorize_query(app, pkce()[1]))
    assert page.status_code == 200 and 'data-testid="consent-form"' in page.content.decode()
    code_from(consent(client, app, pkce()[1]))
    assert code_from(client.get(authorize_query(app, pkce()[1])))["code"]  # allowed with the new claim: remembered


def test_a_user_with_two_identities_the_app_serves_always_chooses(client, world):
    app = register(client, world.city_admin, world.city)
    parent = world.parent_a
    teacher = Identity.objects.create(account=parent, kind=Identity.Kind.TEACHER, school=world.school_a)
    as_user(client, parent, "guardian")
    code_from(consent(client, app, pkce()[1], identity=teacher))
    page = client.get(authorize_query(app, pkce()[1]))
    assert page.status_code == 200 and 'data-testid="consent-form"' in page.content.decode()


def test_a_denial_is_not_remembered(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    page = client.get(authorize_query(app, pkce()[1]))
    form = page.context["form"]
    denied = client.post("/oauth/authorize/", {**{name: form.initial.get(name) or "" for name in form.fields},
                                               "identity": form.initial["identity"]})
    assert answer_of(denied)["error"] == "access_denied"
    assert client.get(authorize_query(app, pkce()[1])).status_code == 200
    assert 'data-testid="no-allowed-apps"' in client.get("/my/apps/").content.decode()


def test_withdrawing_an_app_signs_it_out_and_the_next_sign_in_asks_again(client, world):
    app = register(client, world.city_admin, world.city)
    App.objects.filter(pk=app.id).update(backchannel_logout_uri="https://app.example.cn/bcl")
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    page = client.get("/my/apps/").content.decode()
    assert f'data-testid="allowed-app-{app.id}"' in page and "智慧作业" in page
    done = client.post("/my/apps/", {"app": app.id}, follow=True)
    assert done.status_code == 200 and f'data-testid="allowed-app-{app.id}"' not in done.content.decode()
    assert userinfo(client, tokens["access_token"]).status_code == 401
    assert not AccessToken.objects.filter(user=world.student_a).exists()
    withdrawn = AuditEvent.objects.get(verb="oidc.consent_withdrawn")
    assert withdrawn.actor_account == world.student_a and withdrawn.target_id == app.id
    owed = LogoutDelivery.objects.get(app_id=app.id, account=world.student_a)
    assert owed.sid == ""  # every session of the account with the app ends
    page = client.get(authorize_query(app, pkce()[1]))
    assert page.status_code == 200 and 'data-testid="consent-form"' in page.content.decode()


def test_nobody_withdraws_what_another_allowed(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    other = as_user(Client(), world.student_b)  # another browser: logging out would end student A's app session
    for value in (app.id, 99999999, "x"):
        refused = other.post("/my/apps/", {"app": value})
        assert refused.status_code == 404 and 'data-testid="error"' in refused.content.decode()
    assert userinfo(client, tokens["access_token"]).status_code == 200
    assert code_from(client.get(authorize_query(app, pkce()[1])))["code"]


def test_a_page_on_the_way_back_to_an_apps_sign_in_may_lead_to_the_app_and_nowhere_else(client, world):
    """The login page's form may end at the app (a returning user's code comes at once): its CSP form-action allows
    the app's registered origin, and only for an active app's registered redirect URI."""
    app = register(client, world.city_admin, world.city)

    def form_action(query: str) -> str:
        page = client.get("/accounts/login/", {"next": query})
        assert page.status_code == 200
        policy = page.headers["Content-Security-Policy"]
        return next(part for part in policy.split(";") if part.strip().startswith("form-action"))

    assert "https://app.example.cn" in form_action(authorize_query(app, pkce()[1]))
    assert "https://evil.example" not in form_action(authorize_query(app, pkce()[1],
                                                                     redirect_uri="https://evil.example/cb"))
    App.objects.filter(pk=app.id).update(active=False)
    assert "https://app.example.cn" not in form_action(authorize_query(app, pkce()[1]))
    assert form_action("/my/me/").split() == ["form-action", "'self'"]


def test_the_api_lists_and_withdraws_what_the_user_allowed_and_nothing_of_anyone_else(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    mine = Client(**bearer(world.student_a))
    listed = mine.get("/api/v1/apps/allowed").json()
    assert [(a["app_id"], a["app"], a["claims"]) for a in listed] == [(app.id, "智慧作业",
                                                                      ["name", "role", "school", "class"])]
    other = Client(**bearer(world.student_b))
    assert other.get("/api/v1/apps/allowed").json() == []
    refused = other.delete(f"/api/v1/apps/allowed/{app.id}")
    assert refused.status_code == 404 and refused.json()["code"] == "scope.not_found"
    assert userinfo(client, tokens["access_token"]).status_code == 200
    assert mine.delete(f"/api/v1/apps/allowed/{app.id}").status_code == 204
    assert mine.get("/api/v1/apps/allowed").json() == []
    assert userinfo(client, tokens["access_token"]).status_code == 401
    assert mine.delete(f"/api/v1/apps/allowed/{app.id}").status_code == 404
