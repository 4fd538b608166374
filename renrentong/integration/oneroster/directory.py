"""The OneRoster directory (integration.RosterId): each object's lasting sourcedId, the row it was last exported
with and when that row last changed, so that a delta export is "what changed since" and an object that is gone
is still sent once as `tobedeleted`. Written set-based, a few queries per school and file, never per row: one read
of what the directory holds, one INSERT of the new objects (complete, with their rows) and one UPDATE of the
changed ones per chunk."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from renrentong.core.bulk import among, bulk_set, chunks

from renrentong.integration.models import RosterId
from renrentong.integration.oneroster.records import ROLE_USER, Record, Ref, still_present

LONG_DIGITS = re.compile(r"\d{7}")


@dataclass
class Entry:
    sourced_id: str
    modified_at: datetime | None  # None: an unchanged row of a directory that does not read dates (`dated`)
    row: list  # the cells with every Ref resolved: what the files hold after sourcedId, status, dateLastModified
    gone: bool = False
    pk: int | None = None  # the directory row's (RosterId) id
    fingerprint: int = 0  # of `row`, as the directory row holds it


def new_sourced_id() -> str:
    """A random UUID, drawn again when it holds seven digits in a row (about one in seven do): a sourcedId
    must never read as a phone or ID number to a privacy scan, ours or a receiving school's."""
    while True:
        drawn = str(uuid.uuid4())
        if not LONG_DIGITS.search(drawn):
            return drawn


# The row's JSON as json.dumps(row, ensure_ascii=False, separators=(",", ":")) writes it, the text the stored
# fingerprints were taken of. A row of text (every row records.py makes) is joined from its cells' JSON strings
# directly, a fifth of the encoder's cost over 600,000 rows; any other row goes through an encoder made once.
_ROW_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
_json_string = json.encoder.encode_basestring


def fingerprint(row: list) -> int:
    try:
        text = "[" + ",".join(map(_json_string, row)) + "]"
    except TypeError:  # a cell that is not text
        text = _ROW_JSON.encode(row)
    digest = hashlib.blake2b(text.encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def user_of(kind: str, row: list) -> str | None:
    """A roles row's user (its userSourcedId) as RosterId.user_sourced_id holds it: the REST service finds the
    users an app may see by it."""
    return (row[ROLE_USER] or None) if kind == "roles" and row else None


class Directory:
    """One export's view of the directory: the sourcedIds it has resolved, by (kind, key). A district's export
    holds those of one school at a time (`forget_school`); a reference to an object of an earlier school is read
    back from the directory when it is needed. `dated` False: an unchanged row's dateLastModified is not read (a
    bulk export writes none; parsing 600,000 timestamps was a tenth of its time)."""

    def __init__(self, now: datetime, *, dated: bool = True) -> None:
        self.now = now
        self.dated = dated
        self.ids: dict[tuple[str, str], str] = {}

    def forget_school(self) -> None:
        """Forget what only one school's rows refer to; keep the regions and school years, which all do."""
        self.ids = {(kind, key): sourced_id for (kind, key), sourced_id in self.ids.items()
                    if kind == "academicSessions" or key.startswith("region:")}

    def _read_ids(self, kind: str, keys: list[str]) -> None:
        for part in chunks(keys):
            for key, sourced_id in (RosterId.objects.filter(among("local_key", part), kind=kind)
                                    .values_list("local_key", "sourced_id")):
                self.ids[kind, key] = sourced_id

    def _read_references(self, records: list[Record]) -> None:
        """The sourcedIds of the objects `records` refer to that this export has not resolved (or forgotten):
        written by an earlier school of the export, or by an earlier one."""
        missing: dict[str, set[str]] = {}
        for record in records:
            for cell in record.cells:
                for ref in (cell,) if isinstance(cell, Ref) else cell if isinstance(cell, tuple) else ():
                    if (ref.kind, ref.key) not in self.ids:
                        missing.setdefault(ref.kind, set()).add(ref.key)
        for kind, keys in missing.items():
            self._read_ids(kind, sorted(keys))

    def _rows(self, records: list[Record]) -> list[list]:
        """Each record's cells with every Ref resolved. The references this export has not resolved are read back
        once, for the records that hold one, instead of looking through every cell beforehand."""
        rows, unresolved = [], []
        resolve = self.resolve
        for i, record in enumerate(records):
            try:
                rows.append([cell if type(cell) is str else resolve(cell) for cell in record.cells])
            except KeyError:
                rows.append([])
                unresolved.append(i)
        if unresolved:
            self._read_references([records[i] for i in unresolved])
            for i in unresolved:
                rows[i] = [resolve(cell) for cell in records[i].cells]
        return rows

    def resolve(self, cell):
        if isinstance(cell, Ref):
            return self.ids[cell.kind, cell.key]
        if isinstance(cell, tuple):
            # Sorted: a list's order means nothing in OneRoster, and one set of parents must give one row
            # whichever parent the platform recorded first (an imported package gives the same row back).
            return ",".join(sorted(self.ids[ref.kind, ref.key] for ref in cell))
        return cell

    def _stored(self, kind: str, keys: list[str]) -> dict[str, tuple]:
        """{key: (pk, sourcedId, fingerprint, modified_at or None when not `dated`, gone)} of those stored."""
        stored = {}
        fields = ["pk", "local_key", "sourced_id", "fingerprint", "gone_at"] + (["modified_at"] if self.dated else [])
        for part in chunks(keys):
            for pk, key, sourced_id, fp, gone_at, *modified_at in (
                    RosterId.objects.filter(among("local_key", part), kind=kind).values_list(*fields)):
                stored[key] = (pk, sourced_id, fp, modified_at[0] if modified_at else None, gone_at is not None)
        return stored

    def sync(self, kind: str, records: list[Record]) -> list[Entry]:
        """The records as the directory now holds them: a new object gets a sourcedId (found, or drawn) and is
        inserted with its row; a changed row (or one an import wrote without a row, fingerprint 0) gets today's
        dateLastModified, an unchanged one keeps its own, one that had gone comes back."""
        for _ in range(2):
            entries = self._sync(kind, records)
            if entries is not None:
                return entries
        raise RuntimeError(f"the OneRoster directory's {kind} kept changing under this export")

    def _sync(self, kind: str, records: list[Record]) -> list[Entry] | None:
        stored = self._stored(kind, [r.key for r in records])
        new_keys = []
        for record in records:
            found = stored.get(record.key)
            if found is not None:
                self.ids[kind, record.key] = found[1]
            else:
                new_keys.append(record.key)
        if kind == "demographics":  # a student's demographics row shares the user's sourcedId, as OneRoster has it
            self._read_ids("users", [key for key in new_keys if ("users", key) not in self.ids])
        for key in new_keys:
            self.ids[kind, key] = (self.ids.get(("users", key)) if kind == "demographics" else None) or new_sourced_id()
        entries, inserts, updates = [], [], []
        for record, row in zip(records, self._rows(records)):
            new = fingerprint(row)
            found = stored.get(record.key)
            sourced_id, modified_at, pk = self.ids[kind, record.key], self.now, None
            if found is None:
                inserts.append((record.key, sourced_id, record.school_id, new, row))
            else:
                pk, _, old, stored_at, gone = found
                if new != old or old == 0 or gone:
                    updates.append((pk, record.school_id, new, row))
                else:
                    modified_at = stored_at
            entries.append(Entry(sourced_id, modified_at, row, pk=pk, fingerprint=new))
        taken, inserted = self._insert(kind, inserts)
        self._update(kind, updates)
        for entry in entries:
            if entry.pk is None:
                entry.pk = inserted.get(entry.sourced_id)
        if taken:
            # Another export or the worker drew some of these objects' ids at the same moment: theirs stand, and
            # the rows that referred to ours are written again with theirs.
            for key in taken:
                del self.ids[kind, key]
            self._read_ids(kind, taken)
            return None
        return entries

    def _insert(self, kind: str, rows: list[tuple]) -> tuple[list[str], dict[str, int]]:
        """INSERT the new objects, complete; returns the keys another writer inserted first, and the directory row
        ids of those inserted by sourcedId."""
        taken, inserted_ids = [], {}
        for part in chunks(rows):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO integration_rosterid (kind, local_key, sourced_id, school_id, fingerprint, "
                        "\"row\", modified_at, gone_at, user_sourced_id) "
                        "SELECT %s, k, s, sch, fp, r::jsonb, %s, NULL, u "
                        "FROM unnest(%s::text[], %s::text[], %s::bigint[], %s::bigint[], %s::text[], %s::text[]) "
                        "AS v(k, s, sch, fp, r, u) ON CONFLICT DO NOTHING RETURNING local_key, sourced_id, id",
                        [kind, self.now, [r[0] for r in part], [r[1] for r in part], [r[2] for r in part],
                         [r[3] for r in part], [_json(r[4]) for r in part], [user_of(kind, r[4]) for r in part]])
                    inserted = set()
                    for key, sourced_id, pk in cursor.fetchall():
                        inserted.add(key)
                        inserted_ids[sourced_id] = pk
                taken += [r[0] for r in part if r[0] not in inserted]
            else:
                RosterId.objects.bulk_create([
                    RosterId(kind=kind, local_key=key, sourced_id=sourced_id, school_id=school_id, fingerprint=fp,
                             row=row, modified_at=self.now, user_sourced_id=user_of(kind, row))
                    for key, sourced_id, school_id, fp, row in part], ignore_conflicts=True)
                mine = {key: sourced_id for key, sourced_id, *_ in part}
                for key, sourced_id, pk in (RosterId.objects.filter(among("local_key", list(mine)), kind=kind)
                                            .values_list("local_key", "sourced_id", "pk")):
                    if mine[key] != sourced_id:
                        taken.append(key)
                    else:
                        inserted_ids[sourced_id] = pk
        return taken, inserted_ids

    def _update(self, kind: str, rows: list[tuple]) -> None:
        """UPDATE the changed rows, a statement a chunk."""
        bulk_set(RosterId, ["school_id", "fingerprint", "row", "modified_at", "gone_at", "user_sourced_id"],
                 [(pk, school_id, fp, row, self.now, None, user_of(kind, row)) for pk, school_id, fp, row in rows])

    def sweep(self, kind: str, school_id: int, present) -> None:
        """Objects of the school's that this export no longer finds are gone from now on (`present` holds the keys
        it found, or for users and demographics the person ids). A person may only have moved: one the platform
        still rosters elsewhere moves to that school's rows instead."""
        people = kind in ("users", "demographics")
        absent = [(pk, key) for pk, key in RosterId.objects.filter(kind=kind, school_id=school_id, gone_at__isnull=True)
                  .values_list("pk", "local_key")
                  if (int(key.removeprefix("person:")) if people else key) not in present]
        if not absent:
            return
        moved: dict[int, int] = {}
        if people:
            moved = still_present([int(key.removeprefix("person:")) for _, key in absent])
        by_school: dict[int, list[int]] = {}
        for pk, key in absent:
            person = int(key.removeprefix("person:")) if people else None
            by_school.setdefault(moved.get(person, 0) if person in moved else -1, []).append(pk)
        for school, pks in by_school.items():
            for part in chunks(pks):
                if school == -1:
                    RosterId.objects.filter(among("pk", part)).update(gone_at=self.now, modified_at=self.now)
                else:
                    RosterId.objects.filter(among("pk", part)).update(school_id=school)

    def gone_since(self, kind: str, school_ids: list[int], since: datetime | None) -> list[Entry]:
        """What a delta says is deleted: the school's objects gone after `since` (a bulk export lists none)."""
        rows = RosterId.objects.filter(kind=kind, gone_at__isnull=False, gone_at__gt=since,
                                       school_id__in=school_ids).order_by("pk")
        return [Entry(sourced_id, modified_at, row, gone=True)
                for sourced_id, modified_at, row in rows.values_list("sourced_id", "modified_at", "row")]


def _json(row: list) -> str:
    return json.dumps(row, ensure_ascii=False)
