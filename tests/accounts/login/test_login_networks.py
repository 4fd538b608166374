"""A school registers its NAT addresses for a higher login threshold (issue 10 item 4): API and page,
scoped to the school (or the regions above it), audited, and the threshold really applies."""

import json

import pytest

from renrentong.accounts.models import SchoolNetwork
from renrentong.core.models import AuditEvent

from tests.factories import bearer


def add(client, actor, school, **body):
    return client.post(f"/api/v1/schools/{school.pk}/login-networks", json.dumps(body),
                       content_type="application/json", **bearer(actor))


def login(client, identifier, ip):
    return client.post("/api/v1/auth/login", json.dumps({"identifier": identifier, "password": "Guess-123"}),
                       content_type="application/json", REMOTE_ADDR=ip)


def test_school_admin_registers_the_school_address_and_its_logins_get_the_threshold(client, world):
    response = add(client, world.school_admin_a, world.school_a, network="101.6.8.7", threshold=500, note="主楼")
    assert response.status_code == 201, response.json()
    assert response.json()["network"] == "101.6.8.7/32"
    listed = client.get(f"/api/v1/schools/{world.school_a.pk}/login-networks", **bearer(world.school_admin_a))
    assert [row["threshold"] for row in listed.json()] == [500]
    event = AuditEvent.objects.get(verb="login_network.add")
    assert event.school_id == world.school_a.pk and event.details["network"] == "101.6.8.7/32"
    codes = {login(client, str(40_000_000 + i), "101.6.8.7").json()["code"] for i in range(60)}
    assert codes == {"login.unknown_account"}


def test_a_school_admin_cannot_touch_another_schools_addresses(client, world):
    body = add(client, world.school_admin_a, world.school_b, network="101.6.8.8", threshold=500).json()
    assert body["code"] == "networks.not_found"
    row = SchoolNetwork.objects.create(school=world.school_b, network="101.6.8.8/32", threshold=500)
    answer = client.delete(f"/api/v1/login-networks/{row.pk}", **bearer(world.school_admin_a))
    assert answer.status_code == 404 and SchoolNetwork.objects.filter(pk=row.pk).exists()
    assert client.get(f"/api/v1/schools/{world.school_b.pk}/login-networks",
                      **bearer(world.school_admin_a)).status_code == 404


def test_district_admin_manages_schools_below_only_and_removal_is_audited(client, world):
    assert add(client, world.district_admin_x, world.school_a, network="101.6.9.0/28", threshold=800).status_code \
        == 201
    assert add(client, world.district_admin_x, world.school_b, network="101.6.9.16/28",
               threshold=800).json()["code"] == "networks.not_found"
    row = SchoolNetwork.objects.get(school=world.school_a)
    assert client.delete(f"/api/v1/login-networks/{row.pk}", **bearer(world.district_admin_x)).status_code == 204
    assert AuditEvent.objects.filter(verb="login_network.remove", target_id=row.pk).exists()


@pytest.mark.parametrize("actor", ["teacher_a", "student_a", "parent_a"])
def test_other_roles_are_refused(client, world, actor):
    body = add(client, getattr(world, actor), world.school_a, network="101.6.8.9", threshold=500).json()
    assert body["code"] == "networks.not_allowed" and body["who_can_fix"] == "学校管理员"


@pytest.mark.parametrize("network,threshold,code", [
    ("not-an-address", 500, "networks.invalid_address"),
    ("10.0.0.0/8", 500, "networks.too_wide"),
    ("2001:db8::/32", 500, "networks.too_wide"),
    ("240e::/32", 500, "networks.too_wide"),
    ("101.6.8.9", 5, "request.invalid"),  # the schema states the range
    ("101.6.8.9", 10**6, "request.invalid"),
])
def test_bad_addresses_and_thresholds_are_refused_with_the_reason(client, world, network, threshold, code):
    response = add(client, world.school_admin_a, world.school_a, network=network, threshold=threshold)
    assert response.status_code == 400 and response.json()["code"] == code


def as_admin(client, account):
    client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session["identity_id"] = account.identities.get().pk
    session.save()


def test_the_page_registers_lists_and_removes(client, world):
    as_admin(client, world.school_admin_a)
    assert 'data-testid="networks-link"' in client.get("/").content.decode()
    response = client.post("/accounts/networks/", {"network": "101.6.8.0/29", "threshold": "1200", "note": "机房"})
    assert response.status_code == 302
    page = client.get("/accounts/networks/").content.decode()
    assert "101.6.8.0/29" in page and "1200" in page
    refused = client.post("/accounts/networks/", {"network": "10.0.0.0/8", "threshold": "1200"})
    assert refused.status_code == 400 and "networks.too_wide" in refused.content.decode()
    refused = client.post("/accounts/networks/", {"network": "101.6.8.9", "threshold": "5"})
    assert refused.status_code == 400 and "networks.invalid_threshold" in refused.content.decode()
    row = SchoolNetwork.objects.get()
    assert client.post("/accounts/networks/", {"remove": str(row.pk)}).status_code == 302
    assert not SchoolNetwork.objects.exists()


def test_the_page_lets_a_district_admin_pick_a_school_in_scope_only(client, world):
    as_admin(client, world.district_admin_x)
    assert client.post(f"/accounts/networks/?school={world.school_a.code}",
                       {"school": world.school_a.code, "network": "101.6.8.5", "threshold": "900"}).status_code == 302
    assert SchoolNetwork.objects.filter(school=world.school_a).exists()
    assert client.get(f"/accounts/networks/?school={world.school_b.code}").status_code == 404
    as_admin(client, world.teacher_a)
    assert client.get("/accounts/networks/").status_code == 403


@pytest.mark.parametrize("network,why", [
    ("10.1.2.3", "private"), ("192.168.1.0/24", "private"), ("172.16.5.5", "private"),
    ("127.0.0.1", "loopback"), ("169.254.7.7", "link-local"), ("224.0.0.1", "multicast"),
    ("239.1.2.0/24", "multicast"), ("240.0.0.1", "reserved"), ("0.0.0.0", "unspecified"),
    ("203.0.113.9", "documentation"), ("198.51.100.0/28", "documentation"), ("192.0.2.1", "documentation"),
    ("100.64.0.1", "public"),  # carrier NAT: shared, not the school's own
    ("::1", "loopback"), ("fe80::1", "link-local"), ("ff02::1", "multicast"), ("fd00::1", "private"),
    ("2001:db8::1", "documentation"), ("::", "unspecified"),
])
def test_non_public_addresses_are_refused_with_why(client, world, network, why):
    """Before: any /24 or /48 was accepted, so a school admin could lift a private or special range."""
    response = add(client, world.school_admin_a, world.school_a, network=network, threshold=500)
    body = response.json()
    assert response.status_code == 400 and body["code"] == "networks.not_public", body
    assert why in client.post(f"/api/v1/schools/{world.school_a.pk}/login-networks",
                              json.dumps({"network": network, "threshold": 500}), content_type="application/json",
                              HTTP_ACCEPT_LANGUAGE="en", **bearer(world.school_admin_a)).json()["message"]
    assert not SchoolNetwork.objects.exists()


def test_a_school_registers_at_most_eight_addresses(client, world):
    for i in range(8):
        assert add(client, world.school_admin_a, world.school_a, network=f"101.6.{i}.1",
                   threshold=500).status_code == 201
    body = add(client, world.school_admin_a, world.school_a, network="101.6.100.1", threshold=500).json()
    assert body["code"] == "networks.too_many"
    assert SchoolNetwork.objects.filter(school=world.school_a).count() == 8
    # Changing the threshold of a registered address is not a ninth row.
    assert add(client, world.school_admin_a, world.school_a, network="101.6.0.1", threshold=900).status_code == 201
    # Another school has its own eight.
    assert add(client, world.school_admin_b, world.school_b, network="101.6.100.1", threshold=500).status_code == 201


def test_a_school_admin_sets_at_most_3000_a_region_admin_more(client, world):
    body = add(client, world.school_admin_a, world.school_a, network="101.6.8.7", threshold=3001).json()
    assert body["code"] == "networks.invalid_threshold" and "3000" in body["message"]
    assert add(client, world.school_admin_a, world.school_a, network="101.6.8.7", threshold=3000).status_code == 201
    response = add(client, world.district_admin_x, world.school_a, network="101.6.8.7", threshold=20_000)
    assert response.status_code == 201 and response.json()["threshold"] == 20_000


def test_a_login_reads_only_the_networks_of_its_own_block(world):
    """Before: every row of the table was read and parsed on each throttled login."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renrentong.accounts.login import throttle
    from renrentong.orgs.policy import policy_for_school

    for i in range(8):
        SchoolNetwork.objects.create(school=world.school_a, network=f"101.6.{i}.0/28", threshold=900 + i)
    SchoolNetwork.objects.create(school=world.school_b, network="101.6.3.7/32", threshold=1500)
    assert SchoolNetwork.objects.get(network="101.6.3.7/32").block == "101.6.3.0/24"
    policy = policy_for_school(world.school_a)
    with CaptureQueriesContext(connection) as queries:
        assert throttle.source_limit("101.6.3.7", policy) == 1500
    assert len(queries) == 1 and "101.6.3.0/24" in str(queries[0]["sql"]) + str(queries.captured_queries)
    assert throttle.source_limit("101.6.3.20", policy) == policy.spray_distinct_accounts
    assert throttle.source_limit("101.6.5.1", policy) == 905
    assert throttle.source_limit("101.6.200.1", policy) == policy.spray_distinct_accounts
