import os

import freezegun
import pytest
from django.core.cache import cache
from hypothesis import settings

from tests.factories import build_world

# pytest times each phase with time.perf_counter()/time.time(); a frozen clock must not reach those calls,
# or `--durations` reports the frozen time (1.7e9 s, or the seconds a test ticked the clock forward).
# freezegun's own defaults name "_pytest.runner." with a trailing dot, which misses the module itself.
freezegun.configure(extend_ignore_list=["_pytest.timing", "_pytest.runner", "_pytest.terminal", "_pytest.main"])

# Hypothesis profiles: "ci" (chosen when CI=true, as .ci/run sets it) runs Hypothesis's full default count;
# "default" runs a tenth of it, so a local `make test` stays within ten minutes on two cores. HYPOTHESIS_PROFILE picks one by name.
# Tests whose count matters read it from settings.default.max_examples (e.g. the schemathesis run).
# No deadline in either: two cores shared by many processes make per-example timings meaningless.
settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile("default", max_examples=10, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "default"))


@pytest.fixture(autouse=True)
def _clean_cache(db):
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request with Accept-Language: en activates English in this thread; the next test starts in Chinese.
    from django.utils import translation

    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploaded files go to the test's own directory (the filesystem backend of `make run`), never var/."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "files")}}}


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def freezer():
    from freezegun import freeze_time

    with freeze_time() as frozen:
        yield frozen
