"""The one constructor of people and their accounts, for one person or many (ACC-2..4).

The student import, the teacher import, adding a user, registration and the demo all make people
here, so all of them seal ID numbers and national student numbers the same way (NFR-1), normalise
names the same way, draw account numbers the same way, and issue initial passwords by the rule the
school's policy sets for the role (AUTH-2): random, or derived where the region chose derived rules.

Set-based: a call writes all its people in one bulk insert and all its accounts in another, so an
import of 100,000 students costs a few queries per few thousand rows, not a query per row.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from renrentong.accounts.models import Account, Person, sync_person_schools
from renrentong.accounts.passwords.services import UNUSABLE, issue_initial_password
from renrentong.accounts.people.pinyin import name_fields
from renrentong.core.bulk import among, bulk_insert, chunks
from renrentong.core.crypto import sealed_national_student_number_fields
from renrentong.core.text import normalize_text
from renrentong.orgs.models import School
from renrentong.orgs.policy import EffectivePolicy, policy_for_school

ROLES = ("student", "parent", "teacher")


@dataclass
class NewPerson:
    """One person to make (or one already made: `person_id`) and the account to open for them.

    Identifiers arrive valid and in canonical form (the callers check them and say what is wrong in
    their own words); the constructor seals them.
    """

    name: str = ""
    sex: str = ""
    id_number: str = ""  # a valid, normalised ID number, or ""
    national_student_number: str = ""  # canonical (upper case), or ""
    local_student_number: str | None = None
    birth_date: date | None = None
    person_id: int | None = None  # an existing person who gets an account: nothing above is written
    # The account.
    school_id: int | None = None  # the home school, whose policy gives the initial-password rule
    role: str | None = None  # "student", "parent" or "teacher": whose initial-password rule applies
    phone: str | None = None
    number: str | None = None  # a chosen account number (registration, the seeded demo); drawn otherwise
    password: str | None = None  # a password the person chose themselves (registration), instead of an initial one
    status: str = Account.Status.ACTIVE
    job_id: int | None = None  # the import that makes this row, so that undoing it finds it (IMP-4)


@dataclass
class MadePerson:
    person_id: int
    account_id: int
    number: str
    initial_password: str  # "" when the person chose their password or no role gives one


def normalize_name(value: str) -> str:
    """The stored form of a person's name: NFKC, no whitespace, no control character (names that are
    already so, as most cells of an import are, cost no per-character work)."""
    if value.isprintable() and " " not in value and unicodedata.is_normalized("NFKC", value):
        return value
    return normalize_text(value)


def person_fields(row: NewPerson) -> dict:
    """The row of a new person for bulk_insert: name normalised with its pinyin (cached per name, so an
    import computes each distinct name once), ID and national numbers sealed."""
    fields = {**name_fields(normalize_name(row.name)), "sex": row.sex, "school_id": row.school_id,
              "local_student_number": row.local_student_number, "created_by_import": row.job_id}
    if row.birth_date is not None:
        fields["birth_date"] = row.birth_date
    if row.national_student_number:
        fields.update(sealed_national_student_number_fields(row.national_student_number))
    if row.id_number:
        fields.update(Person.id_number_fields(row.id_number))
    return fields


def _account_fields(row: NewPerson, person_id: int, number: str, policy: EffectivePolicy | None, now) -> tuple[dict, str]:
    fields = SimpleNamespace(number=number, phone=row.phone)  # what issue_initial_password reads and sets
    password = ""
    if row.password is not None:
        fields.password = make_password(row.password)
    elif row.role is not None:
        if row.role not in ROLES:
            raise ValueError(f"unknown role {row.role!r}")
        password = issue_initial_password(fields, getattr(policy, f"{row.role}_initial_rule"), policy, now=now)
    else:
        fields.password = UNUSABLE  # the caller gives it a password (the demo's administrators)
    return {**vars(fields), "person_id": person_id, "home_school_id": row.school_id, "status": row.status,
            "created_at": now, "status_changed_at": now, "created_by_import": row.job_id}, password


def create_people_with_accounts(rows: list[NewPerson], *, policies: dict[int, EffectivePolicy] | None = None,
                                now=None) -> list[MadePerson]:
    """Make the people of `rows` (those without a `person_id`) and an account for each, set-based.

    `policies` maps a school id to its effective policy, for callers that hold them already; the rest
    are read here. Returns, in the order of `rows`, what was made, with each initial password (for
    the slips)."""
    if not rows:
        return []
    now = now or timezone.now()
    policies = dict(policies or {})
    missing = {r.school_id for r in rows if r.role is not None and r.password is None} - set(policies) - {None}
    for school in School.objects.filter(pk__in=missing):
        policies[school.pk] = policy_for_school(school)
    new = [r for r in rows if r.person_id is None]
    made_people = dict(zip(map(id, new), bulk_insert(Person, [person_fields(r) for r in new]), strict=True))
    person_ids = [r.person_id if r.person_id is not None else made_people[id(r)] for r in rows]
    drawn = iter(allocate_account_numbers(sum(1 for r in rows if not r.number)))
    numbers = [r.number or next(drawn) for r in rows]
    accounts, passwords = [], []
    for r, person_id, number in zip(rows, person_ids, numbers, strict=True):
        fields, password = _account_fields(r, person_id, number, policies.get(r.school_id), now)
        accounts.append(fields)
        passwords.append(password)
    account_ids = bulk_insert(Account, accounts)
    # A person who had no account (a parent the school knew by name) lives where the new account does.
    sync_person_schools(a for r, a in zip(rows, account_ids, strict=True) if r.person_id is not None)
    return [MadePerson(*made) for made in zip(person_ids, account_ids, numbers, passwords, strict=True)]


def create_person_with_account(row: NewPerson, *, policy: EffectivePolicy | None = None,
                               now=None) -> tuple[Account, str]:
    """One person (or an existing one) with a new account: the account, its person loaded, and its
    initial password ("" when the person chose one)."""
    policies = {row.school_id: policy} if policy is not None and row.school_id is not None else None
    made = create_people_with_accounts([row], policies=policies, now=now)[0]
    return Account.objects.select_related("person", "home_school").get(pk=made.account_id), made.initial_password


def allocate_account_numbers(count: int, rng=None) -> list[str]:
    """`count` new platform-unique 8- or 9-digit account numbers (ACC-2), checked set-based.

    Numbers are random, not sequential, so that knowing one account does not reveal its neighbours.
    """
    import secrets

    draw = rng.randint if rng else lambda a, b: a + secrets.randbelow(b - a + 1)
    found: set[str] = set()
    while len(found) < count:
        wanted = count - len(found)
        candidates = {str(draw(10_000_000, 999_999_999)) for _ in range(wanted + wanted // 10 + 8)} - found
        taken = set()
        for chunk in chunks(sorted(candidates)):
            taken.update(Account.objects.filter(among("number", chunk)).values_list("number", flat=True))
        found.update(list(candidates - taken)[:wanted])
    return list(found)
