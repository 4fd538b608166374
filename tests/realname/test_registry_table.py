"""The real-name registry table on the one table component: paging, sorting, filters kept, a search by
ID number that pages through a token instead of the number, and the audited export with masked numbers."""

from __future__ import annotations

import io
import re

from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.realname import services

from tests.auditlog.test_audit_words_and_export import actor_of
from tests.factories import as_user, make_id_number


def fill(world, n: int) -> list[str]:
    actor = actor_of(world.school_admin_a)
    ids = []
    for i in range(n):
        ids.append(make_id_number())
        services.add_entry(actor, services.EntryInput(role="teacher", name=f"教师{i:02d}", id_number=ids[-1],
                                                      number=f"T{i:04d}"))
    return ids


def names(html: str) -> list[str]:
    return re.findall(r'data-testid="entry" data-name="([^"]*)"', html)


def test_registry_pages_sorts_and_keeps_filters(client, world):
    fill(world, 25)
    as_user(client, world.school_admin_a)
    html = client.get("/realname/registry/", {"sort": "-name"}).content.decode()
    assert names(html)[0] == "教师24" and len(names(html)) == 20 and 'data-testid="page-2"' in html
    assert "25" in re.search(r'data-testid="entries-total">([^<]*)<', html).group(1)
    teachers = client.get("/realname/registry/", {"role": "teacher", "page": "2"}).content.decode()
    assert len(names(teachers)) == 5 and 'href="?role=teacher&amp;sort=name"' in teachers
    none = client.get("/realname/registry/", {"role": "student"}).content.decode()
    assert 'data-testid="entries-empty"' in none


def test_id_number_search_pages_and_exports_without_the_number_in_urls(client, world):
    ids = fill(world, 3)
    as_user(client, world.school_admin_a)
    html = client.post("/realname/registry/", {"action": "search", "q": ids[1]}).content.decode()
    assert names(html) == ["教师01"] and ids[1] not in html
    export = re.search(r'href="([^"]*)" data-testid="entries-export"', html).group(1).replace("&amp;", "&")
    assert "t=" in export and ids[1] not in export
    token = re.search(r"t=([\w-]+)", export).group(1)
    again = client.get("/realname/registry/", {"t": token, "sort": "-name"}).content.decode()
    assert names(again) == ["教师01"]
    response = client.get(export)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[1:]] == ["教师01"] and ids[1] not in str(rows) and "*" in rows[1][2]
    event = AuditEvent.objects.get(verb="realname.registry_export")
    assert event.details["rows"] == 1 and event.details["searched"] is True and ids[1] not in str(event.details)
