"""Who may do what with a school's users (ACC-5, ADM-1, ADM-3, ADM-4, ADM-7), and what an account's
identities make it at a school. Services, pages and templates ask these; nobody else in users compares
identity kinds."""

from __future__ import annotations

from collections.abc import Iterable

from renrentong.accounts.models import Account, Identity
from renrentong.core.actor import Actor
from renrentong.orgs.models import Region, School

Kind = Identity.Kind


def _kind(actor: Actor) -> str | None:
    return actor.identity.kind if actor.identity is not None else None


def can_manage_users(actor: Actor, school: School | None = None) -> bool:
    """A school admin adds, edits, freezes, moves and deletes the users of their own school."""
    if _kind(actor) != Kind.SCHOOL_ADMIN:
        return False
    return school is None or actor.identity.school_id == school.pk


def reads_schools_below(actor: Actor) -> bool:
    """A region admin reads the user tables of the schools below them (read only)."""
    return _kind(actor) == Kind.REGION_ADMIN


def can_restore(actor: Actor) -> bool:
    """Restoring from the recycle bin: the school admin (within the retention period) or a province admin."""
    if _kind(actor) == Kind.REGION_ADMIN:
        return actor.identity.region.kind == Region.Kind.PROVINCE
    return True


def bound_by_retention(actor: Actor) -> bool:
    """A school admin restores only within the retention period; a province admin also after it."""
    return _kind(actor) == Kind.SCHOOL_ADMIN


def may_move_students(actor: Actor) -> bool:
    """批量调班 is the school admin's; a teacher is refused outright (a head teacher only sends to the pool)."""
    return _kind(actor) != Kind.TEACHER


def can_remove_from_class(actor: Actor, heads_class: bool) -> bool:
    """Sending students to the pool: the school admin, or the class's head teacher."""
    if _kind(actor) == Kind.SCHOOL_ADMIN:
        return True
    return _kind(actor) == Kind.TEACHER and heads_class


def may_open_class(actor: Actor) -> bool:
    """Who may open a class's member list at all: school admins and teachers."""
    return _kind(actor) in (Kind.SCHOOL_ADMIN, Kind.TEACHER)


def is_teacher(actor: Actor) -> bool:
    return _kind(actor) == Kind.TEACHER


# What an account is (the target of a change, not the actor) -------------------------------------------------

def roles_at(school: School, account: Account, identities: Iterable[Identity], is_parent_here) -> set[str]:
    """What the account is at this school: student, teacher, parent (a teacher may also be a parent).
    `is_parent_here()` says whether the account's person is a guardian of a student of this school."""
    roles = set()
    for identity in identities:
        if identity.kind == Kind.STUDENT and identity.school_id == school.pk and account.home_school_id == school.pk:
            roles.add("student")
        elif identity.kind == Kind.TEACHER and identity.school_id == school.pk:
            roles.add("teacher")
        elif identity.kind == Kind.GUARDIAN and account.person_id and is_parent_here():
            roles.add("parent")
    return roles


def holds_admin_role(identities: Iterable[Identity]) -> bool:
    return any(i.kind in (Kind.SCHOOL_ADMIN, Kind.REGION_ADMIN) for i in identities)


def belongs_to_other_school(identities: Iterable[Identity], school: School) -> bool:
    return any(i.kind in (Kind.TEACHER, Kind.STUDENT) and i.school_id != school.pk for i in identities)


def is_some_parent(identities: Iterable[Identity]) -> bool:
    return any(i.kind == Kind.GUARDIAN for i in identities)


def is_student_somewhere(held: Iterable[tuple[str, int | None]]) -> bool:
    """Among (kind, school id) pairs an account holds: a student identity."""
    return any(kind == Kind.STUDENT for kind, _ in held)


def holds_teacher_post(held: Iterable[tuple[str, int | None]], kind: str, school_id: int | None) -> bool:
    """Whether adding `kind` at `school_id` would repeat a teacher post the account already holds."""
    return kind == Kind.TEACHER and (kind, school_id) in held


def is_teacher_kind(kind: str) -> bool:
    return kind == Kind.TEACHER
