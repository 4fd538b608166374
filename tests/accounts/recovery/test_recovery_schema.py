"""The success paths of recovery, code login and the second factor conform to the OpenAPI document
(the property test in test_api_schema.py mostly meets their refusals)."""

from __future__ import annotations

import pytest

from tests.verification_helpers import last_code

from tests.openapi import keep_test_connection, schema

pytestmark = pytest.mark.usefixtures(keep_test_connection.__name__)


def call(path: str, body: dict, status: int = 200) -> dict:
    response = schema[path]["POST"].Case(body=body).call_and_validate()
    assert response.status_code == status, response.json()
    return response.json()


def test_recovery_and_code_login_conform(world):
    parent = world.parent_a
    sent = call("/api/v1/auth/recovery/start", {"identifier": parent.phone})
    grant = call("/api/v1/auth/recovery/verify", {"token": sent["token"], "code": last_code(parent.phone)})
    call("/api/v1/auth/recovery/reset", {"grant": grant["grant"], "account_id": parent.pk,
                                        "new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL"})
    teacher = world.teacher_a
    sent = call("/api/v1/auth/code-login/start", {"phone": teacher.phone})
    grant = call("/api/v1/auth/code-login/verify", {"token": sent["token"], "code": last_code(teacher.phone)})
    done = call("/api/v1/auth/code-login/complete", {"grant": grant["grant"], "account_id": teacher.pk})
    assert done["identity"]["kind"] == "teacher"


def test_choosing_a_destination_conforms(world):
    from tests.factories import make_parent

    make_parent(world.student_a, name="王妈妈")
    answer = call("/api/v1/auth/recovery/start", {"identifier": world.student_a.number})
    assert answer["status"] == "choose_destination" and len(answer["destinations"]) == 2


def test_second_factor_conforms(world):
    admin = world.district_admin_x
    required = call("/api/v1/auth/login", {"identifier": admin.number, "password": f"Pw{admin.number[-6:]}@"},
                    status=401)
    assert required["code"] == "second_factor.required"
    done = call("/api/v1/auth/second-factor", {"challenge": required["challenge"], "method": "sms",
                                               "code": last_code(admin.phone)})
    assert done["must_change_password"] is True
