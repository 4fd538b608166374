"""Long imports show progress people can trust (issue 12, item 5): the preview writes its rows checked of
the total as it goes, in its own short transactions, so the page and the API read them mid-check; the
commit shows rows written of the total; both estimate the time left."""

from datetime import timedelta

import pytest
from django.utils import timezone

from renrentong.rosters import selectors, worker
from renrentong.rosters.models import ImportJob

from tests.factories import bearer, make_id_number
from tests.roster_files import csv_file, row, upload
from tests.rosters.test_roster_pages import as_user

ROWS = 120


class WorkerKilled(BaseException):
    """Stands for the worker process dying: nothing in the worker catches it."""


@pytest.fixture
def admin(world):
    return bearer(world.school_admin_a)


def roster(world, n=ROWS):
    return csv_file([row(f"学生{i}", make_id_number(), world.class_a1) for i in range(n)])


def test_rows_checked_are_visible_mid_check_when_the_worker_stops_after_n_rows(client, world, admin, monkeypatch):
    monkeypatch.setattr(worker, "PROGRESS_EVERY_ROWS", 10)
    monkeypatch.setattr(worker, "PROGRESS_EVERY_SECONDS", 3600)
    saved = worker.CheckProgress.save

    def dies_after_50(self, done):
        saved(self, done)
        if done >= 50:
            raise WorkerKilled

    monkeypatch.setattr(worker.CheckProgress, "save", dies_after_50)
    job_id = upload(client, admin, roster(world)).json()["id"]
    with pytest.raises(WorkerKilled):
        worker.run_preview(job_id)

    job = client.get(f"/api/v1/rosters/imports/{job_id}", **admin).json()
    assert job["status"] == "previewing"
    assert (job["rows_checked"], job["total_rows"]) == (50, ROWS)
    assert (job["phase"], job["phase_done"], job["phase_total"]) == ("checking", 50, ROWS)

    as_user(client, world.school_admin_a, "school_admin")
    page = client.get(f"/rosters/imports/{job_id}/status/", HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert f'max="{ROWS}" value="50"' in html
    assert "50 / 120" in html


def test_a_preview_run_again_counts_from_the_start_and_ends_with_every_row(client, world, admin):
    job_id = upload(client, admin, roster(world, 30)).json()["id"]
    ImportJob.objects.filter(pk=job_id).update(rows_checked=999, total_rows=999)
    worker.run_preview(job_id)
    job = client.get(f"/api/v1/rosters/imports/{job_id}", **admin).json()
    assert job["status"] == "previewed"
    assert (job["rows_checked"], job["total_rows"], job["phase"]) == (30, 30, "")


def test_progress_estimates_the_time_left_from_the_pace_so_far():
    now = timezone.now()
    job = ImportJob(status=ImportJob.Status.PREVIEWING, total_rows=6000, rows_checked=2400,
                    phase_started_at=now - timedelta(seconds=24))
    progress = selectors.job_progress(job, now)
    assert (progress.phase, progress.done_text, progress.total_text, progress.percent) == (
        "checking", "2,400", "6,000", 40)
    assert progress.seconds_left == 36
    reading = selectors.job_progress(ImportJob(status=ImportJob.Status.PREVIEWING, total_rows=0))
    assert reading.phase == "reading" and reading.seconds_left is None
    writing = selectors.job_progress(ImportJob(status=ImportJob.Status.COMMITTING, total_rows=6000, rows_done=3000,
                                               phase_started_at=now - timedelta(seconds=90)), now)
    assert (writing.phase, writing.seconds_left) == ("writing", 90)


def test_the_commit_shows_rows_written_of_the_total(client, world, admin):
    job_id = upload(client, admin, roster(world, 12)).json()["id"]
    worker.run_preview(job_id)
    client.post(f"/api/v1/rosters/imports/{job_id}/commit", "{}", content_type="application/json", **admin)
    ImportJob.objects.filter(pk=job_id).update(rows_done=5)
    job = client.get(f"/api/v1/rosters/imports/{job_id}", **admin).json()
    assert (job["status"], job["phase"], job["phase_done"], job["phase_total"]) == ("committing", "writing", 5, 12)
