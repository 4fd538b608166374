"""The teaching grid's layout (issue 12): a class name never wraps, whatever the screen; the grid scrolls
sideways inside its own box with the class column kept in view, and the page itself never scrolls sideways."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from renrentong.accounts.models import CourseArrangement

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password

pytestmark = pytest.mark.browser

SUBJECTS = ("语文", "数学", "英语", "道德与法治", "科学", "音乐", "美术", "体育", "信息技术", "综合实践活动")

# Lines the class name's text takes, and its height against the cell's own line height.
NAME_BOX = """th => {
  const range = document.createRange(); range.selectNodeContents(th);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return {lines: lines.size, height: range.getBoundingClientRect().height,
          lineHeight: parseFloat(getComputedStyle(th).lineHeight) || parseFloat(getComputedStyle(th).fontSize) * 1.5};
}"""


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 360, "height": 740}], ids=["desk", "phone"])
def test_class_names_stay_on_one_line_and_the_page_does_not_overflow(new_page, world, viewport):
    for school_class in (world.class_a1, world.class_a2):
        for subject in SUBJECTS:
            CourseArrangement.objects.create(school_class=school_class, subject=subject)
    page = new_page(viewport=viewport)
    log_in(page, give_password(world.school_admin_a).phone, NEW_PASSWORD)
    page.goto("/school/teaching/")
    grid = page.get_by_test_id("grid")
    expect(grid).to_contain_text("综合实践活动")

    for school_class in (world.class_a1, world.class_a2):
        name = page.get_by_test_id(f"grid-class-{school_class.pk}")
        box = name.evaluate(NAME_BOX)
        assert box["lines"] == 1, box
        assert box["height"] <= box["lineHeight"] * 1.5, box
    heading = grid.locator("thead th").last.evaluate(NAME_BOX)
    assert heading["lines"] == 1, heading  # subject headings do not wrap either

    width = viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wrap = page.locator(".table-wrap").filter(has=grid)
    if width < 1000:
        # The grid is wider than a phone: it scrolls inside its box, and the class column stays in view.
        assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
        before = page.get_by_test_id(f"grid-class-{world.class_a1.pk}").bounding_box()
        wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        page.wait_for_function("() => document.querySelector('.table-wrap').scrollLeft > 0")
        after = page.get_by_test_id(f"grid-class-{world.class_a1.pk}").bounding_box()
        assert abs(after["x"] - before["x"]) < 1
    if os.environ.get("RR_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['RR_SCREENSHOTS']}/teaching-grid-{width}.png", full_page=True)
