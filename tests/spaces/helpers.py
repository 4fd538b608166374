"""Posting and reading through the API, as the people who do it."""

from __future__ import annotations

import io
import json

from django.test import Client
from PIL import Image

from tests.factories import bearer

API = "/api/v1/spaces"


def png(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def call(method: str, path: str, account, body: dict | None = None, **params):
    client = Client()
    headers = {**bearer(account), "HTTP_ACCEPT_LANGUAGE": "en"}
    url = API + path
    if method == "get":
        return client.get(url, params, **headers)
    if method == "delete":
        return client.delete(url, **headers)
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def post(account, text="今天很开心", **fields):
    response = call("post", "/posts", account, {"text": text, **fields})
    assert response.status_code == 201, response.content
    return response.json()


def feed_ids(account, **params) -> list[int]:
    response = call("get", "/posts", account, **params)
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()["items"]]
