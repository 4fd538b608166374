"""The client address that login throttling and the login log use: X-Forwarded-For counts only when the request
comes from one of our own proxies (RRT_TRUSTED_PROXIES), and then only the hop that proxy wrote."""

import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from renrentong.accounts.models import LoginEvent
from tests.accounts.flows import login


@pytest.fixture
def proxies(settings):
    settings.RRT_TRUSTED_PROXIES = ["127.0.0.1", "10.20.0.0/16"]


def _login_from(client, account, remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    client.defaults.update(extra)
    try:
        login(client, account.number, "wrong-password", ip=remote)
    finally:
        client.defaults.pop("HTTP_X_FORWARDED_FOR", None)
    return LoginEvent.objects.filter(account=account).order_by("pk").last().source


def test_a_client_cannot_name_its_own_address(client, world, proxies):
    # A stranger talking to the process directly: its X-Forwarded-For is ignored.
    assert _login_from(client, world.teacher_a, "203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_the_proxys_last_hop_is_the_client(client, world, proxies):
    # nginx appends the address it saw; whatever the client sent before it is the client's own claim.
    assert _login_from(client, world.teacher_a, "127.0.0.1", "198.51.100.1, 203.0.113.7") == "203.0.113.7"
    # Through two of our proxies: the first hop from the right that is not ours.
    assert _login_from(client, world.teacher_a, "127.0.0.1", "203.0.113.8, 10.20.3.4") == "203.0.113.8"


def test_nothing_is_trusted_by_default(client, world):
    assert _login_from(client, world.teacher_a, "127.0.0.1", "203.0.113.7") == "127.0.0.1"


def test_a_malformed_header_from_the_proxy_counts_as_the_proxy(client, world, proxies):
    assert _login_from(client, world.teacher_a, "127.0.0.1", "not-an-address") == "127.0.0.1"
    assert _login_from(client, world.teacher_a, "127.0.0.1", "") == "127.0.0.1"


@hsettings(max_examples=60, deadline=None)
@given(header=st.text(max_size=80), remote=st.sampled_from(["127.0.0.1", "10.20.1.1", "192.0.2.1"]))
def test_any_header_gives_an_address_seen_on_the_wire_or_named_by_our_proxy(header, remote):
    from django.test import RequestFactory, override_settings

    from renrentong.core.web.client import client_address

    with override_settings(RRT_TRUSTED_PROXIES=["127.0.0.1", "10.20.0.0/16"]):
        request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=header)
        address = client_address(request)
    hops = [h.strip() for h in header.split(",")]
    assert address == remote or (remote != "192.0.2.1" and address in hops)
