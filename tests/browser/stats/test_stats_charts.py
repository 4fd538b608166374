"""The statistics charts in Chromium (STAT-2), with every request to anywhere but our own server blocked:
each chart draws from the project's own ECharts, and its aria description names a figure of the table
beside it; at a desk and at phone width (360 px) without sideways scrolling; drilling down by the table."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.helpers import log_in, pass_second_factor
from tests.factories import NEW_PASSWORD, give_password
from tests.stats.helpers import catch_up
from tests.stats.helpers import log_in as api_log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}
CHARTS = ("chart-trend", "chart-bars", "chart-share")


def only_our_server(page: Page) -> list[str]:
    """Aborts every request not to the live server; returns the list of what was blocked."""
    blocked: list[str] = []

    def handle(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return blocked


def check_charts(page: Page) -> None:
    total = page.get_by_test_id("stats-total")
    active_7 = total.locator('[data-figure="active_7"]').inner_text().strip()
    activated = total.locator('[data-figure="activated"]').inner_text().strip()
    for name in CHARTS:
        chart = page.get_by_test_id(name)
        expect(chart).to_have_attribute("data-drawn", "true")
        expect(chart.locator("svg")).to_have_count(1)
    expect(page.get_by_test_id("chart-trend")).to_have_attribute("aria-label", re.compile(rf"\b{active_7}\b"))
    expect(page.get_by_test_id("chart-bars")).to_have_attribute("aria-label", re.compile(rf"\b{active_7}\b"))
    expect(page.get_by_test_id("chart-share")).to_have_attribute("aria-label", re.compile(rf"\b{activated}\b"))


@pytest.fixture
def counted(world):
    api_log_in(world.student_a, times=2)
    api_log_in(world.parent_a)
    api_log_in(world.student_a2)
    catch_up()
    return world


def test_district_admin_sees_charts_drawn_offline_and_drills_to_a_class(new_page, counted):
    world = counted
    page = new_page(viewport=DESK)
    blocked = only_our_server(page)
    admin = give_password(world.district_admin_x)
    log_in(page, admin.phone, NEW_PASSWORD)
    pass_second_factor(page, admin)
    page.goto("/stats/")
    expect(page).to_have_url(re.compile(rf"/stats/regions/{world.district_x.pk}/$"))
    expect(page.get_by_test_id("stats-as-of")).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))
    expect(page.get_by_test_id("stats-total").locator('[data-figure="activated"]')).to_have_text("3")
    check_charts(page)
    page.get_by_test_id("stats-table").get_by_test_id("drill").filter(has_text=world.school_a.name).click()
    expect(page).to_have_url(re.compile(rf"/stats/schools/{world.school_a.pk}/"))
    check_charts(page)
    page.locator(f'[data-node-id="{world.class_a1.pk}"]').get_by_test_id("drill").click()
    expect(page.get_by_test_id("stats-person")).to_have_count(2)
    assert blocked == []


def test_school_admin_on_a_phone_sees_the_charts_without_sideways_scrolling(new_page, counted):
    world = counted
    page = new_page(viewport=PHONE)
    only_our_server(page)
    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    page.goto(f"/stats/schools/{world.school_a.pk}/")
    check_charts(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
