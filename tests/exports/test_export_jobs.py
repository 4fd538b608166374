"""Exports as tasks (issue 12, item 5): a big export is written by the worker into the export storage with
a progress page, downloadable only by the actor who asked (audited), expiring after a day; a killed worker
leaves a job that runs again, never a half file; a small export stays a direct download."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.exports import services, worker
from renrentong.exports.models import ExportJob

from tests.factories import make_school_admin
from tests.rosters.test_roster_pages import as_user


class WorkerKilled(BaseException):
    """Stands for the worker process dying: nothing in the worker catches it."""


def cells(content: bytes) -> list[str]:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    return [str(c) for r in rows for c in r]


@pytest.fixture
def big(monkeypatch, tmp_path):
    """Every export counts as big, and files go to a storage of this test's own."""
    monkeypatch.setattr(services, "SYNC_ROWS", -1)
    monkeypatch.setattr(worker, "EXPORT_DIR", tmp_path / "exports")
    return tmp_path / "exports"


def start_roster_export(client, world) -> int:
    as_user(client, world.school_admin_a, "school_admin")
    response = client.get("/rosters/exports/students/")
    assert response.status_code == 302, response.content
    assert response["Location"].startswith("/exports/")
    return int(response["Location"].strip("/").split("/")[1])


def test_a_small_export_is_still_a_direct_download(client, world):
    as_user(client, world.school_admin_a, "school_admin")
    response = client.get("/rosters/exports/students/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert world.student_a.person.name in cells(response.content)
    assert not ExportJob.objects.exists()
    assert AuditEvent.objects.filter(verb="roster.export").count() == 1


def test_a_big_export_runs_as_a_task_with_progress_then_a_download_for_its_owner_only(client, world, big):
    job_id = start_roster_export(client, world)
    page = client.get(f"/exports/{job_id}/").content.decode()
    assert 'data-status="queued"' in page and 'data-testid="export-download"' not in page
    assert client.get(f"/exports/{job_id}/file/").status_code == 409  # not written yet
    assert not AuditEvent.objects.filter(verb="roster.export").exists()

    assert worker.run(job_id) == "done"
    job = ExportJob.objects.get(pk=job_id)
    assert job.rows_written == job.total_rows > 0 and job.expires_at > timezone.now() + timedelta(hours=23)
    page = client.get(f"/exports/{job_id}/").content.decode()
    assert 'data-testid="export-download"' in page
    response = client.get(f"/exports/{job_id}/file/")
    assert response.status_code == 200
    assert world.student_a.person.name in cells(response.content)
    assert world.student_a.person.reveal_id_number() not in cells(response.content)
    made = AuditEvent.objects.get(verb="roster.export")
    assert made.details["export_job"] == job_id and made.details["rows"] == job.total_rows
    assert AuditEvent.objects.filter(verb="export.download", target_id=job_id).count() == 1

    # Another admin of the same school sees neither the job nor its file.
    other = make_school_admin(world.school_a)
    as_user(client, other, "school_admin")
    assert client.get(f"/exports/{job_id}/").status_code == 404
    assert client.get(f"/exports/{job_id}/file/").status_code == 404
    assert AuditEvent.objects.filter(verb="export.download").count() == 1


def test_running_twice_writes_one_file(client, world, big):
    job_id = start_roster_export(client, world)
    assert worker.run(job_id) == "done"
    assert worker.run(job_id) == "done"  # nothing to claim: the job is done
    assert len(list(big.glob("*.xlsx"))) == 1
    assert ExportJob.objects.get(pk=job_id).attempts == 1


def test_a_killed_export_leaves_no_file_and_runs_again(client, world, big, monkeypatch):
    job_id = start_roster_export(client, world)

    def killed_after_one_row(sheets):
        for _ in sheets[0].rows:
            pass  # the first row is written; the worker dies before the second
        raise WorkerKilled

    monkeypatch.setattr(worker, "PROGRESS_EVERY_ROWS", 1)
    monkeypatch.setattr(worker, "write_xlsx", killed_after_one_row)
    with pytest.raises(WorkerKilled):
        worker.run(job_id)
    monkeypatch.undo()
    monkeypatch.setattr(worker, "EXPORT_DIR", big)
    job = ExportJob.objects.get(pk=job_id)
    assert job.status == "running" and job.total_rows > 0 and job.rows_written >= 1  # progress seen mid-write
    status = client.get(f"/exports/{job_id}/status/", HTTP_HX_REQUEST="true").content.decode()
    assert f'max="{job.total_rows}" value="{job.rows_written}"' in status
    assert not list(big.glob("*")) or not list(big.glob("*.xlsx"))
    assert client.get(f"/exports/{job_id}/file/").status_code == 409  # never a half file

    assert services.resume_stalled() == []  # its heartbeat is recent: maybe it is still working
    ExportJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now() - timedelta(minutes=2))
    assert services.resume_stalled() == [job_id]
    assert worker.run(job_id) == "done"
    job = ExportJob.objects.get(pk=job_id)
    assert job.attempts == 2
    assert client.get(f"/exports/{job_id}/file/").status_code == 200


def test_an_export_expires_and_can_be_written_again(client, world, big):
    job_id = start_roster_export(client, world)
    worker.run(job_id)
    assert services.purge_expired() == 0
    ExportJob.objects.filter(pk=job_id).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.purge_expired() == 1
    assert not list(big.glob("*.xlsx"))
    response = client.get(f"/exports/{job_id}/file/")
    assert response.status_code == 410
    assert 'data-testid="export-retry"' in client.get(f"/exports/{job_id}/").content.decode()
    assert client.post(f"/exports/{job_id}/retry/").status_code == 302
    assert worker.run(job_id) == "done"
    assert client.get(f"/exports/{job_id}/file/").status_code == 200


def test_the_audit_log_and_key_information_exports_go_through_the_same_entry_point(client, world, big):
    as_user(client, world.school_admin_a, "school_admin")
    for url in ("/audit/export/", "/school/keyinfo/incomplete.xlsx"):
        response = client.get(url)
        assert response.status_code == 302, (url, response.content)
        job_id = int(response["Location"].strip("/").split("/")[1])
        assert worker.run(job_id) == "done", ExportJob.objects.get(pk=job_id).error_code
        assert client.get(f"/exports/{job_id}/file/").status_code == 200
    assert AuditEvent.objects.filter(verb="audit.export").count() == 1
    assert AuditEvent.objects.filter(verb="keyinfo.export_incomplete").count() == 1


def test_a_job_whose_actor_lost_the_scope_fails_with_the_reason(client, world, big):
    job_id = start_roster_export(client, world)
    ExportJob.objects.filter(pk=job_id).update(params={"kind": "students", "school_id": world.school_b.pk,
                                                       "class_id": None})
    assert worker.run(job_id) == "failed"
    assert ExportJob.objects.get(pk=job_id).error_code == "scope.not_found"
    assert not list(big.glob("*.xlsx"))
