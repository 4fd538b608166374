"""The JSON API's OpenAPI document as schemathesis loads it, answered through the real WSGI stack
(middleware included), and what the schema tests share: the fixture that keeps the test's database
connection open across those requests, and the Authorization header each generated case carries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


def keep_connection() -> None:
    """As django.test.Client does: a request must not close the connection holding the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


@pytest.fixture
def keep_test_connection():
    """Use with `pytestmark = pytest.mark.usefixtures(keep_test_connection.__name__)`. A test that sends a
    request with django.test.Client connects the closer again afterwards, and calls keep_connection() once more."""
    keep_connection()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class Acting:
    """The Authorization header the generated requests carry, set per test: a function called for each case
    (a fresh token each time if it likes), or None for none."""

    authorization: Callable[[], str] | None = None


class ActingAuth:
    """Schemathesis's auth for a schema: the header from Acting, asked again for every case."""

    def get(self, case, ctx):
        return Acting.authorization() if Acting.authorization else None

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = data


def authorize(api_schema) -> None:
    api_schema.auth(refresh_interval=None, retry_on=[])(ActingAuth)


authorize(schema)
