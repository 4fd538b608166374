"""The apps page (issue 17 item 2): province and city admins register apps, read the secret once, suspend and
resume them; nobody else opens it."""

from django.contrib.auth.hashers import check_password

from renrentong.integration.models import App

from tests.factories import as_user
from tests.integration.oidc_flows import REDIRECT


def register(client, **more):
    return client.post("/apps/", {"region": more.pop("region"), "name": "智慧作业", "redirect_uris": REDIRECT,
                                  "claims": ["name", "role"], **more})


def test_a_city_admin_registers_an_app_and_reads_its_secret_once(client, world):
    as_user(client, world.city_admin)
    page = client.get("/apps/")
    assert page.status_code == 200 and 'data-testid="no-apps"' in page.content.decode()
    answer = register(client, region=world.district_x.pk, school_codes="A0001\n")
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    app = App.objects.get()
    secret = answer.context["registered"]["secret"]
    assert secret in answer.content.decode() and check_password(secret, app.client_secret)
    assert app.region == world.district_x and app.claims == ["name", "role"]
    assert [s.code for s in app.schools.all()] == ["A0001"]
    again = client.get("/apps/").content.decode()
    assert app.client_id in again and secret not in again


def test_suspending_and_resuming_an_app(client, world):
    as_user(client, world.province_admin)
    register(client, region=world.city.pk)
    app = App.objects.get()
    done = client.post("/apps/", {"action": "active", "app": app.pk}, follow=True)
    assert f'data-testid="app-suspended-{app.pk}"' in done.content.decode()
    client.post("/apps/", {"action": "active", "app": app.pk, "active": "1"})
    app.refresh_from_db()
    assert app.active


def test_a_bad_registration_says_what_is_wrong_and_keeps_what_was_typed(client, world):
    as_user(client, world.city_admin)
    answer = register(client, region=world.city.pk, redirect_uris="http://app.example.cn/cb")
    text = answer.content.decode()
    assert answer.status_code == 400 and "http://app.example.cn/cb" in text and "https" in text
    assert not App.objects.exists()
    unknown = register(client, region=world.city.pk, school_codes="ZZZ99")
    assert unknown.status_code == 400 and not App.objects.exists()


def test_only_province_and_city_admins_open_the_page_and_only_their_apps(client, world):
    for account in (world.district_admin_x, world.school_admin_a, world.student_a):
        as_user(client, account)
        assert client.get("/apps/").status_code == 403
    as_user(client, world.city_admin)
    register(client, region=world.city.pk)
    app = App.objects.get()
    other = App.objects.create(name="外省应用", region=world.province, client_type="confidential",
                               authorization_grant_type="authorization-code", redirect_uris=REDIRECT)
    page = client.get("/apps/").content.decode()
    assert f'data-testid="app-{app.pk}"' in page and f'data-testid="app-{other.pk}"' not in page
    assert client.post("/apps/", {"action": "active", "app": other.pk}).status_code == 404
