"""Calls of the activities API as the world's people."""

from __future__ import annotations

import json

from tests.factories import bearer

API = "/api/v1/activities"


def post(client, account, url: str, body: dict | None = None, kind: str | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **bearer(account, kind))


def get(client, account, url: str, kind: str | None = None, **params):
    return client.get(url, params, **bearer(account, kind))


def sign_up(client, parent, activity, child, kind: str | None = None):
    return post(client, parent, f"{API}/{activity.pk}/sign-ups", {"child_id": child.person_id}, kind)


def body_of(activity, **changes) -> dict:
    """The activity as ActivityIn, with changes."""
    data = {name: getattr(activity, name) for name in (
        "title", "place", "programme", "bring", "capacity", "approval", "grades", "class_ids", "school_ids")}
    for name in ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at", "cancel_until"):
        data[name] = getattr(activity, name).isoformat()
    data.update(changes)
    return data
