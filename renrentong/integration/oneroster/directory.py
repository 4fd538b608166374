"""The OneRoster directory (integration.RosterId): each object's lasting sourcedId, the row it was last exported
with and when that row last changed, so that a delta export is "what changed since" and an object that is gone
is still sent once as `tobedeleted`. Written set-based, a few queries per school and file, never per row."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from renrentong.core.bulk import among, chunks

from renrentong.integration.models import RosterId
from renrentong.integration.oneroster.records import Record, Ref, still_present

LONG_DIGITS = re.compile(r"\d{7}")


@dataclass
class Entry:
    sourced_id: str
    modified_at: datetime
    row: list  # the cells with every Ref resolved: what the files hold after sourcedId, status, dateLastModified
    gone: bool = False


def new_sourced_id() -> str:
    """A random UUID, drawn again when it holds seven digits in a row (about one in seven do): a sourcedId
    must never read as a phone or ID number to a privacy scan, ours or a receiving school's."""
    while True:
        drawn = str(uuid.uuid4())
        if not LONG_DIGITS.search(drawn):
            return drawn


def fingerprint(row: list) -> int:
    digest = hashlib.blake2b(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


class Directory:
    """One export's view of the directory: sourcedIds it has resolved, by (kind, key)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.ids: dict[tuple[str, str], str] = {}

    def ensure(self, kind: str, keys_and_schools: dict[str, int]) -> None:
        """Every key has a sourcedId afterwards: found in the directory, or a new random one."""
        wanted = [key for key in keys_and_schools if (kind, key) not in self.ids]
        self._read_ids(kind, wanted)
        missing = [key for key in wanted if (kind, key) not in self.ids]
        if not missing:
            return
        new = []
        for key in missing:
            sourced_id = self.ids.get(("users", key)) if kind == "demographics" else None
            # A student's demographics row shares the user's sourcedId, as OneRoster has it.
            new.append(RosterId(kind=kind, local_key=key, sourced_id=sourced_id or new_sourced_id(),
                                school_id=keys_and_schools[key], fingerprint=0, row=[], modified_at=self.now))
        # Another export or the worker may draw the same object's id at the same moment: theirs stands.
        RosterId.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        self._read_ids(kind, missing)

    def _read_ids(self, kind: str, keys: list[str]) -> None:
        for part in chunks(keys):
            for key, sourced_id in (RosterId.objects.filter(among("local_key", part), kind=kind)
                                    .values_list("local_key", "sourced_id")):
                self.ids[kind, key] = sourced_id

    def resolve(self, cell):
        if isinstance(cell, Ref):
            return self.ids[cell.kind, cell.key]
        if isinstance(cell, tuple):
            return ",".join(self.ids[ref.kind, ref.key] for ref in cell)
        return cell

    def sync(self, kind: str, records: list[Record]) -> list[Entry]:
        """The records as the directory now holds them: a changed row gets today's dateLastModified, an
        unchanged one keeps its own, one that had gone comes back."""
        self.ensure(kind, {r.key: r.school_id for r in records})
        entries = []
        for part in chunks(records):
            stored = {key: (pk, fp, modified_at, gone_at) for pk, key, fp, modified_at, gone_at in
                      RosterId.objects.filter(among("local_key", [r.key for r in part]), kind=kind)
                      .values_list("pk", "local_key", "fingerprint", "modified_at", "gone_at")}
            changed = []
            for record in part:
                row = [self.resolve(cell) for cell in record.cells]
                pk, old, modified_at, gone_at = stored[record.key]
                new = fingerprint(row)
                if new != old or gone_at is not None:
                    modified_at = self.now
                    changed.append(RosterId(pk=pk, fingerprint=new, row=row, modified_at=modified_at, gone_at=None,
                                            school_id=record.school_id))
                entries.append(Entry(self.ids[kind, record.key], modified_at, row))
            RosterId.objects.bulk_update(changed, ["fingerprint", "row", "modified_at", "gone_at", "school_id"],
                                         batch_size=2000)
        return entries

    def sweep(self, kind: str, school_id: int, present: set[str]) -> None:
        """Objects of the school's that this export no longer finds are gone from now on. A person may only
        have moved: one the platform still rosters elsewhere moves to that school's rows instead."""
        absent = [(pk, key) for pk, key in RosterId.objects.filter(kind=kind, school_id=school_id, gone_at__isnull=True)
                  .values_list("pk", "local_key") if key not in present]
        if not absent:
            return
        moved: dict[int, int] = {}
        if kind in ("users", "demographics"):
            moved = still_present([int(key.removeprefix("person:")) for _, key in absent])
        by_school: dict[int, list[int]] = {}
        for pk, key in absent:
            person = int(key.removeprefix("person:")) if kind in ("users", "demographics") else None
            by_school.setdefault(moved.get(person, 0) if person in moved else -1, []).append(pk)
        for school, pks in by_school.items():
            for part in chunks(pks):
                if school == -1:
                    RosterId.objects.filter(pk__in=part).update(gone_at=self.now, modified_at=self.now)
                else:
                    RosterId.objects.filter(pk__in=part).update(school_id=school)

    def gone_since(self, kind: str, school_ids: list[int], since: datetime | None) -> list[Entry]:
        """What a delta says is deleted: the school's objects gone after `since` (a bulk export lists none)."""
        rows = RosterId.objects.filter(kind=kind, gone_at__isnull=False, gone_at__gt=since,
                                       school_id__in=school_ids).order_by("pk")
        return [Entry(sourced_id, modified_at, row, gone=True)
                for sourced_id, modified_at, row in rows.values_list("sourced_id", "modified_at", "row")]
