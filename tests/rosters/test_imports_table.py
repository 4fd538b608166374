"""The list of roster imports on the one table component: newest first or by size, status and kind
filters kept in the links, page numbers, the empty state and the audited export of the filtered rows."""

from __future__ import annotations

import io
import re

import pytest
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.rosters.models import ImportJob

from tests.factories import as_user


def make_job(world, name: str, status: str = "committed", rows: int = 10, school=None) -> ImportJob:
    admin = world.school_admin_a
    return ImportJob.objects.create(
        kind="students", status=status, school=school or world.school_a, created_by=admin,
        created_by_identity_id=admin.identities.get().pk, file_name=name, file_path=f"x/{name}",
        file_sha256="0" * 64, file_size=1, file_format="xlsx", total_rows=rows)


def files_in(html: str) -> list[str]:
    return re.findall(r'data-testid="job-row"[^>]*><td><a href="[^"]*">([^<]*)</a>', html)


@pytest.fixture
def jobs(world):
    for i in range(25):
        make_job(world, f"名单{i:02d}.xlsx", status="failed" if i % 5 == 0 else "committed", rows=i)
    make_job(world, "别校.xlsx", school=world.school_b)
    return world


def test_imports_table_pages_sorts_and_filters(client, jobs):
    as_user(client, jobs.school_admin_a)
    html = client.get("/rosters/imports/").content.decode()
    assert files_in(html)[:2] == ["名单24.xlsx", "名单23.xlsx"] and len(files_in(html)) == 20
    assert "别校.xlsx" not in html and "25" in re.search(r'data-testid="jobs-total">([^<]*)<', html).group(1)
    assert 'data-testid="page-2"' in html
    by_rows = client.get("/rosters/imports/?sort=rows").content.decode()
    assert files_in(by_rows)[0] == "名单00.xlsx"
    failed = client.get("/rosters/imports/?status=failed&sort=-rows").content.decode()
    assert files_in(failed) == ["名单20.xlsx", "名单15.xlsx", "名单10.xlsx", "名单05.xlsx", "名单00.xlsx"]
    assert 'aria-sort="descending" data-testid="jobs-col-rows"' in failed
    assert 'href="?status=failed&amp;sort=rows"' in failed  # the header keeps the filter
    none = client.get("/rosters/imports/?status=undone").content.decode()
    assert 'data-testid="jobs-empty"' in none
    odd = client.get("/rosters/imports/?status=<x>")  # an unknown state is no filter
    assert len(files_in(odd.content.decode())) == 20
    for garbage in ("page=abc", "size=-1", "sort=file"):
        assert client.get(f"/rosters/imports/?{garbage}").status_code == 400


def test_imports_export_holds_the_filtered_rows_and_is_audited(client, jobs):
    as_user(client, jobs.school_admin_a)
    response = client.get("/rosters/imports/?status=failed&export=xlsx")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sorted(r[0] for r in rows[1:]) == ["名单00.xlsx", "名单05.xlsx", "名单10.xlsx", "名单15.xlsx",
                                              "名单20.xlsx"]
    event = AuditEvent.objects.get(verb="import.list_export")
    assert event.details == {"status": "failed", "rows": 5} and event.school_id == jobs.school_a.pk
