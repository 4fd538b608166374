"""Fixtures of the push tests (helpers in tests/push/helpers.py)."""

import pytest

from tests.push.helpers import NO_QUIET, set_policy


@pytest.fixture(autouse=True)
def push_settings(settings):
    settings.RRT_PUSH_SOURCES = {"notice": "tests.push.helpers.still_unread"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.RRT_SMS_OUTBOX_ALLOWED = True
    return settings


@pytest.fixture
def pworld(world):
    """The world with no quiet hours anywhere (tests of quiet hours set their own)."""
    set_policy(world.province, **NO_QUIET)
    return world
