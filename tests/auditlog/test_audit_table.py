"""The audit log page on the one table component: oldest or newest first, page numbers and sizes, the
filters kept in every link and in the export, which holds the filtered rows; garbage never fails it."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent

from tests.auditlog.test_audit_log import session_for


@pytest.fixture
def log(world):
    """130 password resets in school A, a minute apart, and 5 freezes after them."""
    base = datetime.fromisoformat("2026-09-01T08:00:00+08:00")
    events = [
        AuditEvent(verb="password.reset", target_type="account", target_id=world.student_a.pk,
                   school_id=world.school_a.pk, actor_account=world.head_teacher_a, details={"how": "default"})
        for _ in range(130)] + [
        AuditEvent(verb="users.freeze", target_type="account", target_id=world.student_a2.pk,
                   school_id=world.school_a.pk, actor_account=world.school_admin_a, details={})
        for _ in range(5)]
    # The log is append-only: its times are set as the rows go in. One frozen clock moved along, as
    # starting freezegun anew for each row took 5 s per test.
    with freeze_time(base) as frozen:
        for i, event in enumerate(events):
            frozen.move_to(base + timedelta(minutes=i))
            event.save()
    return world


def kinds(html: str) -> list[str]:
    return re.findall(r'data-testid="audit-row" data-kind="([^"]+)"', html)


def test_newest_first_by_default_and_oldest_first_on_asking(log):
    client = session_for(log.school_admin_a)
    newest = client.get("/audit/").content.decode()
    assert kinds(newest)[:5] == ["users.freeze"] * 5 and len(kinds(newest)) == 50
    assert 'aria-sort="descending" data-testid="audit-col-at"' in newest
    assert "2026-09-01 10:14" in newest  # the last event, 134 minutes after 08:00
    oldest = client.get("/audit/?sort=at").content.decode()
    assert 'aria-sort="ascending" data-testid="audit-col-at"' in oldest and "2026-09-01 08:00" in oldest
    assert "users.freeze" not in kinds(oldest)


def test_pages_sizes_total_and_kept_filters(log):
    client = session_for(log.school_admin_a)
    html = client.get("/audit/", {"kind": "password.reset", "date_from": "2026-09-01"}).content.decode()
    assert "130" in re.search(r'data-testid="audit-total">([^<]*)<', html).group(1)
    assert 'data-testid="page-3"' in html and 'data-testid="audit-jump"' in html
    links = [link for link in re.findall(r'href="\?([^"]*)"', html) if "page=" in link]
    assert links and all("kind=password.reset" in link and "date_from=2026-09-01" in link for link in links)
    third = client.get("/audit/", {"kind": "password.reset", "page": "3"}).content.decode()
    assert len(kinds(third)) == 30
    small = client.get("/audit/", {"size": "20", "page": "2"}).content.decode()
    assert len(kinds(small)) == 20 and 'data-testid="page-7"' in small
    # The size stays in the links of a size that is not the default.
    assert re.search(r'href="\?[^"]*size=20[^"]*page=3"', small)
    big = client.get("/audit/", {"size": "100"}).content.decode()
    assert len(kinds(big)) == 100


def test_export_holds_the_filtered_rows(log):
    client = session_for(log.school_admin_a)
    html = client.get("/audit/", {"kind": "users.freeze"}).content.decode()
    export = re.search(r'href="([^"]*)" data-testid="audit-export"', html).group(1).replace("&amp;", "&")
    assert export.startswith("/audit/export/?") and "kind=users.freeze" in export
    response = client.get(export)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    body = [r for r in rows if r and re.match(r"\d{4}-\d\d-\d\d ", str(r[0]))]
    assert len(body) == 5
    assert AuditEvent.objects.filter(verb="audit.export").get().details["rows"] == 5


def test_empty_log_says_so(world):
    html = session_for(world.school_admin_b).get("/audit/", {"kind": "users.freeze"}).content.decode()
    assert 'class="rr-empty mb-0" data-testid="audit-empty"' in html


garbage = st.one_of(st.text(max_size=30), st.integers(-10**12, 10**12).map(str),
                    st.sampled_from(["", "0", "-1", "at", "-at", "--at", "name", "１", "99999999999999"]))


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=garbage, size=garbage, sort=garbage)
def test_table_parameters_never_fail_the_log(world, page, size, sort):
    response = session_for(world.school_admin_a).get("/audit/", {"page": page, "size": size, "sort": sort})
    assert response.status_code in (200, 400)
