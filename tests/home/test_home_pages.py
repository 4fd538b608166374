"""The home page of each identity answers "what do I do now" (issue 12 item 4): the right numbers and
links for each identity, only within its scope, in a bounded number of queries whatever the size."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from renrentong.accounts.models import Account, Enrollment, Guardianship
from renrentong.schooladmin.models import ClassChangeRequest

from tests.factories import (SchoolFactory, as_user, make_class, make_parent, make_student, make_teacher)

pytestmark = pytest.mark.django_db


def sheet_rows(content: bytes) -> list[list[str]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    return [[str(c) for c in row] for row in sheet.to_python()]


def html_of(client, account, url="/", **extra) -> str:
    response = as_user(client, account).get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str, test_id: str) -> str:
    """The text of the first element with the test id (tags stripped)."""
    found = re.search(rf'data-testid="{re.escape(test_id)}"[^>]*>(.*?)</', html, re.S)
    assert found, f"no {test_id}"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def href_of(html: str, test_id: str) -> str:
    found = re.search(rf'<a [^>]*href="([^"]*)"[^>]*data-testid="{re.escape(test_id)}"', html)
    assert found, f"no link {test_id}"
    return found.group(1).replace("&amp;", "&")


# --- School admin -------------------------------------------------------------------------------------------

def test_school_admin_dashboard_counts_people_by_state_and_links_to_the_table(client, world):
    Account.objects.filter(pk=world.student_a2.pk).update(status=Account.Status.FROZEN)
    html = html_of(client, world.school_admin_a)
    # Two students (one frozen), two teachers, one parent; school B's never count here.
    assert text_of(html, "count-students") == "2"
    assert text_of(html, "count-students-active") == "1" and text_of(html, "count-students-frozen") == "1"
    assert text_of(html, "count-teachers") == "2" and text_of(html, "count-parents") == "1"
    assert href_of(html, "count-students") == "/school/users/?kind=students"
    assert href_of(html, "count-students-frozen") == "/school/users/?kind=students&state=frozen"
    assert href_of(html, "count-parents-active") == "/school/users/?kind=parents&state=active"


def test_school_admin_sees_activation_per_class_as_chart_and_table(client, world):
    a1 = world.class_a1
    extra = make_student(a1, "赵小强")
    Account.objects.filter(pk=world.student_a.pk).update(last_login=timezone.now(), initial_password_digest="")
    extra.person.local_student_number = "L001"
    extra.person.national_student_number_masked = "G430***********1234"
    extra.person.save()
    html = html_of(client, world.school_admin_a)
    assert text_of(html, f"class-students-{a1.pk}") == "2"
    assert text_of(html, f"class-activated-{a1.pk}") == "1"
    assert text_of(html, f"class-not-activated-{a1.pk}") == "1"
    assert text_of(html, f"class-initial-{a1.pk}") == "1"
    assert text_of(html, f"class-keyinfo-{a1.pk}") == "1"  # 李小明 has no student numbers; 赵小强 has all
    assert href_of(html, f"class-activated-{a1.pk}") == f"/school/users/?kind=students&class_id={a1.pk}&activated=yes"
    assert href_of(html, f"class-not-activated-{a1.pk}") == (
        f"/school/users/?kind=students&class_id={a1.pk}&activated=no")
    assert href_of(html, f"class-initial-{a1.pk}") == f"/school/users/?kind=students&class_id={a1.pk}&password=initial"
    assert href_of(html, f"class-keyinfo-{a1.pk}") == f"/school/keyinfo/classes/{a1.pk}/"
    assert f'data-testid="class-row-{world.class_b1.pk}"' not in html
    assert "vendor/echarts/echarts.min.js" in html and 'data-testid="activation-chart"' in html


def test_echarts_is_loaded_only_on_the_school_admin_dashboard(client, world):
    for account in (world.teacher_a, world.district_admin_x, world.student_a, world.parent_a):
        assert "echarts" not in html_of(client, account)


def test_school_admin_sees_what_waits_for_approval(client, world):
    ClassChangeRequest.objects.create(school=world.school_a, student=world.student_a, from_class=world.class_a1,
                                      to_class=world.class_a2, reason="想换班")
    html = html_of(client, world.school_admin_a)
    assert text_of(html, "class-change-waiting") == "1"
    assert text_of(html, "transfers-waiting") == "0" and text_of(html, "keyinfo-waiting") == "0"
    assert href_of(html, "class-change-link") == "/school/class-changes/"
    assert href_of(html, "transfers-link") == "/school/transfers/"
    assert 'data-testid="no-imports-running"' in html
    other = html_of(client, world.school_admin_b)
    assert text_of(other, "class-change-waiting") == "0"


def test_school_admin_dashboard_queries_do_not_grow_with_the_school(client, world, django_assert_max_num_queries):
    as_user(client, world.school_admin_a)
    client.get("/")  # warm the caches (policies, catalogue)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for number in range(3, 9):
        school_class = make_class(world.school_a, number)
        for i in range(4):
            make_parent(make_student(school_class, f"学生{number}{i}"), name=f"家长{number}{i}")
        make_teacher(world.school_a, heads=[school_class], name=f"老师{number}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/")
    assert text_of(response.content.decode(), "count-students") == "26"


# --- Region admins ------------------------------------------------------------------------------------------

def test_district_admin_sees_figures_per_school_of_their_district_only(client, world):
    Account.objects.filter(pk=world.student_a.pk).update(last_login=timezone.now())
    html = html_of(client, world.district_admin_x)
    a, b = world.school_a, world.school_b
    assert text_of(html, f"school-{a.pk}-students-count") == "2"
    assert text_of(html, f"school-{a.pk}-teachers-count") == "2"
    assert text_of(html, f"school-{a.pk}-parents-count") == "1"
    assert text_of(html, f"school-{a.pk}-activated") == "已激活 1"
    assert text_of(html, f"school-{a.pk}-initial") == "未改初始密码 2"
    assert href_of(html, f"school-{a.pk}-initial") == f"/school/users/?kind=students&school_id={a.pk}&password=initial"
    assert href_of(html, f"school-{a.pk}-activated") == f"/school/users/?kind=students&school_id={a.pk}&activated=yes"
    assert href_of(html, f"school-{a.pk}-students-count") == f"/school/users/?kind=students&school_id={a.pk}"
    assert href_of(html, f"school-link-{a.pk}") == f"/orgs/schools/{a.pk}/"
    assert f'data-testid="school-row-{b.pk}"' not in html and b.name not in html


def test_city_admin_searches_schools_by_name_or_code(client, world):
    html = html_of(client, world.city_admin, "/?q=B0001")
    assert f'data-testid="school-row-{world.school_b.pk}"' in html
    assert f'data-testid="school-row-{world.school_a.pk}"' not in html
    html = html_of(client, world.city_admin, "/?q=芙蓉")
    assert f'data-testid="school-row-{world.school_a.pk}"' in html
    assert 'data-testid="no-schools"' in html_of(client, world.city_admin, "/?q=没有这所学校")
    assert as_user(client, world.city_admin).get("/?q=%00%25").status_code == 200


def test_region_page_pages_the_schools_in_bounded_queries(client, world, django_assert_max_num_queries):
    as_user(client, world.district_admin_x)
    client.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for n in range(30):
        school = SchoolFactory(district=world.district_x, code=f"X{n:04d}", name=f"芙蓉第{n}中学")
        make_student(make_class(school, 1), f"学生{n}")
    with django_assert_max_num_queries(len(small.captured_queries) + 1):  # + the count of schools paged
        response = client.get("/")
    html = response.content.decode()
    assert html.count('data-testid="school-row-') == 25 and 'data-testid="schools-next"' in html
    second = client.get("/?page=2").content.decode()
    assert second.count('data-testid="school-row-') == 6 and 'data-testid="schools-previous"' in second


def test_region_admin_exports_the_figures_formula_safe(client, world):
    world.school_a.name = "=HYPERLINK(\"x\")芙蓉"
    world.school_a.save()
    response = as_user(client, world.city_admin).get("/my/schools/export/")
    assert response.status_code == 200 and "spreadsheet" in response["Content-Type"]
    rows = sheet_rows(response.content)
    names = [row[1] for row in rows[1:]]
    assert any(name.startswith("'=") for name in names)  # neutralised, never a formula
    assert ["B0001", "1", "1", "0", "1"] in [[row[2], row[3], row[4], row[5], row[6]] for row in rows[1:]]
    district = as_user(client, world.district_admin_y).get("/my/schools/export/")
    assert [row[2] for row in sheet_rows(district.content)[1:]] == ["B0001"]


def test_only_region_admins_export_school_figures(client, world):
    response = as_user(client, world.school_admin_a).get("/my/schools/export/")
    assert response.status_code == 403


# --- Teachers -----------------------------------------------------------------------------------------------

def test_head_teacher_sees_their_class_figures_and_quick_actions(client, world):
    a1 = world.class_a1
    Account.objects.filter(pk=world.student_a.pk).update(last_login=timezone.now())
    html = html_of(client, world.head_teacher_a)
    assert text_of(html, f"head-students-{a1.pk}") == "1"
    assert text_of(html, f"head-activated-{a1.pk}") == "1"
    assert text_of(html, f"head-initial-{a1.pk}") == "1"
    assert text_of(html, f"head-keyinfo-{a1.pk}") == "1"
    assert f"/rosters/classes/{a1.pk}/slips/" in html and 'data-testid="action-resets"' in html
    assert f'data-testid="head-students-{world.class_a2.pk}"' not in html


def test_a_teacher_who_heads_no_class_sees_no_figures(client, world):
    html = html_of(client, world.teacher_a)
    assert f'data-testid="class-{world.class_a1.pk}"' in html
    assert "head-students-" not in html and "slips-" not in html


# --- Students and parents -----------------------------------------------------------------------------------

def test_student_sees_class_head_teacher_and_tasks(client, world):
    html = html_of(client, world.student_a)
    assert text_of(html, "my-class") == f"芙蓉第一小学 · {world.class_a1.display_name()}"
    head = text_of(html, "head-teacher")
    phone = world.head_teacher_a.phone
    assert "刘班主任" in head and phone not in head and phone[-4:] in head
    assert href_of(html, "task-password") == "/accounts/password/"
    assert href_of(html, "task-phone") == "/accounts/phone/"
    assert 'data-testid="task-realname"' not in html  # the school keeps no real-name registry


def test_student_without_tasks_sees_nothing_to_do(client, world):
    Account.objects.filter(pk=world.student_a.pk).update(initial_password_digest="", phone="13900000001")
    assert 'data-testid="no-tasks"' in html_of(client, world.student_a)


def test_student_without_a_class_sees_the_empty_state(client, world):
    Enrollment.objects.filter(person=world.student_a.person).update(ended_on=timezone.localdate())
    assert 'data-testid="not-enrolled"' in html_of(client, world.student_a)


def test_parent_sees_a_card_per_child_with_head_teacher_and_class_change(client, world):
    ClassChangeRequest.objects.create(school=world.school_a, student=world.student_a, from_class=world.class_a1,
                                      to_class=world.class_a2)
    html = html_of(client, world.parent_a)
    person = world.student_a.person
    assert f'data-testid="child-{person.pk}"' in html
    assert text_of(html, "child-school") == "芙蓉第一小学"
    head = text_of(html, "child-head-teacher")
    assert "刘班主任" in head and world.head_teacher_a.phone not in head
    assert 'data-testid="child-class-change" data-status="pending"' in html
    assert world.student_b.person.name not in html


def test_parent_sees_the_chosen_child_first(client, world):
    second = make_student(world.class_a2, "李小红", "F")
    Guardianship.objects.create(guardian=world.parent_a.person, student=second.person, relation="father")
    as_user(client, world.parent_a)
    html = client.get("/").content.decode()
    first, other = f'data-testid="child-{world.student_a.person.pk}"', f'data-testid="child-{second.person.pk}"'
    assert html.index(first) < html.index(other)
    session = client.session
    session["child_id"] = second.person.pk
    session.save()
    html = client.get("/").content.decode()
    assert html.index(other) < html.index(first)
    assert re.search(rf'data-testid="child-{second.person.pk}" data-current="true"', html)


def test_parent_without_children_is_shown_how_to_link_one(client, world):
    lone = make_parent(name="孙家长")
    html = html_of(client, lone)
    assert 'data-testid="no-children"' in html and href_of(html, "link-child") == "/family/children/"


def queries_of(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/")  # warm the caches (policies, catalogue)
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    return len(captured.captured_queries)


def test_head_teacher_home_queries_do_not_grow_with_classes(client, world, django_assert_max_num_queries):
    as_user(client, world.head_teacher_a)
    before = queries_of(client)
    head = world.head_teacher_a.identities.get()
    from renrentong.accounts.models import HeadTeacher

    for number in range(3, 8):
        school_class = make_class(world.school_a, number)
        HeadTeacher.objects.create(teacher=head, school_class=school_class)
        for i in range(3):
            make_student(school_class, f"学生{number}{i}")
    with django_assert_max_num_queries(before):
        client.get("/")


def test_parent_home_queries_do_not_grow_with_children(client, world, django_assert_max_num_queries):
    as_user(client, world.parent_a)
    before = queries_of(client)
    for number in range(3):
        child = make_student(world.class_a2, f"孩子{number}")
        Guardianship.objects.create(guardian=world.parent_a.person, student=child.person, relation="father")
    with django_assert_max_num_queries(before):
        response = client.get("/")
    assert response.content.decode().count('data-testid="child-') >= 4


def test_head_teacher_on_a_phone_gets_the_same_figures_in_the_phone_shell(client, world):
    html = html_of(client, world.head_teacher_a, HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile MicroMessenger")
    assert 'data-testid="tab-class"' in html and 'data-testid="nav-users"' not in html
    assert text_of(html, f"head-students-{world.class_a1.pk}") == "1"


def test_parent_sees_the_childs_transfer_on_its_card(client, world):
    from renrentong.schooladmin.models import TransferRequest

    move = TransferRequest.objects.create(person=world.student_a.person, from_school=world.school_a,
                                          to_school=world.school_b, kind="student")
    html = html_of(client, world.parent_a)
    card = html.split(f'data-testid="child-{world.student_a.person.pk}"')[1]
    assert f'data-testid="child-transfer-{move.pk}" data-status="pending"' in card
    assert "home-transfer-" not in html  # not twice: the card shows it
