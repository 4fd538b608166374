"""The OneRoster import pages in Chromium (INT-2): a school admin opens them from the console menu, uploads the
school's package with one name edited, watches the preview, sees the one "update" row, commits while the page
polls the progress, sees the result, and undoes the import; at a desk and on a phone. A real task worker runs the
jobs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renrentong.accounts.models import Person

from tests.browser.helpers import log_in, open_menu_link
from tests.browser.rosters import test_imports
from tests.factories import NEW_PASSWORD, give_password
from tests.integration.oneroster.test_export import package
from tests.integration.oneroster.test_import import csv_rows, write, zipped

pytestmark = pytest.mark.browser
JOB_MS = test_imports.JOB_MS
task_worker = test_imports.task_worker  # the roster tests' task worker process, as a fixture here too


def wait_for_status(page, status: str, timeout: int = JOB_MS) -> None:
    expect(page).to_have_url(re.compile(r"/oneroster/imports/\d+/"))
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-status", status, timeout=timeout)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 800}, {"width": 360, "height": 740}],
                         ids=["desk", "phone"])
def test_school_admin_uploads_previews_commits_and_undoes_a_oneroster_package(new_page, viewport, world, task_worker,
                                                                              client, tmp_path):
    files = package(client, world.school_admin_a)
    users = csv_rows(files["users.csv"])
    for user in users:
        if user["username"] == world.student_a.number:
            user["givenName"] = "晓明"
    files["users.csv"] = write(users)
    path = tmp_path / "oneroster.zip"
    path.write_bytes(zipped(files).read())

    page = new_page(viewport=viewport)
    give_password(world.school_admin_a)
    log_in(page, world.school_admin_a.phone, NEW_PASSWORD)
    page.goto("/")
    open_menu_link(page, "nav-oneroster-imports")
    expect(page).to_have_url(re.compile(r"/oneroster/imports/$"))
    expect(page.get_by_test_id("oneroster-export")).to_be_visible()
    page.set_input_files("#file", str(path))
    page.get_by_test_id("oneroster-upload").click()

    wait_for_status(page, "previewed")
    expect(page.get_by_test_id("filter-update")).to_contain_text("(1)")
    page.get_by_test_id("filter-update").click()
    updated = page.get_by_test_id("rows").locator("tbody tr")
    expect(updated).to_have_count(1)
    expect(updated.first).to_have_attribute("data-outcome", "update")
    assert Person.objects.get(account=world.student_a).name == "李小明"  # the preview writes nothing

    page.get_by_test_id("commit").click()
    wait_for_status(page, "committed", timeout=3 * JOB_MS)  # every object of the school is written again
    expect(page.get_by_test_id("result")).to_be_visible()
    assert Person.objects.get(account=world.student_a).name == "李晓明"

    page.get_by_test_id("undo").click()
    wait_for_status(page, "undone")
    expect(page.get_by_test_id("undo-report")).to_be_visible()
    assert Person.objects.get(account=world.student_a).name == "李小明"

    page.goto("/oneroster/imports/")
    expect(page.get_by_test_id("oneroster-job").first).to_have_attribute("data-status", "undone")
