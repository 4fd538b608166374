"""The OpenID Connect provider (issue 17 items 1-3, INT-1): apps registered by province and city admins, the
code flow with PKCE S256, pairwise subjects and minimal claims of the identity the user chose, tokens that end
with the account's credentials, and the Basic OP checks of the OpenID conformance suite re-created here."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renrentong.core.models import AuditEvent
from renrentong.integration.models import AccessToken, App, Grant, IDToken
from renrentong.integration.oidc.validator import Validator

from tests.factories import as_user, bearer
from tests.integration.oidc_flows import (REDIRECT, authorize_query, basic, code_from, consent, exchange,
                                          id_claims, pkce, register, sign_in, userinfo)


def api_error(response):
    return response.status_code, response.json().get("code")


def test_province_and_city_admins_register_apps_and_the_secret_is_kept_hashed(client, world):
    app = register(client, world.city_admin, world.city)
    row = App.objects.get(pk=app.id)
    assert identify_hasher(row.client_secret).algorithm == "rrt_client_secret"
    assert app.secret not in row.client_secret
    assert AuditEvent.objects.filter(verb="apps.register", target_id=app.id).exists()
    listed = client.get("/api/v1/apps", **bearer(world.province_admin)).json()
    assert [a["client_id"] for a in listed] == [app.client_id] and "client_secret" not in listed[0]
    for admin in (world.district_admin_x, world.school_admin_a, world.teacher_a):
        refused = client.post("/api/v1/apps", json.dumps({"region_id": world.district_x.pk, "name": "x",
                                                          "redirect_uris": [REDIRECT]}),
                              content_type="application/json", **bearer(admin))
        assert api_error(refused) == (403, "apps.not_allowed")


@pytest.mark.parametrize("body, code", [
    ({"redirect_uris": ["http://app.example.cn/cb"]}, "apps.redirect_uri_invalid"),
    ({"redirect_uris": ["https://app.example.cn/cb#frag"]}, "apps.redirect_uri_invalid"),
    ({"redirect_uris": ["/relative"]}, "apps.redirect_uri_invalid"),
    ({"claims": ["id_number"]}, "apps.claims_unknown"),
    ({"name": "  "}, "apps.name_required"),
])
def test_a_registration_with_a_bad_field_is_refused_with_its_cause(client, world, body, code):
    sent = {"region_id": world.city.pk, "name": "应用", "redirect_uris": [REDIRECT], **body}
    response = client.post("/api/v1/apps", json.dumps(sent), content_type="application/json",
                           **bearer(world.city_admin))
    assert api_error(response) == (400, code)


def test_an_app_of_a_district_cannot_name_a_school_outside_it(client, world):
    response = client.post("/api/v1/apps", json.dumps({
        "region_id": world.district_x.pk, "name": "区应用", "redirect_uris": [REDIRECT],
        "school_ids": [world.school_b.pk]}), content_type="application/json", **bearer(world.city_admin))
    assert api_error(response) == (400, "apps.school_outside_region")


def test_discovery_names_the_issuer_and_only_what_is_allowed(client, world):
    found = client.get("/oauth/.well-known/openid-configuration").json()
    assert found["issuer"].endswith("/oauth")
    assert found["response_types_supported"] == ["code"]
    assert found["subject_types_supported"] == ["pairwise"]
    assert found["code_challenge_methods_supported"] == ["S256"]
    assert set(found["claims_supported"]) >= {"sub", "name", "role", "school", "class"}
    keys = client.get("/oauth/.well-known/jwks.json").json()["keys"]
    assert keys and all(k["kid"] and k["kty"] == "RSA" and "d" not in k for k in keys)


def test_a_student_signs_in_with_pkce_and_the_app_learns_only_the_granted_claims(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    claims = id_claims(client, tokens["id_token"], app)
    signed_in = AuditEvent.objects.get(verb="oidc.authorize")
    assert signed_in.actor_account == world.student_a and signed_in.target_id == app.id
    assert signed_in.details["identity"] == world.student_a.identities.get().pk
    assert claims["iss"] == client.get("/oauth/.well-known/openid-configuration").json()["issuer"]
    assert claims["nonce"] == "n-1"
    assert claims["name"] == "李小明" and claims["role"] == "student"
    assert claims["school"] == {"code": "A0001", "name": "芙蓉第一小学"}
    assert claims["class"] == world.class_a1.display_name()
    info = userinfo(client, tokens["access_token"])
    assert info.status_code == 200
    assert info.json() == {k: claims[k] for k in ("sub", "name", "role", "school", "class")}
    text = json.dumps(info.json()) + json.dumps(claims)
    person = world.student_a.person
    assert person.reveal_id_number() not in text and (world.student_a.phone or "no phone") not in text
    # Userinfo by POST, the token in the header or in the body (OIDC Core 5.3.1).
    assert client.post("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").json() == info.json()
    assert client.post("/oauth/userinfo/", {"access_token": tokens["access_token"]}).status_code in (200, 401)


def test_the_subject_is_pairwise_and_a_narrow_grant_gets_the_subject_alone(client, world):
    first = register(client, world.city_admin, world.city)
    second = register(client, world.province_admin, world.province, claims=())
    as_user(client, world.student_a)
    one = id_claims(client, sign_in(client, first)["id_token"], first)
    two = id_claims(client, sign_in(client, second)["id_token"], second)
    assert one["sub"] != two["sub"]
    assert one["sub"] == id_claims(client, sign_in(client, first)["id_token"], first)["sub"]  # stable per app
    assert not {"name", "role", "school", "class"} & two.keys()


def test_a_parent_picks_an_identity_and_sees_their_children_in_served_schools_only(client, world):
    from tests.factories import make_student

    other_child = make_student(world.class_b1, "李小华")
    from renrentong.accounts.models import Guardianship

    Guardianship.objects.create(guardian=world.parent_a.person, student=other_child.person, school_id=world.school_b.pk)
    app = register(client, world.city_admin, world.district_x, claims=("name", "school", "class"))
    as_user(client, world.parent_a)
    claims = id_claims(client, sign_in(client, app)["id_token"], app)
    assert [c["name"] for c in claims["children"]] == ["李小明"]  # 李小华's school is outside the app's district


def test_a_user_the_app_does_not_serve_is_told_who_can_change_that(client, world):
    app = register(client, world.city_admin, world.district_y)
    as_user(client, world.student_a)  # school A is in district X
    page = client.get(authorize_query(app, pkce()[1]))
    assert page.status_code == 200 and 'data-testid="consent-not-served"' in page.content.decode()
    refused = client.post("/oauth/authorize/", {**{k: v or "" for k, v in page.context["form"].initial.items()},
                                                 "allow": "1", "identity": world.student_a.identities.get().pk})
    assert refused.status_code == 200 and refused.context["form"].errors


def test_pkce_is_required_and_plain_is_refused(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    missing = client.get(authorize_query(app, None, code_challenge_method=None))
    assert missing.status_code == 302 and "error=invalid_request" in missing["Location"]
    # "plain" is refused before any code is issued (the toolkit checks it when the grant is made).
    plain = consent(client, app, "x" * 43, code_challenge_method="plain")
    assert plain.status_code == 302
    assert "error=invalid_request" in plain["Location"] and "code=" not in plain["Location"]
    verifier, challenge = pkce()
    code = code_from(consent(client, app, challenge))["code"]
    assert exchange(client, app, code, "wrong-verifier-" + "x" * 40).json()["error"] == "invalid_grant"


def test_the_authorization_response_names_the_issuer(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    answer = code_from(consent(client, app, pkce()[1]))
    assert answer["state"] == "st-1" and answer["iss"].endswith("/oauth")


def test_the_consent_writes_its_grant_once_with_the_chosen_identity(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    with CaptureQueriesContext(connection) as queries:
        code = code_from(consent(client, app, pkce()[1]))["code"]
    table = Grant._meta.db_table
    writes = [q["sql"] for q in queries.captured_queries
              if table in q["sql"] and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("INSERT"), writes
    grant = Grant.objects.get(code=code)
    assert grant.identity.account == world.student_a and grant.sid
    assert grant.epoch == world.student_a.credentials_epoch
    # The page and its POST each read the app once (the toolkit asks for it by client_id up to three times).
    reads = [q["sql"] for q in queries.captured_queries
             if q["sql"].lstrip().upper().startswith("SELECT") and f'FROM "{App._meta.db_table}"' in q["sql"]]
    assert len(reads) == 2, reads


def test_a_reused_code_is_refused_and_what_it_gave_is_revoked(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    verifier, challenge = pkce()
    code = code_from(consent(client, app, challenge))["code"]
    first = exchange(client, app, code, verifier).json()
    assert userinfo(client, first["access_token"]).status_code == 200
    again = exchange(client, app, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert userinfo(client, first["access_token"]).status_code == 401 and not IDToken.objects.exists()
    assert AuditEvent.objects.filter(verb="oidc.code_reused", actor_account=world.student_a).exists()
    refreshed = client.post("/oauth/token/", {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
                            **basic(app))
    assert refreshed.json()["error"] == "invalid_grant"


def test_a_code_exchanged_twice_at_once_gives_tokens_to_neither_the_second_nor_the_first(client, world,
                                                                                           monkeypatch):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    verifier, challenge = pkce()
    code = code_from(consent(client, app, challenge))["code"]
    first = exchange(client, app, code, verifier).json()
    # The second exchange is checked before the first marks the code used, as when both run at the same moment.
    Grant.objects.filter(code=code).update(used_at=None)
    checked = Validator.validate_code

    def first_marks_it_meanwhile(self, *args, **kwargs):
        valid = checked(self, *args, **kwargs)
        Grant.objects.filter(code=code).update(used_at=timezone.now())
        return valid

    monkeypatch.setattr(Validator, "validate_code", first_marks_it_meanwhile)
    again = exchange(client, app, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.filter(grant__code=code).exists() and not IDToken.objects.exists()
    assert userinfo(client, first["access_token"]).status_code == 401
    assert AuditEvent.objects.filter(verb="oidc.code_reused", actor_account=world.student_a).exists()


def test_an_exchange_reads_the_grant_once_and_writes_in_one_transaction(client, world):
    """A regression guard for the token endpoint's cost (issue 17, docs/benchmarks.md "oidc"): the grant read
    once (its identity in a query of its own, cheaper for PostgreSQL to plan than one join of seven tables), the
    app once, the class once; the code's used mark, the ID token, the access and the refresh token written
    together."""
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    verifier, challenge = pkce()
    code = code_from(consent(client, app, challenge))["code"]
    with CaptureQueriesContext(connection) as queries:
        answer = Client().post("/oauth/token/", {"grant_type": "authorization_code", "code": code,
                                                 "redirect_uri": REDIRECT, "code_verifier": verifier}, **basic(app))
    assert answer.status_code == 200, answer.content
    statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    transaction_control = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
    work = [sql for sql in statements if not sql.startswith(transaction_control)]
    assert sum(f'FROM "{Grant._meta.db_table.upper()}"' in sql for sql in work) == 1
    assert len(work) <= 8, work  # 4 reads, 4 writes
    first_write = next(i for i, sql in enumerate(statements) if sql.startswith(("INSERT", "UPDATE")))
    assert not any(sql.startswith(("SAVEPOINT", "BEGIN")) for sql in statements[first_write:]), statements
    tokens = answer.json()
    assert str(IDToken.objects.get().jti) == id_claims(client, tokens["id_token"], app)["jti"]
    assert AccessToken.objects.get().id_token == IDToken.objects.get()
    assert Grant.objects.get(code=code).used_at is not None


def test_an_unregistered_or_missing_redirect_uri_is_never_redirected_to(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    for uri in ("https://evil.example.com/cb", None):
        page = client.get(authorize_query(app, pkce()[1], redirect_uri=uri))
        assert page.status_code == 400 and 'data-testid="oauth-error"' in page.content.decode()


def test_prompt_none_without_a_session_answers_login_required(client, world):
    app = register(client, world.city_admin, world.city)
    response = client.get(authorize_query(app, pkce()[1], prompt="none"))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.geturl().startswith(REDIRECT) and parse_qs(location.query)["error"] == ["login_required"]


@pytest.mark.parametrize("more", [{"prompt": "login"}, {"max_age": "0"}])
def test_prompt_login_and_an_exceeded_max_age_ask_for_the_login_again(client, world, more):
    import time

    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    session = client.session
    session["auth_time"] = time.time() - 5
    session.save()
    response = client.get(authorize_query(app, pkce()[1], **more))
    assert response.status_code == 302 and urlsplit(response["Location"]).path == "/accounts/login/"


def test_a_recent_login_satisfies_max_age(client, world):
    import time

    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    session = client.session
    session["auth_time"] = time.time()
    session.save()
    assert client.get(authorize_query(app, pkce()[1], max_age="600")).status_code == 200


def test_a_refresh_token_works_once_and_its_reuse_ends_the_family(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    renewed = client.post("/oauth/token/", refresh, **basic(app))
    assert renewed.status_code == 200 and userinfo(client, renewed.json()["access_token"]).status_code == 200
    assert client.post("/oauth/token/", refresh, **basic(app)).json()["error"] == "invalid_grant"
    again = client.post("/oauth/token/", {"grant_type": "refresh_token",
                                          "refresh_token": renewed.json()["refresh_token"]}, **basic(app))
    assert again.json()["error"] == "invalid_grant"


def test_tokens_are_stored_hashed(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    stored = AccessToken.objects.get()
    assert stored.token != tokens["access_token"] and tokens["access_token"] not in stored.token


def test_a_freeze_or_a_password_reset_ends_the_accounts_tokens_at_once(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    frozen = client.post(f"/api/v1/school/users/{world.student_a.pk}/freeze", **bearer(world.school_admin_a))
    assert frozen.status_code == 200, frozen.content
    assert userinfo(client, tokens["access_token"]).status_code == 401
    refresh = client.post("/oauth/token/", {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
                          **basic(app))
    assert refresh.json()["error"] == "invalid_grant"


def test_a_password_reset_ends_the_tokens(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    reset = client.post("/api/v1/resets", json.dumps({"account_ids": [world.student_a.pk]}),
                        content_type="application/json", **bearer(world.school_admin_a))
    assert reset.status_code == 200, reset.content
    assert userinfo(client, tokens["access_token"]).status_code == 401


def test_a_suspended_app_loses_its_tokens(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    tokens = sign_in(client, app)
    suspended = client.put(f"/api/v1/apps/{app.id}/active", json.dumps({"active": False}),
                           content_type="application/json", **bearer(world.city_admin))
    assert suspended.status_code == 200 and suspended.json()["active"] is False
    assert userinfo(client, tokens["access_token"]).status_code == 401
    outsider = client.put(f"/api/v1/apps/{app.id}/active", json.dumps({"active": True}),
                          content_type="application/json", **bearer(world.district_admin_x))
    assert api_error(outsider) == (403, "apps.not_allowed")


def test_an_id_token_hint_of_someone_else_does_not_answer_silently(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_b)
    hint = sign_in(client, app)["id_token"]
    client.logout()
    as_user(client, world.student_a)
    response = client.get(authorize_query(app, pkce()[1], prompt="none", id_token_hint=hint))
    assert response.status_code == 302 and "error=" in response["Location"] and "code=" not in response["Location"]


def test_prompt_none_with_a_session_answers_consent_required_because_the_identity_is_chosen(client, world):
    app = register(client, world.city_admin, world.city)
    as_user(client, world.student_a)
    response = client.get(authorize_query(app, pkce()[1], prompt="none"))
    assert response.status_code == 302
    answer = parse_qs(urlsplit(response["Location"]).query)
    assert answer["error"] == ["consent_required"] and answer["state"] == ["st-1"] and "code" not in answer


def test_refusals_are_challenged_in_the_scheme_the_client_used(client, world):
    app = register(client, world.city_admin, world.city)
    wrong = basic(type(app)(app.id, app.client_id, "not-the-secret"))
    refused = client.post("/oauth/token/", {"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT,
                                            "code_verifier": "v" * 43}, **wrong)
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Basic ")
    bare = client.get("/oauth/userinfo/")
    assert bare.status_code == 401 and bare["WWW-Authenticate"] == 'Bearer realm="oauth"'
    bad = client.get("/oauth/userinfo/", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401 and 'error="invalid_token"' in bad["WWW-Authenticate"]


def test_a_forced_password_change_leads_back_to_the_apps_sign_in(client, world):
    """A first login through an app's sign-in: after choosing a password the user is back on the consent page,
    and a `next` of another site is never followed."""
    app = register(client, world.city_admin, world.city)
    student = world.student_a
    authorize = authorize_query(app, pkce()[1])
    to_login = client.get(authorize)
    assert to_login.status_code == 302 and to_login["Location"].startswith("/accounts/login/")
    login = client.post("/accounts/login/", {"identifier": student.number, "password": f"Pw{student.number[-6:]}@",
                                             "next": parse_qs(urlsplit(to_login["Location"]).query)["next"][0]})
    change = login["Location"]
    assert urlsplit(change).path == "/accounts/password/"
    assert parse_qs(urlsplit(change).query)["next"] == [authorize]
    # Signed in but not yet changed: the app's sign-in sends the user to the change again, still carrying it.
    assert client.get(authorize)["Location"] == change
    assert f'name="next" value="{authorize.replace("&", "&amp;")}"' in client.get(change).content.decode()
    done = client.post(change, {"new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL", "next": authorize})
    assert done.status_code == 302 and done["Location"] == authorize
    assert client.get(authorize).status_code == 200  # the consent page
    code_from(consent(client, app, pkce()[1]))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_a_forced_password_change_never_leads_off_the_site(client, world, target):
    student = world.student_a
    client.post("/accounts/login/", {"identifier": student.number, "password": f"Pw{student.number[-6:]}@"})
    done = client.post(f"/accounts/password/?next={target}", {"new_password": "Xk9#mPq2vL",
                                                              "repeat_password": "Xk9#mPq2vL", "next": target})
    assert done.status_code == 302 and done["Location"] == "/"


@pytest.mark.parametrize("who", ["student_a", "teacher_a"])  # the phone shell, and the console at a desk
def test_the_consent_page_leads_only_back_to_the_app(client, world, who):
    """A step of the app's sign-in: the shell's frame without its navigation or identity switcher, which lead
    away from the sign-in (the identity it signs in as is the page's own choice)."""
    app = register(client, world.city_admin, world.city)
    as_user(client, getattr(world, who))
    away = ('data-testid="tab-', 'data-testid="who"', 'id="rr-sidebar"', 'data-testid="menu-toggle"',
            'data-testid="identity-')
    home = client.get("/").content.decode()
    assert any(mark in home for mark in away)  # what the other pages of this shell have
    page = client.get(authorize_query(app, pkce()[1]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="consent-form"' in html
    assert not [mark for mark in away if mark in html]
    logout = client.get("/oauth/logout/")  # the app's other step, RP-initiated logout's confirmation
    assert logout.status_code == 200 and 'data-testid="logout-form"' in logout.content.decode()
    assert not [mark for mark in away if mark in logout.content.decode()]
