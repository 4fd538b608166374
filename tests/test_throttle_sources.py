"""AUTH-7 at the level of a source address: a password spray is paused; a school network where a
whole class logs in, some with typos, is never blocked."""

import json

from renrentong.accounts.models import Account, Identity, LoginEvent
from renrentong.accounts.passwords import initial_digest

from .factories import make_class


def login(client, identifier, password, ip):
    return client.post("/api/v1/auth/login", json.dumps({"identifier": identifier, "password": password}),
                       content_type="application/json", REMOTE_ADDR=ip)


def make_class_of(world, n):
    """n students with initial passwords, bulk-created (the per-row factories would be slow)."""
    school_class = make_class(world.school_a, 9)
    accounts = [Account(number=str(30_000_000 + i), home_school=world.school_a, password="!",
                        initial_password_rule="pw_account_last6",
                        initial_password_digest=initial_digest(str(30_000_000 + i), f"Pw{str(30_000_000 + i)[-6:]}@"))
                for i in range(n)]
    Account.objects.bulk_create(accounts)
    Identity.objects.bulk_create([Identity(account=a, kind="student", school=world.school_a) for a in accounts])
    assert school_class
    return accounts


def test_a_class_of_300_behind_one_address_is_never_blocked(client, world):
    accounts = make_class_of(world, 300)
    school_ip = "10.20.30.40"
    refused = 0
    for i, account in enumerate(accounts):
        if i % 5 == 0:  # one child in five mistypes first
            assert login(client, account.number, "pw123456", school_ip).status_code == 400
        response = login(client, account.number, f"Pw{account.number[-6:]}@", school_ip)
        refused += response.status_code != 200
    assert refused == 0


def test_a_spray_across_many_accounts_is_paused(client, world):
    accounts = make_class_of(world, 60)
    attacker = "203.0.113.9"
    codes = [login(client, a.number, "Password123", attacker).json()["code"] for a in accounts]
    assert codes[0] == "login.wrong_password"
    assert codes[-1] == "login.source_throttled"
    body = login(client, accounts[0].number, f"Pw{accounts[0].number[-6:]}@", attacker).json()
    assert body["code"] == "login.source_throttled" and body["who_can_fix"] == "区县管理员"
    # Everyone else is unaffected.
    assert login(client, accounts[0].number, f"Pw{accounts[0].number[-6:]}@", "10.0.0.1").status_code == 200
    assert LoginEvent.objects.filter(outcome="source_paused").exists()


def test_unknown_account_spray_is_paused_too(client, world):
    attacker = "203.0.113.10"
    codes = [login(client, str(40_000_000 + i), "Password123", attacker).json()["code"] for i in range(40)]
    assert codes[-1] == "login.source_throttled"
