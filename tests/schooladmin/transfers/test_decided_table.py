"""The decided transfers on the one table component: newest decision first or by request, the decision
filter kept in the links, pages, the empty state and the audited export of the filtered rows."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.schooladmin.models import TransferRequest

from tests.factories import as_user, make_student


def decided(world, n: int) -> list[TransferRequest]:
    base = datetime.fromisoformat("2026-09-01T08:00:00+08:00")
    made = []
    for i in range(n):
        student = make_student(world.class_b1, f"转学{i:02d}")
        made.append(TransferRequest.objects.create(
            person=student.person, from_school=world.school_b, to_school=world.school_a, source="import",
            status="refused" if i % 4 == 0 else "approved", reason="=不收" if i % 4 == 0 else "",
            created_at=base - timedelta(days=i), decided_at=base + timedelta(hours=i)))
    return made


def names(html: str) -> list[str]:
    return re.findall(r'data-testid="transfer-\d+" data-status="\w+"><td class="text-nowrap">([^<]*)<', html)


def test_decided_table_sorts_pages_and_filters(client, world):
    decided(world, 24)
    as_user(client, world.school_admin_a)
    html = client.get("/school/transfers/").content.decode()
    assert names(html)[:2] == ["转学23", "转学22"] and len(names(html)) == 20
    assert 'aria-sort="descending" data-testid="decided-col-decided"' in html and 'data-testid="page-2"' in html
    by_request = client.get("/school/transfers/?sort=-created").content.decode()
    assert names(by_request)[0] == "转学00"
    refused = client.get("/school/transfers/?status=refused").content.decode()
    assert names(refused) == ["转学20", "转学16", "转学12", "转学08", "转学04", "转学00"]
    assert 'href="?status=refused&amp;sort=decided"' in refused
    assert 'data-testid="decided-empty"' in client.get("/school/transfers/?status=withdrawn").content.decode()


def test_decided_export_is_filtered_formula_safe_and_audited(client, world):
    decided(world, 9)
    as_user(client, world.school_admin_a)
    response = client.get("/school/transfers/?status=refused&export=xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[1:]] == ["转学08", "转学04", "转学00"]
    assert all(r[3].endswith(" · =不收") for r in rows[1:])  # text after the decision: no formula
    assert AuditEvent.objects.get(verb="transfer.export").details == {"status": "refused", "rows": 3}
