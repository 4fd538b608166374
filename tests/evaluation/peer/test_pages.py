"""The peer evaluation pages (EVA-5): the student's classmates and rating on the phone (成长 tab), the
switches and the school's aggregates in the console; the same rows as the API; a closed page says which
switch is off and who turns it on; foreign ids are "not found"."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.evaluation.models import PeerCriterion, PeerRating, PeerSwitch

from tests.factories import as_user, make_peer_class, open_peer_evaluation

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def client_for(account):
    return as_user(Client(), account)


def form_grades(grade="A") -> dict:
    return {f"grade_{c.pk}": grade for c in PeerCriterion.objects.all()}


def test_a_student_rates_a_classmate_on_the_phone_once(world):
    _, (me, mate, other) = make_peer_class(world, 3)
    open_peer_evaluation(world)
    page = client_for(me)
    listing = page.get("/evaluation/peer/", **EN)
    html = listing.content.decode()
    assert listing.status_code == 200 and 'class="rr-phone"' in html and 'data-testid="tab-growth"' in html
    assert f"/evaluation/peer/classmates/{mate.person_id}/" in html and f"classmates/{me.person_id}/" not in html
    assert "Classmates rated: 0 of 2" in html
    form = page.get(f"/evaluation/peer/classmates/{mate.person_id}/", **EN)
    assert form.status_code == 200 and 'data-testid="rate-form"' in form.content.decode()
    incomplete = page.post(f"/evaluation/peer/classmates/{mate.person_id}/", dict(list(form_grades().items())[:2]), **EN)
    assert incomplete.status_code == 400 and 'data-code="evaluation.peer_grades_incomplete"' in incomplete.content.decode()
    assert 'checked' in incomplete.content.decode()  # what was chosen stays chosen
    done = page.post(f"/evaluation/peer/classmates/{mate.person_id}/", form_grades("B"), **EN, follow=True)
    assert done.status_code == 200 and "Classmates rated: 1 of 2" in done.content.decode()
    assert PeerRating.objects.filter(rater=me.person, ratee=mate.person, grade="B").count() == 5
    again = page.post(f"/evaluation/peer/classmates/{mate.person_id}/", form_grades("D"), **EN)
    assert again.status_code == 409 and 'data-code="evaluation.peer_already_rated"' in again.content.decode()
    assert set(PeerRating.objects.values_list("grade", flat=True)) == {"B"}
    shown = page.get(f"/evaluation/peer/classmates/{mate.person_id}/", **EN).content.decode()
    assert 'data-testid="already-rated"' in shown and 'data-testid="rate-form"' not in shown


def test_the_closed_page_names_the_switch_and_who_turns_it_on(world):
    _, (me, mate, _other) = make_peer_class(world, 3)
    page = client_for(me)
    city_off = page.get("/evaluation/peer/", **EN).content.decode()
    assert 'data-code="evaluation.peer_city_off"' in city_off and "the city admin" in city_off
    open_peer_evaluation(world, schools=())
    school_off = page.get("/evaluation/peer/", **EN).content.decode()
    assert 'data-code="evaluation.peer_school_off"' in school_off and "the school admin" in school_off
    assert mate.person.name in school_off and f"classmates/{mate.person_id}/" not in school_off
    rated = page.post(f"/evaluation/peer/classmates/{mate.person_id}/", form_grades(), **EN)
    assert rated.status_code == 403 and 'data-code="evaluation.peer_school_off"' in rated.content.decode()
    assert not PeerRating.objects.exists()


def test_a_younger_student_is_told_peer_evaluation_is_for_grade_nine(world):
    open_peer_evaluation(world)
    html = client_for(world.student_a).get("/evaluation/peer/", **EN).content.decode()
    assert 'data-code="evaluation.peer_grade_nine_only"' in html


def test_foreign_or_own_ids_on_the_rating_page(world):
    _, (me, *_rest) = make_peer_class(world, 2)
    _, (in_b, *_b) = make_peer_class(world, 1, school=world.school_b)
    open_peer_evaluation(world)
    page = client_for(me)
    for person_id in (in_b.person_id, world.student_a.person_id, 2**40):
        response = page.get(f"/evaluation/peer/classmates/{person_id}/", **EN)
        assert response.status_code == 404 and 'data-code="evaluation.peer_not_classmate"' in response.content.decode()
    assert page.get(f"/evaluation/peer/classmates/{me.person_id}/", **EN).status_code == 400
    parent = client_for(world.parent_a).get("/evaluation/peer/", **EN)
    assert parent.status_code == 403 and 'data-code="evaluation.peer_students_only"' in parent.content.decode()


def test_admins_turn_their_switches_on_the_console_page(world):
    city = client_for(world.city_admin)
    page = city.get("/evaluation/peer/switches/", **EN).content.decode()
    assert 'data-testid="switch-on"' in page and 'data-testid="school-switch"' not in page
    assert city.post("/evaluation/peer/switches/", {"on": "1"}).status_code == 302
    assert PeerSwitch.objects.get(region_id=world.city.pk).is_on
    school = client_for(world.school_admin_a)
    shown = school.get("/evaluation/peer/switches/", **EN).content.decode()
    assert 'data-testid="city-switch" data-on="1"' in shown and "the school's switch is off" in shown
    school.post("/evaluation/peer/switches/", {"on": "1"})
    assert "Rating is open" in school.get("/evaluation/peer/switches/", **EN).content.decode()
    assert AuditEvent.objects.filter(verb="evaluation.peer_switch").count() == 2
    teacher = client_for(world.teacher_a).get("/evaluation/peer/switches/", **EN)
    assert teacher.status_code == 403 and 'data-code="evaluation.peer_switch_not_yours"' in teacher.content.decode()


def test_the_school_admin_reads_the_aggregates_with_filters_and_exports_them(world):
    nine, (s1, s2, s3, s4) = make_peer_class(world, 4)
    other, _ = make_peer_class(world, 2, number=8)
    open_peer_evaluation(world)
    for rater in (s2, s3, s4):
        client_for(rater).post(f"/evaluation/peer/classmates/{s1.person_id}/", form_grades("A"))
    admin = client_for(world.school_admin_a)
    held = admin.get("/evaluation/peer/results/", **EN).content.decode()
    assert 'data-testid="held"' in held and "3 ratings" in held and 'data-testid="average"' not in held
    admin.post("/evaluation/peer/switches/", {"on": "0"})
    page = admin.get("/evaluation/peer/results/", {"klass": nine.pk}, **EN).content.decode()
    assert f'data-testid="raters-{s1.person_id}">3<' in page and page.count('data-testid="average"') == 5
    assert f'data-testid="raters-{s2.person_id}">0<' in page and 'data-testid="withheld"' in page
    assert f"row-{other.pk}" not in page and s1.person.name in page
    export = admin.get("/evaluation/peer/results/", {"klass": nine.pk, "export": "xlsx"})
    assert export.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    names = [r[0] for r in rows if r and r[0] and r[0] != "姓名" and len(r) > 3 and r[1]]
    assert sorted(names) == sorted(s.person.name for s in (s1, s2, s3, s4))
    assert AuditEvent.objects.filter(verb="evaluation.peer_export").count() == 1
    student = client_for(world.student_a).get("/evaluation/peer/results/", **EN)
    assert student.status_code == 403
