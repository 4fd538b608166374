"""Who is asking, as far as a page or endpoint can tell."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _proxies(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(s, strict=False) for s in spec)


def _is_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _proxies(tuple(settings.RRT_TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, when the peer is one of our own proxies (RRT_TRUSTED_PROXIES), the
    address that proxy put last in X-Forwarded-For. Anyone else's X-Forwarded-For is ignored: login throttling is
    per source address, and a client that could name its own address could dodge it or lock out a school."""
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not _is_proxy(peer):
        return peer
    # Walk from the right: each hop appends the address it saw, so the first one that is not our own proxy is
    # the client as our edge saw it; whatever the client wrote further left is its own claim.
    for hop in reversed([h.strip() for h in forwarded.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a malformed header from our own proxy: fall back to the proxy, never to a guess
        if not _is_proxy(hop):
            return hop
    return peer
