"""Peer evaluation (学生互评, EVA-5) through the API: only graduating grade-9 students, only while both the
city's and the school's switches are on, classmates of their own class, never themselves, once per pair;
the school reads aggregates and never who rated whom."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connections
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.evaluation.models import PeerCriterion, PeerRating, PeerSwitch
from renrentong.evaluation.peer import services

from tests.evaluation.helpers import actor, call, refused
from tests.factories import make_class, make_parent, make_peer_class, make_student, open_peer_evaluation

PEER = "/peer"


@pytest.fixture
def peers(world):
    """Class 9 of school A (grade 9) with four students, peer evaluation open for the 2026 school year."""
    school_class, students = make_peer_class(world, 4)
    open_peer_evaluation(world)
    return school_class, students


def grades(grade: str = "A") -> list[dict]:
    return [{"criterion_id": c.pk, "grade": grade} for c in PeerCriterion.objects.order_by("position")]


def rate(rater, ratee, grade: str = "A"):
    return call("post", f"{PEER}/ratings", rater, {"classmate_id": ratee.person_id, "grades": grades(grade)})


def test_turning_the_city_switch_on_installs_the_standard_criteria_and_is_audited(world):
    turned = call("put", f"{PEER}/switches", world.city_admin, {"school_year": 2026, "on": True})
    assert turned.status_code == 200 and turned.json()["on"] is True
    labels = list(PeerCriterion.objects.filter(region_id=world.city.pk, school_year=2026).order_by("position")
                  .values_list("label", flat=True))
    assert labels == ["品德表现", "合作交流", "学习态度", "运动健康", "审美表现"]
    event = AuditEvent.objects.get(verb="evaluation.peer_switch")
    assert event.details == {"school_year": 2026, "on": True, "level": "city", "criteria_added": 5}
    off = call("put", f"{PEER}/switches", world.city_admin, {"school_year": 2026, "on": False})
    assert off.json()["on"] is False and PeerCriterion.objects.count() == 5
    assert PeerSwitch.objects.get(region_id=world.city.pk).is_on is False


def test_the_school_admin_turns_only_the_schools_switch(world):
    call("put", f"{PEER}/switches", world.school_admin_a, {"school_year": 2026, "on": True})
    seen = call("get", f"{PEER}/switches", world.school_admin_a).json()
    assert seen["school"]["on"] is True and seen["city"]["on"] is False and seen["open"] is False
    assert PeerSwitch.objects.get(school_id=world.school_a.pk).is_on
    assert not PeerSwitch.objects.filter(school_id=world.school_b.pk).exists()
    city = call("get", f"{PEER}/switches", world.city_admin).json()
    assert city["school"] is None


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a", "parent_a", "student_a", "district_admin_x"])
def test_nobody_else_turns_a_switch(world, role):
    refused(call("put", f"{PEER}/switches", getattr(world, role), {"school_year": 2026, "on": True}),
            "evaluation.peer_switch_not_yours", 403)
    assert not PeerSwitch.objects.exists()


def test_a_grade_nine_student_rates_a_classmate_once_and_anonymously(world, peers):
    _, (me, mate, *_rest) = peers
    status = call("get", f"{PEER}/me", me).json()
    assert status["open"] is True and status["closed"] is None and len(status["criteria"]) == 5
    assert [c["name"] for c in status["classmates"]] and me.person_id not in [c["id"] for c in status["classmates"]]
    done = rate(me, mate, "B")
    assert done.status_code == 201, done.content
    assert done.json() == {"classmate_id": mate.person_id, "rated": True, "rated_count": 1}
    assert PeerRating.objects.filter(rater=me.person, ratee=mate.person, grade="B").count() == 5
    after = call("get", f"{PEER}/me", me).json()
    assert {c["id"]: c["rated"] for c in after["classmates"]}[mate.person_id] is True and after["rated"] == 1
    # The audit log says the student rated one classmate, never whom.
    event = AuditEvent.objects.get(verb="evaluation.peer_rate")
    assert event.target_id is None and event.details == {"school_year": 2026, "classmates": 1, "criteria": 5}
    assert str(mate.person_id) not in str(event.details)


def test_a_pair_is_rated_once_and_a_rating_is_final(world, peers):
    _, (me, mate, *_rest) = peers
    assert rate(me, mate, "A").status_code == 201
    body = refused(rate(me, mate, "D"), "evaluation.peer_already_rated", 409)
    assert body["who_can_fix"] == "you"
    assert set(PeerRating.objects.values_list("grade", flat=True)) == {"A"}


def test_never_themselves(world, peers):
    _, (me, *_rest) = peers
    refused(rate(me, me), "evaluation.peer_not_yourself", 400)
    assert not PeerRating.objects.exists()


def test_only_classmates_of_their_own_class(world, peers):
    _, (me, *_rest) = peers
    other_class, (stranger, *_others) = make_peer_class(world, 1, number=8)
    _, (in_b, *_b) = make_peer_class(world, 1, number=9, school=world.school_b)
    for outsider in (stranger, in_b, world.student_a, world.student_b):
        refused(rate(me, outsider), "evaluation.peer_not_classmate", 404)
    refused(call("post", f"{PEER}/ratings", me, {"classmate_id": 2**40, "grades": grades()}),
            "evaluation.peer_not_classmate", 404)
    assert not PeerRating.objects.exists()


def test_every_criterion_gets_a_grade(world, peers):
    _, (me, mate, *_rest) = peers
    partial = grades()[:3]
    refused(call("post", f"{PEER}/ratings", me, {"classmate_id": mate.person_id, "grades": partial}),
            "evaluation.peer_grades_incomplete", 400)
    unknown = grades() + [{"criterion_id": 2**40, "grade": "A"}]
    refused(call("post", f"{PEER}/ratings", me, {"classmate_id": mate.person_id, "grades": unknown}),
            "evaluation.peer_criterion_unknown", 400)
    wrong = call("post", f"{PEER}/ratings", me, {"classmate_id": mate.person_id,
                                                 "grades": [{**g, "grade": "E"} for g in grades()]})
    assert wrong.status_code == 422 or wrong.status_code == 400
    assert not PeerRating.objects.exists()


def test_closed_while_the_citys_switch_is_off_naming_the_city_admin(world):
    _, (me, mate, *_rest) = make_peer_class(world, 3)
    open_peer_evaluation(world)
    call("put", f"{PEER}/switches", world.city_admin, {"school_year": 2026, "on": False})
    body = refused(rate(me, mate), "evaluation.peer_city_off", 403)
    assert body["who_can_fix"] == "the city admin" and "city's switch is off" in body["message"]
    status = call("get", f"{PEER}/me", me).json()
    assert status["open"] is False and status["closed"]["code"] == "evaluation.peer_city_off"
    assert len(status["classmates"]) == 2
    zh = call("get", f"{PEER}/me", me, language="zh-hans").json()["closed"]
    assert zh["who_can_fix"] == "市级管理员" and "市级互评开关未开启" in zh["message"]


def test_closed_while_the_schools_switch_is_off_naming_the_school_admin(world):
    _, (me, mate, *_rest) = make_peer_class(world, 3)
    open_peer_evaluation(world, schools=(world.school_admin_b,))
    body = refused(rate(me, mate), "evaluation.peer_school_off", 403)
    assert body["who_can_fix"] == "the school admin"
    assert call("get", f"{PEER}/me", me).json()["closed"]["code"] == "evaluation.peer_school_off"


def test_closed_without_criteria_naming_the_city_admin(world):
    _, (me, mate, *_rest) = make_peer_class(world, 3)
    PeerSwitch.objects.create(region_id=world.city.pk, school_year=2026, is_on=True)
    PeerSwitch.objects.create(school_id=world.school_a.pk, school_year=2026, is_on=True)
    body = refused(call("post", f"{PEER}/ratings", me, {"classmate_id": mate.person_id,
                                                        "grades": [{"criterion_id": 1, "grade": "A"}]}),
                   "evaluation.peer_no_criteria", 409)
    assert body["who_can_fix"] == "the city admin" and "2026" in body["message"]


def test_only_graduating_grade_nine_students(world):
    open_peer_evaluation(world)
    grade_eight = make_class(world.school_a, 3, enrollment_year=2025, level="junior")
    younger, other = make_student(grade_eight, "八年级甲"), make_student(grade_eight, "八年级乙")
    five_four = make_class(world.school_b, 4, enrollment_year=2023, level="junior", system="5-4")
    nine_in_5_4, mate_5_4 = make_student(five_four, "五四制甲"), make_student(five_four, "五四制乙")
    for student, mate in ((younger, other), (world.student_a, world.student_a2)):
        status = call("get", f"{PEER}/me", student).json()
        assert status["closed"]["code"] == "evaluation.peer_grade_nine_only" and status["classmates"] == []
        refused(rate(student, mate), "evaluation.peer_grade_nine_only", 403)
    # Grade 9 of a 5-4 school (junior from grade 6) graduates too.
    assert rate(nine_in_5_4, mate_5_4).status_code == 201


@pytest.mark.parametrize("role", ["parent_a", "teacher_a", "school_admin_a", "city_admin"])
def test_only_students_rate_as_themselves(world, peers, role):
    _, (me, mate, *_rest) = peers
    account = getattr(world, role)
    refused(call("get", f"{PEER}/me", account), "evaluation.peer_students_only", 403)
    refused(rate(account, mate), "evaluation.peer_students_only", 403)


def test_a_parent_of_a_grade_nine_student_does_not_rate_for_them(world, peers):
    _, (me, mate, *_rest) = peers
    refused(rate(make_parent(me, name="家长甲"), mate), "evaluation.peer_students_only", 403)


def test_a_student_without_a_class_is_told_the_school_admin_places_them(world, peers):
    _, (me, mate, *_rest) = peers
    me.person.enrollments.update(ended_on="2026-10-01")
    refused(call("get", f"{PEER}/me", me), "evaluation.not_enrolled", 409)


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_the_same_pair_at_once_make_one_rating():
    from tests.factories import build_world

    world = build_world()
    _, (me, mate, *_rest) = make_peer_class(world, 3)
    open_peer_evaluation(world)
    chosen = {c.pk: "A" for c in PeerCriterion.objects.all()}
    start, outcomes = threading.Barrier(2), []

    def go():
        try:
            start.wait()
            outcomes.append(services.rate(actor(me), mate.person_id, chosen))
        except Exception as error:  # noqa: BLE001 -- the refusal is what the test looks at
            outcomes.append(getattr(error, "code", repr(error)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, outcomes)) == ["1", "evaluation.peer_already_rated"]
    assert PeerRating.objects.filter(rater=me.person, ratee=mate.person).count() == 5


# The school's aggregates -----------------------------------------------------------------------------------

def test_while_rating_is_open_the_school_sees_only_how_many_ratings_each_class_sent(world, peers):
    school_class, (s1, s2, s3, s4) = peers
    for rater in (s2, s3, s4):
        assert rate(rater, s1).status_code == 201
    found = call("get", f"{PEER}/results", world.school_admin_a).json()
    assert found["held"] is True and found["progress"] == [{"class_name": found["rows"][0]["class_name"], "ratings": 3}]
    assert all(r["raters"] is None and r["cells"] == [] for r in found["rows"])


def test_once_closed_the_school_sees_counts_and_averages_from_three_raters_on(world, peers):
    school_class, (s1, s2, s3, s4) = peers
    for rater, grade in ((s2, "A"), (s3, "A"), (s4, "C")):
        assert rate(rater, s1, grade).status_code == 201
    assert rate(s1, s2, "B").status_code == 201 and rate(s3, s2, "D").status_code == 201
    call("put", f"{PEER}/switches", world.school_admin_a, {"school_year": 2026, "on": False})
    found = call("get", f"{PEER}/results", world.school_admin_a).json()
    assert found["held"] is False and found["min_raters"] == 3
    rows = {r["student_id"]: r for r in found["rows"]}
    assert set(rows) == {s.person_id for s in (s1, s2, s3, s4)}
    first = rows[s1.person_id]
    assert first["raters"] == 3 and len(first["cells"]) == 5
    assert first["cells"][0] | {"criterion_id": 0} == {"criterion_id": 0, "average": 3.3, "a": 2, "b": 0, "c": 1, "d": 0}
    # Two raters: the count is shown, the grades are not (they could be told apart).
    assert rows[s2.person_id]["raters"] == 2 and rows[s2.person_id]["cells"] == []
    text = str(found)
    assert "rater_id" not in text and "ratee" not in text


def test_results_filter_by_grade_and_class_and_refuse_another_schools(world, peers):
    school_class, _students = peers
    other, _ = make_peer_class(world, 2, number=8)
    by_class = call("get", f"{PEER}/results", world.school_admin_a, class_id=other.pk).json()
    assert len(by_class["rows"]) == 2
    by_grade = call("get", f"{PEER}/results", world.school_admin_a, grade_id=school_class.cohort_id).json()
    assert len(by_grade["rows"]) == 6
    b_class, _ = make_peer_class(world, 1, number=9, school=world.school_b)
    refused(call("get", f"{PEER}/results", world.school_admin_a, class_id=b_class.pk), "scope.not_found", 404)
    refused(call("get", f"{PEER}/results", world.school_admin_a, grade_id=b_class.cohort_id), "scope.not_found", 404)


@pytest.mark.parametrize("role", ["student_a", "parent_a", "teacher_a", "head_teacher_a", "district_admin_x",
                                  "city_admin"])
def test_only_the_school_admin_reads_the_aggregates(world, peers, role):
    refused(call("get", f"{PEER}/results", getattr(world, role)), "evaluation.peer_results_not_yours", 403)
    refused(call("get", f"{PEER}/results.xlsx", getattr(world, role)), "evaluation.peer_results_not_yours", 403)


def test_the_aggregates_export_to_xlsx_with_the_filters_and_are_audited(world, peers):
    school_class, (s1, s2, s3, s4) = peers
    s1.person.name = "=HYPERLINK(\"http://x\")"
    s1.person.save()
    for rater in (s2, s3, s4):
        rate(rater, s1, "B")
    call("put", f"{PEER}/switches", world.city_admin, {"school_year": 2026, "on": False})
    response = call("get", f"{PEER}/results.xlsx", world.school_admin_a, class_id=school_class.pk)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    header = next(i for i, r in enumerate(rows) if r[0] == "姓名")
    assert rows[header][:5] == ["姓名", "班级", "评价人数", "品德表现·平均", "品德表现·分布"]
    body = [r for r in rows[header + 1:] if r[0]]
    assert len(body) == 4
    named = next(r for r in body if "HYPERLINK" in str(r[0]))
    assert not str(named[0]).startswith("=")  # formula-safe: never a formula
    assert [str(v) for v in named[2:5]] == ["3", "3.0", "A0 B3 C0 D0"]
    event = AuditEvent.objects.get(verb="evaluation.peer_export")
    assert event.details["rows"] == 4 and event.details["class_id"] == school_class.pk
