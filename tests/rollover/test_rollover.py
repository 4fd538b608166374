"""The yearly rollover through the API and the management command (ORG-7): preview, run, idempotence,
undo, the window, the set date, the alumni list, scope, and a run killed midway (NFR-3)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from renrentong.accounts.models import Account, Enrollment
from renrentong.core.models import AuditEvent
from renrentong.orgs.models import School, SchoolClass
from renrentong.orgs.policy import policy_for_school
from renrentong.rollover.models import RolloverRun
from renrentong.rollover.services import target_year

from tests.factories import bearer, make_class, make_rollover_due, make_student, set_rollover_window

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def due(world):
    set_rollover_window(world)
    year = make_rollover_due(world)
    final = make_class(world.school_a, 1, enrollment_year=year - 5)  # sixth grade this year
    leavers = [make_student(final, f"毕业生{i}") for i in range(3)]
    Account.objects.filter(pk=leavers[2].pk).update(status=Account.Status.FROZEN)
    # a1, a2 and b1 enrolled in 2024: recreate them relative to the year, in grade 3.
    for c in (world.class_a1, world.class_a2, world.class_b1):
        c.cohort.enrollment_year = year - 2
        c.cohort.save()
    return {"year": year, "final": final, "leavers": leavers}


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_preview_lists_classes_moving_up_and_graduating(client, world, due):
    response = client.get("/api/v1/rollover/preview", **bearer(world.school_admin_a))
    assert response.status_code == 200, response.content
    [plan] = response.json()
    assert plan["school_id"] == world.school_a.pk and plan["state"] == "ready" and plan["in_window"]
    assert (plan["school_year"], plan["to_year"]) == (due["year"], due["year"] + 1)
    assert plan["classes_up"] == 2 and plan["students_up"] == 2  # a1 and a2, student_a and student_a2
    assert plan["classes_graduating"] == 1 and plan["students_graduating"] == 3
    assert plan["graduating"][0]["class_id"] == due["final"].pk and plan["graduating"][0]["grade_before"] == 6
    assert {c["grade_before"] for c in plan["moving_up"]} == {3}
    assert RolloverRun.objects.count() == 0  # a preview changes nothing


def test_run_moves_classes_up_and_graduates_the_final_year(client, world, due):
    admin = bearer(world.school_admin_a)
    response = post(client, "/api/v1/rollover/runs", {}, admin)
    assert response.status_code == 200, response.content
    [run] = response.json()
    assert run["counts"] == {"classes_up": 2, "students_up": 2, "classes_graduated": 1, "students_graduated": 3}
    school = School.objects.get(pk=world.school_a.pk)
    assert school.school_year == due["year"] + 1
    assert world.class_a1.cohort.grade_number(school.school_year) == 4  # moved up, no row changed
    assert Enrollment.objects.get(person=world.student_a.person, ended_on=None).school_class == world.class_a1
    final = SchoolClass.objects.get(pk=due["final"].pk)
    assert final.kind == "graduated"
    for leaver in due["leavers"]:
        enrollment = Enrollment.objects.get(person=leaver.person)
        assert enrollment.ended_on == date.today() and enrollment.reason == "graduated"
    statuses = [Account.objects.get(pk=a.pk).status for a in due["leavers"]]
    assert statuses == ["graduated", "graduated", "frozen"]  # a frozen account stays frozen
    assert School.objects.get(pk=world.school_b.pk).school_year == due["year"]  # not the admin's school
    assert AuditEvent.objects.filter(verb="rollover.run").count() == 1
    alumni = client.get("/api/v1/rollover/alumni", **admin).json()
    assert [(a["class_id"], sorted(a["graduates"])) for a in alumni] == [
        (final.pk, ["毕业生0", "毕业生1", "毕业生2"])]


def test_graduates_still_log_in(client, world, due):
    post(client, "/api/v1/rollover/runs", {}, bearer(world.school_admin_a))
    leaver = due["leavers"][0]
    response = client.post("/api/v1/auth/login", json.dumps(
        {"identifier": leaver.number, "password": f"Pw{leaver.number[-6:]}@"}), content_type="application/json")
    assert response.status_code == 200, response.content


def test_running_twice_changes_nothing(client, world, due):
    admin = bearer(world.district_admin_x)
    assert len(post(client, "/api/v1/rollover/runs", {}, admin).json()) == 1
    before = (School.objects.get(pk=world.school_a.pk).school_year, Enrollment.objects.filter(ended_on=None).count(),
              list(Account.objects.order_by("pk").values_list("status", flat=True)))
    again = post(client, "/api/v1/rollover/runs", {}, admin)
    assert again.status_code == 200 and again.json() == []
    assert (School.objects.get(pk=world.school_a.pk).school_year, Enrollment.objects.filter(ended_on=None).count(),
            list(Account.objects.order_by("pk").values_list("status", flat=True))) == before
    assert client.get("/api/v1/rollover/preview", **admin).json()[0]["state"] == "done"
    call_command("rollover", "--date", date.today().isoformat())  # the scheduled run leaves A alone
    assert RolloverRun.objects.filter(school=world.school_a).count() == 1


def test_undo_steps_the_year_back(client, world, due):
    admin = bearer(world.school_admin_a)
    [run] = post(client, "/api/v1/rollover/runs", {}, admin).json()
    # One graduate has enrolled at another school since: that stays.
    moved = due["leavers"][1]
    Enrollment.objects.create(person=moved.person, school_class=world.class_b1, school=world.school_b)
    response = client.post(f"/api/v1/rollover/runs/{run['id']}/undo", **admin)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "undone"
    assert response.json()["counts"]["undo"] == {"graduates_enrolled_since": 1, "enrollments_reopened": 2,
                                                 "accounts_restored": 1, "classes_restored": 1}
    assert School.objects.get(pk=world.school_a.pk).school_year == due["year"]
    assert SchoolClass.objects.get(pk=due["final"].pk).kind == "administrative"
    back = Enrollment.objects.get(person=due["leavers"][0].person, ended_on=None)
    assert back.school_class == due["final"] and back.reason != "graduated"
    assert Account.objects.get(pk=due["leavers"][0].pk).status == "active"
    assert Account.objects.get(pk=due["leavers"][2].pk).status == "frozen"
    assert Enrollment.objects.get(person=moved.person, ended_on=None).school == world.school_b
    assert AuditEvent.objects.filter(verb="rollover.undo").count() == 1
    again = client.post(f"/api/v1/rollover/runs/{run['id']}/undo", **admin)
    assert again.status_code == 409 and again.json()["code"] == "rollover.wrong_state"
    # Rolled over again, and only the latest run can be undone.
    [second] = post(client, "/api/v1/rollover/runs", {}, admin).json()
    assert second["counts"]["students_graduated"] == 2


def test_outside_the_window_admins_cannot_run_or_undo(client, world, due):
    admin = bearer(world.school_admin_a)
    [run] = post(client, "/api/v1/rollover/runs", {}, admin).json()
    today = date.today()
    other = date(2001, 1, 1) if (today.month, today.day) != (1, 1) else date(2001, 1, 2)
    set_rollover_window(world, start=f"{other:%m-%d}", end=f"{other:%m-%d}")
    make_rollover_due(world, target_year(today, policy_for_school(world.school_a)) - 1)
    response = post(client, "/api/v1/rollover/runs", {}, admin)
    assert response.status_code == 409 and response.json()["code"] == "rollover.outside_window"
    assert "区县管理员" in response.json()["who_can_fix"]
    assert client.get("/api/v1/rollover/preview", **admin).json()[0]["in_window"] is False
    undo = client.post(f"/api/v1/rollover/runs/{run['id']}/undo", **admin)
    assert undo.status_code == 409 and undo.json()["code"] in ("rollover.outside_window", "rollover.not_latest")


def test_a_school_more_than_a_year_behind_is_named(client, world, due):
    School.objects.filter(pk=world.school_a.pk).update(school_year=due["year"] - 3)
    response = post(client, "/api/v1/rollover/runs", {}, bearer(world.school_admin_a))
    assert response.status_code == 409 and response.json()["code"] == "rollover.school_behind"
    assert world.school_a.name in response.json()["message"]


def test_scheduled_run_on_the_set_date(world):
    """Zhejiang's window (1 July to 31 March), the set date 31 August: nothing before it, every school on it."""
    School.objects.update(school_year=2029)
    final = make_class(world.school_b, 7, enrollment_year=2024)
    leaver = make_student(final, "到期毕业")
    call_command("rollover", "--date", "2030-08-30")
    assert RolloverRun.objects.count() == 0
    call_command("rollover", "--date", "2030-09-01")
    assert set(RolloverRun.objects.values_list("school_id", "trigger", "to_year")) == {
        (world.school_a.pk, "scheduled", 2030), (world.school_b.pk, "scheduled", 2030)}
    assert Account.objects.get(pk=leaver.pk).status == "graduated"
    call_command("rollover", "--date", "2030-09-02")
    assert RolloverRun.objects.count() == 2
    School.objects.update(school_year=2030)
    call_command("rollover", "--date", "2031-04-15")  # outside the window: never by itself
    assert RolloverRun.objects.count() == 2


def test_scheduled_task_runs_the_same(world):
    from renrentong.rollover.tasks import run_scheduled_rollovers

    set_rollover_window(world, auto="07-01")
    make_rollover_due(world)
    assert len(run_scheduled_rollovers.call()) == 2


# Scope --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["teacher_a", "student_a", "parent_a"])
def test_only_admins_roll_over(client, world, due, role):
    headers = bearer(getattr(world, role))
    assert client.get("/api/v1/rollover/preview", **headers).status_code == 403
    response = post(client, "/api/v1/rollover/runs", {}, headers)
    assert response.status_code == 403 and response.json()["code"] == "rollover.not_allowed"


def test_school_admin_sees_and_rolls_only_their_school(client, world, due):
    other = bearer(world.school_admin_b)
    assert client.get(f"/api/v1/rollover/preview?school_id={world.school_a.pk}", **other).status_code == 404
    assert post(client, "/api/v1/rollover/runs", {"school_ids": [world.school_a.pk]}, other).status_code == 404
    [run] = post(client, "/api/v1/rollover/runs", {}, bearer(world.school_admin_a)).json()
    assert client.post(f"/api/v1/rollover/runs/{run['id']}/undo", **other).status_code == 404
    assert client.get("/api/v1/rollover/runs", **other).json() == []
    assert client.get(f"/api/v1/rollover/alumni?school_id={world.school_a.pk}", **other).status_code == 404


def test_district_admin_rolls_every_school_below_and_no_other(client, world, due):
    x = bearer(world.district_admin_x)
    assert [p["school_id"] for p in client.get("/api/v1/rollover/preview", **x).json()] == [world.school_a.pk]
    assert post(client, "/api/v1/rollover/runs", {"school_ids": [world.school_b.pk]}, x).status_code == 404
    assert [r["school_id"] for r in post(client, "/api/v1/rollover/runs", {}, x).json()] == [world.school_a.pk]
    assert School.objects.get(pk=world.school_b.pk).school_year == due["year"]
    city = bearer(world.city_admin)
    assert [r["school_id"] for r in post(client, "/api/v1/rollover/runs", {}, city).json()] == [world.school_b.pk]


# A run killed midway ------------------------------------------------------------------------------------

def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_run_killed_midway_leaves_whole_schools_and_runs_again(transactional_db, world):
    schools = [world.school_a, world.school_b] + [make_class(make_school(world, i), 1).school for i in range(3)]
    School.objects.update(school_year=2029)
    leavers = {s.pk: make_student(make_class(s, 9, enrollment_year=2024), f"毕业{s.code}") for s in schools}
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "renrentong.settings",
           "RRT_ROLLOVER_SCHOOL_PAUSE": "1.0"}
    process = subprocess.Popen([sys.executable, "manage.py", "rollover", "--date", "2030-09-01"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not RolloverRun.objects.exists():
            assert time.monotonic() < deadline and process.poll() is None, "the rollover never got going"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    rolled = set(RolloverRun.objects.values_list("school_id", flat=True))
    assert 0 < len(rolled) < len(schools)
    for school in schools:  # each school entirely rolled, or untouched
        year = School.objects.get(pk=school.pk).school_year
        status = Account.objects.get(pk=leavers[school.pk].pk).status
        ended = Enrollment.objects.get(person=leavers[school.pk].person).ended_on
        if school.pk in rolled:
            assert (year, status, ended) == (2030, "graduated", date(2030, 9, 1))
        else:
            assert (year, status, ended) == (2029, "active", None)
    call_command("rollover", "--date", "2030-09-01")
    assert sorted(RolloverRun.objects.values_list("school_id", flat=True)) == sorted(s.pk for s in schools)
    assert set(School.objects.values_list("school_year", flat=True)) == {2030}


def make_school(world, i: int) -> School:
    return School.objects.create(district=world.district_x, name=f"新学校{i}", code=f"N{i:04d}", school_year=2029)
