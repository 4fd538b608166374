"""Usage statistics in tests: people log in through the API, the catch-up runs as an operator runs it,
and the figures are read through the API as an admin reads them."""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.factories import bearer

API = "/api/v1/stats"


PASSWORD = "Xk9#mPq2vL"


def log_in(account, *, times: int = 1, days_ago: int = 0) -> None:
    """A real login through the API, with a password of the account's own; `days_ago` moves its login
    record back in time (the API's schemas cannot be built under a frozen clock)."""
    if account.initial_password_digest:
        account.set_password(PASSWORD)
        account.initial_password_digest = ""
        account.save()
    for _ in range(times):
        response = Client().post("/api/v1/auth/login",
                                 json.dumps({"identifier": account.number, "password": PASSWORD}),
                                 content_type="application/json", REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 200, response.content
    if days_ago:
        from renrentong.accounts.models import LoginEvent

        newest = LoginEvent.objects.filter(account=account).order_by("-pk")[:times].values_list("pk", flat=True)
        LoginEvent.objects.filter(pk__in=list(newest)).update(at=timezone.now() - timedelta(days=days_ago))


def catch_up(later: timedelta = timedelta(seconds=10)) -> None:
    """The catch-up as the worker runs it, a little later than now (rows younger than its lag wait)."""
    from freezegun import freeze_time

    with freeze_time(timezone.now() + later, tick=True):
        call_command("stats_catch_up")


def call(path: str, account, *, kind: str | None = None, language: str = "en", **params):
    return Client().get(API + path, params, **bearer(account, kind), HTTP_ACCEPT_LANGUAGE=language)


def refused(response, code: str, status: int) -> dict:
    body = response.json()
    assert (response.status_code, body.get("code")) == (status, code), (response.status_code, body)
    assert set(body) >= {"code", "message", "who_can_fix"}
    return body


def figures_of(body: dict, node_id: int) -> dict:
    return next(r["figures"] for r in body["rows"] if r["node_id"] == node_id)
