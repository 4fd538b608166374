"""Pages and tokens: forced change, identity switch, sessions ended by a password change (AUTH-8),
and audited reads of full ID numbers (NFR-1)."""

import json

from django.test import Client

from renrentong.accounts.models import Identity
from renrentong.core.models import AuditEvent

from tests.factories import bearer, make_school_admin

NEW = "Xk9#mPq2vL"


def page_login(client, account, password):
    return client.post("/accounts/login/", {"identifier": account.number, "password": password})


def initial(account):
    return f"Pw{account.number[-6:]}@"


def api_login(client, account, password):
    response = client.post("/api/v1/auth/login", json.dumps({"identifier": account.number, "password": password}),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_initial_password_login_forces_a_change_before_anything_else(client, world):
    student = world.student_a
    response = page_login(client, student, initial(student))
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert client.get("/")["Location"] == "/accounts/password/"
    weak = client.post("/accounts/password/", {"current_password": initial(student), "new_password": "abc",
                                               "repeat_password": "abc"})
    assert weak.status_code == 400
    assert "密码长度须为 8-20 位" in weak.content.decode()
    done = client.post("/accounts/password/", {"current_password": initial(student), "new_password": NEW,
                                               "repeat_password": NEW})
    assert done["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "李小明" in home.content.decode()
    # The initial password is gone.
    assert page_login(Client(), student, initial(student)).status_code == 400


def test_failed_login_page_shows_what_happened_and_who_can_fix(client, world):
    response = client.post("/accounts/login/", {"identifier": "99999999", "password": "x"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-code="login.unknown_account"' in body and "学校管理员" in body


def test_token_from_initial_password_may_only_change_it(client, world):
    student = world.student_a
    headers = api_login(client, student, initial(student))
    refused = client.get("/api/v1/orgs/schools", **headers)
    assert refused.status_code == 403 and refused.json()["code"] == "password.change_required"
    assert client.get("/api/v1/me", **headers).json()["must_change_password"] is True
    changed = client.post("/api/v1/me/password", json.dumps(
        {"current_password": initial(student), "new_password": NEW, "repeat_password": NEW}),
        content_type="application/json", **headers)
    assert changed.status_code == 204
    assert client.get("/api/v1/orgs/schools", **headers).status_code == 200


def test_password_change_ends_other_sessions_and_tokens(world):
    student = world.student_a
    student.set_password(NEW)
    student.initial_password_digest = ""
    student.save()
    phone, laptop, api = Client(), Client(), Client()
    page_login(phone, student, NEW)
    page_login(laptop, student, NEW)
    headers = api_login(api, student, NEW)
    assert phone.get("/").status_code == 200 and laptop.get("/").status_code == 200
    response = laptop.post("/accounts/password/", {"current_password": NEW, "new_password": "Other#Pass99",
                                                   "repeat_password": "Other#Pass99"})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200  # the session that changed it stays
    assert phone.get("/")["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/me", **headers).json()["code"] == "auth.token_invalid"
    assert AuditEvent.objects.filter(verb="password.change", target_id=student.pk).count() == 1


def test_api_password_change_keeps_this_token_and_ends_others(client, world):
    student = world.student_a
    student.set_password(NEW)
    student.initial_password_digest = ""
    student.save()
    mine, other = api_login(client, student, NEW), api_login(Client(), student, NEW)
    client.post("/api/v1/me/password", json.dumps(
        {"current_password": NEW, "new_password": "Other#Pass99", "repeat_password": "Other#Pass99"}),
        content_type="application/json", **mine)
    assert client.get("/api/v1/me", **mine).status_code == 200
    assert client.get("/api/v1/me", **other).status_code == 401


def test_logout_ends_the_token(client, world):
    headers = bearer(world.student_a)
    assert client.post("/api/v1/auth/logout", **headers).status_code == 204
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_account_with_two_identities_picks_one_and_switches(client, world):
    teacher = world.teacher_a
    make_school_admin(world.school_a, account=teacher)
    teacher.set_password(NEW)
    teacher.initial_password_digest = ""
    teacher.save()
    response = client.post("/accounts/login/", {"identifier": teacher.phone, "password": NEW})
    assert client.get(response["Location"])["Location"] == "/accounts/identities/"
    picker = client.get("/accounts/identities/").content.decode()
    assert "教师" in picker or "Teacher" in picker
    admin = teacher.identities.get(kind=Identity.Kind.SCHOOL_ADMIN)
    client.post("/accounts/identities/", {"identity_id": admin.pk})
    home = client.get("/").content.decode()
    assert 'data-testid="school-tree"' in home
    teaching = teacher.identities.get(kind=Identity.Kind.TEACHER)
    client.post("/accounts/identities/", {"identity_id": teaching.pk})
    assert 'data-testid="classes"' in client.get("/").content.decode()
    # Someone else's identity is refused and the current one stays.
    refused = client.post("/accounts/identities/", {"identity_id": world.school_admin_b.identities.get().pk})
    assert refused.status_code == 404
    assert 'data-testid="classes"' in client.get("/").content.decode()


def test_api_switch_identity(client, world):
    teacher = world.teacher_a
    make_school_admin(world.school_a, account=teacher)
    headers = bearer(teacher, kind="teacher")
    admin = teacher.identities.get(kind=Identity.Kind.SCHOOL_ADMIN)
    assert client.post("/api/v1/me/identity", json.dumps({"identity_id": admin.pk}),
                       content_type="application/json", **headers).status_code == 200
    me = client.get("/api/v1/me", **headers).json()
    assert me["identity"]["kind"] == "school_admin" and me["scope"]["kind"] == "school"
    assert len(me["identities"]) == 2


def test_full_id_number_only_for_admins_and_audited(client, world):
    person = world.student_a.person
    url = f"/api/v1/people/{person.pk}/id-number"
    assert client.get(url, **bearer(world.head_teacher_a)).json()["code"] == "privacy.reveal_not_allowed"
    assert client.get(url, **bearer(world.school_admin_b)).status_code == 404
    response = client.get(url, **bearer(world.school_admin_a))
    assert response.json()["id_number"] == person.reveal_id_number()
    event = AuditEvent.objects.get(verb="person.reveal_id_number")
    assert event.target_id == person.pk and event.actor_account_id == world.school_admin_a.pk
    # Everywhere else the number is masked.
    shown = client.get(f"/api/v1/people/{person.pk}", **bearer(world.school_admin_a)).json()["id_number"]
    assert shown == person.id_number_masked and "*" in shown


def test_home_pages_show_who_and_scope(client, world):
    cases = [
        (world.student_a, "student", ["李小明"]),
        (world.parent_a, "guardian", ["李小明"]),
        (world.head_teacher_a, "teacher", ['data-testid="classes"']),
        (world.district_admin_x, "region_admin", ["芙蓉第一小学"]),
    ]
    for account, kind, expected in cases:
        c = Client()
        c.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
        session = c.session
        session["identity_id"] = account.identities.get(kind=kind).pk
        session.save()
        body = c.get("/").content.decode()
        for text in expected:
            assert text in body, (kind, text)
        assert "天心第一小学" not in body


def test_a_login_event_and_a_token_carry_the_accounts_home_school(client, world):
    from renrentong.accounts.models import ApiToken, LoginEvent

    student = world.student_a
    api_login(client, student, initial(student))
    event = LoginEvent.objects.filter(account=student).order_by("pk").last()
    assert event.outcome == "success" and event.school_id == student.home_school_id == world.school_a.pk
    assert ApiToken.objects.get(account=student).school_id == world.school_a.pk
    client.post("/api/v1/auth/login", json.dumps({"identifier": "13800000000", "password": "Wrong-123"}),
                content_type="application/json")
    assert LoginEvent.objects.filter(account=None).order_by("pk").last().school_id is None


def test_a_page_login_records_last_login_once(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    student = world.student_a
    student.refresh_from_db()
    assert student.last_login is None
    with CaptureQueriesContext(connection) as queries:
        assert page_login(client, student, initial(student)).status_code == 302
    student.refresh_from_db()
    assert student.last_login is not None
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "last_login" in q["sql"]]
    assert len(writes) == 1, writes
