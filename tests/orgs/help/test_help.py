"""The FAQ and support contacts (HELP-2): kept per region by its admins, read nearest region first, the
nearest contact shown with errors; through the API and the pages."""

import json

import pytest

from renrentong.core.models import AuditEvent
from renrentong.orgs.models import FaqEntry

from tests.accounts.flows import login
from tests.factories import as_user, bearer


def api(client, method, path, account=None, body=None):
    headers = bearer(account) if account else {}
    return getattr(client, method)(f"/api/v1/help{path}", json.dumps(body) if body is not None else None,
                                   content_type="application/json", **headers)


def add(client, account, region, question="忘记密码怎么办？", answer="在登录页点“忘记密码”。", **more):
    return api(client, "post", f"/regions/{region.pk}/entries", account,
               {"question": question, "answer": answer, **more})


def test_a_district_reads_its_own_questions_first_then_the_city_and_the_province(client, world):
    assert add(client, world.province_admin, world.province, "省的问题").status_code == 201
    assert add(client, world.city_admin, world.city, "市的问题", category="实名认证").status_code == 201
    assert add(client, world.district_admin_x, world.district_x, "区的问题 2", position=2).status_code == 201
    assert add(client, world.district_admin_x, world.district_x, "区的问题 1", position=1).status_code == 201
    body = api(client, "get", f"/faq?region_id={world.district_x.pk}").json()
    assert [r["region"] for r in body["regions"]] == [world.district_x.name, world.city.name, world.province.name]
    assert [[e["question"] for e in r["entries"]] for r in body["regions"]] == [
        ["区的问题 1", "区的问题 2"], ["市的问题"], ["省的问题"]]
    assert body["regions"][1]["entries"][0]["category"] == "实名认证"
    # The sibling district sees the city's and the province's, never district X's.
    other = api(client, "get", f"/faq?region_id={world.district_y.pk}").json()
    assert [q["question"] for r in other["regions"] for q in r["entries"]] == ["市的问题", "省的问题"]
    # A visitor naming no region reads the top of the tree.
    top = api(client, "get", "/faq").json()
    assert [r["region"] for r in top["regions"]] == [world.province.name]
    assert api(client, "get", "/faq?region_id=999999").status_code == 404


def test_the_nearest_contact_answers_and_a_blank_one_hands_over_to_the_region_above(client, world):
    assert api(client, "get", f"/faq?region_id={world.district_x.pk}").json()["contact"] == "400-800-1234"
    saved = api(client, "put", f"/regions/{world.district_x.pk}/contact", world.district_admin_x,
                {"contact": " 0731-84001234 (工作日 8:30-17:00) "})
    assert saved.status_code == 200 and saved.json()["contact"] == "0731-84001234 (工作日 8:30-17:00)"
    assert api(client, "get", f"/faq?region_id={world.district_x.pk}").json()["contact"].startswith("0731-84001234")
    # The school's own admin answers first; a school without one hands its users' errors to the district.
    assert login(client, world.student_a.number, "Wrong-pass1").json()["contact"] == world.school_a.admin_contact
    world.school_a.admin_contact = ""
    world.school_a.save(update_fields=["admin_contact"])
    assert login(client, world.student_a.number, "Wrong-pass1").json()["contact"].startswith("0731-84001234")
    api(client, "put", f"/regions/{world.district_x.pk}/contact", world.district_admin_x, {"contact": ""})
    assert api(client, "get", f"/faq?region_id={world.district_x.pk}").json()["contact"] == "400-800-1234"
    assert AuditEvent.objects.filter(verb="help.contact").count() == 2
    too_long = api(client, "put", f"/regions/{world.district_x.pk}/contact", world.district_admin_x,
                   {"contact": "1" * 129})
    assert (too_long.status_code, too_long.json()["code"]) == (400, "help.contact_too_long")


@pytest.mark.parametrize("who", ["district_admin_y", "school_admin_a", "teacher_a", "student_a", "parent_a"])
def test_nobody_edits_a_region_outside_their_own(client, world, who):
    account = getattr(world, who)
    entry = FaqEntry.objects.create(region=world.district_x, question="区的问题", answer="回答")
    expected = 404 if who == "district_admin_y" else 403
    assert add(client, account, world.district_x).status_code == expected
    assert api(client, "put", f"/regions/{world.district_x.pk}/contact", account, {"contact": "x"}).status_code \
        == expected
    changed = api(client, "put", f"/entries/{entry.pk}", account, {"question": "改", "answer": "改"})
    assert changed.status_code == expected
    assert api(client, "delete", f"/entries/{entry.pk}", account).status_code == expected
    entry.refresh_from_db()
    assert entry.question == "区的问题"
    if expected == 403:
        assert api(client, "post", f"/regions/{world.district_x.pk}/entries", account,
                   {"question": "q", "answer": "a"}).json()["who_can_fix"] == "区县管理员"


def test_a_district_admin_cannot_edit_the_city_above_it(client, world):
    assert add(client, world.district_admin_x, world.city).status_code == 404
    # The city admin keeps the districts below it too.
    assert add(client, world.city_admin, world.district_x).status_code == 201
    regions = api(client, "get", "/regions", world.district_admin_x).json()
    assert [r["region_id"] for r in regions] == [world.district_x.pk]


def test_entries_are_changed_reordered_and_removed_with_an_audit_record(client, world):
    created = add(client, world.city_admin, world.city, "旧问题").json()
    changed = api(client, "put", f"/entries/{created['id']}", world.city_admin,
                  {"category": "  用户 登录 ", "question": "新问题", "answer": "第一行\n第二行", "position": 5})
    assert changed.status_code == 200
    assert (changed.json()["category"], changed.json()["answer"], changed.json()["position"]) == (
        "用户 登录", "第一行\n第二行", 5)
    assert api(client, "delete", f"/entries/{created['id']}", world.city_admin).status_code == 204
    assert not FaqEntry.objects.exists()
    verbs = list(AuditEvent.objects.filter(verb__startswith="help.").order_by("pk").values_list("verb", flat=True))
    assert verbs == ["help.faq_add", "help.faq_update", "help.faq_delete"]


@pytest.mark.parametrize("body, code", [
    ({"question": "  ", "answer": "回答"}, "help.entry_blank"),
    ({"question": "问题", "answer": "\u0085 \n"}, "help.entry_blank"),
    ({"question": "问" * 201, "answer": "回答"}, "help.entry_too_long"),
    ({"question": "问题", "answer": "答" * 4001}, "help.entry_too_long"),
    ({"question": "问题", "answer": "回答", "category": "类" * 33}, "help.entry_too_long"),
])
def test_blank_or_too_long_entries_say_what_to_fix(client, world, body, code):
    response = api(client, "post", f"/regions/{world.city.pk}/entries", world.city_admin, body)
    assert (response.status_code, response.json()["code"], response.json()["who_can_fix"]) == (400, code, "本人")
    assert not FaqEntry.objects.exists()


def test_the_public_page_shows_the_users_region_and_the_editor_keeps_it(client, world):
    FaqEntry.objects.create(region=world.province, category="用户登录", question="忘记账号怎么办？", answer="看开通单")
    FaqEntry.objects.create(region=world.district_y, question="Y 区的问题", answer="只给 Y 区")
    visitor = client.get("/help/")
    assert visitor.status_code == 200
    page = visitor.content.decode()
    assert "忘记账号怎么办？" in page and "400-800-1234" in page and "Y 区的问题" not in page
    assert "Y 区的问题" in client.get(f"/help/?region={world.district_y.pk}").content.decode()
    assert client.get("/help/?region=abc").status_code == 404
    # A student of district X reads district X's help without choosing it.
    as_user(client, world.student_a)
    assert "Y 区的问题" not in client.get("/help/").content.decode()
    client.logout()
    as_user(client, world.district_admin_y)
    url = f"/help/edit/?region={world.district_y.pk}"
    assert "Y 区的问题" in client.get(url).content.decode()
    added = client.post(url, {"action": "add", "question": "新的问题", "answer": "新的回答", "position": ""})
    assert added.status_code == 302
    entry = FaqEntry.objects.get(question="新的问题")
    client.post(url, {"action": "save", "entry": entry.pk, "question": "改过的问题", "answer": "新的回答"})
    entry.refresh_from_db()
    assert entry.question == "改过的问题"
    refused = client.post(url, {"action": "add", "question": "", "answer": ""})
    assert refused.status_code == 400 and "请填写问题和回答" in refused.content.decode()
    refused = client.post(url, {"action": "add", "question": "问", "answer": "答", "position": "第一"})
    assert refused.status_code == 400 and "排序的值无效" in refused.content.decode()
    client.post(url, {"action": "contact", "contact": "0731-85551234"})
    world.district_y.refresh_from_db()
    assert world.district_y.support_contact == "0731-85551234"
    client.post(url, {"action": "delete", "entry": entry.pk})
    assert not FaqEntry.objects.filter(pk=entry.pk).exists()
    # Another district's region or entry is not found, whatever id arrives.
    other = FaqEntry.objects.create(region=world.district_x, question="X", answer="X")
    assert client.get(f"/help/edit/?region={world.district_x.pk}").status_code == 404
    assert client.post(url, {"action": "delete", "entry": other.pk}).status_code == 404
    assert FaqEntry.objects.filter(pk=other.pk).exists()


def test_only_region_admins_open_the_editor(client, world):
    as_user(client, world.school_admin_a)
    response = client.get("/help/edit/")
    assert response.status_code == 403 and "区县管理员" in response.content.decode()


def test_the_login_page_links_the_help_with_the_platforms_contact(client, world):
    page = client.get("/accounts/login/").content.decode()
    assert 'data-testid="help-link"' in page and "400-800-1234" in page
