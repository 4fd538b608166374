"""After an import commits, the job page offers the new accounts' slips per class and an .xlsx of the new
accounts with their initial passwords as the slips show them: formula-safe, audited, for the school's own
admin only (issue 12, item 5)."""

import io

import pytest
from python_calamine import CalamineWorkbook

from renrentong.accounts.models import Account
from renrentong.accounts.passwords.services import matches_initial
from renrentong.core.models import AuditEvent

from tests.factories import bearer, make_id_number, make_phone
from tests.roster_files import commit, csv_file, preview, row
from tests.rosters.test_roster_pages import as_user


@pytest.fixture
def committed(client, world):
    admin = bearer(world.school_admin_a)
    rows = [row("=1+2", make_id_number(), world.class_a1, make_phone(), "王家长"),
            row("新同学", make_id_number(), world.class_a2)]
    job = preview(client, admin, csv_file(rows))
    return commit(client, admin, job["id"])


def sheet(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_the_school_admin_downloads_the_new_accounts_with_their_initial_passwords(client, world, committed):
    as_user(client, world.school_admin_a, "school_admin")
    page = client.get(f"/rosters/imports/{committed['id']}/").content.decode()
    assert 'data-testid="new-accounts-download"' in page
    assert page.count('data-testid="student-slips"') == 2  # one line per class

    rows = sheet(client.get(f"/rosters/imports/{committed['id']}/new-accounts/"))
    header = rows.index(["班级", "身份", "姓名", "孩子", "账号", "初始密码", "有效期至", "备注"])
    data = rows[header + 1:]
    created = Account.objects.filter(created_by_import=committed["id"])
    assert len(data) == created.count() == 3  # two students, one parent
    by_number = {r[4]: r for r in data}
    for account in created:
        assert matches_initial(account, by_number[account.number][5])
    names = [r[2] for r in data]
    assert "'=1+2" in names and "=1+2" not in names  # never a formula
    parent = next(r for r in data if r[1] == "家长")
    assert parent[3] == "'=1+2"
    event = AuditEvent.objects.get(verb="import.accounts_download")
    assert event.details["rows"] == 3 and event.school_id == world.school_a.pk


def test_only_the_schools_own_admin_gets_the_file(client, world, committed):
    as_user(client, world.district_admin_x)
    response = client.get(f"/rosters/imports/{committed['id']}/new-accounts/")
    assert response.status_code == 403
    assert 'data-testid="new-accounts-download"' not in client.get(
        f"/rosters/imports/{committed['id']}/").content.decode()
    as_user(client, world.school_admin_b, "school_admin")
    assert client.get(f"/rosters/imports/{committed['id']}/new-accounts/").status_code == 404
    assert not AuditEvent.objects.filter(verb="import.accounts_download").exists()
