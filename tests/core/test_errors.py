"""HELP-1: every error in the catalogue has Chinese and English text, a 4xx status and who can fix it."""

import re

import pytest
from django.utils import translation

from renrentong.core.errors import CATALOGUE, UserFacingError


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_error_names_the_cause_in_both_languages_and_who_can_fix(code):
    spec = CATALOGUE[code]
    # A refusal is the user's to act on (4xx); only "the service is unavailable, try again" is a 503.
    assert 400 <= spec.status < 500 or (spec.status == 503 and code in ("service.busy",
                                                                         "service.database_unavailable"))
    assert re.search(r"[\u4e00-\u9fff]", spec.zh), "Chinese text"
    assert spec.en.isascii() or "“" in spec.en
    assert spec.who[0] and spec.who[1]
    # Both texts take the same placeholders.
    assert set(re.findall(r"{(\w+)}", spec.zh)) == set(re.findall(r"{(\w+)}", spec.en))


def test_language_follows_the_request():
    error = UserFacingError("login.frozen", contact="0731-1")
    assert error.as_dict()["who_can_fix"] == "学校管理员"
    with translation.override("en"):
        assert error.as_dict() == {
            "code": "login.frozen", "message": "This account is frozen and cannot log in. Ask the school admin "
            "to unfreeze it.", "who_can_fix": "the school admin", "contact": "0731-1",
        }


def test_unknown_codes_are_a_programming_error():
    with pytest.raises(KeyError):
        UserFacingError("no.such.code")


def test_unknown_api_paths_and_methods_answer_in_the_error_shape(client, db):
    missing = client.get("/api/v1/no/such/thing")
    assert missing.status_code == 404 and missing.json()["code"] == "request.not_found"
    wrong = client.delete("/api/v1/auth/login")
    assert wrong.status_code == 405 and wrong.json()["code"] == "request.method_not_allowed"
    assert "POST" in wrong["Allow"]

