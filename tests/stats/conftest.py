import pytest

from tests.factories import make_evaluation_catalogue


@pytest.fixture
def catalogue(world):
    """The world's city keeps the standard catalogue (seed 000) for the 2026 school year."""
    make_evaluation_catalogue(world.city, 2026)
    return world.city
