"""The OneRoster 1.2 rostering service (issue 17 item 6): read-only, for a registered app with its own token
(client credentials and the roster scopes), seeing only the schools it serves."""

from __future__ import annotations

import pytest

from renrentong.accounts.models import Person
from renrentong.integration.models import App
from renrentong.integration.oneroster.refresh import refresh_due

from tests.factories import as_user
from tests.integration.oidc_flows import basic, register, sign_in

BASE = "/ims/oneroster/rostering/v1p2"


@pytest.fixture
def app(client, world):
    """An app of district X (school A only), granted core rosters; the worker has refreshed every school."""
    registered = register(client, world.city_admin, world.district_x, roster_scopes=["roster-core.readonly"])
    refresh_due()
    return registered


def token(client, app, scope: str | None = None):
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    return client.post("/oauth/token/", data, **basic(app))


@pytest.fixture
def auth(client, app):
    answer = token(client, app)
    assert answer.status_code == 200, answer.content
    assert answer.json()["scope"] == "roster-core.readonly" and "refresh_token" not in answer.json()
    return {"HTTP_AUTHORIZATION": f"Bearer {answer.json()['access_token']}"}


def get(client, auth, path, **params):
    return client.get(f"{BASE}{path}", params, **auth)


def minor(answer) -> str:
    return answer.json()["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


def names(answer, key="users") -> set[str]:
    return {u["familyName"] + u["givenName"] for u in answer.json()[key]}


def test_an_app_reads_only_the_schools_it_serves(client, world, auth):
    users = get(client, auth, "/users")
    assert users.status_code == 200
    assert names(users) == {"李小明", "周小刚", "李大明", "王老师", "刘班主任"}
    assert users["X-Total-Count"] == "5"
    schools = get(client, auth, "/schools").json()["orgs"]
    assert [s["name"] for s in schools] == ["芙蓉第一小学"]
    orgs = {o["name"] for o in get(client, auth, "/orgs").json()["orgs"]}
    assert orgs == {"湖南省", "长沙市", "芙蓉区", "芙蓉第一小学"}


def test_a_user_in_the_rest_binding_shape(client, world, auth):
    found = get(client, auth, "/students", filter="givenName='小明'").json()["users"]
    assert len(found) == 1
    student = found[0]
    assert student["userIds"] == [{"type": "account", "identifier": world.student_a.number}]
    assert student["enabledUser"] is True and student["grades"] == ["03"]
    assert [r["role"] for r in student["roles"]] == ["student"] and student["roles"][0]["org"]["type"] == "org"
    parent = get(client, auth, f"/users/{student['agents'][0]['sourcedId']}").json()["user"]
    assert parent["familyName"] + parent["givenName"] == "李大明" and parent["phone"] == ""
    assert get(client, auth, f"/students/{parent['sourcedId']}").status_code == 404  # a parent is no student


def test_another_schools_object_is_unknown_whatever_id_is_asked(client, world, auth, app):
    other = register(client, world.city_admin, world.district_y, roster_scopes=["roster-core.readonly"])
    theirs = get(client, {"HTTP_AUTHORIZATION": "Bearer " + token(client, other).json()["access_token"]}, "/users")
    student_b = next(u for u in theirs.json()["users"] if u["familyName"] + u["givenName"] == "陈小红")
    for path in (f"/users/{student_b['sourcedId']}", f"/students/{student_b['sourcedId']}/classes",
                 "/users/not-a-sourced-id"):
        answer = get(client, auth, path)
        assert answer.status_code == 404 and minor(answer) == "unknown_object"
        assert answer.json()["imsx_codeMajor"] == "failure" and "400-800-1234" in answer.json()["imsx_description"]


def test_filter_sort_fields_and_paging(client, world, auth):
    li = get(client, auth, "/users", filter="familyName='李'")
    assert names(li) == {"李小明", "李大明"}
    either = get(client, auth, "/users", filter="givenName~'小' OR familyName='王'")
    assert names(either) == {"李小明", "周小刚", "王老师"}
    ordered = get(client, auth, "/users", sort="username", orderBy="desc").json()["users"]
    assert [u["username"] for u in ordered] == sorted((u["username"] for u in ordered), reverse=True)
    slim = get(client, auth, "/users", fields="sourcedId,givenName").json()["users"]
    assert all(set(u) == {"sourcedId", "givenName"} for u in slim)
    page = get(client, auth, "/users", limit="2", offset="2", sort="username")
    assert len(page.json()["users"]) == 2 and page["X-Total-Count"] == "5"
    assert 'rel="next"' in page["Link"] and 'rel="prev"' in page["Link"] and "offset=4" in page["Link"]
    for params, code in (({"filter": "shoeSize='42'"}, "invalid_filter_field"),
                         ({"filter": "familyName='李"}, "invalid_filter_field"),
                         ({"fields": "sourcedId,shoeSize"}, "invalid_selection_field"),
                         ({"sort": "shoeSize"}, "invalid_sort_field"),
                         ({"limit": "many"}, "invalid_limit")):
        answer = get(client, auth, "/users", **params)
        assert answer.status_code == 400 and minor(answer) == code, params


def test_nested_paths(client, world, auth):
    school = get(client, auth, "/schools").json()["orgs"][0]["sourcedId"]
    classes = get(client, auth, f"/schools/{school}/classes").json()["classes"]
    assert sorted(c["title"] for c in classes) == ["三年级1班", "三年级2班"]
    first = next(c for c in classes if c["title"] == "三年级1班")
    assert names(get(client, auth, f"/classes/{first['sourcedId']}/students")) == {"李小明"}
    assert names(get(client, auth, f"/classes/{first['sourcedId']}/teachers")) == {"王老师", "刘班主任"}
    assert names(get(client, auth, f"/schools/{school}/teachers")) == {"王老师", "刘班主任"}
    student = get(client, auth, "/students", filter="givenName='小明'").json()["users"][0]["sourcedId"]
    assert [c["title"] for c in get(client, auth, f"/students/{student}/classes").json()["classes"]] == ["三年级1班"]
    enrolled = get(client, auth, f"/schools/{school}/classes/{first['sourcedId']}/enrollments").json()
    assert sorted(e["role"] for e in enrolled["enrollments"]) == ["student", "teacher", "teacher"]


def test_demographics_need_their_scope(client, world, auth, app):
    answer = get(client, auth, "/demographics")
    assert answer.status_code == 403 and minor(answer) == "forbidden"
    App.objects.filter(client_id=app.client_id).update(roster_scopes=["roster-core.readonly", "roster.readonly"])
    full = {"HTTP_AUTHORIZATION": "Bearer " + token(client, app, "roster.readonly").json()["access_token"]}
    rows = get(client, full, "/demographics").json()["demographics"]
    assert sorted(d["sex"] for d in rows) == ["male", "male"]


def test_tokens_the_service_refuses(client, world, app):
    assert token(client, app, "roster.readonly").json()["error"] == "invalid_scope"  # not granted
    none = client.get(f"{BASE}/users")
    assert none.status_code == 401 and minor(none) == "unauthorisedrequest" and "Bearer" in none["WWW-Authenticate"]
    as_user(client, world.student_a)
    signed_in = sign_in(client, app)  # a person's token, from a sign-in: never a roster reader
    person = client.get(f"{BASE}/users", HTTP_AUTHORIZATION=f"Bearer {signed_in['access_token']}")
    assert person.status_code == 401
    own = {"HTTP_AUTHORIZATION": "Bearer " + token(client, app).json()["access_token"]}
    App.objects.filter(client_id=app.client_id).update(active=False)
    assert client.get(f"{BASE}/users", **own).status_code == 401


def test_an_app_without_roster_scopes_gets_no_token_of_its_own(client, world):
    plain = register(client, world.city_admin, world.district_x)
    assert token(client, plain).json()["error"] in ("unauthorized_client", "invalid_scope")


def test_the_worker_keeps_the_service_up_to_date(client, world, auth, settings):
    settings.RRT_ONEROSTER_REFRESH_MINUTES = 0
    Person.objects.filter(account=world.student_a).update(name="李晓明")
    assert names(get(client, auth, "/users", filter="familyName='李'")) == {"李小明", "李大明"}  # not yet refreshed
    assert refresh_due() >= 1
    assert names(get(client, auth, "/users", filter="familyName='李'")) == {"李晓明", "李大明"}


def test_without_an_app_that_reads_rosters_the_worker_writes_nothing(world):
    from renrentong.integration.models import RosterId

    assert refresh_due() == 0 and not RosterId.objects.exists()
