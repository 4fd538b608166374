"""One search for the user tables, the recycle bin and the reset candidates (issue 12): a name (part of
it), its pinyin or initials (their start), the account number (its start), the phone, the student
numbers and the ID number (whole). Through the API endpoints and the pages that call it."""

from __future__ import annotations

import pytest

from renrentong.accounts.models import Person

from tests.factories import as_user, bearer, make_id_number, make_student

API = "/api/v1/school"


def names(response):
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["items"])


def search(client, account, q, **more):
    return names(client.post(f"{API}/users/search", {"q": q, **more}, content_type="application/json",
                             **bearer(account)))


@pytest.fixture
def ding(world):
    """丁丽佳 in class A2, beside 丁力 (same initial, other syllables) and 单田芳 (a polyphonic surname)."""
    student = make_student(world.class_a2, "丁丽佳", "F")
    make_student(world.class_a2, "丁力")
    make_student(world.class_a2, "单田芳")
    return student


@pytest.mark.parametrize("q", ["dlj", "DLJ", "dl", "dinglijia", "dingli", "Ding Li Jia", "丽佳", "丁丽佳",
                               "dinglj", "dlijia", "dinglij", "dljia"])
def test_pinyin_initials_and_name_find_the_student(client, world, ding, q):
    found = search(client, world.school_admin_a, q)
    assert "丁丽佳" in found
    if q not in ("dl", "dingli"):
        assert found == ["丁丽佳"]


def test_prefixes_not_substrings_of_the_pinyin(client, world, ding):
    assert search(client, world.school_admin_a, "lijia") == []  # the pinyin matches from its start
    assert search(client, world.school_admin_a, "dingl") == sorted(["丁力", "丁丽佳"])
    assert search(client, world.school_admin_a, "shantianfang") == ["单田芳"]  # 单 as a surname reads shan
    assert search(client, world.school_admin_a, "dantianfang") == []
    assert search(client, world.school_admin_a, "dingjl") == []  # syllables and initials keep their order
    assert search(client, world.school_admin_a, "dinglx") == []


def test_numbers_find_the_student(client, world, ding):
    person = ding.person
    person.local_student_number = "L20240099"
    id_number = make_id_number(sex="F")
    person.set_id_number(id_number)
    person.save()
    ding.phone = "13912340000"
    ding.save()
    for q in (ding.number, ding.number[:5], "13912340000", "L20240099", id_number):
        assert "丁丽佳" in search(client, world.school_admin_a, q), q
    assert search(client, world.school_admin_a, "1391234") == []  # a phone is matched whole


def test_search_stays_in_the_school(client, world, ding):
    assert search(client, world.school_admin_b, "dlj") == []
    assert search(client, world.school_admin_b, "chen") == ["陈小红"]


def test_recycle_bin_searches_by_pinyin(client, world, ding):
    as_user(client, world.school_admin_a)
    client.post(f"/school/users/{ding.pk}/delete/", {"back": "kind=student"})
    found = client.post(f"{API}/recycle-bin/search", {"q": "dlj"}, content_type="application/json",
                        **bearer(world.school_admin_a))
    assert names(found) == ["丁丽佳"]
    assert search(client, world.school_admin_a, "dlj") == []  # the table lists no deleted account


def test_reset_candidates_search_by_pinyin(client, world, ding):
    response = client.post("/api/v1/resets/candidates/search", {"q": "dlj"}, content_type="application/json",
                           **bearer(world.school_admin_a))
    assert response.status_code == 200, response.content
    assert [c["name"] for c in response.json()] == ["丁丽佳"]
    region = client.post("/api/v1/resets/candidates/search", {"q": "dinglijia"}, content_type="application/json",
                         **bearer(world.district_admin_x))
    assert [c["name"] for c in region.json()] == ["丁丽佳"]


def test_users_page_search_box_finds_by_initials(client, world, ding):
    as_user(client, world.school_admin_a)
    html = client.get("/school/users/", {"q": "dlj"}).content.decode()
    assert html.count('data-testid="user-row"') == 1 and ding.number in html


def test_a_renamed_student_is_found_by_the_new_pinyin(client, world, ding):
    Person.objects.filter(pk=ding.person_id).update(name="曾小乐")
    assert search(client, world.school_admin_a, "zxl") == ["曾小乐"]
    assert search(client, world.school_admin_a, "dlj") == []


def test_prefixes_ending_in_z_have_no_upper_bound_to_miss(client, world):
    make_student(world.class_a2, "张卓")
    assert search(client, world.school_admin_a, "zz") == ["张卓"]
    assert search(client, world.school_admin_a, "zhangz") == ["张卓"]
    assert search(client, world.school_admin_a, "zhangzhuo") == ["张卓"]
