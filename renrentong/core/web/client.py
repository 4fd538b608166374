"""Who is on the other end of a request, for pages and endpoints alike."""

from __future__ import annotations

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # Behind a reverse proxy, set it to overwrite REMOTE_ADDR; we never trust X-Forwarded-For ourselves.
    return request.META.get("REMOTE_ADDR", "")
