"""Validation errors in users' words (issue 10, item 9; HELP-1): every field error of the API is a
catalogue message in the request's language naming the field as users know it, never pydantic's
English ("body.relation: Input should be 'father', ...")."""

from __future__ import annotations

import pytest

from tests.factories import bearer

ENGLISH_LEAKS = ("Input should", "Field required", "body.", "String should", "Value error", "Cannot parse")


def post(client, path, body, account=None, language=None, **extra):
    headers = {**(bearer(account) if account else {}), **extra}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    return client.post(f"/api/v1{path}", body, content_type="application/json", **headers)


def test_a_wrong_relation_names_the_field_and_its_choices_in_chinese(client, world):
    response = post(client, "/family/children/by-account",
                    {"account": world.student_a.number, "password": "x", "relation": "uncle"}, world.parent_a)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "request.invalid" and body["who_can_fix"] == "本人"
    assert "与学生关系只能是以下之一" in body["message"] and "父亲" in body["message"]
    assert not any(leak in body["message"] for leak in ENGLISH_LEAKS)
    assert body["fields"] == [{"field": "relation", "code": "field.choice", "message": body["fields"][0]["message"]}]


def test_the_same_error_in_english_on_request(client, world):
    response = post(client, "/family/children/by-account",
                    {"account": world.student_a.number, "password": "x", "relation": "uncle"}, world.parent_a,
                    language="en")
    message = response.json()["message"]
    assert message.startswith("The request is invalid: The relation to the student must be one of:")
    assert "father" in message and "Input should" not in message


def test_one_message_per_missing_field(client, db):
    body = post(client, "/auth/login", {}).json()
    assert body["message"] == "请求内容有误:请填写账号。请填写密码。"
    assert [f["field"] for f in body["fields"]] == ["identifier", "password"]
    assert {f["code"] for f in body["fields"]} == {"field.required"}


def test_too_long_values_say_the_limit(client, db):
    body = post(client, "/auth/login", {"identifier": "1" * 300, "password": "x"}, language="en").json()
    assert body["fields"][0]["message"] == "The account may have at most 64 characters."


def test_query_parameters_are_named_too(client, world):
    body = client.get("/api/v1/verification/outbox?limit=0", **bearer(world.province_admin)).json()
    assert body["code"] == "request.invalid" and body["fields"][0]["message"] == "条数不能小于 1。"


def test_a_body_that_is_not_json_is_said_so(client, db):
    response = client.post("/api/v1/auth/login", "{", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "request.body_not_json"
    assert "JSON" in response.json()["message"] and "Expecting" not in response.json()["message"]


@pytest.mark.parametrize("path, body", [
    ("/auth/login", {"identifier": 5, "password": ["x"]}),
    ("/auth/login", []),
    ("/family/children/by-id-number", {"name": "张三", "id_number": 1, "sex": "X"}),
    ("/family/children/by-account", {"account": None}),
])
def test_no_validation_message_leaks_english_in_chinese(client, world, path, body):
    response = post(client, path, body, world.parent_a)
    assert response.status_code == 400
    payload = response.json()
    assert not any(leak in payload["message"] for leak in ENGLISH_LEAKS), payload["message"]
    assert all("\u4e00" <= ch <= "\u9fff" for ch in payload["fields"][0]["message"][:1]) or "“" in payload["message"]


def test_a_field_without_a_known_word_is_named_by_its_title():
    from renrentong.core.validation import field_label

    assert field_label(["some_new_thing"]) == "“Some new thing”"
    assert field_label(["children", "2", "name"]) == "姓名(第 3 项)"


def test_a_key_that_is_a_digit_to_str_isdigit_only_is_named_not_a_500(client, world):
    # "²" is a digit to str.isdigit() but no number to int(): the error names the field, no 500.
    stage = world.class_a1.cohort.stage
    response = client.put(f"/api/v1/orgs/stages/{stage.pk}/naming", {"grade_names": {"²": "x"}},
                          content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 400 and response.json()["code"] == "request.invalid"


@pytest.mark.parametrize("body", ["true", "[]", "3", '"x"', "null"])
def test_a_body_that_is_no_object_is_no_empty_change(client, world, body):
    # Every field of the naming change has a default: the body must still be a JSON object (schemathesis found
    # `true` read as an empty change).
    stage = world.class_a1.cohort.stage
    response = client.put(f"/api/v1/orgs/stages/{stage.pk}/naming", body, content_type="application/json",
                          **bearer(world.school_admin_a))
    assert response.status_code == 400 and response.json()["code"] == "request.invalid", response.content


@pytest.mark.parametrize("value", [0, 1, 1.0])
def test_a_number_is_no_true_or_false(client, world, value):
    # Lax mode read 1 as true in a field that takes only true or false (schemathesis found it on the review
    # settings); a query string's "true" stays text and is read as before.
    response = client.put("/api/v1/evaluation/review/settings", {"head_teachers_review": value},
                          content_type="application/json", **bearer(world.school_admin_a))
    assert response.status_code == 400 and response.json()["code"] == "request.invalid", response.content
