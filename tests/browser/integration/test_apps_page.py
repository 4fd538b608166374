"""INT-1 in Chromium: a city admin registers an app on the apps page, reads its secret once, is told what was
wrong with a bad address, and suspends the app; axe finds nothing serious on the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renrentong.integration.models import App

from tests.browser.helpers import log_in, open_menu_link, pass_second_factor
from tests.factories import NEW_PASSWORD, give_password
from tests.browser.platform.test_every_page import axe_findings

pytestmark = pytest.mark.browser


def test_a_city_admin_registers_an_app_reads_its_secret_once_and_suspends_it(new_page, world):
    admin = give_password(world.city_admin)
    page = new_page(viewport={"width": 1366, "height": 768})
    log_in(page, admin.number, NEW_PASSWORD)
    pass_second_factor(page, admin)
    open_menu_link(page, "nav-apps")
    expect(page).to_have_url(re.compile(r"/apps/$"))
    expect(page.get_by_test_id("no-apps")).to_be_visible()
    assert axe_findings(page) == []
    page.fill("#app-name", "智慧作业")
    page.select_option("#app-region", str(world.district_x.pk))
    page.fill("#app-redirects", "http://homework.example.cn/callback")
    page.get_by_test_id("claim-name").check()
    page.get_by_test_id("app-register").click()
    # A plain-http address is refused, naming the address and what it must be; what was typed stays.
    expect(page.get_by_test_id("error")).to_contain_text("http://homework.example.cn/callback")
    expect(page.get_by_test_id("error")).to_contain_text("https")
    expect(page.locator("#app-name")).to_have_value("智慧作业")
    page.fill("#app-redirects", "https://homework.example.cn/callback")
    page.get_by_test_id("app-register").click()
    expect(page.get_by_test_id("app-registered")).to_contain_text("智慧作业")
    app = App.objects.get()
    expect(page.get_by_test_id("app-client-id")).to_have_text(app.client_id)
    secret = page.get_by_test_id("app-client-secret").inner_text()
    assert len(secret) >= 100 and secret not in app.client_secret
    page.goto("/apps/")
    expect(page.get_by_test_id(f"app-{app.pk}")).to_contain_text("智慧作业")
    assert secret not in page.content()
    page.get_by_test_id(f"app-suspend-{app.pk}").click()
    expect(page.get_by_test_id(f"app-suspended-{app.pk}")).to_be_visible()
    app.refresh_from_db()
    assert not app.active and app.claims == ["name"] and app.region == world.district_x
