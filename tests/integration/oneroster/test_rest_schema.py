"""Schemathesis against the OneRoster service's own OpenAPI document (issue 17 item 6): every operation, with
generated paths and parameters, as an app holding all three roster scopes: never a 5xx, only documented
statuses, JSON bodies. "Valid data is accepted" is not checked: a filter, sort or field list that fits the
schema (any text) can still name no field, which the binding answers with 400 and its own code
(tests/integration/oneroster/test_rest.py checks those answers)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from renrentong.integration.oneroster.refresh import refresh_due
from renrentong.integration.selectors import ROSTER_SCOPES

from tests.factories import build_world
from tests.integration.oidc_flows import basic, register
from tests.openapi import Acting, authorize, keep_connection, keep_test_connection

schema = schemathesis.openapi.from_wsgi("/ims/oneroster/rostering/v1p2/openapi.json", WSGIHandler())
authorize(schema)
pytestmark = pytest.mark.usefixtures(keep_test_connection.__name__)


@pytest.fixture
def world(db):
    world = build_world()
    client = Client()
    app = register(client, world.city_admin, world.district_x, roster_scopes=list(ROSTER_SCOPES))
    refresh_due()
    answer = client.post("/oauth/token/", {"grant_type": "client_credentials"}, **basic(app))
    token = answer.json()["access_token"]
    Acting.authorization = lambda: f"Bearer {token}"
    # The test client connects Django's connection closer again after its request; schemathesis's requests
    # must not close the test's database connection.
    keep_connection()
    yield world
    Acting.authorization = None


@schema.parametrize()
@settings(max_examples=max(5, settings.default.max_examples // 5), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_conforms_to_the_schema(case, world):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
