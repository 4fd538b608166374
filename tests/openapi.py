"""The JSON API's OpenAPI document as schemathesis loads it, answered through the real WSGI stack
(middleware included); shared by the schema tests (tests/platform/test_api_schema.py registers its
fresh-token auth on it)."""

from __future__ import annotations

import schemathesis
from django.core.handlers.wsgi import WSGIHandler

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
