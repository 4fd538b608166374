"""How far behind the replica is (core.replica.lag_from): by the WAL positions it had received, not by the age
of its last replayed commit, which grows through a long transaction (an import's chunk) although the replica
keeps up (bench/bench_replica_lag.py)."""

from __future__ import annotations

import collections

from hypothesis import given
from hypothesis import strategies as st

from renrentong.core.replica import lag_from


@given(lag=st.floats(0, 30), interval=st.floats(0.1, 3), checks=st.integers(1, 60))
def test_the_lag_is_never_under_told_and_is_close_once_the_checks_go_back_that_far(lag, interval, checks):
    history: collections.deque = collections.deque()

    def received(t: float) -> int:  # a busy primary: WAL arrives all the time
        return int(t * 1000) * 8

    times = [100 + i * interval for i in range(checks)]
    for now in times:
        # The replica has replayed what it had received `lag` seconds ago; its last commit is long past.
        estimate = lag_from(history, now, received(now), received(now - lag), replay_age=600.0)
    now, replayed = times[-1], received(times[-1] - lag)
    # Safe: whatever it had received more than `estimate` ago (at any check this process made) is replayed.
    assert all(received(t) <= replayed for t in times if t <= now - estimate + 1e-9)
    if now - times[0] >= lag + interval:
        assert estimate <= lag + interval + 1e-6  # at most one check behind the truth
    if received(now) == replayed:
        assert estimate == 0.0


def test_an_idle_primary_is_caught_up_whatever_the_age_of_the_last_commit():
    assert lag_from(collections.deque(), 10.0, 5000, 5000, replay_age=3600.0) == 0.0


def test_without_an_earlier_check_the_age_of_the_last_commit_stands_in():
    assert lag_from(collections.deque(), 10.0, 5000, 4000, replay_age=7.5) == 7.5
    assert lag_from(collections.deque(), 10.0, None, None, replay_age=None) == 0.0
