"""The demo region keeps working printed logins (issue 10 item 3): it states its derived initial rules
as its own setting (so its settings page warns about them), while a new region draws random ones."""

import json
import re

from django.core.management import call_command

from renrentong.orgs.models import Region
from renrentong.orgs.policy import policy_for_region, weak_rules_of


def test_demo_logins_print_logins_that_work_and_the_demo_region_owns_its_weak_rules(client, db, capsys):
    call_command("load_demo", "--scale", "0.05")
    capsys.readouterr()
    call_command("demo_logins")
    out = capsys.readouterr().out
    rows = re.findall(r"^\s+(student|parent)\s+\S+\s+login: (\S+)\s+password: (\S+)", out, re.MULTILINE)
    assert {role for role, _, _ in rows} == {"student", "parent"}
    for _role, identifier, password in rows:
        response = client.post("/api/v1/auth/login", json.dumps({"identifier": identifier, "password": password}),
                               content_type="application/json")
        assert response.status_code == 200, (identifier, response.json())
    demo = Region.objects.get(kind="province")
    assert set(weak_rules_of(policy_for_region(demo))) == {"pw_account_last6", "pw_phone_last6", "phone_last6"}
    new_region = Region.objects.create(kind="province", name="新省", code="990000")
    assert weak_rules_of(policy_for_region(new_region)) == []


def test_demo_in_a_region_with_random_initial_passwords_issues_random_ones_and_prints_working_logins(
        client, db, capsys):
    """The demo makes its people through the one constructor, so it obeys the region's initial-password
    rule like an import does: without its derived rules, every account gets a random initial password."""
    from renrentong.accounts.models import Account

    call_command("load_demo", "--scale", "0.05", "--random-initial-passwords")
    capsys.readouterr()
    with_initial = Account.objects.exclude(initial_password_digest="")
    assert with_initial.exists()
    assert set(with_initial.values_list("initial_password_rule", flat=True)) == {"random"}
    call_command("demo_logins")
    out = capsys.readouterr().out
    rows = re.findall(r"^\s+(student|parent)\s+\S+\s+login: (\S+)\s+password: (\S+)", out, re.MULTILINE)
    assert {role for role, _, _ in rows} == {"student", "parent"}
    for _role, identifier, password in rows:
        account = Account.objects.filter(number=identifier).first() or Account.objects.get(phone=identifier)
        # Not derived from the account number or the phone.
        assert password not in (f"Pw{account.number[-6:]}@", f"Pw{(account.phone or '')[-6:]}@",
                                (account.phone or "")[-6:])
        response = client.post("/api/v1/auth/login", json.dumps({"identifier": identifier, "password": password}),
                               content_type="application/json")
        assert response.status_code == 200, (identifier, response.json())
