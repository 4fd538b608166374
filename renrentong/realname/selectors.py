"""Reads of the real-name registry, always starting from what the Actor may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from renrentong.accounts.models import Account, Person
from renrentong.accounts.selectors import people_in_scope
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.crypto import id_number_digest
from renrentong.core.masking import mask_id_number, mask_phone
from renrentong.core.text import is_valid_id_number, normalize_id_number, normalize_text

from renrentong.realname.models import Binding, RegistryEntry
from renrentong.realname.services import entries_in_scope, require_admin
from renrentong.core.names import normalize_person_name

PAGE = 50


# The registry table's orders (?sort=): by role, class and name (the default), or by name alone.
ENTRY_SORTS = {"role": ("role", "class_text", "name", "pk"), "name": ("name", "pk")}


def search_entries(actor: Actor, *, query: str = "", role: str = "", class_id: int | None = None,
                   school_id: int | None = None, retired: bool = False, sort: str = "role"
                   ) -> QuerySet[RegistryEntry]:
    """Entries in scope matching a name (part of it), a full ID number, or a certificate or student number."""
    found = entries_in_scope(actor)
    found = found.filter(retired_at__isnull=not retired)
    if school_id:
        found = found.filter(school_id=school_id)
    if role in RegistryEntry.Role.values:
        found = found.filter(role=role)
    if class_id:
        found = found.filter(school_class_id=class_id)
    text = normalize_text(query)[:64]
    if text:
        id_number = normalize_id_number(text)
        if len(id_number) == 18 and is_valid_id_number(id_number):
            found = found.filter(id_number_digest=id_number_digest(id_number))
        else:
            found = found.filter(Q(name__contains=normalize_person_name(text)) | Q(number__iexact=text))
    key = sort.removeprefix("-")
    order = ENTRY_SORTS.get(key, ENTRY_SORTS["role"])
    if sort.startswith("-") and key in ENTRY_SORTS:
        order = tuple("-" + f for f in order)
    return found.select_related("school", "school_class__cohort__stage", "school_class__school").order_by(*order)


def classes_to_filter(actor: Actor) -> list:
    """A school admin's administrative classes, for the registry's class filter (region admins search)."""
    from renrentong.orgs.models import SchoolClass

    from renrentong.realname.access import works_on_own_school

    identity = require_admin(actor)
    if not works_on_own_school(actor):
        return []
    classes = SchoolClass.objects.filter(school_id=identity.school_id, kind=SchoolClass.Kind.ADMINISTRATIVE)
    return sorted(classes.select_related("cohort__stage", "school"),
                  key=lambda c: (-c.cohort.enrollment_year, c.number))


def live_bindings(entries: list[RegistryEntry]) -> dict[int, Binding]:
    """The account each entry is verified by, if any."""
    bound = Binding.objects.filter(entry__in=entries, ended_at__isnull=True).exclude(
        role=Binding.Role.PARENT).select_related("account")
    return {b.entry_id: b for b in bound}


@dataclass(frozen=True)
class HeldBy:
    account_number: str
    name: str
    phone: str  # masked
    status: str
    how: str  # "verified": bound to the registry entry; "person": the account's person has this ID number
    entry: RegistryEntry | None


def holders_of(actor: Actor, id_number: str) -> list[HeldBy]:
    """Which account holds an ID number (seed 003: "用户查询通过身份证查询出来绑定的账号"), within scope:
    the account verified with the school's entry, and the account of the person with that number."""
    require_admin(actor)
    value = normalize_id_number(id_number)
    if not is_valid_id_number(value):
        from renrentong.core.errors import UserFacingError

        raise UserFacingError("realname.invalid_id_number", value=mask_id_number(value[:18]))
    digest = id_number_digest(value)
    entries = list(entries_in_scope(actor).filter(id_number_digest=digest))
    result: list[HeldBy] = []
    seen: set[int] = set()
    for binding in Binding.objects.filter(entry__in=entries, ended_at__isnull=True).exclude(
            role=Binding.Role.PARENT).select_related("account__person", "entry__school"):
        seen.add(binding.account_id)
        result.append(_held(binding.account, "verified", binding.entry))
    people = people_in_scope(actor.scope, Person.objects.filter(id_number_digest=digest))
    for account in Account.objects.filter(person__in=people).select_related("person"):
        if account.pk not in seen:
            result.append(_held(account, "person", entries[0] if entries else None))
    audit.record(actor, "realname.lookup_holder", None, {"id_number": mask_id_number(value),
                                                          "found": len(result)},
                 school_id=actor.identity.school_id if actor.identity else None)
    return result


def _held(account: Account, how: str, entry: RegistryEntry | None) -> HeldBy:
    return HeldBy(account_number=account.number, name=account.person.name if account.person_id else "",
                  phone=mask_phone(account.phone or ""), status=account.status, how=how, entry=entry)


def my_bindings(actor: Actor) -> list[Binding]:
    """The account's verifications, live ones first."""
    return list(Binding.objects.filter(account=actor.account).select_related("entry__school")
                .order_by(F("ended_at").asc(nulls_first=True), "-created_at"))


def binding_roles() -> list[tuple[str, str]]:
    return Binding.Role.choices


def entry_roles() -> list[tuple[str, str]]:
    return RegistryEntry.Role.choices


def is_student_entry(entry: RegistryEntry) -> bool:
    """A student's registry row needs its class to exist before the student verifies."""
    return entry.role == RegistryEntry.Role.STUDENT
