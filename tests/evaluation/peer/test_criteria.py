"""The city's peer evaluation criteria (EVA-5): the city admin names them and their hints, in order, for a school
year, through the API and its switches page, until the first rating; then they stay as the grades were given."""

from __future__ import annotations

import pytest

from renrentong.core.models import AuditEvent
from renrentong.evaluation.models import PeerCriterion

from tests.evaluation.helpers import call, refused
from tests.evaluation.peer.test_peer import peers, rate  # noqa: F401  (peers is a fixture)
from tests.factories import as_user

PEER = "/peer"


def labels(world, year=2026) -> list[tuple[str, str]]:
    return list(PeerCriterion.objects.filter(region_id=world.city.pk, school_year=year).order_by("position")
                .values_list("label", "hint"))


def put(account, criteria, year=2026):
    return call("put", f"{PEER}/criteria", account, {"school_year": year, "criteria": criteria})


def test_the_city_admin_names_the_criteria_in_order_and_it_is_audited(world):
    assert call("get", f"{PEER}/criteria", world.city_admin, school_year=2026).json() == {
        "school_year": 2026, "in_use": False, "criteria": []}
    saved = put(world.city_admin, [{"label": " 品德表现 ", "hint": "诚实守信"}, {"label": "劳动实践"},
                                   {"label": "", "hint": ""}])
    assert saved.status_code == 200, saved.content
    assert [c["label"] for c in saved.json()["criteria"]] == ["品德表现", "劳动实践"]
    assert labels(world) == [("品德表现", "诚实守信"), ("劳动实践", "")]
    # Changed again: rows are kept by position, a third added, then one removed.
    first_id = saved.json()["criteria"][0]["id"]
    again = put(world.city_admin, [{"label": "合作交流"}, {"label": "劳动实践"}, {"label": "审美表现"}]).json()
    assert again["criteria"][0]["id"] == first_id and len({c["code"] for c in again["criteria"]}) == 3
    assert [c["label"] for c in put(world.city_admin, [{"label": "合作交流"}]).json()["criteria"]] == ["合作交流"]
    event = AuditEvent.objects.filter(verb="evaluation.peer_criteria").latest("pk")
    assert event.details == {"school_year": 2026, "criteria": ["合作交流"]}
    # Turning rating on later keeps the city's own criteria instead of installing the standard ones.
    assert call("put", f"{PEER}/switches", world.city_admin, {"school_year": 2026, "on": True}).status_code == 200
    assert labels(world) == [("合作交流", "")]


@pytest.mark.parametrize("criteria, code", [
    ([], "evaluation.peer_criteria_count"),
    ([{"label": f"项目{n}"} for n in range(11)], "evaluation.peer_criteria_count"),
    ([{"label": "合作交流"}, {"label": "x" * 33}], "evaluation.peer_criterion_label"),
    ([{"label": "", "hint": "只有说明"}], "evaluation.peer_criterion_label"),
    ([{"label": "合作交流", "hint": "说" * 101}], "evaluation.peer_criterion_hint"),
    ([{"label": "合作交流"}, {"label": "合作交流"}], "evaluation.peer_criterion_duplicate"),
])
def test_bad_criteria_are_refused_naming_what_to_change_and_nothing_is_saved(world, criteria, code):
    body = refused(put(world.city_admin, criteria), code, 400)
    assert body["who_can_fix"] == "you"
    assert labels(world) == []


@pytest.mark.parametrize("role", ["school_admin_a", "district_admin_x", "teacher_a", "student_a", "parent_a"])
def test_only_the_city_admin_sets_them(world, role):
    account = getattr(world, role)
    refused(put(account, [{"label": "合作交流"}]), "evaluation.peer_criteria_not_yours", 403)
    refused(call("get", f"{PEER}/criteria", account), "evaluation.peer_criteria_not_yours", 403)


def test_after_the_first_rating_they_no_longer_change(world, peers):  # noqa: F811
    _, students = peers
    assert rate(students[0], students[1]).status_code == 201
    body = refused(put(world.city_admin, [{"label": "合作交流"}]), "evaluation.peer_criteria_in_use", 409)
    assert "2026" in body["message"]
    assert call("get", f"{PEER}/criteria", world.city_admin, school_year=2026).json()["in_use"] is True
    assert len(labels(world)) == 5


def test_the_switches_page_shows_the_form_and_a_refusal_keeps_what_was_typed(client, world):
    as_user(client, world.city_admin)
    page = client.get("/evaluation/peer/switches/").content.decode()
    assert 'data-testid="criteria-form"' in page and 'value="品德表现"' in page  # the standard five, to start from
    refused_page = client.post("/evaluation/peer/criteria/", {"label_0": "合作交流", "label_1": "合作交流",
                                                             "hint_1": "第二遍"})
    text = refused_page.content.decode()
    assert refused_page.status_code == 400 and "重复" in text and 'value="第二遍"' in text
    saved = client.post("/evaluation/peer/criteria/", {"label_0": "合作交流", "hint_0": "乐于合作", "label_1": "劳动实践"})
    assert saved.status_code == 302 and labels(world) == [("合作交流", "乐于合作"), ("劳动实践", "")]
    assert 'value="劳动实践"' in client.get("/evaluation/peer/switches/").content.decode()
