"""The console pages redone on Bootstrap (issue 12) fit a desk and a phone: at 1366x768 and 360x740 each
page has its heading and never scrolls sideways (a wide table scrolls inside its own box)."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from renrentong.accounts.access import actor_for
from renrentong.orgs.models import Campus
from renrentong.orgs.tenants import services as tenants

from tests.browser.helpers import log_in, pass_second_factor
from tests.factories import NEW_PASSWORD, give_password

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 1366, "height": 768}, {"width": 360, "height": 740}]


def school_admin_pages(world) -> list[str]:
    cohort = world.class_a1.cohort
    campus = Campus.objects.get(school=world.school_a)
    return [
        reverse("orgs:school", args=[world.school_a.pk]),
        reverse("orgs:campus_new", args=[world.school_a.pk]),
        reverse("orgs:stage_new", args=[campus.pk]),
        reverse("orgs:grade_new", args=[cohort.stage_id]),
        reverse("orgs:classes_new", args=[cohort.pk]),
        reverse("orgs:naming", args=[cohort.stage_id]),
        reverse("orgs:system", args=[world.school_a.pk]),
        reverse("orgs:settings"),
        reverse("schooladmin:teaching"),
        reverse("schooladmin:user_new") + "?kind=student",
        reverse("schooladmin:class_students", args=[world.class_a1.pk]),
        reverse("schooladmin:class_changes"),
        reverse("rollover:page"),
        reverse("rollover:alumni"),
        reverse("resets"),
        reverse("verification:outbox"),
        reverse("keyinfo:person", args=[world.student_a.person_id]),
        reverse("orgs:school", args=[world.school_b.pk]),  # another school's: the refusal page
    ]


def district_admin_pages(world) -> list[str]:
    return [
        reverse("orgs:tenants"),
        reverse("orgs:tenant", args=[world.school_a.pk]),
        reverse("orgs:approvals"),
        reverse("orgs:settings"),
        reverse("accounts:networks") + "?school=" + world.school_a.code,
    ]


def visit(page, urls, width):
    for url in urls:
        page.goto(url)
        expect(page.locator("main h1").first).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{url} is {overflow}px wide at {width}px"
        if os.environ.get("RR_SCREENSHOTS"):
            name = url.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home"
            page.screenshot(path=f"{os.environ['RR_SCREENSHOTS']}/{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desk", "phone"])
def test_school_admin_pages_fit_the_screen(new_page, world, viewport):
    admin = world.school_admin_a
    tenants.request_system_change(actor_for(admin, admin.identities.get()), world.school_a.pk, "5-4", ["primary"])
    page = new_page(viewport=viewport)
    log_in(page, give_password(admin).phone, NEW_PASSWORD)
    visit(page, school_admin_pages(world), viewport["width"])


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desk", "phone"])
def test_district_admin_pages_fit_the_screen(new_page, world, viewport):
    admin = world.school_admin_a
    tenants.request_system_change(actor_for(admin, admin.identities.get()), world.school_a.pk, "5-4", ["primary"])
    district = give_password(world.district_admin_x)
    page = new_page(viewport=viewport)
    log_in(page, district.number, NEW_PASSWORD)
    pass_second_factor(page, district)
    visit(page, district_admin_pages(world), viewport["width"])
