"""The shells' navigation (issue 12 item 1): each identity is offered only the pages that serve it, the
console groups them, the 审核 entries carry how many items wait, and phone identities get the tab bar."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from renrentong.schooladmin.models import ClassChangeRequest

from tests.factories import as_user

pytestmark = pytest.mark.django_db

PHONE_AGENT = "Mozilla/5.0 (Linux; Android 13) Mobile MicroMessenger/8.0.50"


def page(account, url="/", **extra) -> str:
    response = as_user(Client(), account).get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def menu_ids(html: str) -> set[str]:
    return set(re.findall(r'data-testid="(nav-[a-z-]+|tab-[a-z]+)"', html))


def test_school_admin_gets_the_console_with_grouped_sidebar_and_personal_menu(world):
    html = page(world.school_admin_a)
    assert 'class="rr-console"' in html
    for group in ("用户", "导入导出", "班级结构", "审核", "设置", "日志"):
        assert f'<p class="rr-group">{group}</p>' in html
    assert {"nav-users", "nav-recycle-bin", "nav-resets", "nav-imports", "nav-structure", "nav-teaching",
            "nav-transfers", "nav-class-changes", "nav-audit", "nav-settings"} <= menu_ids(html)
    assert 'data-testid="personal-menu"' in html and 'data-testid="tab-me"' not in html


def test_each_console_entry_opens_for_the_identity_it_is_shown_to(world):
    """No menu entry leads to a refusal: every link of every console identity answers 200."""
    for account in (world.school_admin_a, world.head_teacher_a, world.teacher_a, world.district_admin_x,
                    world.province_admin):
        client = as_user(Client(), account)
        html = client.get("/").content.decode()
        links = re.findall(r'<a class="nav-link[^"]*" href="([^"]+)" data-testid="nav-', html)
        assert links
        for url in links:
            # A link may redirect to the page it stands for (Statistics opens the admin's own region or school).
            assert client.get(url, follow=True).status_code == 200, (account.person.name, url)


def test_teachers_are_not_offered_the_recycle_bin_nor_resets_unless_they_head_a_class(world):
    plain = menu_ids(page(world.teacher_a))
    assert "nav-recycle-bin" not in plain and "nav-resets" not in plain and "nav-users" not in plain
    assert "nav-my-teaching" in plain
    assert "nav-resets" in menu_ids(page(world.head_teacher_a))


def test_review_entries_count_what_waits_for_this_admin_only(world):
    ClassChangeRequest.objects.create(student=world.student_a, school=world.school_a,
                                      from_class=world.class_a1, to_class=world.class_a2, reason="近")
    html = page(world.school_admin_a)
    assert re.search(r'data-testid="nav-class-changes-count">1<', html)
    assert 'data-testid="nav-class-changes-count"' not in page(world.school_admin_b)


def test_the_breadcrumb_names_the_group_and_the_page(world):
    html = page(world.school_admin_a, "/school/users/")
    crumbs = re.search(r'data-testid="breadcrumbs">(.*?)</ol>', html, re.S).group(1)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<li[^>]*>(.*?)</li>", crumbs)] == [
        "首页", "用户", "用户管理"]


def test_students_and_parents_get_the_phone_shell_with_tabs(world):
    student = menu_ids(page(world.student_a))
    assert {"tab-messages", "tab-class", "tab-growth", "tab-me"} <= student and "tab-children" not in student
    parent = page(world.parent_a)
    assert 'class="rr-phone"' in parent and "tab-children" in menu_ids(parent)
    assert 'data-testid="nav-users"' not in parent


def test_a_teacher_gets_the_phone_shell_on_a_phone_and_the_console_at_a_desk(world):
    assert 'class="rr-phone"' in page(world.head_teacher_a, HTTP_USER_AGENT=PHONE_AGENT)
    assert 'class="rr-console"' in page(world.head_teacher_a, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64)")


def test_the_tabs_me_and_growth_pages_answer_for_a_student(world):
    me = page(world.student_a, "/my/me/")
    assert 'data-testid="nav-password"' in me and 'data-testid="logout"' in me
    assert world.class_a1.display_name() in page(world.student_a, "/my/growth/")
    assert 'data-testid="messages"' in page(world.parent_a, "/my/messages/")
