"""AUTH-7 at the level of a source address (issue 10 items 3 and 4): failures and initial-password logins
from one address bring a challenge, never a refusal of the right password; a school's registered NAT
address gets a higher threshold, so a whole class logging in at once is never asked."""

import json

from renrentong.accounts.models import Account, Enrollment, Identity, LoginEvent, Person, SchoolNetwork
from renrentong.accounts.passwords.services import initial_digest

from tests.factories import make_class
from tests.accounts.flows import solved_challenge


def login(client, identifier, password, ip, challenge=""):
    return client.post("/api/v1/auth/login",
                       json.dumps({"identifier": identifier, "password": password, "challenge": challenge}),
                       content_type="application/json", REMOTE_ADDR=ip)


def initial(account):
    return f"Pw{account.number[-6:]}@"


def make_class_of(world, n):
    """n students of one class with initial passwords, bulk-created (the per-row factories would be slow)."""
    school_class = make_class(world.school_a, 9)
    people = Person.objects.bulk_create([Person(name=f"学生{i}", sex="F") for i in range(n)])
    accounts = [Account(number=str(30_000_000 + i), person=person, home_school=world.school_a, password="!",
                        initial_password_rule="pw_account_last6",
                        initial_password_digest=initial_digest(str(30_000_000 + i), f"Pw{str(30_000_000 + i)[-6:]}@"))
                for i, person in enumerate(people)]
    Account.objects.bulk_create(accounts)
    Identity.objects.bulk_create([Identity(account=a, kind="student", school=world.school_a) for a in accounts])
    Enrollment.objects.bulk_create([Enrollment(person=p, school_class=school_class, school=world.school_a)
                                    for p in people])
    assert Enrollment.objects.filter(school_class=school_class, ended_on__isnull=True).count() == n
    assert Identity.objects.filter(school=world.school_a, kind="student", account__in=accounts).count() == n
    return accounts


def test_a_class_of_300_behind_a_registered_school_address_is_never_asked(client, world):
    accounts = make_class_of(world, 300)
    SchoolNetwork.objects.create(school=world.school_a, network="10.20.30.0/28", threshold=2000)
    school_ip = "10.20.30.4"
    refused = 0
    for i, account in enumerate(accounts):
        if i % 5 == 0:  # one child in five mistypes first
            assert login(client, account.number, "pw123456", school_ip).status_code == 400
        response = login(client, account.number, initial(account), school_ip)
        refused += response.status_code != 200
    assert refused == 0


def test_initial_password_logins_count_per_source_like_failures(client, world):
    """300 of 300 untouched accounts opened from one address knowing only account numbers (issue 10)."""
    accounts = make_class_of(world, 40)
    attacker = "203.0.113.8"
    codes = [login(client, a.number, initial(a), attacker).status_code for a in accounts]
    assert codes[:30] == [200] * 30
    assert set(codes[30:]) == {429}
    assert login(client, accounts[35].number, initial(accounts[35]), attacker).json()["code"] == \
        "login.challenge_required"
    # A real child behind that address still gets in: the challenge, never a refusal.
    challenge = solved_challenge(client)
    assert login(client, accounts[35].number, initial(accounts[35]), attacker, challenge).status_code == 200
    # Each solution opens one login only.
    assert login(client, accounts[36].number, initial(accounts[36]), attacker, challenge).status_code == 429


def test_a_spray_across_many_accounts_brings_the_challenge(client, world):
    accounts = make_class_of(world, 60)
    attacker = "203.0.113.9"
    codes = [login(client, a.number, "Password123", attacker).json()["code"] for a in accounts]
    assert codes[0] == "login.wrong_password"
    assert codes[-1] == "login.challenge_required"
    body = login(client, accounts[0].number, initial(accounts[0]), attacker).json()
    assert body["code"] == "login.challenge_required"
    # Everyone else is unaffected.
    assert login(client, accounts[0].number, initial(accounts[0]), "10.0.0.1").status_code == 200
    assert LoginEvent.objects.filter(outcome="challenge_required").exists()


def test_unknown_identifiers_from_one_device_do_not_lock_out_everyone_behind_it(client, world):
    """Today 31 unknown identifiers from one address refuse everyone's right password for 15 minutes."""
    shared_ip = "203.0.113.10"
    codes = [login(client, str(40_000_000 + i), "Password123", shared_ip).json()["code"] for i in range(40)]
    assert codes[0] == "login.unknown_account" and codes[-1] == "login.challenge_required"
    student = world.student_a
    assert login(client, student.number, initial(student), shared_ip).json()["code"] == "login.challenge_required"
    assert login(client, student.number, initial(student), shared_ip, solved_challenge(client)).status_code == 200


def test_a_registered_school_address_gets_its_higher_threshold(client, world):
    SchoolNetwork.objects.create(school=world.school_a, network="198.51.100.7/32", threshold=100)
    codes = [login(client, str(40_000_000 + i), "Password123", "198.51.100.7").json()["code"] for i in range(60)]
    assert set(codes) == {"login.unknown_account"}
    # Another address of the same network block is not the school's.
    codes = [login(client, str(40_000_000 + i), "Password123", "198.51.100.8").json()["code"] for i in range(40)]
    assert codes[-1] == "login.challenge_required"


def test_the_wrong_password_message_counts_the_address_limit_too(client, world):
    """"One true thing": when the address is about to need the challenge, the message says so."""
    shared_ip = "203.0.113.11"
    for i in range(28):
        login(client, str(40_000_000 + i), "Password123", shared_ip)
    student = world.student_a
    body = login(client, student.number, "Wrong-pass1", shared_ip).json()
    assert body["code"] == "login.wrong_password" and "再错 1 次后" in body["message"]
    body = login(client, student.number, "Wrong-pass1", shared_ip).json()
    assert body["code"] == "login.wrong_password_challenge_next"
    assert login(client, student.number, initial(student), shared_ip).json()["code"] == "login.challenge_required"
