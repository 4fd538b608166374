"""The academic score import in Chromium (EVA-6): a school admin uploads a file, watches the preview, sees each
row's outcome with refusals by row (another school's student masked, who can fix it), commits while the page
polls the progress, downloads the refused rows, and undoes the import. A real task worker runs the jobs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from renrentong.evaluation.models import AcademicScore

from tests.browser.helpers import log_in
from tests.browser.rosters import test_imports
from tests.evaluation.scores.helpers import HEADERS, by_account, score_file
from tests.factories import NEW_PASSWORD, give_password, make_evaluation_catalogue

pytestmark = pytest.mark.browser
JOB_MS = test_imports.JOB_MS
task_worker = test_imports.task_worker  # the roster tests' task worker process, as a fixture here too


def wait_for_status(page, status: str, timeout: int = JOB_MS) -> None:
    expect(page).to_have_url(re.compile(r"/evaluation/scores/imports/\d+/"))
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-status", status, timeout=timeout)


def test_school_admin_uploads_previews_commits_and_undoes_a_score_file(page, world, task_worker, tmp_path):
    make_evaluation_catalogue(world.city)
    path = tmp_path / "scores.csv"
    path.write_bytes(score_file([
        by_account(world.student_a, "体育平时成绩", "88.5"),     # row 2: create
        by_account(world.student_a2, "艺术平时成绩", "91"),      # row 3: create
        by_account(world.student_b, "体育平时成绩", "70"),       # row 4: another school's student
        by_account(world.student_a2, "体育平时成绩", "130"),     # row 5: out of range
    ], headers=HEADERS).read())

    give_password(world.school_admin_a)
    log_in(page, world.school_admin_a.phone, NEW_PASSWORD)
    page.goto("/evaluation/scores/imports/")
    expect(page.get_by_test_id("importable-items")).to_contain_text("体育平时成绩")
    page.set_input_files("#file", str(path))
    page.get_by_test_id("score-upload").click()

    wait_for_status(page, "previewed")
    expect(page.get_by_test_id("filter-create")).to_contain_text("(2)")
    expect(page.get_by_test_id("filter-error")).to_contain_text("(2)")
    other = page.get_by_test_id("rows").locator("tbody tr").nth(2)
    expect(other).to_have_attribute("data-outcome", "error")
    expect(other.locator("td").nth(2)).to_contain_text("陈*红")
    expect(other.locator("td").nth(2)).not_to_contain_text("陈小红")
    expect(other.locator("td").nth(3)).to_contain_text("该生所在学校的管理员")
    assert not AcademicScore.objects.exists()  # the preview writes nothing

    page.get_by_test_id("commit").click()
    wait_for_status(page, "committing", timeout=5_000)
    expect(page.get_by_test_id("progress")).to_be_visible()
    wait_for_status(page, "committed")
    expect(page.get_by_test_id("result")).to_be_visible()
    assert AcademicScore.objects.count() == 2

    with page.expect_download() as info:
        page.get_by_test_id("rejected-download").click()
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"

    page.get_by_test_id("undo").click()
    wait_for_status(page, "undone")
    expect(page.get_by_test_id("undo-report")).to_be_visible()
    assert not AcademicScore.objects.exists()
