"""The audit log's tamper evidence (NFR-1, issue 16 item 6).

Each AuditEvent is chained: the database itself, as the row goes in, gives it the next number in its chain
(one chain per school, chain 0 for region-level actions) and entry_hash = sha256(the previous entry's hash +
the entry's canonical text), 32 bytes. The database does it, in a trigger, so that no code path (a bulk insert, raw
SQL, a forgotten helper) can add an unchained entry, and on PostgreSQL an advisory lock per chain orders
concurrent writers. UPDATE and DELETE are refused by a trigger, and the application's database role is
granted only INSERT and SELECT on the table (`manage.py db_grant_app_role`).

A superuser can still switch triggers off and rewrite rows; that is what the chain and the seals catch.
`verify()` recomputes every hash in one query and names the first broken entry of each chain (an edited,
deleted or reordered entry breaks the chain from there on). Truncating the log, or cutting entries off its
end, leaves a shorter chain that is still whole: the daily seal catches that. `seal()` signs every chain's
head with an Ed25519 key kept outside the database (settings.RRT_AUDIT_SEAL_KEY) and stores the signed
heads outside it too (the file store, `audit-seals/`); `verify()` checks the latest seal's heads are still
there, unchanged.

Canonical text: each engine hashes its own stored text of the values, so PostgreSQL and SQLite need no
shared formatting. PostgreSQL: `seq|epoch microseconds|actor|identity|'verb'|'target type'|target id|school|`
followed by `details::text` (an empty field for a null number; the two texts quoted by quote_literal, so no
field can pass for another). SQLite: the same values as a compact JSON list, `at` as stored, followed by the
stored details text.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.utils import timezone as django_timezone

from renrentong.core.bulk import chunks

TABLE = "core_auditevent"
BASES = "core_auditchainbase"  # where each chain stood at the end of its archived months (core.partitions)
SEAL_DIR = "audit-seals"
_FIELDS = "chain_seq, at, actor_account_id, actor_identity_id, verb, target_type, target_id, school_id, details"

POSTGRES_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION rrt_audit_hash(prev bytea, seq bigint, at timestamptz, actor bigint, identity bigint,
    verb text, target_type text, target_id bigint, school bigint, details jsonb) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(prev || textsend(concat_ws('|', seq, (extract(epoch FROM at) * 1000000)::bigint,
    coalesce(actor::text, ''), coalesce(identity::text, ''), quote_literal(verb), quote_literal(target_type),
    coalesce(target_id::text, ''), coalesce(school::text, ''), details::text)))
$$;

CREATE OR REPLACE FUNCTION rrt_audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  chain_key bigint := coalesce(NEW.school_id, 0);
  last_seq bigint;
  last_hash bytea;
BEGIN
  -- Held to the end of the transaction: the next writer of this chain reads this entry as its previous one.
  PERFORM pg_advisory_xact_lock(hashtextextended('rrt-audit-chain', chain_key));
  SELECT chain_seq, entry_hash INTO last_seq, last_hash FROM {TABLE}
   WHERE coalesce(school_id, 0) = chain_key ORDER BY chain_seq DESC LIMIT 1;
  IF last_seq IS NULL THEN  -- every entry of the chain retired to the archive: go on from where they ended
    SELECT b.seq, b.entry_hash INTO last_seq, last_hash FROM {BASES} b WHERE b.chain = chain_key;
  END IF;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.entry_hash := rrt_audit_hash(coalesce(last_hash, ''::bytea), NEW.chain_seq, NEW.at, NEW.actor_account_id,
    NEW.actor_identity_id, NEW.verb, NEW.target_type, NEW.target_id, NEW.school_id, NEW.details);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION rrt_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

"""
POSTGRES_TRIGGERS = f"""
DROP TRIGGER IF EXISTS rrt_audit_chain ON {TABLE};
CREATE TRIGGER rrt_audit_chain BEFORE INSERT ON {TABLE} FOR EACH ROW EXECUTE FUNCTION rrt_audit_chain();
DROP TRIGGER IF EXISTS rrt_audit_append_only ON {TABLE};
CREATE TRIGGER rrt_audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION rrt_audit_append_only();
"""

# SQLite (development and the default test run): an AFTER INSERT trigger numbers and hashes the new row with a
# Python function registered on each connection; a row is sealed once its hash is set. DELETE stays allowed
# here only because Django's test flush empties tables with it; PostgreSQL, the production engine, refuses it.
_SAME_CHAIN = f"coalesce(p.school_id, 0) = coalesce({TABLE}.school_id, 0)"
_SQLITE_NUMBER = [  # for the row whose id is given: its number, then its hash (its predecessor now numbered)
    f"UPDATE {TABLE} SET chain_seq = (SELECT coalesce(max(p.chain_seq), 0) + 1 FROM {TABLE} p WHERE {_SAME_CHAIN})"
    f" WHERE id = {{id}}",
    f"UPDATE {TABLE} SET entry_hash = rrt_audit_hash(coalesce((SELECT p.entry_hash FROM {TABLE} p WHERE {_SAME_CHAIN}"
    f" AND p.chain_seq = {TABLE}.chain_seq - 1), x''), {_FIELDS}) WHERE id = {{id}}",
]
SQLITE_SQL = [
    "DROP TRIGGER IF EXISTS rrt_audit_chain",
    f"CREATE TRIGGER rrt_audit_chain AFTER INSERT ON {TABLE} BEGIN "
    + "; ".join(statement.format(id="NEW.id") for statement in _SQLITE_NUMBER) + "; END",
    "DROP TRIGGER IF EXISTS rrt_audit_append_only",
    f"CREATE TRIGGER rrt_audit_append_only BEFORE UPDATE ON {TABLE} WHEN OLD.entry_hash IS NOT NULL BEGIN "
    "SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END",
]


def sqlite_hash(prev, seq, at, actor, identity, verb, target_type, target_id, school, details) -> bytes:
    head = json.dumps([seq, at, actor, identity, verb, target_type, target_id, school], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(bytes(prev) + f"{head}{details}".encode()).digest()


def _register(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """SQLite's trigger calls rrt_audit_hash: every connection needs it (core's AppConfig connects this to
    connection_created before any connection opens, migrations' and commands' included)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("rrt_audit_hash", 10, sqlite_hash, deterministic=True)


def connect_signal() -> None:
    connection_created.connect(_register, dispatch_uid="rrt_audit_hash")


def install(connection: BaseDatabaseWrapper) -> None:
    """Create (or re-create) the chain and append-only triggers, chaining first any entry written before them
    (in the order written); the migrations call this."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTIONS)
            _chain_existing(connection)
            cursor.execute(POSTGRES_TRIGGERS)
        else:
            _chain_existing(connection)
            for statement in SQLITE_SQL:
                cursor.execute(statement)


def _chain_existing(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"""
DO $$
DECLARE r record; last_hash bytea; last_chain bigint := NULL; seq bigint;
BEGIN
  FOR r IN SELECT id, coalesce(school_id, 0) AS chain, at, actor_account_id, actor_identity_id, verb, target_type,
                  target_id, school_id, details FROM {TABLE} WHERE chain_seq IS NULL ORDER BY 2, id LOOP
    IF last_chain IS DISTINCT FROM r.chain THEN last_chain := r.chain; seq := 0; last_hash := ''::bytea; END IF;
    seq := seq + 1;
    last_hash := rrt_audit_hash(last_hash, seq, r.at, r.actor_account_id, r.actor_identity_id, r.verb,
                                r.target_type, r.target_id, r.school_id, r.details);
    UPDATE {TABLE} SET chain_seq = seq, entry_hash = last_hash WHERE id = r.id;
  END LOOP;
END $$""")
            return
        cursor.execute(f"SELECT id FROM {TABLE} WHERE chain_seq IS NULL ORDER BY id")
        for (row_id,) in cursor.fetchall():
            for statement in _SQLITE_NUMBER:
                cursor.execute(statement.format(id="%s"), [row_id])


@dataclass(frozen=True)
class Break:
    """The first entry of a chain that is not what was written: its id, chain (school id, 0 for the region
    level) and number in the chain, and why."""
    chain: int
    seq: int | None
    entry_id: int | None
    reason: str


def _breaks_query(vendor: str) -> str:
    empty = "''::bytea" if vendor == "postgresql" else "x''"
    hashed = (f"rrt_audit_hash(coalesce(prev_hash, {empty}), chain_seq, at, actor_account_id, actor_identity_id, verb, "
              "target_type, target_id, school_id, details)")
    return f"""
SELECT chain, chain_seq, id, CASE WHEN chain_seq IS NULL OR chain_seq <> coalesce(prev_seq, 0) + 1 THEN 'sequence'
                                  ELSE 'hash' END
FROM (SELECT e.id, e.chain, {_FIELDS}, e.entry_hash,
             CASE WHEN e.first THEN b.entry_hash ELSE e.prev_hash END AS prev_hash,
             CASE WHEN e.first THEN b.seq ELSE e.prev_seq END AS prev_seq
      FROM (SELECT id, coalesce(school_id, 0) AS chain, {_FIELDS}, entry_hash,
                   lag(entry_hash) OVER w AS prev_hash, lag(chain_seq) OVER w AS prev_seq,
                   row_number() OVER w = 1 AS first
            FROM {TABLE} WINDOW w AS (PARTITION BY coalesce(school_id, 0) ORDER BY chain_seq)) e
      LEFT JOIN {BASES} b ON b.chain = e.chain) entries
WHERE chain_seq IS NULL OR chain_seq <> coalesce(prev_seq, 0) + 1 OR entry_hash IS NULL
   OR entry_hash <> {hashed}
ORDER BY chain, chain_seq, id"""


def heads(connection: BaseDatabaseWrapper = default_connection) -> dict[int, tuple[int, str]]:
    """Each chain's last entry: chain -> (its number, its hash in hex); a chain whose entries are all archived
    ends where its base says."""
    found = _bases(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"""
SELECT e.chain, e.chain_seq, e.entry_hash FROM (
  SELECT coalesce(school_id, 0) AS chain, chain_seq, entry_hash FROM {TABLE}) e
JOIN (SELECT coalesce(school_id, 0) AS chain, max(chain_seq) AS last FROM {TABLE} GROUP BY 1) h
  ON h.chain = e.chain AND h.last = e.chain_seq""")
        found.update({chain: (seq, bytes(digest).hex() if digest is not None else "")
                      for chain, seq, digest in cursor.fetchall()})
    return found


def _bases(connection: BaseDatabaseWrapper) -> dict[int, tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT chain, seq, entry_hash FROM {BASES}")
        return {chain: (seq, bytes(digest).hex()) for chain, seq, digest in cursor.fetchall()}


def record_baselines(connection: BaseDatabaseWrapper, through: datetime) -> int:
    """Before the months ending at `through` are retired (core.partitions): note each chain's last entry in
    them as its base, so the chain goes on and verifies without them. Returns the chains noted."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
INSERT INTO {BASES} (chain, seq, entry_hash, through)
SELECT DISTINCT ON (coalesce(school_id, 0)) coalesce(school_id, 0), chain_seq, entry_hash, %s::timestamptz
  FROM {TABLE} WHERE at < %s ORDER BY coalesce(school_id, 0), chain_seq DESC
ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, entry_hash = excluded.entry_hash, through = excluded.through
 WHERE excluded.seq > {BASES}.seq""", [through, through])
        return cursor.rowcount


# Seals: the signed heads, one file a day in the file store.

def _private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(settings.RRT_AUDIT_SEAL_KEY))


def public_key_text(key: Ed25519PublicKey | None = None) -> str:
    key = key or _private_key().public_key()
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def _signed_text(sealed_at: str, chain_heads: list[list]) -> bytes:
    return json.dumps({"sealed_at": sealed_at, "heads": chain_heads}, sort_keys=True,
                      separators=(",", ":")).encode()


def seal(connection: BaseDatabaseWrapper = default_connection, now: datetime | None = None) -> str:
    """Sign every chain's head and store the seal outside the database; returns the stored file's name."""
    now = now or django_timezone.now()
    sealed_at = now.astimezone(timezone.utc).isoformat()
    chain_heads = [[chain, seq, digest] for chain, (seq, digest) in sorted(heads(connection).items())]
    signature = _private_key().sign(_signed_text(sealed_at, chain_heads))
    document = {"sealed_at": sealed_at, "heads": chain_heads, "public_key": public_key_text(),
                "signature": base64.b64encode(signature).decode()}
    name = f"{SEAL_DIR}/{now.astimezone(timezone.utc):%Y-%m-%dT%H%M%S}Z.json"
    return default_storage.save(name, ContentFile(json.dumps(document).encode()))


def seals() -> list[str]:
    """Stored seal names, oldest first (their names sort by time)."""
    try:
        _dirs, names = default_storage.listdir(SEAL_DIR)
    except FileNotFoundError:
        return []
    return sorted(f"{SEAL_DIR}/{name}" for name in names if name.endswith(".json"))


def seal_if_due() -> str | None:
    """The daily seal (a periodic duty): sealed when the latest seal is a day old or there is none."""
    stored = seals()
    if stored:
        latest = stored[-1].rsplit("/", 1)[-1].removesuffix("Z.json")
        last = datetime.strptime(latest, "%Y-%m-%dT%H%M%S").replace(tzinfo=timezone.utc)
        if (django_timezone.now() - last).total_seconds() < 24 * 3600:
            return None
    return seal()


def _check_seal(name: str, public_key: str | None) -> tuple[dict | None, str]:
    with default_storage.open(name) as handle:
        try:
            document = json.loads(handle.read())
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key or public_key_text()))
            key.verify(base64.b64decode(document["signature"]),
                       _signed_text(document["sealed_at"], document["heads"]))
        except (ValueError, KeyError, TypeError, InvalidSignature):
            return None, "bad-signature"
    return document, ""


def verify(connection: BaseDatabaseWrapper = default_connection, public_key: str | None = None) -> list[Break]:
    """The first break of every broken chain, and every sealed head no longer in the log as it was sealed.

    public_key: the seal key's public half (base64) to check signatures with; by default the configured
    key's own, and an auditor who holds only the public half passes it."""
    found: dict[int, Break] = {}
    with connection.cursor() as cursor:
        cursor.execute(_breaks_query(connection.vendor))
        for chain, seq, entry_id, reason in cursor.fetchall():
            found.setdefault(chain, Break(chain, seq, entry_id, reason))
    stored = seals()
    if stored:
        document, problem = _check_seal(stored[-1], public_key)
        if document is None:
            found.setdefault(-1, Break(-1, None, None, f"seal {stored[-1]}: {problem}"))
        else:
            sealed = [(chain, seq, digest) for chain, seq, digest in document["heads"] if chain not in found]
            now = _hashes_at(connection, [(chain, seq) for chain, seq, _digest in sealed])
            bases = _bases(connection)
            for chain, seq, digest in sealed:
                base_seq, base_digest = bases.get(chain, (0, ""))
                if (chain, seq) not in now and seq < base_seq or (seq, digest) == (base_seq, base_digest):
                    continue  # sealed before its months were archived, and the base goes on from there
                if (chain, seq) not in now:
                    found[chain] = Break(chain, seq, None, f"missing: sealed at {seq} in {stored[-1]}")
                elif now[chain, seq] != digest:
                    found[chain] = Break(chain, seq, None, f"differs from {stored[-1]}")
    return [found[chain] for chain in sorted(found)]


def _hashes_at(connection: BaseDatabaseWrapper, positions: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The hash (hex) of each (chain, number) still in the log: a province's thousands of sealed heads in a few
    queries, not one each."""
    found: dict[tuple[int, int], str] = {}
    with connection.cursor() as cursor:
        for part in chunks(positions, 500):  # two parameters each: well under SQLite's limit
            cursor.execute(
                f"SELECT coalesce(school_id, 0), chain_seq, entry_hash FROM {TABLE} WHERE (coalesce(school_id, 0), "
                f"chain_seq) IN (VALUES {', '.join(['(%s, %s)'] * len(part))})",
                [value for position in part for value in position])
            found.update({(chain, seq): bytes(digest).hex() for chain, seq, digest in cursor.fetchall()
                          if digest is not None})
    return found
