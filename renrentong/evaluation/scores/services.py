"""The verbs of the academic score import (EVA-6): accept a file, commit it, cancel, undo. The work itself is
the roster import machinery's (rosters.services and its worker, running scores.importer): the upload is
stored and screened, previewed row by row in the background, committed in chunks with progress, and every
step is audited there (import.upload, import.commit, import.cancel, import.undo). These check first that the
actor imports scores at all and acts on this job (scores.access)."""

from __future__ import annotations

from collections.abc import Sequence

from renrentong.accounts.following import StudentMove
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.rosters import services as rosters

from renrentong.evaluation.archive.services import move_rows
from renrentong.evaluation.models import AcademicScore, AcademicScoreChange
from renrentong.evaluation.scores import access, selectors
from renrentong.evaluation.scores.importer import KIND


def accept_upload(actor: Actor, chunks, original_name: str):
    """A city admin's file covers every school below the city (the city's items); a school admin's their
    school (its own items). The preview is queued."""
    if not access.imports_scores(actor):
        raise UserFacingError("evaluation.scores_not_allowed")
    return rosters.accept_upload(actor, chunks, original_name, KIND, None, registered_by_owner=True)


def commit(actor: Actor, job_id: int):
    return rosters.request_commit(actor, selectors.score_job(actor, job_id))


def cancel(actor: Actor, job_id: int):
    return rosters.cancel(actor, selectors.score_job(actor, job_id))


def undo(actor: Actor, job_id: int):
    return rosters.undo_import(actor, selectors.score_job(actor, job_id))


def move_scores(moves: Sequence[StudentMove]) -> int:
    """A transferred student's scores move to the new school with their records (accounts.following), so the
    new school sees them and the old one no longer does; undo bookkeeping moves with them."""
    return move_rows(moves, AcademicScore, dependents=[(AcademicScoreChange, "score_row")])
