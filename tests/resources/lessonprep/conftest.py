import pytest

from renrentong.demo.textbooks import install_demo_textbooks


@pytest.fixture
def catalogue(world):
    """The province keeps the demo's five People's Education Press books (数学 3 上 among them: teacher_a teaches
    数学 in class a1, grade 3 in the 2026 school year)."""
    install_demo_textbooks(world.province)
    return world.province
