"""A big export in Chromium (issue 12, item 5): the roster export becomes a task, its page polls the rows
written while a real worker writes the file, then offers the download, to its owner only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from renrentong.exports import services

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password
from tests.browser.rosters.test_progress import slow_worker  # noqa: F401 (the worker fixture)

pytestmark = pytest.mark.browser


def test_a_big_roster_export_shows_its_progress_then_the_download(page, world, slow_worker,  # noqa: F811
                                                                  monkeypatch):
    monkeypatch.setattr(services, "SYNC_ROWS", -1)  # the live server runs in this process: every export is big
    give_password(world.school_admin_a)
    log_in(page, world.school_admin_a.phone, NEW_PASSWORD)
    page.goto("/rosters/exports/students/")
    expect(page).to_have_url(re.compile(r"/exports/\d+/$"))
    expect(page.get_by_test_id("export-status")).to_have_attribute("data-status", "done", timeout=30_000)
    link = page.get_by_test_id("export-download")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert Path(download.path()).read_bytes()[:2] == b"PK"
