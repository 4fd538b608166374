"""Login through the API: identifiers, initial passwords, state messages, throttling (AUTH-1..3, 7, 8)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from renrentong.accounts.models import Account, LoginEvent
from renrentong.orgs.models import Policy

from tests.accounts.flows import login, solved_challenge
from tests.factories import make_phone


def test_student_logs_in_with_account_number_and_initial_password(client, world):
    account = world.student_a
    response = login(client, account.number, f"Pw{account.number[-6:]}@")
    assert response.status_code == 200
    body = response.json()
    assert body["must_change_password"] is True
    assert body["identity"]["kind"] == "student"


@pytest.mark.parametrize("how", ["phone", "id_number", "local_student_number", "national_student_number"])
def test_login_by_phone_id_number_or_student_number(client, world, how):
    account = world.student_a
    person = account.person
    person.local_student_number = "L43010200001"
    person.set_national_student_number("G" + person.reveal_id_number())
    person.save()
    account.phone = make_phone()
    account.save()
    identifier = {
        "phone": account.phone,
        "id_number": person.reveal_id_number(),
        "local_student_number": person.local_student_number,
        # Typed in lower case: the digest is of the canonical (upper case) form.
        "national_student_number": "g" + person.reveal_id_number(),
    }[how]
    assert login(client, identifier, f"Pw{account.number[-6:]}@").status_code == 200


def test_full_width_digits_and_spaces_in_identifier_are_normalised(client, world):
    account = world.student_a
    fullwidth = " ".join(chr(ord(c) + 0xFEE0) for c in account.number)
    assert login(client, fullwidth, f"Pw{account.number[-6:]}@").status_code == 200


def test_parent_initial_password_uses_phone_and_teacher_last_six(client, world):
    parent, teacher = world.parent_a, world.teacher_a
    assert login(client, parent.phone, f"Pw{parent.phone[-6:]}@").status_code == 200
    assert login(client, teacher.phone, teacher.phone[-6:]).status_code == 200


def test_unknown_account_says_the_school_admin_must_import_it(client, world):
    response = login(client, "99999999", "whatever1A")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "login.unknown_account"
    assert "学校管理员" in body["message"] and body["who_can_fix"] == "学校管理员"
    assert body["contact"] == "400-800-1234"
    # A teacher is told teachers register themselves (issue 10 item 9), not only about student imports.
    assert "教师可在登录页的“教师注册”自行注册账号" in body["message"]


def test_unregistered_school_names_the_district_admin(client, world):
    world.school_a.registered = False
    world.school_a.save()
    account = world.student_a
    body = login(client, account.number, f"Pw{account.number[-6:]}@").json()
    assert body["code"] == "login.school_not_tenant"
    assert "用户所在学校不在平台的租户中" in body["message"]
    assert body["who_can_fix"] == "区县管理员"


@pytest.mark.parametrize("status,code,who", [
    (Account.Status.FROZEN, "login.frozen", "学校管理员"),
    (Account.Status.LEFT, "login.left_school", "学校管理员"),
    (Account.Status.PENDING, "login.pending", "学校管理员"),
    (Account.Status.DELETED, "login.deleted", "学校管理员"),
])
def test_account_states_say_what_happened_and_who_can_fix(client, world, status, code, who):
    account = world.student_a
    account.status = status
    account.save()
    body = login(client, account.number, f"Pw{account.number[-6:]}@").json()
    assert body["code"] == code
    assert body["who_can_fix"] == who
    assert body["contact"] == "0731-1111-0000"


def test_deleted_beyond_retention_is_restored_by_province_admin(client, world):
    account = world.student_a
    account.status = Account.Status.DELETED
    account.status_changed_at = timezone.now() - timedelta(days=400)
    account.save()
    body = login(client, account.number, f"Pw{account.number[-6:]}@").json()
    assert "省级管理员" in body["message"]


def test_state_is_not_revealed_without_the_right_password(client, world):
    account = world.student_a
    account.status = Account.Status.FROZEN
    account.save()
    assert login(client, account.number, "Wrong-pass1").json()["code"] == "login.wrong_password"


def test_initial_password_expires(client, world):
    account = world.student_a
    Policy.objects.create(school=world.school_a, values={"initial_password_days": 7})
    account.initial_password_issued_at = timezone.now() - timedelta(days=8)
    account.save()
    body = login(client, account.number, f"Pw{account.number[-6:]}@").json()
    assert body["code"] == "login.initial_expired"
    assert "7" in body["message"]


def test_english_on_request(client, world):
    body = login(client, "99999999", "x", lang="en").json()
    assert body["message"].startswith("No such account") and "Teachers register themselves" in body["message"]
    assert body["who_can_fix"] == "the school admin"


def test_every_login_outcome_is_logged_without_the_full_number(client, world):
    account = world.student_a
    id_number = account.person.reveal_id_number()
    login(client, id_number, "Wrong-pass1")
    login(client, account.number, f"Pw{account.number[-6:]}@")
    outcomes = list(LoginEvent.objects.order_by("pk").values_list("outcome", "identifier"))
    assert [o for o, _ in outcomes] == ["wrong_password", "success"]
    assert id_number not in outcomes[0][1] and outcomes[0][1].endswith(id_number[-4:])


def test_wrong_passwords_say_one_true_thing_then_the_right_one_passes_a_challenge(client, world):
    """Issue 10 item 9: the page counted 2, 1, then 7; now it says what happens next, and nothing locks."""
    account = world.student_a
    good = f"Pw{account.number[-6:]}@"
    bodies = [login(client, account.number, "Wrong-pass1").json() for _ in range(3)]
    assert [b["code"] for b in bodies] == ["login.wrong_password"] * 2 + ["login.wrong_password_challenge_next"]
    assert "再错 2 次后,登录需先完成一次安全验证" in bodies[0]["message"]
    assert "再错 1 次后" in bodies[1]["message"]
    assert "下次登录需先完成一次安全验证" in bodies[2]["message"] and "不会被锁定" in bodies[2]["message"]
    refused = login(client, account.number, good)
    assert refused.status_code == 429 and refused.json()["code"] == "login.challenge_required"
    assert refused.json()["who_can_fix"] == "本人"
    # The owner at school (another source) is not held up by someone failing elsewhere.
    assert login(client, account.number, good, ip="10.9.9.9").status_code == 200
    assert login(client, account.number, good, challenge=solved_challenge(client)).status_code == 200
    assert LoginEvent.objects.filter(account=account, outcome="challenge_required").exists()


def test_the_right_password_starts_the_address_afresh_but_the_account_keeps_its_sum(client, world):
    account = world.student_a
    good = f"Pw{account.number[-6:]}@"
    wrong = [login(client, account.number, "Wrong-pass1").json()["code"] for _ in range(2)]
    assert wrong == ["login.wrong_password"] * 2
    assert login(client, account.number, good).status_code == 200
    # The address's free tries start again...
    again = [login(client, account.number, "Wrong-pass1").json() for _ in range(3)]
    assert "再错 2 次后" in again[0]["message"] and again[2]["code"] == "login.wrong_password_challenge_next"
    # ...the sum over every address does not: 5 wrong so far, the 10th anywhere brings the challenge.
    elsewhere = [login(client, account.number, "Wrong-pass1", ip=ip).json()["code"]
                 for ip in ("10.2.2.2", "10.2.2.2", "10.3.3.3", "10.3.3.3", "10.4.4.4")]
    assert elsewhere == ["login.wrong_password"] * 4 + ["login.wrong_password_challenge_next"]
    assert login(client, account.number, good, ip="10.5.5.5").status_code == 429


def test_password_reset_clears_the_challenge(client, world):
    account = world.student_a
    for _ in range(4):
        login(client, account.number, "Wrong-pass1")
    assert login(client, account.number, f"Pw{account.number[-6:]}@").status_code == 429
    account.refresh_from_db()
    account.set_password("Fresh-Pass-2026")
    account.credentials_epoch += 1
    account.save()
    assert login(client, account.number, "Fresh-Pass-2026").status_code == 200
