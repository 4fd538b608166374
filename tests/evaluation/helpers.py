"""Evaluation through the API in tests, as the people who do it."""

from __future__ import annotations

import io
import json
from datetime import date

from django.test import Client
from PIL import Image

from renrentong.accounts.access import actor_for
from renrentong.evaluation.models import EvidenceItem

from tests.factories import bearer

API = "/api/v1/evaluation"
TODAY = date(2026, 11, 2)


def actor(account, kind=None):
    identities = account.identities.all()
    return actor_for(account, identities.get(kind=kind) if kind else identities.get())


def png(colour=(200, 30, 30), size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def call(method: str, path: str, account, body: dict | None = None, *, language: str = "en", **params):
    client = Client()
    headers = {**bearer(account), "HTTP_ACCEPT_LANGUAGE": language}
    url = API + path
    if method == "get":
        return client.get(url, params, **headers)
    if method == "delete":
        return client.delete(url, **headers)
    send = getattr(client, method)
    return send(url, json.dumps(body if body is not None else {}), content_type="application/json", **headers)


def refused(response, code: str, status: int | None = None) -> dict:
    body = response.json()
    assert body.get("code") == code, (response.status_code, body)
    if status is not None:
        assert response.status_code == status, (response.status_code, body)
    assert set(body) >= {"code", "message", "who_can_fix", "contact"}
    return body


def item(code: str, year: int = 2026) -> EvidenceItem:
    return EvidenceItem.objects.get(code=code, school_year=year)


def write(account, text="参加社区垃圾分类宣传", *, status=201, **fields) -> dict:
    body = {"text": text, "happened_on": "2026-10-01", **fields}
    response = call("post", "/records", account, body)
    assert response.status_code == status, response.content
    return response.json()


def upload(account, data: bytes | None = None, name="photo.png", upload_key="") -> dict:
    image = io.BytesIO(data or png())
    image.name = name
    response = Client().post("/api/v1/files", {"file": image, "upload_key": upload_key}, **bearer(account))
    assert response.status_code == 200, response.content
    return response.json()
