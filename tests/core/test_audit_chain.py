"""The tamper-evident audit log (issue 16 item 6, NFR-1): append-only, one hash chain per school, signed seals,
and `manage.py audit_verify` naming the first broken entry of whatever a superuser rewrote."""

from __future__ import annotations

import base64
import io
import json
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from renrentong.core import audit, auditchain
from renrentong.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def write(school_id: int | None, count: int = 1, verb: str = "password.reset") -> list[AuditEvent]:
    return [audit.record(None, verb, None, {"n": i, "名": "张三"}, school_id=school_id) for i in range(count)]


def chain_of(school_id: int | None) -> list[tuple[int, str]]:
    return [(seq, bytes(digest).hex()) for seq, digest in AuditEvent.objects.filter(school_id=school_id)
            .order_by("chain_seq").values_list("chain_seq", "entry_hash")]


def verify_output() -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def as_superuser(sql: str, params: list | None = None) -> None:
    """What someone with the database's superuser can do: switch the triggers off and rewrite rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS rrt_audit_append_only")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":  # SET LOCAL outlives a savepoint: the test's transaction goes on
            cursor.execute("SET LOCAL session_replication_role = origin")
    if connection.vendor == "sqlite":
        auditchain.install(connection)


def test_each_school_has_its_own_numbered_chain_and_the_region_level_one_more():
    write(11, 3)
    write(None, 2)
    write(12, 1)
    assert [seq for seq, _ in chain_of(11)] == [1, 2, 3]
    assert [seq for seq, _ in chain_of(None)] == [1, 2]
    assert [seq for seq, _ in chain_of(12)] == [1]
    assert all(len(digest) == 64 for _, digest in chain_of(11))
    assert len({digest for _, digest in chain_of(11)}) == 3
    assert auditchain.verify() == []
    out, code = verify_output()
    assert code == 0 and "audit log intact: 6 entries in 3 chains" in out


def test_a_bulk_insert_is_chained_too():
    AuditEvent.objects.bulk_create([AuditEvent(verb="users.freeze", school_id=7, details={}) for _ in range(5)])
    assert [seq for seq, _ in chain_of(7)] == [1, 2, 3, 4, 5]
    assert auditchain.verify() == []


def test_update_is_refused_and_on_postgresql_delete_too():
    [event] = write(3)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="nothing.happened")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).verb == "password.reset"


def test_an_edited_entry_is_named():
    events = write(21, 4)
    as_superuser("UPDATE core_auditevent SET verb = 'nothing.happened' WHERE id = %s", [events[1].pk])
    assert auditchain.verify() == [auditchain.Break(21, 2, events[1].pk, "hash")]
    out, code = verify_output()
    assert code == 1 and f"BROKEN school 21 entry #2 (row id {events[1].pk}): hash" in out


def test_an_edit_that_rewrites_the_hash_too_is_named():
    events = write(22, 3)
    as_superuser("UPDATE core_auditevent SET details = '{\"n\": 9}', entry_hash = %s WHERE id = %s",
                 [bytes(32), events[0].pk])
    breaks = auditchain.verify()
    assert [(b.chain, b.seq) for b in breaks] == [(22, 1)]


def test_a_deleted_entry_is_named_by_the_gap():
    events = write(None, 3)
    as_superuser("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    assert auditchain.verify() == [auditchain.Break(0, 3, events[2].pk, "sequence")]


def test_reordered_entries_are_caught():
    events = write(23, 3)
    as_superuser("UPDATE core_auditevent SET chain_seq = -chain_seq WHERE id IN (%s, %s)",
                 [events[0].pk, events[1].pk])
    as_superuser("UPDATE core_auditevent SET chain_seq = CASE WHEN id = %s THEN 2 ELSE 1 END WHERE id IN (%s, %s)",
                 [events[0].pk, events[0].pk, events[1].pk])
    [found] = auditchain.verify()
    assert (found.chain, found.seq, found.entry_id) == (23, 1, events[1].pk)


def test_a_truncated_log_and_a_cut_off_end_are_caught_by_the_seal():
    write(31, 3)
    write(32, 2)
    auditchain.seal()
    assert auditchain.verify() == []
    last = AuditEvent.objects.filter(school_id=32).order_by("-chain_seq").first()
    as_superuser("DELETE FROM core_auditevent WHERE id = %s", [last.pk])  # still a whole chain, one shorter
    [found] = auditchain.verify()
    assert (found.chain, found.seq) == (32, 2) and found.reason.startswith("missing: sealed at 2")
    as_superuser("DELETE FROM core_auditevent")  # TRUNCATE on PostgreSQL, as superuser, bypasses row triggers
    assert {(b.chain, b.seq) for b in auditchain.verify()} == {(31, 3), (32, 2)}
    out, code = verify_output()
    assert code == 1 and "BROKEN school 31 entry #3: missing" in out


def test_a_rewritten_chain_with_every_hash_recomputed_differs_from_the_seal():
    write(41, 2)
    auditchain.seal()
    write(41, 1)
    as_superuser("DELETE FROM core_auditevent")
    AuditEvent.objects.bulk_create([AuditEvent(verb="nothing.happened", school_id=41, details={}) for _ in range(3)])
    [found] = auditchain.verify()
    assert (found.chain, found.seq) == (41, 2) and found.reason.startswith("differs from")


def test_a_forged_or_foreign_seal_is_refused():
    write(51, 2)
    name = auditchain.seal()
    document = json.loads(default_storage.open(name).read())
    other = base64.b64encode(Ed25519PrivateKey.generate().public_key().public_bytes_raw()).decode()
    assert [b.reason for b in auditchain.verify(public_key=other)] == [f"seal {name}: bad-signature"]
    document["heads"][0][1] = 1  # claim a shorter chain than was sealed
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(json.dumps(document).encode()))
    assert [b.chain for b in auditchain.verify()] == [-1]
    out, code = verify_output()
    assert code == 1 and "BROKEN seals" in out


def test_the_daily_seal_is_made_once_a_day(freezer):
    write(61, 1)
    freezer.move_to("2026-12-01T02:00:00+08:00")
    first = auditchain.seal_if_due()
    assert first and auditchain.seals() == [first]
    freezer.move_to("2026-12-01T20:00:00+08:00")
    assert auditchain.seal_if_due() is None
    freezer.move_to("2026-12-02T02:00:01+08:00")
    second = auditchain.seal_if_due()
    assert second and auditchain.seals() == [first, second]
    assert json.loads(default_storage.open(second).read())["heads"] == [[61, 1, chain_of(61)[0][1]]]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_school_keep_one_unbroken_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(25):
                with transaction.atomic():
                    write(71)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [seq for seq, _ in chain_of(71)] == list(range(1, 201))
    assert auditchain.verify() == []


def test_the_application_role_may_only_insert_and_read_the_log():
    if connection.vendor != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS rrt_test_app")
        cursor.execute("CREATE ROLE rrt_test_app")
    try:
        call_command("db_grant_app_role", "rrt_test_app", stdout=io.StringIO())
        [event] = write(81)
        with connection.cursor() as cursor:
            cursor.execute("SET ROLE rrt_test_app")
            try:
                cursor.execute("SELECT count(*) FROM core_auditevent")
                audit.record(None, "users.freeze", None, {}, school_id=81)
                for statement in ("UPDATE core_auditevent SET verb = 'x' WHERE id = %s",
                                  "DELETE FROM core_auditevent WHERE id = %s"):
                    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                        cursor.execute(statement, [event.pk])
                with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                    cursor.execute("TRUNCATE core_auditevent")
                # Where a chain goes on after its months are archived: only the owner's maintenance writes it.
                cursor.execute("SELECT count(*) FROM core_auditchainbase")
                with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                    cursor.execute("INSERT INTO core_auditchainbase (chain, seq, entry_hash, through) "
                                   "VALUES (81, 99, ''::bytea, now())")
            finally:
                cursor.execute("RESET ROLE")
        assert [seq for seq, _ in chain_of(81)] == [1, 2]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP OWNED BY rrt_test_app")
            cursor.execute("DROP ROLE rrt_test_app")


def test_sealing_keys_come_from_the_settings(settings):
    write(91, 1)
    key = Ed25519PrivateKey.generate()
    settings.RRT_AUDIT_SEAL_KEY = base64.b64encode(key.private_bytes_raw()).decode()
    auditchain.seal()
    assert auditchain.verify() == []
    assert auditchain.public_key_text() == base64.b64encode(key.public_key().public_bytes_raw()).decode()


def test_a_fresh_process_on_sqlite_chains_without_importing_the_chain_module(tmp_path):
    # SQLite's trigger calls a Python function each connection must register; `make run` writes audit entries
    # from processes that never import core.auditchain themselves (load_demo failed so before core's AppConfig
    # connected it).
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    if connection.vendor != "sqlite":
        pytest.skip("about SQLite's trigger function: the SQLite run of the suite has it")
    # The test database, migrated already, copied for the fresh process (a migrate from nothing took minutes).
    # Read by a connection of its own: the test's holds its write transaction open, and WAL lets another read.
    copy = sqlite3.connect(tmp_path / "renrentong.sqlite3")
    test_database = sqlite3.connect(connection.settings_dict["NAME"])
    test_database.backup(copy)
    test_database.close()
    before = copy.execute("SELECT COUNT(*) FROM core_auditevent").fetchone()[0]
    copy.close()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "RRT_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "renrentong.settings"}
    env.pop("DATABASE_URL", None)
    script = ("import django; django.setup()\n"
              "from django.core.management import call_command\n"
              "from renrentong.core import audit\n"
              "audit.record(None, 'users.freeze', None, {}, school_id=3)\n"
              "call_command('audit_verify')\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"audit log intact: {before + 1} entries in " in done.stdout, done.stdout
