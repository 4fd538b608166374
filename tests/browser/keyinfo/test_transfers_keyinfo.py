"""Key information pages in Chromium (KEY-1..KEY-3): a parent proposes on a phone, the school approves field
by field side by side (with an audited full view of the ID number); the school edits at once and meets
a uniqueness conflict naming the holder; completion table and incomplete export; registry comparison.
"""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from renrentong.accounts.models import Person
from renrentong.core.models import AuditEvent
from renrentong.keyinfo.models import KeyInfoChange

from tests.factories import NEW_PASSWORD, give_password, make_id_number
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def test_parent_proposes_on_a_phone_and_the_school_decides_side_by_side(new_page, world):
    child = world.student_a.person
    old_masked = child.id_number_masked
    new_id = make_id_number()
    parent = give_password(world.parent_a)
    phone = new_page(viewport={"width": 375, "height": 667})
    log_in(phone, parent.phone, NEW_PASSWORD)
    phone.get_by_test_id("keyinfo-link").click()
    phone.get_by_test_id(f"child-{child.pk}").click()
    phone.fill("#local_student_number", "L4301020009")
    phone.fill("#id_number", new_id)
    phone.get_by_test_id("keyinfo-save").click()
    expect(phone.get_by_test_id("saved")).to_have_attribute("data-saved", "waiting")
    expect(phone.get_by_test_id("pending-id_number")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert Person.objects.get(pk=child.pk).local_student_number is None
    change = KeyInfoChange.objects.get(person=child, status="pending")

    admin = give_password(world.school_admin_a)
    page = new_page()
    log_in(page, admin.phone, NEW_PASSWORD)
    expect(page.get_by_test_id("keyinfo-waiting")).to_have_text("1")
    page.get_by_test_id("keyinfo-link").click()
    page.get_by_test_id(f"request-{change.pk}").click()
    table = page.get_by_test_id("side-by-side")
    expect(table.get_by_test_id("current-id_number")).to_have_text(old_masked)
    proposed = table.get_by_test_id("proposed-id_number")
    expect(proposed).to_contain_text(new_id[-4:])
    expect(proposed).not_to_contain_text(new_id)
    # htmx (a deferred script) wires the reveal button when the page has loaded; a click before that is lost.
    page.wait_for_load_state()
    page.get_by_test_id("reveal-proposed").click()
    expect(page.get_by_test_id("revealed-proposed")).to_have_text(new_id)
    assert AuditEvent.objects.filter(verb="keyinfo.reveal_proposed_id_number").count() == 1

    page.get_by_test_id("accept-local_student_number").check()
    page.get_by_test_id("refuse-id_number").check()
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("change-status")).to_have_attribute("data-status", "decided")
    expect(page.get_by_test_id("field-local_student_number")).to_have_attribute("data-decision", "accepted")
    expect(page.get_by_test_id("field-id_number")).to_have_attribute("data-decision", "refused")
    person = Person.objects.get(pk=child.pk)
    assert person.local_student_number == "L4301020009" and person.id_number_masked == old_masked


def test_school_edits_at_once_and_a_taken_number_names_the_holder(page, world):
    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    page.goto("/school/keyinfo/")
    completion = page.get_by_test_id(f"completion-{world.class_a1.pk}")
    expect(completion).to_have_attribute("data-missing", "1")
    completion.locator("a").click()
    page.get_by_test_id(f"student-{world.student_a.person_id}").locator("a").click()

    other = world.student_a2.person
    page.fill("#id_number", other.reveal_id_number())
    page.get_by_test_id("keyinfo-save").click()
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "keyinfo.taken_same_school")
    expect(error).to_contain_text(other.name)
    expect(error).to_contain_text(world.student_a2.number)
    expect(page.locator("#id_number")).to_have_value(other.reveal_id_number())  # what was typed is kept

    page.fill("#id_number", "")
    page.fill("#local_student_number", "l4301020001")
    page.fill("#national_student_number", "G4301020001")
    page.get_by_test_id("keyinfo-save").click()
    expect(page.get_by_test_id("saved")).to_have_attribute("data-saved", "applied")
    expect(page.get_by_test_id("current-local_student_number")).to_contain_text("L4301020001")

    page.goto("/school/keyinfo/")
    expect(page.get_by_test_id(f"completion-{world.class_a1.pk}")).to_have_attribute("data-complete", "1")
    expect(page.get_by_test_id("completion-total")).to_have_attribute("data-missing", "1")
    with page.expect_download() as info:
        page.get_by_test_id("export-incomplete").click()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(open(info.value.path(), "rb").read())).get_sheet_by_index(
        0).to_python()
    assert [r[1] for r in rows[1:]] == [world.student_a2.person.name]


def test_registry_comparison_lists_mismatches(page, world, tmp_path):
    a = world.student_a.person
    path = tmp_path / "学籍名单.csv"
    path.write_text("姓名,身份证号,全国学籍号\n" + f"{a.name},{a.reveal_id_number()},\n" + f"新同学,{make_id_number()},\n",
                    encoding="utf-8")
    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    page.goto("/school/keyinfo/")
    page.set_input_files("#registry-file", str(path))
    page.get_by_test_id("registry-upload").click()
    counts = page.get_by_test_id("registry-counts")
    expect(counts).to_have_attribute("data-registry", "2")
    expect(counts).to_have_attribute("data-matched", "1")
    mismatches = page.get_by_test_id("mismatches")
    expect(mismatches.locator("[data-kind=missing_on_platform]")).to_contain_text("新同学")
    expect(mismatches.locator("[data-kind=missing_in_registry]")).to_contain_text(world.student_a2.person.name)

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\x00\x01 not a workbook " * 50)
    page.goto("/school/keyinfo/")
    page.set_input_files("#registry-file", str(bad))
    page.get_by_test_id("registry-upload").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "import.file_not_spreadsheet")
