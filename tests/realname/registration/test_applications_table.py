"""The teacher registrations table on the one table component: oldest pending first or newest first on
asking, the state kept in every link, the empty state, and the audited export with masked numbers."""

from __future__ import annotations

import io
import re

from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent

from tests.factories import as_user
from tests.realname.registration.test_registration import register


def accounts(html: str) -> list[str]:
    return re.findall(r'data-testid="application" data-account="([^"]*)"', html)


def test_applications_sort_keep_the_state_and_export(client, world):
    first = register(client, world, account_name="wanglaoshi01", name="王丽")
    second = register(client, world, account_name="lilaoshi02", name="李红")
    assert first.status_code == 201 and second.status_code == 201, (first.json(), second.json())
    as_user(client, world.school_admin_a)
    html = client.get("/realname/applications/").content.decode()
    assert accounts(html) == ["wanglaoshi01", "lilaoshi02"]  # first come, first decided
    newest = client.get("/realname/applications/", {"status": "pending", "sort": "-created"}).content.decode()
    assert accounts(newest) == ["lilaoshi02", "wanglaoshi01"]
    assert 'href="?status=pending&amp;sort=created"' in newest
    empty = client.get("/realname/applications/", {"status": "refused"}).content.decode()
    assert 'data-testid="applications-empty"' in empty
    response = client.get("/realname/applications/", {"status": "pending", "export": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert [r[1] for r in rows[1:]] == ["wanglaoshi01", "lilaoshi02"]
    assert all("*" in r[2] and "*" in r[3] for r in rows[1:])  # ID numbers and phones masked
    assert AuditEvent.objects.get(verb="registration.export").details["rows"] == 2
