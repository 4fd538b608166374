"""Class group messages (SPC-3) reach the inbox the way notices do (MSG-2): a Notice of kind CLASS_MESSAGE
addressed to roles of one class, fanned out set-based after the send has returned.

The class group app (renrentong.classgroups, above this layer) decides who may post and who was taken out
of the group (请出班级); it passes those accounts here, and the fan-out of a class message drops their rows
right after the unit is written, so a removed member's inbox does not get the group's messages."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from renrentong.accounts.selectors import empty_roles
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.notices import access
from renrentong.notices.models import Notice, NoticeAttachment
from renrentong.notices.services import BODY_LIMIT, MAX_FILES, sender_label
from renrentong.orgs.models import SchoolClass
from renrentong.uploads.models import StoredFile


def send_class_message(actor: Actor, class_id: int, text: str, file_ids: list[int], roles: list[str], *,
                       exclude_account_ids: Iterable[int] = ()) -> Notice:
    """Record a teacher's message to the class group and queue its fan-out to the chosen roles of the
    class; the caller (classgroups) has checked the actor is a teacher member of the group."""
    if not access.classes_limited_to_teaching(actor) or class_id not in actor.scope.class_ids:
        raise UserFacingError("notices.class_not_taught", classes="该班")
    school_class = SchoolClass.objects.select_related("school", "cohort").filter(
        pk=class_id, school_id=actor.identity.school_id).first()
    if school_class is None:
        raise UserFacingError("notices.class_not_in_school")
    body = (text or "").strip()
    if not body and not file_ids:
        raise UserFacingError("classgroups.text_required")  # the class group app's catalogue
    if len(body) > BODY_LIMIT:
        raise UserFacingError("notices.body_too_long")
    wanted_files = list(dict.fromkeys(file_ids))
    if len(wanted_files) > MAX_FILES:
        raise UserFacingError("notices.too_many_files")
    chosen = [r for r in Notice.Role.values if r in set(roles)]
    if not chosen:
        raise UserFacingError("notices.no_audience")
    now = timezone.now()
    # A group message goes to whoever of the chosen roles holds an account; it fails only if nobody does.
    empty = set(empty_roles(timezone.localdate(), roles=chosen, class_ids=[class_id]))
    reached = [r for r in chosen if r not in empty]
    if not reached:
        raise UserFacingError(f"notices.no_{chosen[0]}_accounts")
    files = list(StoredFile.objects.filter(pk__in=wanted_files, owner=actor.account))
    if len(files) != len(wanted_files):
        raise UserFacingError("notices.file_not_yours")
    school_id = school_class.school_id
    # The title is what a push shows (MSG-4), so it names the class and never carries the text (NFR-1);
    # stored in the platform's language, as a notice title typed by its sender is.
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Class group message · %(name)s") % {"name": school_class.display_name()}
    with transaction.atomic():
        notice = Notice.objects.create(
            school_id=school_id, kind=Notice.Kind.CLASS_MESSAGE, status=Notice.Status.SENDING,
            sender=actor.account, sender_identity_id=actor.identity.pk, sender_label=sender_label(actor),
            title=title[:60], body=body,
            audience={"roles": reached, "class_ids": [class_id], "school_ids": None,
                      "exclude_account_ids": sorted(set(exclude_account_ids))},
            send_at=now, created_at=now,
        )
        order = {pk: i for i, pk in enumerate(wanted_files)}
        NoticeAttachment.objects.bulk_create([
            NoticeAttachment(notice=notice, school_id=school_id, file=f, position=order[f.pk]) for f in files])
        audit.record(actor, "class_message.send", notice, {"class": class_id, "roles": reached,
                                                          "files": len(files)}, school_id=school_id)
        transaction.on_commit(lambda: _queue_fan_out(notice.pk))
    return notice


def _queue_fan_out(notice_id: int) -> None:
    # The notices' own fan-out task: it leaves out the excluded members in the same statements, so a worker
    # restarted by notices.services.release_due leaves them out too.
    from renrentong.notices.tasks import fan_out_notice

    fan_out_notice.enqueue(notice_id)
