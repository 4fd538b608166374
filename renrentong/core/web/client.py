"""Who is asking, as far as a page or endpoint can tell."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _proxies(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(s, strict=False) for s in spec)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_proxy(ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    return ip is not None and any(ip in network for network in _proxies(tuple(settings.RRT_TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, when the peer is one of our own proxies (RRT_TRUSTED_PROXIES), the
    address that proxy put last in X-Forwarded-For. Anyone else's X-Forwarded-For is ignored: login throttling is
    per source address, and a client that could name its own address could dodge it or lock out a school."""
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not _is_proxy(_address(peer)):
        return peer
    # Walk from the right: each hop appends the address it saw, so the first one that is not our own proxy is
    # the client as our edge saw it; whatever the client wrote further left is its own claim.
    for hop in reversed([h.strip() for h in forwarded.split(",")]):
        ip = _address(hop)
        if ip is None:
            return peer  # a malformed header from our own proxy: fall back to the proxy, never to a guess
        if not _is_proxy(ip):
            return hop
    return peer
