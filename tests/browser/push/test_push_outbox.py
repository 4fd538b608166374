"""The push outbox in Chromium (MSG-4): a school admin reads the pushes of a notice, title, sender and link,
never its body."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renrentong.orgs.models import Policy
from renrentong.push import engine
from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password
from tests.push.helpers import NO_QUIET, SECRET_BODY, ring_notice, send

pytestmark = pytest.mark.browser


def test_school_admin_reads_the_push_outbox(new_page, world):
    Policy.objects.create(region=world.province, values=NO_QUIET)
    notice = send(world, title="运动会通知")
    total = ring_notice(notice)
    while engine.drain():
        pass
    admin = give_password(world.school_admin_a)
    page = new_page(locale="en-US")
    log_in(page, admin.number, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/push/outbox/")
    rows = page.get_by_test_id("push-row")
    expect(rows).to_have_count(total)
    expect(rows.first).to_have_attribute("data-state", "delivered")
    expect(rows.first).to_contain_text("运动会通知")
    expect(page.get_by_test_id("push-outbox")).not_to_contain_text(SECRET_BODY)
