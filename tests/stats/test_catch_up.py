"""The catch-up (STAT-1): what happened in the owning apps' own tables becomes events and rollups, once.
Running it again, or after a run that failed halfway, never counts anything twice; rows younger than its
lag wait for the next run."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from renrentong.accounts.models import LoginEvent
from renrentong.evaluation.models import WrittenRecord
from renrentong.spaces.models import PersonalSpace, Post
from renrentong.stats.models import DailyFigures, Event, PersonActivity
from renrentong.wechat.models import Follower, OfficialAccount

from tests.factories import make_written_records
from tests.stats.helpers import call, catch_up, figures_of, log_in

pytestmark = pytest.mark.django_db


def school_figures(world, account=None, **params) -> dict:
    body = call(f"/schools/{world.school_a.pk}", account or world.school_admin_a, **params).json()
    return body


def test_logins_count_each_person_once_and_activate_them_once(world):
    log_in(world.student_a, times=3)
    log_in(world.parent_a)
    log_in(world.teacher_a)
    catch_up()
    body = school_figures(world)
    a1 = figures_of(body, world.class_a1.pk)
    assert (a1["activated"], a1["active_7"], a1["active_30"]) == (2, 2, 2)  # the student and their parent
    teachers = figures_of(body, 0)
    assert (teachers["activated"], teachers["active_7"]) == (1, 1)
    assert body["totals"]["activated"] == 3
    assert body["trend"][-1] == {"day": str(timezone.localdate()), "active": 3, "logins": 5}
    assert Event.objects.filter(kind="activated").count() == 3
    log_in(world.student_a)
    catch_up()
    again = school_figures(world)
    assert again["totals"]["activated"] == 3 and again["trend"][-1]["logins"] == 6 and again["trend"][-1]["active"] == 3


def test_running_twice_never_counts_twice(world):
    log_in(world.student_a, times=2)
    catch_up()
    catch_up()
    call_command("stats_catch_up")
    assert DailyFigures.objects.get(school_id=world.school_a.pk, role="student").logins == 2
    assert Event.objects.filter(kind="login").count() == 2


def test_a_run_that_fails_halfway_leaves_nothing_and_the_next_counts_once(world):
    log_in(world.student_a, times=2)
    with mock.patch("renrentong.stats.catchup._raise_figures", side_effect=RuntimeError("database went away")):
        with pytest.raises(RuntimeError):
            catch_up()
    assert not Event.objects.exists() and not PersonActivity.objects.exists()
    catch_up()
    assert DailyFigures.objects.get(school_id=world.school_a.pk, role="student").logins == 2
    assert PersonActivity.objects.get(account_id=world.student_a.pk).activated_on == timezone.localdate()


def test_rows_younger_than_the_lag_wait_for_the_next_run(world):
    log_in(world.student_a)
    call_command("stats_catch_up")  # at once: the login is younger than the lag
    assert not Event.objects.exists()
    catch_up()
    assert Event.objects.filter(kind="login").count() == 1


def test_failed_logins_and_admins_are_not_counted(world):
    LoginEvent.objects.create(account=world.student_a, identifier="2000****", outcome="wrong_password",
                              at=timezone.now() - timedelta(minutes=1))
    log_in(world.school_admin_a)
    catch_up()
    assert not Event.objects.exists()
    assert school_figures(world)["totals"]["activated"] == 0


def test_follows_material_posts_and_spaces_are_counted_where_they_happened(world, catalogue):
    earlier = timezone.now() - timedelta(minutes=1)
    official = OfficialAccount.objects.create(region=world.city, appid="wx1", template_id="t", callback_token="c")
    Follower.objects.create(region_id=world.city.pk, official_account=official, account=world.parent_a,
                            openid="o-parent-a", bound_at=earlier)
    make_written_records(world.student_a, draft=2, pending=1)
    WrittenRecord.objects.filter(state="pending").update(submitted_at=earlier, created_at=earlier)
    WrittenRecord.objects.filter(state="draft").update(created_at=earlier)
    Post.objects.create(school_id=world.school_a.pk, class_id=world.class_a1.pk, author=world.teacher_a,
                        author_identity_id=world.teacher_a.identities.get().pk, author_label="王老师",
                        author_kind="teacher", text="春游", created_at=earlier)
    PersonalSpace.objects.create(school_id=world.school_a.pk, class_id=world.class_a1.pk, account=world.student_a,
                                 opened_at=earlier)
    catch_up()
    body = school_figures(world)
    a1 = figures_of(body, world.class_a1.pk)
    assert (a1["follows"], a1["uploaded"], a1["submitted"], a1["posts"], a1["spaces_opened"]) == (1, 3, 1, 1, 1)
    # A teacher's post in a class feed counts in that class, under teachers.
    assert figures_of(school_figures(world, role="teacher"), world.class_a1.pk)["posts"] == 1
    parents = school_figures(world, role="parent")
    assert figures_of(parents, world.class_a1.pk)["follows"] == 1
    assert figures_of(parents, world.class_a1.pk)["uploaded"] == 0
    # Withdrawn and submitted again: a second submission.
    WrittenRecord.objects.filter(state="pending").update(submitted_at=timezone.now() - timedelta(seconds=30))
    catch_up()
    assert figures_of(school_figures(world), world.class_a1.pk)["submitted"] == 2


def test_figures_outside_the_chosen_days_drop_out_but_activation_stays(world):
    log_in(world.student_a, days_ago=10)
    PersonalSpace.objects.create(school_id=world.school_a.pk, class_id=world.class_a1.pk, account=world.student_a,
                                 opened_at=timezone.now() - timedelta(days=10))
    catch_up()
    a1 = figures_of(school_figures(world), world.class_a1.pk)
    assert (a1["activated"], a1["active_7"], a1["active_30"], a1["spaces_opened"]) == (1, 0, 1, 1)
    week = figures_of(school_figures(world, days=7), world.class_a1.pk)
    assert (week["activated"], week["spaces_opened"]) == (1, 0)


def test_a_person_active_on_two_days_counts_once_in_every_region_window(world):
    log_in(world.student_a, days_ago=10)
    log_in(world.student_b, days_ago=10)
    log_in(world.student_a)
    catch_up()
    city = call(f"/regions/{world.city.pk}", world.city_admin).json()
    x, y = figures_of(city, world.district_x.pk), figures_of(city, world.district_y.pk)
    assert (x["activated"], x["active_7"], x["active_30"]) == (1, 1, 1)
    assert (y["activated"], y["active_7"], y["active_30"]) == (1, 0, 1)
    school = figures_of(call(f"/regions/{world.district_x.pk}", world.city_admin).json(), world.school_a.pk)
    assert (school["active_7"], school["active_30"]) == (1, 1)
    assert [d["active"] for d in city["trend"] if d["active"]] == [2, 1]


def test_the_catch_up_is_a_periodic_duty_so_today_is_at_most_five_minutes_behind(world, settings):
    from freezegun import freeze_time

    from renrentong.core import periodic
    from renrentong.stats import catchup

    duty = "renrentong.stats.catchup.catch_up"
    assert duty in settings.PERIODIC_DUTIES
    # A login waits for the catch-up's lag, then for the next round of the duties at the latest.
    assert catchup.LAG.total_seconds() + periodic.EVERY_SECONDS <= 5 * 60
    # One round of the duties as the worker runs it (only this one here) counts today's login.
    settings.PERIODIC_DUTIES = [duty]
    log_in(world.student_a)
    with freeze_time(timezone.now() + catchup.LAG + timedelta(seconds=1), tick=True):
        ran = periodic.run_duties()
    assert ran[duty] is not None  # a failing duty is logged and reported as None
    assert school_figures(world)["trend"][-1]["logins"] == 1
