"""Peer evaluation in Chromium at phone width (EVA-5): a graduating grade-9 student opens it from the 成长 tab,
rates a classmate on every criterion and sees them marked rated; once the school admin turns the school's
switch off, the page says which switch is off and who turns it on ("evaluation.peer_school_off")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renrentong.evaluation.models import PeerCriterion, PeerRating

from tests.browser.helpers import log_in
from tests.browser.platform.test_every_page import axe_findings
from tests.evaluation.helpers import actor
from tests.factories import NEW_PASSWORD, give_password, make_peer_class, open_peer_evaluation

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def test_a_grade_nine_student_rates_a_classmate_then_finds_rating_closed(new_page, world):
    from renrentong.evaluation.peer.services import set_switch

    _, (me, mate, _other) = make_peer_class(world, 3)
    open_peer_evaluation(world)
    me = give_password(me)
    phone = new_page(viewport=PHONE)
    log_in(phone, me.number, NEW_PASSWORD)
    phone.get_by_test_id("tab-growth").click()
    phone.get_by_test_id("to-peer").click()
    expect(phone).to_have_url(re.compile(r"/evaluation/peer/$"))
    phone.get_by_test_id(f"classmate-{mate.person_id}").click()
    expect(phone.get_by_test_id("classmate-name")).to_have_text(mate.person.name)
    assert axe_findings(phone) == []
    for criterion in PeerCriterion.objects.all():
        phone.get_by_test_id(f"grade-{criterion.code}-B").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_test_id("rate-submit").click()
    expect(phone).to_have_url(re.compile(r"/evaluation/peer/$"))
    # The mark's words wait for the lead's translation run; the attribute is the same in both languages.
    expect(phone.get_by_test_id(f"state-{mate.person_id}")).to_have_attribute("data-rated", "1")
    assert PeerRating.objects.filter(rater=me.person, ratee=mate.person, grade="B").count() == 5

    set_switch(actor(world.school_admin_a), 2026, False)
    phone.reload()
    closed = phone.get_by_test_id("error")
    expect(closed).to_have_attribute("data-code", "evaluation.peer_school_off")
    expect(closed).to_contain_text("学校管理员")
    assert phone.get_by_test_id(f"classmate-{_other.person_id}").get_attribute("href") is None
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
