"""NFR-3 for imports: a worker killed in the middle of a commit leaves only whole chunks, and the job,
picked up again as stalled, ends with exactly the rows of one clean run."""

import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from renrentong.accounts.models import Account, Enrollment
from renrentong.rosters import services
from renrentong.rosters import worker as roster_worker
from renrentong.rosters.models import ImportJob

from tests.factories import bearer, make_id_number
from tests.roster_files import csv_file

ROOT = Path(__file__).resolve().parents[3]
ROWS = 24
CHUNK = 4


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker(*extra: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "RRT_IMPORT_CHUNK_ROWS": str(CHUNK),
           "RRT_IMPORT_CHUNK_PAUSE": "0.5", "DJANGO_SETTINGS_MODULE": "renrentong.settings"}
    if "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
        command = ["db_worker", "--interval", "0.2", "--no-startup-delay", *extra]
    else:
        command = ["rqworker", "default", "--job-class", "django_tasks_rq.backend.Job", *extra]
    return subprocess.Popen([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_killed_commit_resumes_to_exactly_one_clean_run(client, transactional_db, world):
    headers = bearer(world.school_admin_a)
    rows = [[f"学生{i}", "", make_id_number(), "三年级", "1班"] for i in range(ROWS)]
    response = client.post("/api/v1/rosters/imports",
                           {"file": csv_file(rows, headers=["姓名", "性别", "身份证号", "年级", "班级"]),
                            "kind": "students"}, **headers)
    job_id = response.json()["id"]
    roster_worker.run_preview(job_id)
    assert ImportJob.objects.get(pk=job_id).counts == {"create": ROWS}
    client.post(f"/api/v1/rosters/imports/{job_id}/commit", "{}", content_type="application/json", **headers)

    process = worker()
    try:
        deadline = time.monotonic() + 60
        while ImportJob.objects.get(pk=job_id).rows_done < 2 * CHUNK:
            assert time.monotonic() < deadline, "the worker never got going"
            time.sleep(0.1)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    job = ImportJob.objects.get(pk=job_id)
    created = Account.objects.filter(created_by_import=job_id).count()
    assert job.status == "committing" and job.rows_done % CHUNK == 0 and 0 < job.rows_done < ROWS
    assert created == job.rows_done  # whole chunks only: no row half-written
    assert Enrollment.objects.filter(created_by_import=job_id).count() == job.rows_done

    # The worker is gone: once its heartbeat is old the job is picked up again, never stuck.
    ImportJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    assert services.resume_stalled() == [job_id]
    finisher = worker("--batch" if "django_tasks_db" in settings.TASKS["default"]["BACKEND"] else "--burst")
    assert finisher.wait(timeout=120) == 0

    job = ImportJob.objects.get(pk=job_id)
    assert job.status == "committed" and job.rows_done == ROWS
    assert Account.objects.filter(created_by_import=job_id).count() == ROWS
    assert Enrollment.objects.filter(created_by_import=job_id).count() == ROWS
    assert Account.objects.filter(person__name__startswith="学生").count() == ROWS


def test_the_worker_itself_resumes_a_stalled_import_without_cron(client, transactional_db, world):
    """Issue 10, item 8: nobody calls resume_stalled (no cron, no page open): the worker started as
    `make run` starts it (`manage.py run_worker`) finds the stalled job by its periodic duty and ends it."""
    headers = bearer(world.school_admin_a)
    rows = [[f"学生{i}", "", make_id_number(), "三年级", "1班"] for i in range(ROWS)]
    response = client.post("/api/v1/rosters/imports",
                           {"file": csv_file(rows, headers=["姓名", "性别", "身份证号", "年级", "班级"]),
                            "kind": "students"}, **headers)
    job_id = response.json()["id"]
    roster_worker.run_preview(job_id)
    # A worker took the commit and died: the job says "importing", its heartbeat is old and no task for it
    # is left in the queue.
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.COMMITTING,
                                               heartbeat_at=timezone.now() - timedelta(minutes=10))
    env = {**os.environ, "DATABASE_URL": database_url(), "RRT_IMPORT_CHUNK_ROWS": str(CHUNK),
           "DJANGO_SETTINGS_MODULE": "renrentong.settings"}
    extra = ["--", "--interval", "0.2", "--no-startup-delay"] if "django_tasks_db" in settings.TASKS["default"][
        "BACKEND"] else []
    process = subprocess.Popen([sys.executable, "manage.py", "run_worker", "--every", "0.5", *extra], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while ImportJob.objects.get(pk=job_id).status != ImportJob.Status.COMMITTED:
            assert process.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the stalled import was never resumed"
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert Account.objects.filter(created_by_import=job_id).count() == ROWS


def test_the_periodic_entry_point_queues_a_stalled_job_once(client, world):
    headers = bearer(world.school_admin_a)
    response = client.post("/api/v1/rosters/imports", {"file": csv_file([["甲", "", make_id_number(), "三年级",
                                                                          "1班"]], headers=["姓名", "性别", "身份证号",
                                                                                           "年级", "班级"]),
                                                       "kind": "students"}, **headers)
    job_id = response.json()["id"]
    roster_worker.run_preview(job_id)
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.COMMITTING,
                                               heartbeat_at=timezone.now() - timedelta(seconds=61))
    out = io.StringIO()
    call_command("run_worker", "--once", stdout=out)
    assert f"[{job_id}]" in out.getvalue()
    call_command("run_worker", "--once", stdout=(again := io.StringIO()))
    assert "[]" in again.getvalue()  # claimed: a second look does not queue it twice
