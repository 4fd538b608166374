"""Who reads a student's archive (综合素质档案) and who files activity material (issue 14 items 8 and 9)."""

from __future__ import annotations

from renrentong.core.actor import Actor

from renrentong.evaluation import access as evaluation_access


def reads_school_archives(actor: Actor) -> bool:
    """A school admin exports the archives of the school's students and graduates."""
    return evaluation_access.is_school_admin(actor)


def may_read_archive(actor: Actor, person_id: int, last_school_id: int) -> bool:
    """The student, a parent of the student, or the admin of the school where the student is or was last
    enrolled: after a transfer that is the new school, never the old one."""
    if evaluation_access.keeps_material(actor):
        return person_id in actor.scope.person_ids
    return reads_school_archives(actor) and actor.identity.school_id == last_school_id


def files_material_for_others(actor: Actor) -> bool:
    """A school admin files attended activities as material for the school's children in bulk."""
    return evaluation_access.is_school_admin(actor)
