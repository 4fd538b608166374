"""The one importer protocol (IMP-1..4) that the student and the teacher imports implement, and the
pieces they share: the lookup of the people a file names, and what counts as a used account on undo.

A job (rosters/services.py) drives an importer through this protocol only: read the file with its
columns, parse the table into rows, classify the rows against the database (the preview), apply a
chunk of rows (the commit, in the transaction that advances the job's cursor), and undo the job.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

from django.db.models import F
from django.utils import timezone

from renrentong.accounts.models import Account, Enrollment, Identity, Person
from renrentong.core.bulk import among, chunks


@runtime_checkable
class Importer(Protocol):
    """What a job needs of an importer (a module or an object)."""

    COLUMNS: dict[str, tuple[str, ...]]  # canonical field -> the headers that name it
    REQUIRED: set[str]  # fields a file must have
    TEXT_ONLY: set[str]  # fields whose numeric cells cannot be what the user meant
    # The version of dump_parsed's format (a stored parse of another version is parsed again), or None:
    # the importer keeps no parse and the commit reads the file again.
    PARSED_FORMAT: int | None

    def parse_rows(self, table, schools: dict[str, int], default_school_id: int | None, classes,
                   checked: Collection[int] = ()) -> list: ...

    def dump_parsed(self, rows: list) -> Iterator[list[dict]]: ...

    def load_parsed(self, parts: Iterable[list[dict]]) -> list: ...

    def classify(self, rows: list) -> Any: ...

    def apply_chunk(self, job_id: int, actor_account_id: int, rows: list, today: date) -> Any: ...

    def undo(self, job_id: int, today: date) -> dict[str, int]: ...


# -- The one lookup of the people a file names ---------------------------------------------------------

@dataclass
class FoundPeople:
    """Who the database already holds, by each key a file may give (set-based: a query per chunk of keys)."""

    by_digest: dict[str, int] = field(default_factory=dict)  # ID number digest -> person
    by_national: dict[str, int] = field(default_factory=dict)  # national student number digest -> person
    by_local: dict[str, int] = field(default_factory=dict)  # local student number -> person
    by_account_number: dict[str, int] = field(default_factory=dict)  # account number -> person
    by_phone: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # login phone -> (account, person)
    phone_of: dict[int, str | None] = field(default_factory=dict)  # person found by digest -> their login phone


def find_people(*, digests: Iterable[str] = (), nationals: Iterable[str] = (), locals_: Iterable[str] = (),
                account_numbers: Iterable[str] = (), phones: Iterable[str] = (),
                phones_of_digests: bool = False) -> FoundPeople:
    """The people (and accounts) the keys name. With `phones_of_digests`, also the login phone of each
    person found by ID number (the teacher import compares it with the file's phone)."""
    found = FoundPeople()
    for chunk in chunks(list(account_numbers)):
        found.by_account_number.update(Account.objects.filter(among("number", chunk), person__isnull=False)
                                       .values_list("number", "person_id"))
    for chunk in chunks(list(digests)):
        if phones_of_digests:
            for pk, digest, phone in Person.objects.filter(among("id_number_digest", chunk)).values_list(
                    "pk", "id_number_digest", "account__phone"):
                found.by_digest[digest] = pk
                found.phone_of[pk] = phone
        else:
            for pk, digest in Person.objects.filter(among("id_number_digest", chunk)).values_list(
                    "pk", "id_number_digest"):
                found.by_digest[digest] = pk
    for chunk in chunks(list(nationals)):
        for pk, number in Person.objects.filter(among("national_student_number_digest", chunk)).values_list(
                "pk", "national_student_number_digest"):
            found.by_national[number] = pk
    for chunk in chunks(list(locals_)):
        for pk, number in Person.objects.filter(among("local_student_number", chunk)).values_list(
                "pk", "local_student_number"):
            found.by_local[number] = pk
    for chunk in chunks(list(phones)):
        for pk, phone, person in Account.objects.filter(among("phone", chunk)).values_list("pk", "phone", "person_id"):
            found.by_phone[phone] = (pk, person)
    return found


# -- Keys met before, in a file read a chunk at a time ------------------------------------------------------

class FirstSeen:
    """The first row of a file that gave each key (an ID number's digest, an account number ...), for rows
    read in file order a chunk at a time: the later rows that give a key again are the file's duplicates.
    The keys spill to a SQLite file of their own, not to this process's memory: a city's roster gives
    millions of them, and its preview must hold a chunk, not the file (issue 16). Removed on close."""

    def __init__(self) -> None:
        fd, self.path = tempfile.mkstemp(prefix="rrt-keys-", suffix=".sqlite")
        os.close(fd)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        # Nothing here outlives the preview: no journal, no syncs.
        self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                              "CREATE TABLE seen (key TEXT PRIMARY KEY, number INTEGER) WITHOUT ROWID;")

    def __enter__(self) -> FirstSeen:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()
        os.unlink(self.path)

    def first_rows(self, keyed: list[tuple[str, int]]) -> dict[str, int]:
        """Record the (key, row number) pairs of the next rows, in file order; returns the first row number of
        each of their keys, this chunk's rows included."""
        first: dict[str, int] = {}
        for key, number in keyed:
            first.setdefault(key, number)
        keys = list(first)
        self.db.execute("BEGIN")
        for start in range(0, len(keys), 5000):
            part = keys[start:start + 5000]
            first.update(self.db.execute(
                f"SELECT key, number FROM seen WHERE key IN ({','.join('?' * len(part))})", part))
        self.db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", first.items())
        self.db.execute("COMMIT")
        return first


# -- The one definition of a used account, for undo -------------------------------------------------------

@dataclass
class CreatedAccounts:
    used: list[tuple[int, int | None, str]]  # (account, person, status)
    unused: list[tuple[int, int | None]]  # (account, person)

    @property
    def used_ids(self) -> set[int]:
        return {pk for pk, _, _ in self.used}


def created_accounts(job_id: int) -> CreatedAccounts:
    """The accounts an import created, split into used and unused. An account is used when its owner has
    logged in since, or when someone other than this import has built on it since: an enrollment of its
    person (a transfer, a later import) or an identity on it (a later import made the teacher a parent,
    an admin made them a school admin). Undo sends used accounts to the recycle bin (restorable) and
    removes unused ones as if never imported."""
    created = list(Account.objects.filter(created_by_import=job_id).values_list(
        "pk", "person_id", "last_login", "status"))
    enrolled_since = set(Enrollment.objects.filter(person__account__created_by_import=job_id).exclude(
        created_by_import=job_id).values_list("person_id", flat=True))
    given_identity_since = set(Identity.objects.filter(account__created_by_import=job_id).exclude(
        created_by_import=job_id).values_list("account_id", flat=True))
    used, unused = [], []
    for pk, person, last_login, status in created:
        if last_login or person in enrolled_since or pk in given_identity_since:
            used.append((pk, person, status))
        else:
            unused.append((pk, person))
    return CreatedAccounts(used, unused)


def recycle_used(accounts: CreatedAccounts) -> int:
    """Send the used accounts to the recycle bin (their sessions end); returns how many went there now."""
    now, moved = timezone.now(), 0
    for chunk in chunks([pk for pk, _, status in accounts.used if status != Account.Status.DELETED]):
        moved += Account.objects.filter(among("pk", chunk)).update(
            status=Account.Status.DELETED, status_changed_at=now, credentials_epoch=F("credentials_epoch") + 1)
    return moved
