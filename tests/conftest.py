import pytest
from django.core.cache import cache

from .factories import build_world


@pytest.fixture(autouse=True)
def _clean_cache(db):
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def freezer():
    from freezegun import freeze_time

    with freeze_time() as frozen:
        yield frozen
