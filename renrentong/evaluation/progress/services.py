"""Reminding the students with nothing submitted (EVA-4) and their parents, through the notice services
(renrentong/notices: one notice to the chosen students of the classes, fanned out like any notice, read in the
inbox); never a channel of our own. One batch per class per day is plenty: a second is refused, naming who
sent the first."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from renrentong.accounts.selectors import empty_roles
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.notices.models import Notice
from renrentong.notices.services import NoticeDraft, send_notice, sender_label

from renrentong.evaluation import selectors as evaluation
from renrentong.evaluation.models import ProgressReminder
from renrentong.evaluation.progress import access, selectors


@dataclass
class ReminderBatch:
    notice: Notice
    students: int
    classes: list[str]
    skipped: list[str] = field(default_factory=list)  # reminded earlier today


def _text(school_name: str, closes_on) -> tuple[str, str]:
    # Stored in the platform's language, as a notice typed by its sender is; the reader's inbox shows it as is.
    title = "综合素质评价：还没有上报材料"
    body = (f"{school_name}提醒：本学年的综合素质评价材料还没有上报。请在“成长”的成长记录中记录材料，"
            f"再在写实记录中为每条材料选择评价项目（遴选）后上报。")
    if closes_on:
        body += f"学校的上报截止日期为 {closes_on:%Y-%m-%d}。"
    return title, body


def remind_nothing_submitted(actor: Actor, school_id: int | None, *, grade_id: int | None = None,
                             class_id: int | None = None) -> ReminderBatch:
    """Remind the students of the chosen classes (one class, a grade, or every class the actor sees) who have
    nothing submitted this school year, and their parents: one notice, one reminder row per class."""
    if not (access.is_school_admin(actor) or access.headed_class_ids(actor)):
        raise UserFacingError("evaluation.remind_not_allowed")
    school = selectors.school_for(actor, school_id) if school_id is not None else selectors.home_school(actor)
    rows = selectors.student_rows(actor, school, grade_id=grade_id, class_id=class_id, only_nothing=True)
    by_class: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for row in rows:
        if access.may_remind_class(actor, school.pk, row.class_id):
            by_class.setdefault(row.class_id, []).append(row.person_id)
            names[row.class_id] = row.class_name
    if not by_class:
        raise UserFacingError("evaluation.nobody_to_remind")
    today = timezone.localdate()
    done = selectors.reminded_today(school, list(by_class), today)
    if len(done) == len(by_class):
        _refuse_again(done, names)
    wanted = [c for c in by_class if c not in done]
    students = sorted(p for c in wanted for p in by_class[c])
    roles = [r for r in (Notice.Role.STUDENT, Notice.Role.PARENT)
             if r not in empty_roles(today, roles=[r], class_ids=wanted)] or [Notice.Role.STUDENT, Notice.Role.PARENT]
    window = evaluation.window_of_school(school.pk, school.school_year)
    with translation.override(settings.LANGUAGE_CODE):
        title, body = _text(school.name, window.closes_on if window else None)
    try:
        with transaction.atomic():
            notice = send_notice(actor, NoticeDraft(title=title, body=body, roles=roles, class_ids=wanted,
                                                    student_ids=students))
            ProgressReminder.objects.bulk_create([
                ProgressReminder(school_id=school.pk, class_id=c, sent_on=today, school_year=school.school_year,
                                 notice_id=notice.pk, students=len(by_class[c]), sent_by=actor.account,
                                 sent_by_label=sender_label(actor)) for c in wanted])
            audit.record(actor, "evaluation.progress_remind", notice, {
                "classes": wanted, "students": len(students), "roles": roles, "skipped": sorted(done)},
                school_id=school.pk)
    except IntegrityError:
        # Someone reminded one of these classes between our check and our write: theirs stands.
        _refuse_again(selectors.reminded_today(school, wanted, today), names)
    return ReminderBatch(notice, len(students), [names[c] for c in wanted], [names[c] for c in done])


def _refuse_again(done: dict[int, ProgressReminder], names: dict[int, str]):
    who = "、".join(sorted({r.sent_by_label for r in done.values()}))
    raise UserFacingError("evaluation.reminded_today", classes="、".join(names.get(c, str(c)) for c in done), who=who)
