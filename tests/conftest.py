import pytest
from django.core.cache import cache

from tests.factories import build_world


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


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def freezer():
    from freezegun import freeze_time

    with freeze_time() as frozen:
        yield frozen
