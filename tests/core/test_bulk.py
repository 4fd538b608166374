"""core.bulk: `among` finds what an IN list finds, and bulk_delete does what delete() does, set-based."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renrentong.accounts.models import Account, ApiToken, Enrollment, Identity, LoginEvent, Person
from renrentong.core import bulk
from renrentong.core.bulk import among, bulk_delete
from renrentong.core.models import AuditEvent
from renrentong.integration.models import RosterId

from tests.factories import bearer, make_person


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(alphabet=st.sampled_from("ab,\x1f张 "), max_size=4), max_size=6),
       extra=st.lists(st.integers(min_value=-5, max_value=2**40), max_size=6))
def test_among_finds_what_an_in_list_finds(names, extra):
    Person.objects.all().delete()
    Person.objects.bulk_create([Person(name=n) for n in ["", "a", "b,", "a\x1fb", "张", "张 a"]])
    assert set(Person.objects.filter(among("name", names)).values_list("name", flat=True)) == set(
        Person.objects.filter(name__in=names).values_list("name", flat=True))
    ids = list(Person.objects.values_list("pk", flat=True))[:3] + extra
    assert set(Person.objects.filter(among("pk", ids)).values_list("pk", flat=True)) == set(
        Person.objects.filter(pk__in=ids).values_list("pk", flat=True))


def test_bulk_delete_applies_each_on_delete_rule(world, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 2)
    accounts = [world.student_a, world.student_a2, world.parent_a]
    for account in accounts:
        bearer(account)  # a token: CASCADE
        LoginEvent.objects.create(account=account, outcome="success")  # SET_NULL
        AuditEvent.objects.create(actor_account=account, verb="test")  # DO_NOTHING: the log is append-only
    ids = [a.pk for a in accounts]
    people = [a.person_id for a in accounts]
    assert bulk_delete(Account, ids) == 3
    assert not Account.objects.filter(pk__in=ids).exists()
    assert not Identity.objects.filter(account_id__in=ids).exists()  # cascaded
    assert not ApiToken.objects.filter(account_id__in=ids).exists()
    assert LoginEvent.objects.filter(outcome="success", account=None).count() == 3
    assert AuditEvent.objects.filter(verb="test", actor_account_id__in=ids).count() == 3  # history unchanged
    # A person someone is enrolled as is protected (PROTECT): refused as delete() refuses.
    with pytest.raises(ProtectedError):
        bulk_delete(Person, people)
    assert Person.objects.filter(pk=world.student_a.person_id).exists()
    Enrollment.objects.filter(person_id__in=people).delete()
    lone = make_person("无人")
    assert bulk_delete(Person, people + [lone.pk]) == 4
    assert bulk_delete(Person, []) == 0


@pytest.mark.django_db
def test_bulk_set_writes_each_rows_values_and_only_where_the_guard_holds(monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 2)  # several statements
    now = timezone.now()
    rows = RosterId.objects.bulk_create([
        RosterId(kind="users", local_key=f"person:{n}", sourced_id=f"s{n}", school_id=n % 2, modified_at=now,
                 gone_at=now, row=["old"]) for n in range(5)])
    later = now + timedelta(days=1)
    changed = bulk.bulk_set(RosterId, ["row", "modified_at", "gone_at", "user_sourced_id"],
                            [(r.pk, ["新", n, None, {"a": "'\""}], later, None, None if n else "u0")
                             for n, r in enumerate(rows)], only_where={"school_id": 0})
    assert changed == 3  # schools 0 only
    stored = {r.local_key: r for r in RosterId.objects.all()}
    for n in range(5):
        row = stored[f"person:{n}"]
        if n % 2:
            assert (row.row, row.modified_at, row.gone_at, row.user_sourced_id) == (["old"], now, now, None)
        else:
            assert (row.row, row.modified_at, row.gone_at) == (["新", n, None, {"a": "'\""}], later, None)
            assert row.user_sourced_id == (None if n else "u0")
    assert bulk.bulk_set(RosterId, ["row"], []) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_refresh_statistics_analyzes_the_tables_that_outgrew_theirs_once(monkeypatch):
    monkeypatch.setattr(bulk, "GROWN_ROWS", 50)
    table = "public." + RosterId._meta.db_table
    bulk.refresh_statistics()  # whatever earlier tests left behind
    bulk.bulk_insert(RosterId, [{"kind": "users", "local_key": f"person:{n}", "sourced_id": f"s{n}",
                                 "modified_at": timezone.now()} for n in range(200)], ids=False)
    with transaction.atomic():  # inside a transaction ANALYZE would hold its lock to the end: left for later
        assert bulk.refresh_statistics() == []
    assert table in bulk.refresh_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [RosterId._meta.db_table])
        assert cursor.fetchone()[0] == 200
    assert table not in bulk.refresh_statistics()  # 200 rows, none changed since


@pytest.mark.django_db
def test_bulk_insert_takes_a_stream_of_rows_and_a_list_returns_their_keys():
    now = timezone.now()

    def rows(start, stop):
        return ({"kind": "users", "local_key": f"person:{n}", "sourced_id": f"s{n}", "modified_at": now}
                for n in range(start, stop))

    assert bulk.bulk_insert(RosterId, rows(0, 0), ids=False) == []
    assert bulk.bulk_insert(RosterId, rows(0, 3), ids=False) == []
    listed = list(rows(3, 5))
    pks = bulk.bulk_insert(RosterId, listed)
    assert [row["id"] for row in listed] == pks if connection.vendor == "postgresql" else len(pks) == 2
    assert dict(RosterId.objects.filter(pk__in=pks).values_list("pk", "sourced_id")) == dict(zip(pks, ["s3", "s4"]))
    assert sorted(RosterId.objects.values_list("sourced_id", flat=True)) == [f"s{n}" for n in range(5)]
