"""The user and recycle bin tables on the one table component (core.web.tables): sorting, page numbers,
the jump box and page size, the total, filters kept in every link, the exports of the filtered and of the
chosen rows, batch actions all or nothing and their refusal naming the rows; garbage in the table's own
parameters never fails a page."""

from __future__ import annotations

import io
import re

import pytest
from python_calamine import CalamineWorkbook
from django.utils import timezone
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from renrentong.accounts.models import Account, Enrollment
from renrentong.core.models import AuditEvent

from tests.factories import as_user, make_student


def numbers_in(html: str) -> list[str]:
    return re.findall(r'data-testid="user-row" data-account="(\d+)"', html)


def names_in(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="user-row"[^>]*>\s*(?:<td class="rr-table-pick">.*?</td>\s*)?'
                      r'<td class="text-nowrap">([^<]*)</td>', html, re.S)


@pytest.fixture
def crowded(world):
    """School A with 45 more students in class A2 (47 students in all)."""
    for i in range(45):
        make_student(world.class_a2, f"学生{i:02d}")
    return world


def test_sorting_by_a_header_and_aria_sort(client, crowded):
    as_user(client, crowded.school_admin_a)
    html = client.get("/school/users/?sort=number").content.decode()
    shown = numbers_in(html)
    assert shown == sorted(shown) and len(shown) == 20
    assert 'aria-sort="ascending" data-testid="users-col-number"' in html
    # The header's link sorts the other way next, and keeps the other parameters.
    assert 'href="?kind=student&amp;sort=-number"' in html
    backwards = numbers_in(client.get("/school/users/?sort=-number").content.decode())
    assert backwards == sorted(backwards, reverse=True) and backwards[0] > shown[-1]
    # A column that does not sort is refused, naming the parameter (never silently another order).
    unknown = client.get("/school/users/?sort=password")
    assert unknown.status_code == 400 and 'data-code="field.invalid"' in unknown.content.decode()


def test_page_numbers_jump_size_and_total(client, crowded):
    as_user(client, crowded.school_admin_a)
    first = client.get("/school/users/").content.decode()
    assert "47" in re.search(r'data-testid="users-total">([^<]*)<', first).group(1)
    assert 'data-testid="page-current">1<' in first and 'data-testid="page-3"' in first
    assert 'data-testid="users-jump"' in first
    third = client.get("/school/users/?page=3").content.decode()
    assert len(numbers_in(third)) == 7 and 'data-testid="page-current">3<' in third
    past = client.get("/school/users/?page=99").content.decode()  # past the end: the last page
    assert 'data-testid="page-current">3<' in past
    fifty = client.get("/school/users/?size=50").content.decode()
    assert len(numbers_in(fifty)) == 47 and 'data-testid="users-pager"' not in fifty
    assert client.get("/school/users/?size=7").status_code == 400  # not one of 20/50/100
    assert client.get("/school/users/?page=0").status_code == 400


def test_page_numbers_with_ellipses():
    from renrentong.core.web.tables import page_numbers

    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 10) == [1, 2, 3, None, 10]
    assert page_numbers(6, 10) == [1, None, 4, 5, 6, 7, 8, 9, 10]
    assert page_numbers(5, 12) == [1, 2, 3, 4, 5, 6, 7, None, 12]
    assert page_numbers(6, 12) == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert page_numbers(4, 10) == [1, 2, 3, 4, 5, 6, None, 10]  # a gap of one shows the number
    assert page_numbers(10, 10) == [1, None, 8, 9, 10]


def test_filters_are_kept_in_every_link(client, crowded):
    as_user(client, crowded.school_admin_a)
    html = client.get(f"/school/users/?class_id={crowded.class_a2.pk}&activated=no&password=initial&size=20"
                      "&sort=-name").content.decode()
    kept = f"class_id={crowded.class_a2.pk}"
    links = re.findall(r'href="\?([^"]*)"', html)
    table_links = [link for link in links if "page=" in link or "sort=" in link]
    assert table_links and all(kept in link and "activated=no" in link and "password=initial" in link
                               for link in table_links)
    # The jump and size forms carry them as hidden fields.
    assert f'name="class_id" value="{crowded.class_a2.pk}"' in html and 'name="activated" value="no"' in html


def test_password_and_activated_filters(client, world):
    world.student_a2.last_login = timezone.now()
    world.student_a2.save()
    Account.objects.filter(pk=world.student_a.pk).update(initial_password_digest="")
    as_user(client, world.school_admin_a)
    never = numbers_in(client.get("/school/users/?activated=no").content.decode())
    assert world.student_a.number in never and world.student_a2.number not in never
    logged = numbers_in(client.get("/school/users/?activated=yes").content.decode())
    assert logged == [world.student_a2.number]
    initial = numbers_in(client.get("/school/users/?password=initial").content.decode())
    assert world.student_a.number not in initial and world.student_a2.number in initial


def test_class_pool_filter_and_empty_state(client, world):
    as_user(client, world.school_admin_a)
    html = client.get("/school/users/?class_id=pool").content.decode()
    assert numbers_in(html) == [] and 'class="rr-empty mb-0" data-testid="no-users"' in html


def _sheet(response) -> list[list[str]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_export_of_the_filtered_rows_masked_and_audited(client, crowded):
    crowded.student_a2.phone = "13712345678"
    crowded.student_a2.save()
    as_user(client, crowded.school_admin_a)
    response = client.get(f"/school/users/?class_id={crowded.class_a2.pk}&export=xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    rows = _sheet(response)
    numbers = {r[1] for r in rows[1:]}
    assert len(rows) == 1 + 46 and crowded.student_a.number not in numbers  # class A2 only, every page
    assert "137****5678" in str(rows) and "13712345678" not in str(rows)
    event = AuditEvent.objects.get(verb="users.export")
    assert event.details["rows"] == 46 and event.school_id == crowded.school_a.pk


def test_export_of_a_searched_table_keeps_the_search_out_of_the_url(client, world):
    world.student_a.phone = "13712345678"
    world.student_a.save()
    as_user(client, world.school_admin_a)
    html = client.post("/school/users/", {"kind": "student", "q": "13712345678"}).content.decode()
    assert numbers_in(html) == [world.student_a.number] and "13712345678" not in html
    export = re.search(r'href="(\?[^"]*export=xlsx[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "t=" in export and "137" not in export
    rows = _sheet(client.get("/school/users/" + export))
    assert [r[1] for r in rows[1:]] == [world.student_a.number]
    assert "13712345678" not in str(AuditEvent.objects.get(verb="users.export").details)


def test_export_of_the_chosen_rows(client, world):
    as_user(client, world.school_admin_a)
    response = client.post("/school/users/", {"batch": "export", "account_ids": [world.student_a2.pk],
                                              "back": "kind=student"})
    rows = _sheet(response)
    assert [r[1] for r in rows[1:]] == [world.student_a2.number]
    assert AuditEvent.objects.get(verb="users.export").details["chosen"] is True


def test_batch_freeze_is_all_or_nothing_and_names_the_refused_rows(client, world):
    as_user(client, world.school_admin_a)
    client.post(f"/school/users/{world.student_a2.pk}/delete/", {"back": "kind=student"})
    refused = client.post("/school/users/", {"batch": "freeze", "back": "kind=student",
                                             "account_ids": [world.student_a.pk, world.student_a2.pk]})
    html = refused.content.decode()
    assert refused.status_code == 409 and 'data-code="users.batch_refused"' in html
    assert "周小刚" in html and world.student_a2.number in html and "李小明 " not in html.split("batch_refused")[1][:400]
    assert Account.objects.get(pk=world.student_a.pk).status == "active"  # nothing was done
    assert not AuditEvent.objects.filter(verb="users.freeze").exists()
    done = client.post("/school/users/", {"batch": "freeze", "back": "kind=student&sort=-number",
                                          "account_ids": [world.student_a.pk]})
    assert done.status_code == 302 and "sort=-number" in done["Location"]
    assert Account.objects.get(pk=world.student_a.pk).status == "frozen"


def test_batch_leave_delete_and_other_schools_rows(client, world):
    as_user(client, world.school_admin_a)
    other = client.post("/school/users/", {"batch": "delete", "back": "kind=student",
                                           "account_ids": [world.student_a.pk, world.student_b.pk]})
    assert other.status_code == 409 and "陈小红" not in other.content.decode()  # another school's: no name
    assert Account.objects.get(pk=world.student_a.pk).status == "active"
    client.post("/school/users/", {"batch": "leave", "back": "kind=student",
                                   "account_ids": [world.student_a.pk, world.student_a2.pk]})
    assert set(Account.objects.filter(pk__in=[world.student_a.pk, world.student_a2.pk]).values_list(
        "status", flat=True)) == {"left"}
    client.post("/school/users/", {"batch": "delete", "back": "kind=student",
                                   "account_ids": [world.student_a.pk, world.student_a2.pk]})
    binned = client.get("/school/recycle-bin/?sort=name").content.decode()
    assert set(numbers_in(binned)) == {world.student_a.number, world.student_a2.number}
    assert 'aria-sort="ascending" data-testid="recycle-bin-col-name"' in binned


def test_batch_reset_shows_the_new_passwords_once(client, world):
    as_user(client, world.school_admin_a)
    Account.objects.filter(pk=world.student_a.pk).update(initial_password_digest="")
    response = client.post("/school/users/", {"batch": "reset", "back": "kind=student",
                                              "account_ids": [world.student_a.pk, world.student_a2.pk]})
    html = response.content.decode()
    assert response.status_code == 200 and html.count('data-testid="reset-row"') == 2
    assert Account.objects.get(pk=world.student_a.pk).initial_password_digest
    assert AuditEvent.objects.filter(verb="password.reset").count() == 2


def test_batch_class_change_from_the_batch_form(client, world):
    as_user(client, world.school_admin_a)
    response = client.post("/school/users/", {"batch": "class_change", "back": "kind=student",
                                              "class_id": world.class_a2.pk, "account_ids": [world.student_a.pk]})
    assert response.status_code == 302
    assert Enrollment.objects.get(person=world.student_a.person, ended_on__isnull=True).school_class == \
        world.class_a2
    refused = client.post("/school/users/", {"batch": "class_change", "back": "kind=student",
                                             "class_id": world.class_a2.pk,
                                             "account_ids": [world.student_a.pk, world.student_a2.pk]})
    assert refused.status_code == 409
    assert Enrollment.objects.filter(person=world.student_a2.person, ended_on__isnull=True).count() == 1


def test_recycle_bin_table_pages_and_exports(client, world):
    as_user(client, world.school_admin_a)
    empty = client.get("/school/recycle-bin/").content.decode()
    assert 'class="rr-empty mb-0" data-testid="no-users"' in empty
    client.post(f"/school/users/{world.student_a.pk}/delete/", {"back": "kind=student"})
    rows = _sheet(client.get("/school/recycle-bin/?export=xlsx"))
    assert [r[1] for r in rows[1:]] == [world.student_a.number]


garbage = st.one_of(st.text(max_size=30), st.integers(-10**12, 10**12).map(str),
                    st.sampled_from(["", "0", "-1", "1e9", "９", "name", "-name", "--name", "99999999999999"]))


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=garbage, size=garbage, sort=garbage)
def test_table_parameters_never_fail_the_page(client, world, page, size, sort):
    as_user(client, world.school_admin_a)
    for path in ("/school/users/", "/school/recycle-bin/"):
        response = client.get(path, {"page": page, "size": size, "sort": sort})
        assert response.status_code in (200, 400)


def test_dashboard_links_with_plural_kinds(client, world):
    as_user(client, world.school_admin_a)
    teachers = client.get("/school/users/?kind=teachers&activated=no").content.decode()
    assert world.teacher_a.number in numbers_in(teachers) and world.student_a.number not in numbers_in(teachers)
    parents = client.get("/school/users/?kind=parents&state=active").content.decode()
    assert numbers_in(parents) == [world.parent_a.number]
