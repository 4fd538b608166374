"""The rosters pages through Django's test client: refusals rendered once (the error page, or the
upload page again with the refusal), input through forms (a 400 naming the field, never a 500), and
who may import decided by rosters' access predicates (issue 11 items 2-4)."""

from __future__ import annotations

import pytest

from tests.roster_files import csv_file


def as_user(client, account, kind=None):
    client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
    identities = account.identities.all()
    session = client.session
    session["identity_id"] = (identities.get(kind=kind) if kind else identities.get()).pk
    session.save()
    return client


def code_in(response) -> str:
    html = response.content.decode()
    marker = 'data-code="'
    return html[html.index(marker) + len(marker):].split('"', 1)[0] if marker in html else ""


def test_a_teacher_gets_the_refusal_page_and_no_upload_form(client, world):
    as_user(client, world.teacher_a)
    page = client.get("/rosters/imports/")
    assert page.status_code == 403 and code_in(page) == "import.not_allowed"
    assert 'data-testid="upload-form"' not in page.content.decode()


def test_an_upload_without_a_file_re_renders_the_upload_page_with_the_refusal(client, world):
    as_user(client, world.school_admin_a, "school_admin")
    page = client.post("/rosters/imports/", {"kind": "students"})
    assert page.status_code == 400 and code_in(page) == "import.file_missing"
    assert 'data-testid="upload-form"' in page.content.decode()


@pytest.mark.parametrize("school_id", ["²", "-1", "9" * 30, "1\x00", "x" * 10_000])
def test_a_region_admins_upload_with_a_bad_school_is_a_400_naming_the_field(client, world, school_id):
    as_user(client, world.district_admin_x)
    page = client.post("/rosters/imports/", {"kind": "students", "school_id": school_id,
                                             "file": csv_file([["甲", "", "", "三年级", "1班"]])})
    assert page.status_code == 400 and code_in(page) == "field.invalid"
    assert "school_id" in page.content.decode()


@pytest.mark.parametrize("query", ["page=²", "page=-3", "page=" + "9" * 40, "outcome=nonsense", "page=1%00"])
def test_the_rows_view_shows_the_first_page_of_every_row_for_bad_paging(client, world, query):
    from tests.factories import bearer
    from tests.roster_files import preview

    job = preview(client, bearer(world.school_admin_a), csv_file([["甲", "", "", "三年级", "1班"]]))
    as_user(client, world.school_admin_a, "school_admin")
    first = client.get(f"/rosters/imports/{job['id']}/")
    page = client.get(f"/rosters/imports/{job['id']}/?{query}")
    assert page.status_code == 200 and page.content.decode().count("<tr") == first.content.decode().count("<tr")


@pytest.mark.parametrize("query", ["school_id=²", "class_id=-1", "class_id=" + "9" * 40])
def test_roster_exports_refuse_bad_ids_with_a_400(client, world, query):
    as_user(client, world.school_admin_a, "school_admin")
    page = client.get(f"/rosters/exports/students/?{query}")
    assert page.status_code == 400 and code_in(page) == "field.invalid"


def test_someone_elses_job_is_not_found_on_every_job_page(client, world):
    from tests.factories import bearer
    from tests.roster_files import preview

    job = preview(client, bearer(world.school_admin_a), csv_file([["甲", "", "", "三年级", "1班"]]))
    as_user(client, world.school_admin_b, "school_admin")
    for url in (f"/rosters/imports/{job['id']}/", f"/rosters/imports/{job['id']}/rejected/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/rosters/imports/{job['id']}/cancel/").status_code == 404
    fragment = client.get(f"/rosters/imports/{job['id']}/status/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 404
