"""The verbs of a OneRoster import (INT-2): accept a package, commit it, cancel, undo. The work is the roster
import machinery's (rosters.services and its worker, running oneroster.importer), which audits every step
(import.upload, import.commit, import.cancel, import.undo); these check first that the actor may import
rosters and acts on a OneRoster job of theirs, and ask for confirmation before a commit removes many people."""

from __future__ import annotations

import os

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.rosters import selectors as roster_selectors
from renrentong.rosters import services as rosters
from renrentong.rosters.models import ImportJob

from renrentong.integration.oneroster import importer

# A commit that would remove more than this share of the people its schools hold waits for a confirmation.
REMOVE_SHARE = float(os.environ.get("RRT_ONEROSTER_REMOVE_SHARE", "0.05"))


def accept_upload(actor: Actor, chunks, original_name: str, school_id: int | None = None) -> ImportJob:
    return rosters.accept_upload(actor, chunks, original_name, importer.KIND, school_id, registered_by_owner=True)


def jobs(actor: Actor):
    return roster_selectors.jobs_in_scope(actor, kinds=(importer.KIND,))


def job(actor: Actor, job_id: int) -> ImportJob:
    if not 0 < job_id <= MAX_ID:  # an id no row can have names nothing (and would overflow the database's integer)
        raise UserFacingError("scope.not_found")
    return roster_selectors.job_in_scope(actor, job_id, kinds=(importer.KIND,))


def commit(actor: Actor, job_id: int, confirm_removals: bool = False) -> ImportJob:
    found = job(actor, job_id)
    removing, held = importer.removal_share(found)
    if removing and not confirm_removals and removing > REMOVE_SHARE * max(held, 1):
        raise UserFacingError("oneroster.confirm_removals", removing=removing, held=held,
                              percent=round(100 * removing / max(held, 1), 1), limit=round(100 * REMOVE_SHARE, 1))
    return rosters.request_commit(actor, found)


def cancel(actor: Actor, job_id: int) -> ImportJob:
    return rosters.cancel(actor, job(actor, job_id))


def undo(actor: Actor, job_id: int) -> ImportJob:
    return rosters.undo_import(actor, job(actor, job_id))
