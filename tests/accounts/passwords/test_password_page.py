"""The password change page (issue 12): after a login with the password the forced change asks only for
the new one, for ten minutes and in that session only; it ends home with "密码已修改"; the checklist shows
the region's rule; a refused password is shown beside its field."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from renrentong.accounts.passwords.rules import password_rules
from renrentong.core.models import AuditEvent
from renrentong.orgs.policy import EffectivePolicy

NEW = "Xk9#mPq2vL"


def initial(account):
    return f"Pw{account.number[-6:]}@"


def first_login(client, account):
    response = client.post("/accounts/login/", {"identifier": account.number, "password": initial(account)})
    assert response["Location"] == "/accounts/password/"


def test_first_login_asks_only_for_the_new_password_and_ends_home_with_password_changed(client, world):
    student = world.student_a
    first_login(client, student)
    page = client.get("/accounts/password/").content.decode()
    assert 'id="current_password"' not in page and 'data-testid="password-rules"' in page
    done = client.post("/accounts/password/", {"new_password": NEW, "repeat_password": NEW})
    assert done.status_code == 302 and done["Location"] == "/"
    home = client.get("/").content.decode()
    assert 'data-testid="flash"' in home and "密码已修改" in home
    event = AuditEvent.objects.get(verb="password.change", target_id=student.pk)
    assert event.details == {"current": "proved at login"}
    # The proof is spent: the next change asks for the current password again.
    assert 'id="current_password"' in client.get("/accounts/password/").content.decode()


def test_the_proof_lasts_ten_minutes(client, world, freezer):
    student = world.student_a
    first_login(client, student)
    freezer.tick(timedelta(minutes=11))
    page = client.get("/accounts/password/").content.decode()
    assert 'id="current_password"' in page
    refused = client.post("/accounts/password/", {"new_password": NEW, "repeat_password": NEW})
    assert refused.status_code == 400
    assert 'aria-describedby="current_password_error"' in refused.content.decode()
    done = client.post("/accounts/password/", {"current_password": initial(student), "new_password": NEW,
                                               "repeat_password": NEW})
    assert done.status_code == 302


def test_the_proof_is_bound_to_the_session_and_its_account(world):
    student = world.student_a
    mine, other = Client(), Client()
    first_login(mine, student)
    other.force_login(student, backend="renrentong.accounts.login.backends.AccountBackend")
    assert 'id="current_password"' in other.get("/accounts/password/").content.decode()  # another session
    session = mine.session
    proof = session["password_proved"]
    session["password_proved"] = {**proof, "account": proof["account"] + 10_000}
    session.save()
    assert 'id="current_password"' in mine.get("/accounts/password/").content.decode()


def test_a_code_login_session_has_no_proof(client, world):
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from renrentong.accounts.login.sessions import SESSION_PASSWORD_PROVED, start_login_session

    class Outcome:
        account, identity, must_change_password = world.student_a, None, False

    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session[SESSION_PASSWORD_PROVED] = {"account": world.student_a.pk, "at": 0}
    start_login_session(request, Outcome())
    assert SESSION_PASSWORD_PROVED not in request.session


def test_a_refused_new_password_stays_on_the_page_beside_its_field(client, world):
    student = world.student_a
    first_login(client, student)
    response = client.post("/accounts/password/", {"new_password": "abcdefgh", "repeat_password": "abcdefgh"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-code="password.classes"' in body
    assert 'aria-describedby="new_password_error new_password_rules"' in body and 'aria-invalid="true"' in body
    assert "abcdefgh" not in body


def test_the_checklist_follows_the_regions_rule():
    zhejiang = [line.kind for line in password_rules(EffectivePolicy(password_rule="Z"), "20000001", "repeat")]
    assert zhejiang == ["length", "classes", "not-contains", "same"]
    sichuan = password_rules(EffectivePolicy(password_rule="S"))
    assert [line.kind for line in sichuan] == ["length", "alnum", "digit", "upper", "lower"]
    assert sichuan[0].data == {"min": "8", "max": "15"}
