"""Who may import rosters, read import jobs, print account slips and export rosters (IMP-1..6).

Services, selectors, pages and endpoints ask these; nothing else in rosters compares identity kinds.
"""

from __future__ import annotations

from renrentong.core.actor import Actor

IMPORTING_KINDS = ("school_admin", "region_admin")


def can_import(actor: Actor, school=None) -> bool:
    """A school admin imports for their school, a region admin for the schools of their region; with
    `school`, for that school (within the actor's scope)."""
    identity = actor.identity
    if identity is None or identity.kind not in IMPORTING_KINDS:
        return False
    if school is None:
        return True
    if identity.kind == "school_admin":
        return identity.school_id == school.pk
    return actor.scope.schools(type(school).objects.filter(pk=school.pk)).exists()


def imports_for_own_school(actor: Actor) -> bool:
    """A school admin's imports are for their own school; a region admin names one or lets the file say."""
    return actor.identity is not None and actor.identity.kind == "school_admin"


def chooses_school(actor: Actor) -> bool:
    """The upload form offers a choice of schools (a region admin's imports may cover several)."""
    return actor.identity is not None and actor.identity.kind == "region_admin"


def can_read_jobs(actor: Actor) -> bool:
    return can_import(actor)


def can_print_slips(actor: Actor, school_class, heads_class: bool) -> bool:
    """Admins print the slips of any class in scope; a teacher only of a class they head (`heads_class`)."""
    identity = actor.identity
    return identity is not None and (identity.kind in IMPORTING_KINDS or heads_class)


def can_export_school_rosters(actor: Actor) -> bool:
    """Whole-school exports (and every teacher export) are for school and region staff, not teachers."""
    return actor.scope.kind in ("school", "region")


def can_download_new_accounts(actor: Actor, job) -> bool:
    """The new accounts of an import with their initial passwords (a sensitive file): the admin of the
    job's school only; a region admin hands slips out through the schools, not from one file."""
    identity = actor.identity
    return (identity is not None and identity.kind == "school_admin" and job.school_id is not None
            and identity.school_id == job.school_id)
