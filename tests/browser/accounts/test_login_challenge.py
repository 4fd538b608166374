"""Issue 10 item 4 in Chromium: a throttled source still lets the right password through once the page
has solved the proof-of-work challenge with its own static script (no inline code, no outside service)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from renrentong.accounts.models import LoginEvent

from tests.factories import NEW_PASSWORD, give_password

pytestmark = pytest.mark.browser


def throttle_this_address() -> None:
    """One device behind the school's address fails with 31 unknown identifiers (the live server sees 127.0.0.1)."""
    client = Client()
    for i in range(31):
        client.post("/api/v1/auth/login", json.dumps({"identifier": str(40_000_000 + i), "password": "Guess-123"}),
                    content_type="application/json", REMOTE_ADDR="127.0.0.1")


def test_a_throttled_school_address_logs_in_after_the_challenge(page, world):
    teacher = give_password(world.teacher_a)
    throttle_this_address()
    page.goto("/accounts/login/")
    status = page.get_by_test_id("challenge-status")
    expect(status).to_be_visible()
    page.fill("#identifier", teacher.phone)
    page.fill("#password", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    assert LoginEvent.objects.filter(account=teacher, outcome="success").exists()


def test_failures_from_the_page_lead_to_the_challenge_and_it_passes(page, world):
    teacher = give_password(world.teacher_a)
    for attempt in range(3):
        page.goto("/accounts/login/")
        page.fill("#identifier", teacher.phone)
        page.fill("#password", f"Wrong-pass-{attempt}")
        page.locator("main form button[type=submit]").click()
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "login.wrong_password_challenge_next")
    expect(error.locator(".error-message")).to_contain_text("下次登录需先完成一次安全验证")
    # The page answering the third failure already carries the next challenge and solves it.
    expect(page.get_by_test_id("challenge-status")).to_have_attribute("data-state", "done")
    page.fill("#password", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
