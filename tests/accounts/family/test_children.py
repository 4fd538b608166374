"""ACC-6, ACC-7: a parent links children by name + ID number or by the school's account and password,
unlinks them, and follows a child to a new school; every mismatch says which field and who can fix it
(seed 000 学生/家长常见问题 1 “提示与绑定信息不符” and 7 “孩子已升初中”; seed 004 “家长如何关联自己的孩子”)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renrentong.accounts.family import services as children
from renrentong.core.names import NAME_DOTS, name_key
from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE
from renrentong.accounts.models import Account, Enrollment, Identity
from renrentong.core.models import AuditEvent

from tests.factories import bearer, make_class, make_parent, make_person, make_student

pytestmark = pytest.mark.django_db


def post(client, url, body, headers, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **headers, **extra)


def by_id(client, parent: Account, name: str, id_number: str, ip: str = "127.0.0.1", **body):
    return post(client, "/api/v1/family/children/by-id-number", {"name": name, "id_number": id_number, **body},
                bearer(parent), REMOTE_ADDR=ip)


def by_account(client, parent: Account, account: str, password: str, **extra):
    return post(client, "/api/v1/family/children/by-account", {"account": account, "password": password},
                bearer(parent), **extra)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def listed(client, parent: Account) -> dict[int, dict]:
    response = client.get("/api/v1/family/children", **bearer(parent))
    assert response.status_code == 200
    return {c["person_id"]: c for c in response.json()}


@pytest.fixture
def lone_parent(world):
    return make_parent(name="孙家长")


def decide(client, who: Account, request_id: int, verdict: str = "confirm", kind: str | None = None):
    return client.post(f"/api/v1/family/link-requests/{request_id}/{verdict}", **bearer(who, kind))


def requests_of(client, who: Account, kind: str | None = None) -> list[dict]:
    response = client.get("/api/v1/family/link-requests", **bearer(who, kind))
    assert response.status_code == 200, response.content
    return response.json()


# --- Linking by name and ID number [Z] --------------------------------------------------------------


def test_a_link_by_name_and_id_number_waits_for_the_existing_parent(client, world, lone_parent,
                                                                     django_capture_on_commit_callbacks):
    """Issue 10 #2: knowing a child's name and ID number no longer gives a stranger the child."""
    child = world.student_b
    with django_capture_on_commit_callbacks(execute=True):
        response = by_id(client, lone_parent, "陈小红", child.person.reveal_id_number(), relation="mother")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending" and body["direction"] == "outgoing" and body["relation"] == "母亲"
    # Nothing of the child is shown and nothing is allowed while the link waits.
    assert body["class_name"] == "" and body["child_person_id"] is None
    assert world.school_b.name not in response.content.decode()
    assert listed(client, lone_parent) == {}
    assert client.get(f"/api/v1/people/{child.person_id}", **bearer(lone_parent)).status_code == 404
    assert client.get(f"/api/v1/family/children/{child.person_id}", **bearer(lone_parent)).status_code == 404
    password = post(client, f"/api/v1/family/children/{child.person_id}/password",
                    {"new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL"}, bearer(lone_parent))
    assert password.status_code == 404
    # The existing parent is told at once, by text message and on their list.
    from renrentong.verification.models import OutboxMessage

    notice = OutboxMessage.objects.get(target=world.parent_b.phone)
    assert notice.purpose == "link_notice" and "孙家长" in notice.body and "陈小红" in notice.body
    [incoming] = requests_of(client, world.parent_b)
    assert incoming["direction"] == "incoming" and incoming["requester_name"] == "孙家长"
    assert "*" in incoming["requester_phone"] and incoming["child_person_id"] == child.person_id
    # Staff do not confirm for a child who has a parent; other parents cannot confirm at all.
    for outsider in (world.school_admin_b, world.parent_a, lone_parent):
        assert decide(client, outsider, body["id"]).status_code == 404
    assert decide(client, world.parent_b, body["id"]).status_code == 204
    assert child.person_id in listed(client, lone_parent)
    # The link gives the parent the child's scope.
    assert client.get(f"/api/v1/people/{child.person_id}", **bearer(lone_parent)).status_code == 200
    assert decide(client, world.parent_b, body["id"]).status_code == 404  # decided once
    verbs = list(AuditEvent.objects.filter(verb__startswith="children.link").order_by("pk").values_list(
        "verb", flat=True))
    assert verbs == ["children.link_requested", "children.link_confirmed"]
    event = AuditEvent.objects.get(verb="children.link_confirmed")
    assert event.details["by"] == "guardian" and event.school_id == world.school_b.pk
    # The audit page says how in words, not "relation=guardian".
    from django.utils import translation

    from renrentong.auditlog.describe import how_of

    RELATION_WORDS = {"father": "父亲", "mother": "母亲", "guardian": "监护人", "other": "其他"}
    with translation.override("zh-hans"):
        assert how_of(event) == f"关系：{RELATION_WORDS[event.details['relation']]} · 由已关联的家长处理"


def test_the_existing_parent_refuses_a_stranger(client, world, lone_parent):
    made = by_id(client, lone_parent, "陈小红", world.student_b.person.reveal_id_number()).json()
    assert decide(client, world.parent_b, made["id"], "refuse").status_code == 204
    assert listed(client, lone_parent) == {}
    [mine] = requests_of(client, lone_parent)
    assert mine["status"] == "refused" and mine["status_label"] == "已拒绝"
    assert AuditEvent.objects.filter(verb="children.link_refused", actor_account_id=world.parent_b.pk).exists()


def test_without_a_parent_the_head_teacher_or_school_admin_confirms(client, world, lone_parent):
    child = world.student_a  # unlink the only parent first
    assert client.delete(f"/api/v1/family/children/{child.person_id}", **bearer(world.parent_a)).status_code == 204
    made = by_id(client, lone_parent, "李小明", child.person.reveal_id_number()).json()
    assert made["status"] == "pending"
    # Only the head teacher of the child's class and the school admin of the child's school see it.
    for outsider in (world.teacher_a, world.school_admin_b, world.parent_a, world.district_admin_x):
        assert requests_of(client, outsider) == []
        assert decide(client, outsider, made["id"]).status_code == 404
    [queued] = requests_of(client, world.head_teacher_a)
    assert queued["class_name"] and queued["child_name"] == "李小明"
    assert [r["id"] for r in requests_of(client, world.school_admin_a)] == [made["id"]]
    assert decide(client, world.head_teacher_a, made["id"]).status_code == 204
    assert child.person_id in listed(client, lone_parent)
    assert AuditEvent.objects.get(verb="children.link_confirmed").details["by"] == "teacher"


def test_a_pending_request_is_not_asked_twice_and_can_be_withdrawn(client, world, lone_parent):
    id_number = world.student_b.person.reveal_id_number()
    made = by_id(client, lone_parent, "陈小红", id_number).json()
    again = by_id(client, lone_parent, "陈小红", id_number)
    assert again.status_code == 400 and again.json()["code"] == "children.link_pending"
    withdrawn = client.delete(f"/api/v1/family/link-requests/{made['id']}", **bearer(lone_parent))
    assert withdrawn.status_code == 204
    assert requests_of(client, world.parent_b) == []
    assert by_id(client, lone_parent, "陈小红", id_number).status_code == 202


def test_name_and_id_number_typed_into_each_others_fields_are_recognised(client, world, lone_parent):
    response = by_id(client, lone_parent, world.student_b.person.reveal_id_number(), "陈小红")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "children.name_id_swapped"
    assert "填反" in body["message"]


def test_spaces_and_full_width_characters_never_cause_a_mismatch(client, world, lone_parent):
    id_number = world.student_b.person.reveal_id_number()
    response = by_id(client, lone_parent, " 陈　小 红 ", " " + full_width(id_number.lower()) + " ")
    assert response.status_code == 202, response.content


def test_name_mismatch_says_the_name_differs_and_who_can_fix(client, world, lone_parent):
    response = by_id(client, lone_parent, "陈小虹", world.student_b.person.reveal_id_number())
    body = response.json()
    assert response.status_code == 400 and body["code"] == "children.name_mismatch"
    assert "姓名与学校登记的不一致" in body["message"] and body["who_can_fix"] == "班主任"
    assert "学校管理员" in body["message"]
    assert "陈小红" not in body["message"]  # the school's spelling is not revealed to a guesser


def test_sex_mismatch_names_both_values(client, world, lone_parent):
    response = by_id(client, lone_parent, "陈小红", world.student_b.person.reveal_id_number(), sex="M")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "children.sex_mismatch"
    assert "你填写的是“男”" in body["message"] and "学校登记的是“女”" in body["message"]


def test_school_record_with_the_wrong_sex_is_reported_as_the_schools_error(client, world, lone_parent):
    person = world.student_b.person
    person.sex = "M"  # the school imported the wrong sex; the ID number says female
    person.save()
    response = by_id(client, lone_parent, "陈小红", person.reveal_id_number())
    body = response.json()
    assert body["code"] == "children.school_sex_inconsistent"
    assert "学校登记的性别(“男”)" in body["message"] and body["who_can_fix"] == "班主任"


def test_unknown_id_number_says_the_school_may_not_have_imported_the_child(client, world, lone_parent):
    from tests.factories import make_id_number

    response = by_id(client, lone_parent, "王小二", make_id_number())
    body = response.json()
    assert response.status_code == 404 and body["code"] == "children.not_found"
    assert "学校尚未导入" in body["message"]


@pytest.mark.parametrize("value", ["43010220150517001", "430102201505170012", "abc", "43010220151317001X"])
def test_invalid_id_number_is_refused_before_any_lookup(client, world, lone_parent, value):
    response = by_id(client, lone_parent, "陈小红", value)
    assert response.status_code == 400 and response.json()["code"] == "children.invalid_id_number"


def test_missing_fields_are_named(client, world, lone_parent):
    response = by_id(client, lone_parent, "  ", "")
    body = response.json()
    assert body["code"] == "children.missing_fields" and "姓名" in body["message"] and "身份证号" in body["message"]


def test_already_linked_child(client, world):
    response = by_id(client, world.parent_a, "李小明", world.student_a.person.reveal_id_number())
    assert response.status_code == 400 and response.json()["code"] == "children.already_linked"


def test_a_child_has_a_limited_number_of_parents(client, world, lone_parent, monkeypatch):
    monkeypatch.setattr(children, "MAX_GUARDIANS", 1)
    response = by_id(client, lone_parent, "李小明", world.student_a.person.reveal_id_number())
    assert response.status_code == 400 and response.json()["code"] == "children.too_many_guardians"


def test_a_student_identity_cannot_link(client, world):
    response = by_id(client, world.student_a, "周小刚", world.student_a2.person.reveal_id_number())
    assert response.status_code == 403 and response.json()["code"] == "children.cannot_link_as_student"


def test_teacher_who_is_a_parent_links_and_gains_the_parent_identity(client, world):
    teacher = world.teacher_b
    response = post(client, "/api/v1/family/children/by-id-number",
                    {"name": "李小明", "id_number": world.student_a.person.reveal_id_number()}, bearer(teacher))
    assert response.status_code == 202
    kinds = set(teacher.identities.values_list("kind", flat=True))
    assert kinds == {Identity.Kind.TEACHER, Identity.Kind.GUARDIAN}
    assert client.get("/api/v1/family/children", **bearer(teacher, "guardian")).json() == []
    assert decide(client, world.parent_a, response.json()["id"]).status_code == 204
    guardian_view = client.get("/api/v1/family/children", **bearer(teacher, "guardian")).json()
    assert [c["person_id"] for c in guardian_view] == [world.student_a.person_id]


# --- Linking by account and password [C] ------------------------------------------------------------


def test_parent_links_with_the_schools_account_and_initial_password(client, world, lone_parent):
    child = world.student_a2
    response = by_account(client, lone_parent, child.number, f"Pw{child.number[-6:]}@")
    assert response.status_code == 201, response.content
    assert response.json()["class_id"] == world.class_a2.pk
    assert AuditEvent.objects.get(verb="children.link").details["how"] == "account"


def test_wrong_password_is_refused_and_counts_towards_the_login_throttle(client, world, lone_parent):
    child = world.student_a2
    for _ in range(3):
        response = by_account(client, lone_parent, child.number, "Wrong#pass1")
        assert response.status_code == 400 and response.json()["code"] == "children.wrong_account_or_password"
    # The same student account now needs the challenge for logins from this network too, and the
    # linking page takes no more guesses at it.
    login = Client().post("/api/v1/auth/login", json.dumps({"identifier": child.number,
                                                            "password": f"Pw{child.number[-6:]}@"}),
                          content_type="application/json")
    assert login.status_code == 429 and login.json()["code"] == "login.challenge_required"
    assert by_account(client, lone_parent, child.number, "Wrong#pass1").json()["code"] == \
        "children.link_tries_exceeded"


def test_unknown_account_answers_like_a_wrong_password(client, world, lone_parent):
    response = by_account(client, lone_parent, "99999999", "Whatever#1")
    assert response.status_code == 400 and response.json()["code"] == "children.wrong_account_or_password"


def test_a_teachers_account_is_not_a_child(client, world, lone_parent):
    teacher = world.teacher_a
    response = by_account(client, lone_parent, teacher.number, teacher.phone[-6:])
    assert response.status_code == 400 and response.json()["code"] == "children.not_a_student"


# --- Throttling the oracle --------------------------------------------------------------------------


def test_failed_links_are_limited_per_account(client, world, lone_parent, monkeypatch):
    monkeypatch.setattr(children, "FAILURES_PER_ACCOUNT", 3)
    real_id = world.student_b.person.reveal_id_number()
    for _ in range(3):
        assert by_id(client, lone_parent, "陈小虹", real_id).status_code == 400
    refused = by_id(client, lone_parent, "陈小红", real_id)  # right this time, but too late
    body = refused.json()
    assert refused.status_code == 429 and body["code"] == "children.link_throttled"
    assert "暂停至" in body["message"]
    # Another parent elsewhere is not affected.
    other = make_parent(name="另一家长")
    assert by_id(client, other, "陈小红", real_id, ip="10.0.0.9").status_code == 202


def test_failed_links_are_limited_per_source(client, world, monkeypatch):
    monkeypatch.setattr(children, "FAILURES_PER_SOURCE", 4)
    real_id = world.student_b.person.reveal_id_number()
    for n in range(4):
        parent = make_parent(name=f"家长{n}")
        assert by_id(client, parent, "陈小虹", real_id, ip="10.1.1.1").status_code == 400
    fresh = make_parent(name="新家长")
    refused = by_id(client, fresh, "陈小红", real_id, ip="10.1.1.1")
    assert refused.status_code == 429
    assert by_id(client, fresh, "陈小红", real_id, ip="10.2.2.2").status_code == 202


# --- Unlink -----------------------------------------------------------------------------------------


def test_parent_unlinks_a_child(client, world):
    child = world.student_a
    response = client.delete(f"/api/v1/family/children/{child.person_id}", **bearer(world.parent_a))
    assert response.status_code == 204
    assert listed(client, world.parent_a) == {}
    assert client.get(f"/api/v1/people/{child.person_id}", **bearer(world.parent_a)).status_code == 404
    assert AuditEvent.objects.get(verb="children.unlink").school_id == world.school_a.pk
    assert Account.objects.filter(pk=child.pk).exists()  # the child's own account is untouched


def test_parent_cannot_unlink_or_read_someone_elses_child(client, world):
    for child in (world.student_b, world.student_a2):
        assert client.delete(f"/api/v1/family/children/{child.person_id}", **bearer(world.parent_a)).status_code == 404
        assert client.get(f"/api/v1/family/children/{child.person_id}", **bearer(world.parent_a)).status_code == 404


# --- Following the child to a new school (ACC-6) ----------------------------------------------------


def move(account: Account, school_class) -> None:
    Enrollment.objects.filter(person=account.person, ended_on__isnull=True).update(ended_on=date(2026, 7, 1),
                                                                                 reason="graduated")
    Enrollment.objects.create(person=account.person, school_class=school_class, school=school_class.school,
                              reason="transfer")
    Identity.objects.get_or_create(account=account, kind=Identity.Kind.STUDENT, school=school_class.school)


def test_children_list_follows_the_current_enrollment(client, world):
    middle = make_class(world.school_b, 5, enrollment_year=2026, level="junior")
    move(world.student_a, middle)
    child = listed(client, world.parent_a)[world.student_a.person_id]
    assert child["school_id"] == world.school_b.pk and child["class_id"] == middle.pk and child["enrolled"]


def test_child_between_schools_is_listed_as_not_enrolled_and_cannot_be_newly_linked(client, world, lone_parent):
    Enrollment.objects.filter(person=world.student_a.person).update(ended_on=date(2026, 7, 1))
    child = listed(client, world.parent_a)[world.student_a.person_id]
    assert child["enrolled"] is False and child["school_id"] is None
    response = by_id(client, lone_parent, "李小明", world.student_a.person.reveal_id_number())
    body = response.json()
    assert response.status_code == 400 and body["code"] == "children.not_enrolled"
    assert body["who_can_fix"] == "学校管理员" and "新学校" in body["message"]
    # Once the new school has enrolled the child, the same link works and shows the new school.
    Enrollment.objects.create(person=world.student_a.person, school_class=world.class_b1, school=world.school_b)
    linked = by_id(client, lone_parent, "李小明", world.student_a.person.reveal_id_number())
    assert linked.status_code == 202
    assert decide(client, world.parent_a, linked.json()["id"]).status_code == 204
    assert listed(client, lone_parent)[world.student_a.person_id]["school_id"] == world.school_b.pk


# --- Properties of the name comparison (ACC-7) ------------------------------------------------------

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
SPACES = st.sampled_from([" ", "\u3000", "\t", "\u00a0", "\n"])


@given(name=st.text(HAN, min_size=1, max_size=6), spaces=st.lists(st.tuples(st.integers(0, 6), SPACES), max_size=4))
def test_spaces_anywhere_in_a_name_never_change_it(name, spaces):
    typed = name
    for position, space in spaces:
        typed = typed[:position] + space + typed[position:]
    assert name_key(typed) == name_key(name)


@given(name=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=12))
def test_full_width_latin_letters_and_digits_match_their_ascii(name):
    assert name_key(full_width(name)) == name_key(name)


@given(given_name=st.text(HAN, min_size=1, max_size=4), family=st.text(HAN, min_size=1, max_size=4),
       dot=st.sampled_from(list(NAME_DOTS) + ["·"]))
def test_minority_names_match_whatever_middle_dot_is_typed(given_name, family, dot):
    assert name_key(f"{given_name}{dot}{family}") == name_key(f"{given_name}·{family}")


@given(name=st.text(HAN, min_size=2, max_size=5), index=st.integers(0, 4), other=HAN)
def test_a_different_character_is_always_a_mismatch(name, index, other):
    index %= len(name)
    changed = name[:index] + other + name[index + 1:]
    assert (name_key(changed) == name_key(name)) == (changed == name)


@settings(max_examples=25, deadline=None)
@given(lower=st.booleans(), widen=st.booleans(), pad=st.text(st.sampled_from([" ", "\u3000"]), max_size=3))
def test_id_numbers_typed_any_way_find_the_child(lower, widen, pad):
    from renrentong.core.text import is_valid_id_number, normalize_id_number

    from tests.factories import make_id_number

    id_number = make_id_number()
    typed = id_number.lower() if lower else id_number
    typed = full_width(typed) if widen else typed
    typed = pad + typed[:6] + pad + typed[6:] + pad
    assert normalize_id_number(typed) == id_number and is_valid_id_number(normalize_id_number(typed))


# --- Pages ------------------------------------------------------------------------------------------


def session_for(client: Client, account: Account, kind: str | None = None) -> Client:
    client.force_login(account)
    session = client.session
    identities = account.identities.all()
    session[SESSION_IDENTITY] = (identities.get(kind=kind) if kind else identities.get()).pk
    session[SESSION_MUST_CHANGE] = False
    session.save()
    return client


def test_children_page_links_switches_and_unlinks(world):
    client = session_for(Client(), world.parent_a)
    page = client.get("/family/children/").content.decode()
    assert 'data-testid="current-child"' in page and "李小明" in page
    response = client.post("/family/children/", {"action": "link_id", "name": "陈小红",
                                                  "id_number": world.student_b.person.reveal_id_number(),
                                                  "relation": "father"})
    assert response.status_code == 302
    page = client.get("/family/children/").content.decode()
    assert 'data-testid="outgoing-request"' in page and "天心第一小学" not in page  # waiting, nothing shown
    # The child's parent confirms on their own family page.
    other = session_for(Client(), world.parent_b)
    other_page = other.get("/family/children/").content.decode()
    assert 'data-testid="incoming-request"' in other_page and "李大明" in other_page
    request_id = children.LinkRequest.objects.get().pk
    assert other.post("/family/link-requests/", {"request_id": request_id, "decision": "confirm"}).status_code == 302
    client.post("/family/children/", {"action": "switch", "person_id": world.student_b.person_id})
    page = client.get("/family/children/").content.decode()
    assert 'data-testid="child-school">天心第一小学' in page  # the new child is the current one
    client.post("/family/children/", {"action": "switch", "person_id": world.student_a.person_id})
    assert 'data-testid="child-school">芙蓉第一小学' in client.get("/family/children/").content.decode()
    # Switching to a child that is not one's own is refused and changes nothing.
    refused = client.post("/family/children/", {"action": "switch", "person_id": world.student_a2.person_id})
    assert refused.status_code == 404
    client.post("/family/children/", {"action": "unlink", "person_id": world.student_a.person_id})
    page = client.get("/family/children/").content.decode()
    assert "李小明" not in page and "陈小红" in page


def test_children_page_shows_the_mismatch_and_keeps_what_was_typed(world):
    client = session_for(Client(), world.parent_a)
    typed = {"action": "link_id", "name": "陈小虹", "id_number": world.student_b.person.reveal_id_number()}
    # The page pre-chooses nothing for who the parent is, so a mother does not ask as the father.
    unchosen = client.post("/family/children/", typed)
    assert unchosen.status_code == 400 and 'data-code="children.relation_required"' in unchosen.content.decode()
    assert 'value="陈小虹"' in unchosen.content.decode()
    response = client.post("/family/children/", {**typed, "relation": "mother"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-code="children.name_mismatch"' in body and 'value="陈小虹"' in body
    assert '<option value="mother" selected>' in body


def test_child_password_page(world):
    client = session_for(Client(), world.parent_a)
    url = f"/family/children/{world.student_a.person_id}/password/"
    assert client.get(url).status_code == 200
    weak = client.post(url, {"new_password": "abc", "repeat_password": "abc"})
    assert weak.status_code == 400 and "password.length" in weak.content.decode()
    done = client.post(url, {"new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL"})
    assert 'data-testid="child-password-done"' in done.content.decode()
    assert client.get(f"/family/children/{world.student_b.person_id}/password/").status_code == 404


def test_pages_are_behind_the_forced_password_change(world):
    client = Client()
    student = world.student_a
    client.post("/accounts/login/", {"identifier": world.parent_a.number,
                                     "password": f"Pw{world.parent_a.phone[-6:]}@"})
    assert client.get("/family/children/")["Location"] == "/accounts/password/"
    assert client.get(f"/family/children/{student.person_id}/password/")["Location"] == "/accounts/password/"


def test_student_sees_no_link_forms(world):
    client = session_for(Client(), make_student(world.class_a1, "赵小四"))
    page = client.get("/family/children/").content.decode()
    assert 'data-testid="link-id-form"' not in page


def test_person_without_account_is_listed_without_password_link(client, world):
    orphan = make_person("钱小五", "M")
    from renrentong.accounts.models import Guardianship

    Guardianship.objects.create(guardian=world.parent_a.person, student=orphan)
    Enrollment.objects.create(person=orphan, school_class=world.class_a1, school=world.school_a)
    child = listed(client, world.parent_a)[orphan.pk]
    assert child["account_number"] == ""
    response = post(client, f"/api/v1/family/children/{orphan.pk}/password",
                    {"new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL"}, bearer(world.parent_a))
    assert response.status_code == 404 and response.json()["code"] == "reset.no_account"


# --- The school's side: removing a wrong link -------------------------------------------------------


def test_school_admin_and_head_teacher_see_and_remove_a_students_parents(client, world):
    student = world.student_a
    url = f"/api/v1/family/students/{student.person_id}/guardians"
    for staff in (world.school_admin_a, world.head_teacher_a, world.district_admin_x):
        response = client.get(url, **bearer(staff))
        assert response.status_code == 200, response.content
        [guardian] = response.json()
        assert guardian["name"] == "李大明" and "*" in guardian["phone"]
    removed = client.delete(f"{url}/{world.parent_a.person_id}", **bearer(world.head_teacher_a))
    assert removed.status_code == 204
    assert listed(client, world.parent_a) == {}
    event = AuditEvent.objects.get(verb="children.unlink")
    assert event.details["by"] == "school" and event.actor_account_id == world.head_teacher_a.pk


@pytest.mark.parametrize("role", ["teacher_a", "school_admin_b", "district_admin_y", "parent_b"])
def test_others_cannot_see_or_remove_a_students_parents(client, world, role):
    url = f"/api/v1/family/students/{world.student_a.person_id}/guardians"
    response = client.get(url, **bearer(getattr(world, role)))
    assert response.status_code in (403, 404)
    assert client.delete(f"{url}/{world.parent_a.person_id}", **bearer(getattr(world, role))).status_code in (403, 404)
    assert world.student_a.person_id in listed(client, world.parent_a)


def test_guardians_page_removes_a_link(world):
    client = session_for(Client(), world.school_admin_a)
    url = f"/family/students/{world.student_a.person_id}/guardians/"
    page = client.get(url).content.decode()
    assert "李大明" in page and world.parent_a.phone not in page
    assert client.post(url, {"guardian_id": world.parent_a.person_id}).status_code == 302
    assert 'data-testid="no-guardians"' in client.get(url).content.decode()
    assert client.get(f"/family/students/{world.student_b.person_id}/guardians/").status_code == 404


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name_spaces=st.lists(st.tuples(st.integers(0, 3), SPACES), max_size=3),
       id_spaces=st.lists(st.tuples(st.integers(0, 18), SPACES), max_size=3),
       widen=st.sets(st.integers(0, 17)), lower=st.booleans())
def test_linking_never_fails_silently_on_spaces_or_full_width(world, name_spaces, id_spaces, widen, lower):
    """Whatever spaces and full-width characters a parent's phone keyboard adds, the real child is found."""
    from renrentong.accounts.access import actor_for

    parent = world.parent_b
    actor = actor_for(parent, parent.identities.get())
    child = world.student_a
    id_number = child.person.reveal_id_number()
    typed_id = "".join(full_width(c) if i in widen else c for i, c in enumerate(id_number))
    typed_id = typed_id.lower() if lower else typed_id
    for position, space in id_spaces:
        typed_id = typed_id[:position] + space + typed_id[position:]
    typed_name = "李小明"
    for position, space in name_spaces:
        typed_name = typed_name[:position] + space + typed_name[position:]
    asked = children.link_by_id_number(actor, typed_name, typed_id, source="10.9.9.9")
    assert asked.student_id == child.person_id
    children.cancel_link_request(actor, asked.pk)


def test_child_without_id_number_gets_a_new_account_at_the_new_school_and_the_parent_links_it(client, world):
    """Seed 000 #7: the child moved up to a middle school that created a new account; the parent links the
    new one with the school's slip and unlinks the old one, which shows as not enrolled."""
    from tests.factories import make_account

    old = world.student_a
    Enrollment.objects.filter(person=old.person).update(ended_on=date(2026, 7, 1), reason="graduated")
    middle = make_class(world.school_b, 7, enrollment_year=2026, level="junior")
    person = make_person("李小明", "M", id_number=None)
    new = make_account(person, school=world.school_b)
    Identity.objects.create(account=new, kind=Identity.Kind.STUDENT, school=world.school_b)
    Enrollment.objects.create(person=person, school_class=middle, school=world.school_b)

    assert listed(client, world.parent_a)[old.person_id]["enrolled"] is False
    response = by_account(client, world.parent_a, new.number, f"Pw{new.number[-6:]}@")
    assert response.status_code == 201 and response.json()["school_id"] == world.school_b.pk
    assert client.delete(f"/api/v1/family/children/{old.person_id}", **bearer(world.parent_a)).status_code == 204
    assert list(listed(client, world.parent_a)) == [person.pk]


# --- A password a parent sets (issue 10 #2) ----------------------------------------------------------


def child_login(account: Account, password: str) -> dict:
    response = Client().post("/api/v1/auth/login", json.dumps({"identifier": account.number, "password": password}),
                             content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_password_set_by_a_parent_the_school_did_not_record_forces_a_change(client, world):
    child = world.student_a  # parent_a linked themselves (no import): their choice is not for good
    response = post(client, f"/api/v1/family/children/{child.person_id}/password",
                    {"new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL"}, bearer(world.parent_a))
    assert response.status_code == 204
    assert child_login(child, "Xk9#mPq2vL")["must_change_password"] is True
    assert AuditEvent.objects.get(verb="password.reset").details["forced_change"] is True


def test_a_password_set_by_the_school_imported_parent_is_for_good(client, world):
    from renrentong.accounts.models import Guardianship

    Guardianship.objects.filter(guardian=world.parent_a.person).update(created_by_import=1)
    child = world.student_a
    response = post(client, f"/api/v1/family/children/{child.person_id}/password",
                    {"new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL"}, bearer(world.parent_a))
    assert response.status_code == 204
    assert child_login(child, "Xk9#mPq2vL")["must_change_password"] is False


def test_a_link_confirmed_by_the_other_parent_still_forces_a_change(client, world, lone_parent):
    made = by_id(client, lone_parent, "陈小红", world.student_b.person.reveal_id_number()).json()
    assert decide(client, world.parent_b, made["id"]).status_code == 204
    response = post(client, f"/api/v1/family/children/{world.student_b.person_id}/password",
                    {"new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL"}, bearer(lone_parent))
    assert response.status_code == 204
    assert child_login(world.student_b, "Xk9#mPq2vL")["must_change_password"] is True


# --- The family endpoints act for the current identity (issue 10 #10, ACC-1) -------------------------


@pytest.fixture
def teacher_parent(world):
    """A teacher of school A who is also the parent of student_a2."""
    from renrentong.accounts.models import Guardianship

    teacher = world.teacher_a
    Identity.objects.create(account=teacher, kind=Identity.Kind.GUARDIAN)
    Guardianship.objects.create(guardian=teacher.person, student=world.student_a2.person, created_by_import=1)
    return teacher


def test_family_endpoints_answer_only_for_the_parent_identity(client, world, teacher_parent):
    child = world.student_a2.person_id
    as_parent = bearer(teacher_parent, "guardian")
    assert [c["person_id"] for c in client.get("/api/v1/family/children", **as_parent).json()] == [child]
    assert client.get(f"/api/v1/family/children/{child}", **as_parent).status_code == 200
    as_teacher = bearer(teacher_parent, "teacher")
    listed_as_teacher = client.get("/api/v1/family/children", **as_teacher)
    assert listed_as_teacher.status_code == 200 and listed_as_teacher.json() == []
    one = client.get(f"/api/v1/family/children/{child}", **as_teacher)
    assert one.status_code == 404 and one.json()["code"] == "scope.not_found"
    assert client.delete(f"/api/v1/family/children/{child}", **as_teacher).status_code == 404
    password = post(client, f"/api/v1/family/children/{child}/password",
                    {"new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL"}, as_teacher)
    assert password.status_code in (403, 404)
    assert client.get(f"/api/v1/family/children/{child}", **as_parent).status_code == 200  # nothing changed


def test_children_page_as_the_teacher_identity_shows_no_child_and_offers_the_switch(world, teacher_parent):
    client = session_for(Client(), teacher_parent, "teacher")
    page = client.get("/family/children/").content.decode()
    assert 'data-testid="current-child"' not in page and "周小刚" not in page
    assert 'data-testid="switch-to-parent"' in page
    refused = client.post("/family/children/", {"action": "switch", "person_id": world.student_a2.person_id})
    assert refused.status_code == 404
    assert client.get(f"/family/children/{world.student_a2.person_id}/password/").status_code == 404


@pytest.mark.parametrize("role", ["student_a", "parent_a", "teacher_a", "head_teacher_a", "school_admin_a",
                                  "district_admin_x"])
def test_the_password_change_page_is_in_every_identitys_menu(world, role):
    """In the console's personal menu on every page; in the phone shell on the 我的 tab, one tap from any page."""
    client = session_for(Client(), getattr(world, role))
    page = client.get("/").content.decode()
    if 'data-testid="tab-me"' in page:
        page = client.get("/my/me/").content.decode()
    assert re.search(r'<a [^>]*href="/accounts/password/"[^>]*data-testid="nav-password"', page)


def test_link_request_queue_page_for_the_school(client, world, lone_parent):
    child = world.student_a2  # no parent linked
    made = by_id(client, lone_parent, "周小刚", child.person.reveal_id_number()).json()
    admin = session_for(Client(), world.school_admin_a)
    assert 'data-testid="nav-link-requests"' in admin.get("/").content.decode()
    page = admin.get("/family/link-requests/").content.decode()
    assert f'data-testid="link-request-{made["id"]}"' in page and "孙家长" in page and "周小刚" in page
    assert lone_parent.phone not in page  # masked
    other = session_for(Client(), world.school_admin_b)
    assert 'data-testid="no-link-requests"' in other.get("/family/link-requests/").content.decode()
    refused = other.post("/family/link-requests/", {"request_id": made["id"], "decision": "confirm"})
    assert refused.status_code == 404
    assert admin.post("/family/link-requests/", {"request_id": made["id"], "decision": "refuse"}).status_code == 302
    assert 'data-testid="no-link-requests"' in admin.get("/family/link-requests/").content.decode()
    assert listed(client, lone_parent) == {}


def test_linking_with_the_schools_slip_settles_a_waiting_request(client, world, lone_parent):
    child = world.student_a2
    made = by_id(client, lone_parent, "周小刚", child.person.reveal_id_number()).json()
    linked = by_account(client, lone_parent, child.number, f"Pw{child.number[-6:]}@")
    assert linked.status_code == 201
    assert requests_of(client, lone_parent) == []  # settled: no longer listed as waiting
    assert children.LinkRequest.objects.get(pk=made["id"]).status == "confirmed"
    assert requests_of(client, world.school_admin_a) == []


def test_home_pages_say_that_link_requests_wait(client, world, lone_parent):
    assert 'data-testid="link-requests-waiting"' not in session_for(Client(), world.parent_b).get("/").content.decode()
    by_id(client, lone_parent, "陈小红", world.student_b.person.reveal_id_number())
    home = session_for(Client(), world.parent_b).get("/").content.decode()
    assert 'data-testid="link-requests-waiting"' in home and 'href="/family/link-requests/"' in home
    by_id(client, lone_parent, "周小刚", world.student_a2.person.reveal_id_number())  # no parent: the school
    admin_home = session_for(Client(), world.school_admin_a).get("/").content.decode()
    assert 'data-testid="link-requests-waiting"' in admin_home
    assert 'data-testid="link-requests-waiting"' not in session_for(Client(), world.head_teacher_a).get(
        "/").content.decode()  # heads class A1, not A2


def test_a_parent_whose_account_was_deleted_leaves_the_decision_to_the_school(client, world, lone_parent):
    Account.objects.filter(pk=world.parent_a.pk).update(status=Account.Status.DELETED)
    made = by_id(client, lone_parent, "李小明", world.student_a.person.reveal_id_number()).json()
    assert [r["id"] for r in requests_of(client, world.head_teacher_a)] == [made["id"]]
    assert decide(client, world.head_teacher_a, made["id"], "refuse").status_code == 204


def test_an_expired_initial_password_links_no_child(client, world, lone_parent):
    from datetime import timedelta

    from django.utils import timezone

    child = world.student_a2
    Account.objects.filter(pk=child.pk).update(initial_password_issued_at=timezone.now() - timedelta(days=400))
    response = by_account(client, lone_parent, child.number, f"Pw{child.number[-6:]}@")
    assert response.status_code == 403 and response.json()["code"] == "children.initial_expired"
    assert response.json()["who_can_fix"] == "班主任"
    assert client.get("/api/v1/family/children", **bearer(lone_parent)).json() == []


def test_links_made_with_initial_passwords_count_against_the_address_like_logins(client, world):
    # One address opening dozens of untouched accounts through the linking page is the same spray as
    # through the login page (issue 10 #3): past the address limit the page takes no more.
    parents = [make_parent(name=f"家长{i}") for i in range(4)]
    students = [make_student(world.class_a1, name=f"学生{i}") for i in range(31)]
    answers = [by_account(client, parents[i // 10], s.number, f"Pw{s.number[-6:]}@").status_code
               for i, s in enumerate(students[:30])]
    assert answers == [201] * 30
    assert by_account(client, parents[3], students[30].number, f"Pw{students[30].number[-6:]}@").json()["code"] == \
        "children.link_tries_exceeded"
