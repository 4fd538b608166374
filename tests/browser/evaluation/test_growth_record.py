"""One store of material in Chromium (EVA-2, EVA-3): a student writes a growth record with a photo on a phone
(360x740) under the 成长 tab, and finds it on the written records desk page at a desk, where they classify it."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from renrentong.evaluation.models import EvidenceItem, WrittenRecord

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password, make_evaluation_catalogue

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}


def photo(tmp_path):
    path = tmp_path / "kite.png"
    Image.new("RGB", (64, 48), (30, 120, 200)).save(path, "PNG")
    return str(path)


def test_a_record_written_on_the_phone_is_on_the_desk_page(new_page, world, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_evaluation_catalogue(world.city)
    student = give_password(world.student_a)

    phone = new_page(viewport=PHONE)
    log_in(phone, student.number, NEW_PASSWORD)
    phone.get_by_test_id("tab-growth").click()
    expect(phone).to_have_url(re.compile(r"/evaluation/growth/$"))
    form = phone.get_by_test_id("record-form")
    form.locator("#kind").select_option("works")
    form.locator("#title").fill("我的风筝")
    form.locator("#text").fill("和爸爸一起做了一只风筝，在公园放飞。")
    form.locator("#images").set_input_files(photo(tmp_path))
    form.get_by_test_id("record-save").click()
    card = phone.get_by_test_id("records").get_by_test_id("record")
    expect(card).to_have_count(1)
    expect(card.get_by_test_id("record-title")).to_have_text("我的风筝")
    expect(card.get_by_test_id("record-image")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    record = WrittenRecord.objects.get()
    assert record.files.count() == 1 and record.student_id == student.person_id

    desk = new_page(viewport=DESK)
    log_in(desk, student.number, NEW_PASSWORD)
    desk.goto("/evaluation/records/")
    expect(desk.get_by_test_id("personal-menu")).to_be_visible()  # the console shell
    row = desk.get_by_test_id("desk-record")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("desk-record-text")).to_have_text("我的风筝")
    desk.get_by_test_id(f"item-{record.pk}").select_option(label="艺术素养 · 艺术作品")
    desk.get_by_test_id("classify").click()
    expect(desk.get_by_test_id(f"item-{record.pk}")).to_have_value(str(EvidenceItem.objects.get(code="art_works").pk))
    assert WrittenRecord.objects.get().item.code == "art_works"
    # Back on the phone the same record shows its classification.
    phone.reload()
    expect(phone.get_by_test_id("record-item")).to_contain_text("艺术作品")
