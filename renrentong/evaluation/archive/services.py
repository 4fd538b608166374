"""Material follows the person (issue 14 item 8) and attended activities become material (item 9).

- `move_records` is registered with accounts.following: when a student changes school (an approved
  transfer, a roster import's transfer in, or its undo) their written records and the records' files move
  to the new school and class in the same transaction, so the new school reviews them and the old one no
  longer finds them. Inside a school nothing moves: a record keeps the class it was written in.
- `archive_pdf` is the one audited read of a student's whole archive (综合素质档案) as a PDF.
- `file_material` writes a draft record for a student from something the platform already knows (an
  activity the child attended); activities calls it and keeps the link, so it is filed once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from renrentong.accounts.following import StudentMove
from renrentong.accounts.models import Person
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.bulk import among, chunks
from renrentong.core.errors import UserFacingError

from renrentong.evaluation import access as evaluation_access
from renrentong.evaluation import selectors as evaluation_selectors
from renrentong.evaluation.archive import access, pdf
from renrentong.evaluation.archive import selectors
from renrentong.evaluation.models import RecordFile, WrittenRecord
from renrentong.evaluation.services import TEXT_LIMIT, TITLE_LIMIT, one_line


# Transfers ----------------------------------------------------------------------------------------------

def move_rows(moves: Sequence[StudentMove], model, *, dependents: Sequence[tuple] = (), **also) -> int:
    """Move the students' rows of `model` (school_id, class_id, student) to the new school and class, with the
    school_id of the rows that hang off them (`dependents`: (model, field pointing at the row)); `also` are
    further columns to set. Set-based, in the caller's transaction."""
    by_place = defaultdict(list)
    for move in moves:
        by_place[(move.to_school_id, move.to_class_id)].append(move.person_id)
    moved = 0
    for (school_id, class_id), people in by_place.items():
        for chunk in chunks(sorted(set(people))):
            leaving = model.objects.filter(among("student_id", chunk)).exclude(school_id=school_id)
            for dependent, link in dependents:
                dependent.objects.filter(**{f"{link}__in": leaving.values("pk")}).update(school_id=school_id)
            moved += leaving.update(school_id=school_id, class_id=class_id, **also)
    return moved


def move_records(moves: Sequence[StudentMove]) -> int:
    """Move the students' written records and their files to the new school (accounts.following).

    The class becomes the new class: the old one belongs to the old school and would keep the records out
    of the new school's class filters. The client keys are cleared, since they only guard a create retried
    within minutes and could meet an equal key at the new school."""
    return move_rows(moves, WrittenRecord, dependents=[(RecordFile, "record")], client_key="")


# The archive (综合素质档案) -------------------------------------------------------------------------------

def archive_pdf(actor: Actor, student_id: int) -> tuple[str, bytes]:
    """One student's archive as a PDF for the student, a parent or the school admin; the read is audited."""
    person, enrollment = selectors.student_for_archive(actor, student_id)
    archive = selectors.archive_of(person, enrollment)
    content = pdf.render([archive])
    with transaction.atomic():
        audit.record(actor, "evaluation.archive_pdf", person, {"records": archive.record_count,
                                                               "scores": len(archive.scores)},
                     school_id=archive.school_id)
    return file_name(archive), content


def file_name(archive: selectors.Archive) -> str:
    return f"综合素质档案-{archive.name}-{archive.student_id}.pdf"


# Filing material from what the platform knows ------------------------------------------------------------

@dataclass(frozen=True)
class Filing:
    student_id: int
    kind: str
    title: str
    text: str
    happened_on: date
    source: dict  # what it was filed from, for the audit record: {"activity": 7, "sign_up": 12}


def file_material(actor: Actor, filing: Filing) -> WrittenRecord:
    """A draft record for the student, written by the actor (the student, a parent, or the school admin of
    the student's school), filed under the student's school and class today. The student or parent then
    classifies and submits it like any other. Runs inside the caller's transaction."""
    keeper = evaluation_access.keeps_material(actor)
    if keeper and filing.student_id not in actor.scope.person_ids:
        raise UserFacingError("evaluation.record_not_found")
    if not keeper and not access.files_material_for_others(actor):
        raise UserFacingError("evaluation.not_for_you")
    person = Person.objects.filter(pk=filing.student_id).first()
    if person is None:
        raise UserFacingError("evaluation.record_not_found")
    place = evaluation_selectors.place_of(person)
    if not keeper and actor.identity.school_id != place.school.pk:
        raise UserFacingError("evaluation.not_for_you")  # the child has moved on: their family files it
    text = filing.text.replace("\r\n", "\n").strip()[:TEXT_LIMIT]
    record = WrittenRecord.objects.create(
        school_id=place.school.pk, class_id=place.class_id, school_year=place.school.school_year, student=person,
        author=actor.account, author_kind=actor.identity.kind, kind=filing.kind,
        title=one_line(filing.title)[:TITLE_LIMIT], text=text or one_line(filing.title), happened_on=filing.happened_on)
    audit.record(actor, "evaluation.record_file", record, {"kind": record.kind, **filing.source},
                 school_id=record.school_id)
    return record


def filed_record(record_id: int | None) -> WrittenRecord | None:
    """The record filed before, if it is still there (a draft can be deleted by its student)."""
    return WrittenRecord.objects.filter(pk=record_id).first() if record_id else None
