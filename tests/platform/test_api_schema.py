"""Property-based tests of the whole JSON API against its own OpenAPI document (INT-3).

Schemathesis generates valid and invalid requests for every operation and checks each response:
never a 5xx, only statuses the document lists, bodies that match the documented schemas, invalid
input rejected with a 4xx. Requests go through the real WSGI stack, middleware included, as the
school admin of school A; each generated case gets a fresh bearer token, so a logout or a password
change in one example cannot starve the next.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.factories import bearer, build_world
from tests.openapi import Acting, keep_test_connection, schema

pytestmark = pytest.mark.usefixtures(keep_test_connection.__name__)


# Well-formed requests these operations refuse on their merits (wrong credentials, weak new password)
# with a documented 400, so "valid data is accepted" does not hold for them; their success paths are
# tested explicitly below.
REFUSE_ON_MERITS = {
    "POST /api/v1/auth/login", "POST /api/v1/me/password",
    # Business rules beyond the schema: a weak school default password, a setting only the district
    # may change, a file that is not a roster, a job in the wrong state for the action.
    "PATCH /api/v1/orgs/policy", "POST /api/v1/rosters/imports", "POST /api/v1/rosters/imports/{job_id}/commit",
    "POST /api/v1/rosters/imports/{job_id}/cancel", "POST /api/v1/rosters/imports/{job_id}/undo",
    # School structure, tenants and admin roles: stages the school is not registered with, grades outside
    # the school system, a name or code taken, a refusal without a reason (tests/orgs/structure/test_structure.py etc.).
    "POST /api/v1/orgs/schools/{school_id}/campuses", "POST /api/v1/orgs/campuses/{campus_id}/stages",
    "POST /api/v1/orgs/stages/{stage_id}/grades", "POST /api/v1/orgs/cohorts/{cohort_id}/classes",
    "PUT /api/v1/orgs/stages/{stage_id}/naming", "POST /api/v1/orgs/schools", "PATCH /api/v1/orgs/schools/{school_id}",
    "POST /api/v1/orgs/schools/{school_id}/system-requests", "POST /api/v1/orgs/system-requests/{request_id}/decision",
    "POST /api/v1/orgs/schools/{school_id}/admins", "POST /api/v1/orgs/admin-applications",
    # Recovery, code login and second factor: unknown phones, wrong codes, expired grants (tests/test_recovery*.py,
    # test_code_login.py and test_second_factor.py check their success paths against this schema).
    "POST /api/v1/auth/recovery/start", "POST /api/v1/auth/recovery/student", "POST /api/v1/auth/recovery/verify",
    "POST /api/v1/auth/recovery/reset", "POST /api/v1/auth/code-login/start", "POST /api/v1/auth/code-login/verify",
    "POST /api/v1/auth/code-login/complete", "POST /api/v1/auth/second-factor", "POST /api/v1/auth/second-factor/sms",
    "POST /api/v1/me/totp/confirm",
    # Transfers and key information (tests/schooladmin/transfers/test_transfers.py, tests/keyinfo/test_keyinfo.py): a blank reason, a
    # malformed student number or one held by another student, a file that is no registry list.
    "POST /api/v1/school/transfers/{request_id}/refuse", "PATCH /api/v1/school/keyinfo/people/{person_id}",
    "POST /api/v1/school/keyinfo/registry",
    # Resets and children: a weak custom password, a child's name or ID number that does not match the
    # school's data (tests/accounts/resets/test_resets.py and tests/accounts/family/test_children.py check the success paths).
    "POST /api/v1/resets", "POST /api/v1/family/children/by-id-number", "POST /api/v1/family/children/by-account",
    # Real-name registry and teacher registration: invalid ID numbers and phones, names not in the registry,
    # wrong applicant passwords, files that are no spreadsheet (tests/realname/test_realname.py and
    # tests/realname/registration/test_registration.py check the success paths).
    "POST /api/v1/realname/verify", "POST /api/v1/realname/entries", "POST /api/v1/realname/holders",
    "POST /api/v1/realname/imports", "POST /api/v1/realname/registration/code", "POST /api/v1/realname/registration",
    "POST /api/v1/realname/registration/status", "POST /api/v1/realname/registration/reapply",
    # A name or refusal reason of only spaces: blank to Python (U+0085) is not always blank to an ECMAScript
    # pattern, so the services refuse it, not the schema.
    "PATCH /api/v1/realname/entries/{entry_id}", "POST /api/v1/realname/applications/{application_id}/refuse",
    # Users and teaching (tests/schooladmin/users/test_users.py, tests/schooladmin/teaching/test_teaching.py check the success paths): a name
    # that is only spaces, a sex or phone that is not one, a subject name that folds to nothing.
    "POST /api/v1/school/users", "PATCH /api/v1/school/users/{account_id}", "PUT /api/v1/school/teaching/courses",
    "PUT /api/v1/school/teaching/assignments", "POST /api/v1/school/my-teaching",
    "POST /api/v1/school/my-teaching/drop",
    # Phone binding (tests/accounts/phones/test_phone_binding.py checks the success paths): a wrong code, a malformed phone,
    # no phone bound to unbind.
    "POST /api/v1/verification/phone", "POST /api/v1/verification/phone/code",
    "POST /api/v1/verification/phone-holders", "DELETE /api/v1/verification/accounts/{account_id}/phone",
    # A day the pattern allows but the calendar lacks (2026-02-30) is refused (tests/auditlog/test_audit_log.py,
    # tests/integration/oneroster/test_export.py).
    "GET /api/v1/audit/events", "GET /api/v1/oneroster/csv",
    # A phone or ID number in `q` is refused in a URL: it is searched with POST .../search (NFR-1).
    "GET /api/v1/school/users", "GET /api/v1/school/recycle-bin", "GET /api/v1/realname/entries",
    "GET /api/v1/resets/candidates",
    # A school's NAT addresses: text that is no address, a block too wide (tests/accounts/login/test_login_networks.py).
    "POST /api/v1/schools/{school_id}/login-networks",
    # Notices (tests/notices/test_compose_api.py checks the success paths): no class or role chosen, a title
    # that is only spaces, nothing to correct.
    "POST /api/v1/notices", "POST /api/v1/notices/audience", "PATCH /api/v1/notices/{notice_id}",
    # Uploads: random bytes are no accepted file type (tests/uploads/test_api.py checks the success paths).
    "POST /api/v1/files",
    # A class code or invite token that opens no class (tests/classgroups/test_api.py checks the success paths).
    "POST /api/v1/class-groups/join",
    # Files whose bytes are no accepted type; a feed that needs the person or class it names (tests/spaces).
    "POST /api/v1/class-groups/{class_id}/files", "POST /api/v1/class-groups/{class_id}/files/attachments",
    "GET /api/v1/spaces/posts",
    # Submission dates whose end is before their start (tests/evaluation/test_submission.py checks the success path).
    "PUT /api/v1/evaluation/windows",
    # The review (tests/evaluation/review check the success paths): failing records without a reason, a
    # display ending in the past or before it starts, a reviewer with no remit, an objection or a note left blank.
    "POST /api/v1/evaluation/review/decisions", "POST /api/v1/evaluation/review/records/{record_id}/decision",
    "POST /api/v1/evaluation/records/{record_id}/decision", "POST /api/v1/evaluation/review/displays",
    "POST /api/v1/evaluation/review/reviewers", "POST /api/v1/evaluation/review/displays/{display_id}/objections",
    "POST /api/v1/evaluation/review/objections/{objection_id}/resolve",
    # Activities (tests/activities check the success paths): times that do not add up (an end before the
    # start, a window closing after it), an audience outside the publisher's scope, a blank refusal reason.
    "POST /api/v1/activities/", "PUT /api/v1/activities/{activity_id}",
    "POST /api/v1/activities/sign-ups/{sign_up_id}/refuse",
    # Academic scores (tests/evaluation/scores check the success paths): a file that is no spreadsheet, a job
    # in the wrong state for the action.
    "POST /api/v1/evaluation/scores/imports", "POST /api/v1/evaluation/scores/imports/{job_id}/commit",
    "POST /api/v1/evaluation/scores/imports/{job_id}/cancel", "POST /api/v1/evaluation/scores/imports/{job_id}/undo",
    # The smart classroom (tests/resources/classroom check the success paths): a grade outside the stage, a
    # file and a link together, a title or take-down reason of only punctuation or spaces, a private resource
    # recommended.
    "POST /api/v1/resources/classroom/", "PUT /api/v1/resources/classroom/{resource_id}",
    "POST /api/v1/resources/classroom/{resource_id}/take-down", "POST /api/v1/resources/classroom/recommendations",
    # Lesson preparation (tests/resources/lessonprep check the success paths): a missing-textbook report declined
    # without a reason; a catalogue file that is empty or no spreadsheet, a job in the wrong state for the action.
    "POST /api/v1/lessonprep/missing/{report_id}/decline",
    "POST /api/v1/lessonprep/imports", "POST /api/v1/lessonprep/imports/{job_id}/commit",
    "POST /api/v1/lessonprep/imports/{job_id}/cancel", "POST /api/v1/lessonprep/imports/{job_id}/undo",
    # A OneRoster package that is no zip, or a commit that removes many people unconfirmed (docs/oneroster.md).
    "POST /api/v1/oneroster/imports", "POST /api/v1/oneroster/imports/{job_id}/commit",
    "POST /api/v1/oneroster/imports/{job_id}/cancel", "POST /api/v1/oneroster/imports/{job_id}/undo",
}


@pytest.fixture
def world(db):
    world = build_world()
    Acting.authorization = lambda: bearer(world.school_admin_a)["HTTP_AUTHORIZATION"]
    yield world
    Acting.authorization = None


# Multipart uploads: the schema says "a file part", which schemathesis cannot make invalid in a way the
# server must refuse (a part under another name still carries an acceptable image), so only the other checks
# apply; tests/uploads and tests/classgroups check what is refused.
UPLOADS = {"POST /api/v1/files", "POST /api/v1/class-groups/{class_id}/files",
           "POST /api/v1/class-groups/{class_id}/files/attachments"}


# 25 examples per operation with the "ci" Hypothesis profile (tests/conftest.py), five locally: with 400 operations
# that is 10,000 requests a CI run, each run drawing afresh (no example database is kept); 50 took ~10 minutes of a
# CI run that must stay within 45.
EXAMPLES_PER_OPERATION = max(5, settings.default.max_examples // 4)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_conforms_to_the_schema(case, world):
    excluded = [positive_data_acceptance] if case.operation.label in REFUSE_ON_MERITS else []
    if case.operation.label in UPLOADS:
        excluded.append(negative_data_rejection)
    case.call_and_validate(excluded_checks=excluded)


def _case(path: str, method: str, **kwargs):
    return schema[path][method].Case(**kwargs)


def _auth(account) -> dict[str, str]:
    return {"Authorization": bearer(account)["HTTP_AUTHORIZATION"]}


def test_successful_login_conforms(world):
    account = world.student_a
    case = _case("/api/v1/auth/login", "POST",
                 body={"identifier": account.number, "password": f"Pw{account.number[-6:]}@"})
    response = case.call_and_validate()
    assert response.status_code == 200
    assert response.json()["identity"]["kind"] == "student"


def test_successful_password_change_and_logout_conform(world):
    account = world.teacher_a
    headers = _auth(account)
    current = account.phone[-6:]
    changed = _case("/api/v1/me/password", "POST", headers=headers,
                    body={"current_password": current, "new_password": "Qz7vLm2pRt",
                          "repeat_password": "Qz7vLm2pRt"})
    assert changed.call_and_validate().status_code == 204
    assert _case("/api/v1/me", "GET", headers=headers).call_and_validate().status_code == 200
    assert _case("/api/v1/auth/logout", "POST", headers=headers).call_and_validate().status_code == 204
    assert _case("/api/v1/me", "GET", headers=headers).call_and_validate().status_code == 401


def test_switching_identity_and_reading_in_scope_objects_conform(world):
    headers = _auth(world.school_admin_a)
    identity = world.school_admin_a.identities.get()
    switched = _case("/api/v1/me/identity", "POST", headers=headers, body={"identity_id": identity.pk})
    assert switched.call_and_validate().status_code == 200
    reads = [
        ("/api/v1/orgs/schools/{school_id}", {"school_id": world.school_a.pk}),
        ("/api/v1/orgs/schools/{school_id}/tree", {"school_id": world.school_a.pk}),
        ("/api/v1/orgs/classes/{class_id}", {"class_id": world.class_a1.pk}),
        ("/api/v1/orgs/classes/{class_id}/students", {"class_id": world.class_a1.pk}),
        ("/api/v1/people/{person_id}", {"person_id": world.student_a.person_id}),
    ]
    for path, params in reads:
        assert _case(path, "GET", headers=headers, path_parameters=params).call_and_validate().status_code == 200
    region = _case("/api/v1/orgs/regions/{region_id}", "GET", headers=_auth(world.city_admin),
                   path_parameters={"region_id": world.district_x.pk})
    assert region.call_and_validate().status_code == 200


def test_district_filter_out_of_id_range_is_a_400_not_a_500(world):
    # SQLite cannot compare a column with 2**63 (OverflowError); the parameter's range now refuses it.
    headers = _auth(world.city_admin)
    path = "/api/v1/orgs/schools"
    too_big = _case(path, "GET", headers=headers, query={"district_id": 2**63}).call_and_validate()
    assert too_big.status_code == 400 and too_big.json()["code"] == "request.invalid"
    largest = _case(path, "GET", headers=headers, query={"district_id": 2**63 - 1}).call_and_validate()
    assert largest.status_code == 200 and largest.json() == []
    district_y = _case(path, "GET", headers=headers, query={"district_id": world.district_y.pk}).call_and_validate()
    assert [s["id"] for s in district_y.json()] == [world.school_b.pk]


@pytest.mark.parametrize("identifier", ["\x00", "2000\x000001", "\x00\x01\x7f"])
def test_login_identifier_with_control_characters_is_refused_not_a_500(world, identifier):
    # PostgreSQL refuses a NUL in a query; identifiers are normalised before they reach one.
    case = _case("/api/v1/auth/login", "POST", body={"identifier": identifier, "password": "whatever1A"})
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert response.status_code == 400
    assert response.json()["code"] in ("login.unknown_account", "login.missing_fields")


def test_login_with_a_nul_inside_a_real_account_number_still_finds_the_account(world):
    account = world.student_a
    case = _case("/api/v1/auth/login", "POST",
                 body={"identifier": f"{account.number[:3]}\x00{account.number[3:]}",
                       "password": f"Pw{account.number[-6:]}@"})
    assert case.call_and_validate().status_code == 200


def test_no_two_schemas_share_a_name():
    """Ninja names OpenAPI components after the schema class: two classes of one name would silently share
    one component, and responses would be checked against the other's shape (seen in CI, issue 13)."""
    import renrentong.api  # noqa: F401  (every router and schema imported)
    from ninja import Schema

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    names: dict[str, set[str]] = {}
    for schema in every(Schema):
        if schema.__module__.startswith("renrentong."):
            names.setdefault(schema.__name__, set()).add(schema.__module__)
    assert {name: modules for name, modules in names.items() if len(modules) > 1} == {}


def test_true_or_false_where_a_number_is_expected_is_a_400(world):
    # pydantic's lax mode reads JSON true as 1: `school_id: true` named school 1 until the API's Schema refused it.
    headers = _auth(world.school_admin_a)
    search = _case("/api/v1/school/users/search", "POST", headers=headers, body={"school_id": True})
    response = search.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert response.status_code == 400 and response.json()["code"] == "request.invalid"
    assert "school_id" in {f["field"].split(".")[-1] for f in response.json()["fields"]}
    runs = _case("/api/v1/rollover/runs", "POST", headers=headers, body={"school_ids": [True]})
    assert runs.call_and_validate(excluded_checks=[positive_data_acceptance]).status_code == 400
    paged = _case("/api/v1/school/users/search", "POST", headers=headers, body={"page": 1, "page_size": 20})
    assert paged.call_and_validate().status_code == 200


def test_a_nul_character_in_a_push_endpoint_is_no_500(world):
    # PostgreSQL refuses NUL in text; schemathesis sent one in a push subscription's endpoint.
    from django.test import Client

    from tests.factories import bearer

    for method, status in (("post", 400), ("delete", 204)):
        response = getattr(Client(), method)("/api/v1/push/subscriptions", json.dumps(
            {"endpoint": "https://push.example.com/\x00", "keys": {"p256dh": "A" * 40, "auth": "B" * 16}}),
            content_type="application/json", **bearer(world.parent_a))
        assert response.status_code == status, response.content


def test_every_api_type_comes_from_the_one_schema_base():
    # core.schemas.Schema is what refuses true/false for numbers; a type built on ninja's own would accept them.
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "renrentong"
    direct = [str(p.relative_to(root)) for p in root.rglob("*.py") if p.name != "schemas.py" or p.parent.name != "core"
              if re.search(r"^from ninja import [^\n]*\bSchema\b", p.read_text(encoding="utf-8"), re.M)]
    assert direct == []


def test_a_form_value_sent_as_a_file_is_refused_not_defaulted(world):
    # schemathesis sent `kind` as a file part: Django files it under request.FILES, the form read it as absent and
    # imported the file as students (the default), with a 202.
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    response = Client().post("/api/v1/rosters/imports", {
        "file": SimpleUploadedFile("roster.csv", "姓名\n".encode()),
        "kind": SimpleUploadedFile("kind.txt", b"teachers")}, headers={"Accept-Language": "en"},
        **bearer(world.school_admin_a))
    assert response.status_code == 400, response.content
    assert [(f["field"], f["code"]) for f in response.json()["fields"]] == [("kind", "field.file_not_value")]
    assert "must be a value, not a file" in response.json()["message"]
    accepted = Client().post("/api/v1/rosters/imports", {"file": SimpleUploadedFile("roster.csv", "姓名\n".encode()),
                                                         "kind": "teachers"}, **bearer(world.school_admin_a))
    assert accepted.status_code == 202 and accepted.json()["kind"] == "teachers"
