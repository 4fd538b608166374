"""Many archives at once: a school admin exports a class's or all graduates' archives as a .zip with one
PDF per student, through the shared exports machinery (a task with a progress bar counting students)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.exports import producers

from renrentong.evaluation.archive import pdf, selectors, services

TITLE = _("Evaluation archives")
LIMIT = 5_000


def _document(actor: Actor, student_id: int):
    def make() -> tuple[str, bytes]:
        person, enrollment = selectors.student_for_archive(actor, student_id)
        archive = selectors.archive_of(person, enrollment)
        return services.file_name(archive), pdf.render([archive])
    return make


def chosen_students(actor: Actor, params: dict) -> tuple[list[int], str]:
    """The students of the chosen class (class_id) or all the school's graduates, and the zip's name."""
    class_id = int(params.get("class_id") or 0)
    if class_id:
        school_class = selectors.class_of_school(actor, class_id)
        people, label = selectors.students_of_class(actor, school_class), school_class.display_name()
    else:
        people, label = selectors.graduates(actor), "毕业生"
    ids = list(people.values_list("pk", flat=True)[:LIMIT])
    if not ids:
        raise UserFacingError("evaluation.archive_nobody")
    return ids, label


@producers.producer
def archives_export(actor: Actor, params: dict) -> producers.Export:
    ids, label = chosen_students(actor, params)
    return producers.Export(
        file_name=f"综合素质档案-{label}.zip", sheet=None, documents=[_document(actor, pk) for pk in ids],
        audit_verb="evaluation.archive_export", audit_target=None,
        audit_details={"students": len(ids), "student_ids": ids, "class_id": int(params.get("class_id") or 0) or None},
        school_id=actor.identity.school_id)
