"""INT-1 in Chromium at phone width: an app's sign-in link leads a student through the platform's login page to
the consent page (the app, what it learns and never learns, the identity), and "allow" returns a code that
exchanges for tokens; a parent who also teaches picks who signs in and the ID token's role follows the pick;
"deny" returns access_denied; RP-initiated logout asks, ends the platform session and returns to the app; axe
finds nothing serious on the consent and logout pages, whose identity choices read as pairs at phone width.
The app has no server: its https pages (the redirect URI, the post-logout URI) are answered inside the browser
by Playwright's routing."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from renrentong.accounts.models import Identity

from tests.browser.helpers import chinese, log_in
from tests.browser.platform.test_every_page import axe_findings
from tests.factories import NEW_PASSWORD, as_user, give_password
from tests.integration import oidc_flows
from tests.integration.oidc_flows import REDIRECT, Client, authorize_query, id_claims, pkce, register

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
APP_SITE = "https://app.example.cn"  # REDIRECT's origin
AFTER = f"{APP_SITE}/bye"  # the app's registered post_logout_redirect_uri
STATE, NONCE = "st-b1", "n-b1"
APP_PAGE = "<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>智慧作业</title><p>智慧作业</p></html>"


@pytest.fixture
def issuer(live_server, settings):
    """The provider names the live server as its issuer (tests/integration/test_real_clients.py)."""
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": live_server.url + "/oauth"}
    return live_server.url + "/oauth"


@pytest.fixture
def app(client, world, issuer) -> Client:
    """智慧作业, registered by the city admin for every school of the city, with a post-logout URI."""
    return register(client, world.city_admin, world.city, post_logout_redirect_uris=[AFTER])


@pytest.fixture
def phone(new_page) -> Page:
    """A phone's browser in which the app's site answers with a tiny page of its own."""
    page = new_page(viewport=PHONE)
    page.route(f"{APP_SITE}/**", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                             body=APP_PAGE))
    return page


def follow_app_link(page: Page, app: Client) -> str:
    """The app sends the browser to the platform (code flow, PKCE S256, state, nonce); returns the verifier."""
    verifier, challenge = pkce()
    page.goto(authorize_query(app, challenge, state=STATE, nonce=NONCE))
    return verifier


def log_in_on_the_way(page: Page, account) -> None:
    """The platform's login page the link led to, and back to the consent page."""
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/oauth/authorize/"))
    page.fill("#identifier", give_password(account).number)
    page.fill("#password", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    # Straight back to the consent page, which asks for the identity: even an account with several.
    expect(page).to_have_url(re.compile(r"/oauth/authorize/\?"))
    expect(page.get_by_test_id("consent-form")).to_be_visible()


def back_at_app(page: Page, where: str = REDIRECT) -> dict:
    """The query the app's page was opened with. Chromium holds the redirect that answers a form to the form
    page's CSP form-action, so the consent and logout pages must allow the app's origin there."""
    expect(page).to_have_url(re.compile("^" + re.escape(where) + r"\?"))
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def exchange(issuer: str, app: Client, code: str, verifier: str) -> dict:
    """The app's server redeems the code at the token endpoint, over HTTP."""
    response = requests.post(issuer + "/token/", auth=(app.client_id, app.secret), timeout=30, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()


def browser_sign_in(page: Page, app: Client, account, issuer: str) -> dict:
    """The whole code flow in the browser as `account`, allowing as the pre-selected identity; the tokens."""
    verifier = follow_app_link(page, app)
    log_in_on_the_way(page, account)
    page.get_by_test_id("consent-allow").click()
    return exchange(issuer, app, back_at_app(page)["code"], verifier)


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def logout_url(id_token: str) -> str:
    return "/oauth/logout/?" + urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": AFTER,
                                          "state": "s-9"})


# What reads wrong on the consent page: a radio whose label is not beside it on its line, a list whose bullets
# hang out of the text column (into the card's padding).
LAYOUT = """form => {
  const found = [], box = el => el.getBoundingClientRect();
  for (const radio of form.querySelectorAll('input[type=radio]')) {
    const r = box(radio), l = box(radio.labels[0]);
    if (!((radio.labels[0].contains(radio) || l.left >= r.right) && l.top < r.bottom && l.bottom > r.top))
      found.push(`label ${radio.labels[0].textContent.trim()} not beside its radio`);
  }
  const text = box(form.querySelector('h1')).left;
  for (const item of form.querySelectorAll('ul > li')) {
    const style = getComputedStyle(item);
    const marked = style.listStyleType !== 'none' && style.listStylePosition === 'outside';
    if (marked && box(item).left <= text) found.push(`bullet of ${item.textContent.trim()} outside the text column`);
  }
  return found;
}"""


def test_a_student_follows_an_apps_link_logs_in_allows_and_the_app_gets_tokens(phone, app, issuer, world, client):
    student = world.student_a
    verifier = follow_app_link(phone, app)
    log_in_on_the_way(phone, student)
    expect(phone.get_by_test_id("consent-app")).to_have_text(
        chinese(lambda: gettext("“%(app)s” asks to sign you in") % {"app": "智慧作业"}))
    learns = phone.get_by_test_id("consent-claims").locator("li")
    expect(learns).to_have_text([chinese(lambda: gettext(text)) for text in (
        "a number that identifies you to this app only", "your name",
        "whether you are a student, parent, teacher or admin", "your school (for a parent: your children's)",
        "your class (for a parent: your children's)")])
    form = phone.get_by_test_id("consent-form")
    expect(form).to_contain_text(chinese(lambda: gettext("Never your ID number, student number or phone number.")))
    identity = student.identities.get()
    chosen = phone.get_by_test_id("consent-identities").get_by_role("radio")
    expect(chosen).to_have_count(1)
    expect(phone.get_by_label(chinese(identity.label))).to_be_checked()
    assert fits(phone)

    phone.get_by_test_id("consent-allow").click()
    returned = back_at_app(phone)
    assert returned["state"] == STATE and returned["iss"] == issuer and returned["code"]
    tokens = exchange(issuer, app, returned["code"], verifier)
    assert tokens["token_type"] == "Bearer" and tokens["scope"] == "openid profile"
    claims = id_claims(client, tokens["id_token"], app)
    assert claims["iss"] == issuer and claims["nonce"] == NONCE
    assert claims["name"] == "李小明" and claims["role"] == "student"
    assert claims["school"] == {"code": "A0001", "name": "芙蓉第一小学"}
    info = requests.get(issuer + "/userinfo/", headers={"Authorization": f"Bearer {tokens['access_token']}"},
                        timeout=30)
    assert info.status_code == 200 and info.json()["sub"] == claims["sub"]


def test_a_parent_who_also_teaches_picks_who_signs_in_and_the_role_follows(phone, app, issuer, world, client):
    parent = world.parent_a
    guardian = parent.identities.get()
    teacher = Identity.objects.create(account=parent, kind=Identity.Kind.TEACHER, school=world.school_a)
    verifier = follow_app_link(phone, app)
    log_in_on_the_way(phone, parent)
    choices = phone.get_by_test_id("consent-identities")
    expect(choices.get_by_role("radio")).to_have_count(2)
    expect(choices.get_by_label(chinese(guardian.label))).to_be_visible()
    pick = choices.get_by_label(chinese(teacher.label))
    pick.check()
    expect(pick).to_be_checked()
    assert fits(phone)
    phone.get_by_test_id("consent-allow").click()
    tokens = exchange(issuer, app, back_at_app(phone)["code"], verifier)
    claims = id_claims(client, tokens["id_token"], app)
    assert claims["role"] == "teacher" and claims["name"] == "李大明"
    assert claims["school"] == {"code": "A0001", "name": "芙蓉第一小学"} and "children" not in claims


def test_a_first_login_through_an_app_changes_the_password_and_returns_to_the_consent(phone, app, issuer, world,
                                                                                      client):
    """A student still on the initial password: the forced change comes first, then the app's sign-in goes on."""
    student = world.student_a
    verifier = follow_app_link(phone, app)
    expect(phone).to_have_url(re.compile(r"/accounts/login/\?next=/oauth/authorize/"))
    phone.fill("#identifier", student.number)
    phone.fill("#password", f"Pw{student.number[-6:]}@")
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/accounts/password/\?next=%2Foauth%2Fauthorize%2F"))
    expect(phone.get_by_test_id("forced-change")).to_be_visible()
    phone.fill("#new_password", NEW_PASSWORD)
    phone.fill("#repeat_password", NEW_PASSWORD)
    phone.get_by_test_id("save").click()
    expect(phone).to_have_url(re.compile(r"/oauth/authorize/\?"))
    phone.get_by_test_id("consent-allow").click()
    tokens = exchange(issuer, app, back_at_app(phone)["code"], verifier)
    assert id_claims(client, tokens["id_token"], app)["role"] == "student"


def test_deny_sends_the_app_access_denied(phone, app, issuer, world):
    follow_app_link(phone, app)
    log_in_on_the_way(phone, world.student_a)
    phone.get_by_test_id("consent-deny").click()
    returned = back_at_app(phone)
    assert returned["error"] == "access_denied" and returned["state"] == STATE and "code" not in returned
    assert returned.get("iss") == issuer  # RFC 9207 section 2: error responses name the issuer too


def test_the_app_signs_the_user_out_of_the_platform_and_gets_them_back_with_its_state(phone, app, issuer, world):
    tokens = browser_sign_in(phone, app, world.student_a, issuer)
    phone.goto(logout_url(tokens["id_token"]))
    form = phone.get_by_test_id("logout-form")
    expect(form.locator("h1")).to_have_text(
        chinese(lambda: gettext("“%(app)s” asks to sign you out") % {"app": "智慧作业"}))
    expect(phone.get_by_test_id("logout-deny")).to_be_visible()
    assert fits(phone)
    phone.get_by_test_id("logout-allow").click()
    assert back_at_app(phone, AFTER) == {"state": "s-9"}
    phone.goto("/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    expect(phone.get_by_test_id("login-form")).to_be_visible()
    info = requests.get(issuer + "/userinfo/", headers={"Authorization": f"Bearer {tokens['access_token']}"},
                        timeout=30)
    assert info.status_code == 401  # what this session signed in to ended with it


def test_axe_finds_nothing_serious_on_the_consent_and_logout_pages(phone, app, world, client):
    # The ID token comes from a sign-in of another browser (the test client), so this test needs no return to the app.
    student = give_password(world.student_a)
    hint = oidc_flows.sign_in(as_user(client, student), app)["id_token"]
    log_in(phone, student.number, NEW_PASSWORD)
    phone.goto(authorize_query(app, pkce()[1], prompt="consent"))  # allowed already (the sign-in above): ask again
    expect(phone.get_by_test_id("consent-form")).to_be_visible()
    assert axe_findings(phone) == []
    phone.goto(logout_url(hint))
    expect(phone.get_by_test_id("logout-form")).to_be_visible()
    assert axe_findings(phone) == []


def test_the_consent_page_pairs_each_identity_with_its_label_at_phone_width(phone, app, world):
    parent = give_password(world.parent_a)
    Identity.objects.create(account=parent, kind=Identity.Kind.TEACHER, school=world.school_a)
    log_in(phone, parent.number, NEW_PASSWORD)
    phone.get_by_test_id("identity-guardian").click()  # the platform asks which identity first
    expect(phone.get_by_test_id("tab-me")).to_be_visible()
    follow_app_link(phone, app)
    form = phone.get_by_test_id("consent-form")
    expect(form.get_by_role("radio")).to_have_count(2)
    assert fits(phone)
    misplaced = form.evaluate(LAYOUT)
    assert not misplaced, misplaced


def test_a_returning_student_skips_the_consent_and_withdraws_the_app_from_their_page(phone, app, issuer, world,
                                                                                      client):
    """Allowed once, the app's next sign-in goes from the login page straight back to the app; on 我的 → 我授权的应用
    the student sees it, withdraws it (it is signed out), and the next sign-in asks again."""
    student = world.student_a
    first = browser_sign_in(phone, app, student, issuer)
    phone.goto("/my/me/")
    phone.get_by_test_id("logout").click()
    verifier = follow_app_link(phone, app)
    expect(phone).to_have_url(re.compile(r"/accounts/login/\?next=/oauth/authorize/"))
    phone.fill("#identifier", student.number)
    phone.fill("#password", NEW_PASSWORD)
    phone.locator("main form button[type=submit]").click()
    again = exchange(issuer, app, back_at_app(phone)["code"], verifier)  # no consent page on the way
    assert id_claims(client, again["id_token"], app)["sub"] == id_claims(client, first["id_token"], app)["sub"]

    phone.goto("/my/me/")
    phone.get_by_test_id("nav-allowed-apps").click()
    row = phone.get_by_test_id(f"allowed-app-{app.id}")
    expect(row).to_contain_text("智慧作业")
    label = chinese(student.identities.get().label)
    expect(row).to_contain_text(chinese(lambda: gettext("As %(identity)s") % {"identity": label}))
    expect(row).to_contain_text(chinese(lambda: gettext("name")))
    assert fits(phone) and not axe_findings(phone)
    phone.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button").click()
    expect(phone.get_by_test_id("no-allowed-apps")).to_be_visible()
    expect(phone.get_by_test_id("flash")).to_contain_text("智慧作业")
    info = requests.get(issuer + "/userinfo/", headers={"Authorization": f"Bearer {again['access_token']}"},
                        timeout=30)
    assert info.status_code == 401  # the app is signed out of the account
    follow_app_link(phone, app)
    expect(phone.get_by_test_id("consent-form")).to_be_visible()
