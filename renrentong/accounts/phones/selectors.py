"""Reads for phone binding (ACC-8) and the SMS outbox (SMS-1), starting from what the Actor may see."""

from __future__ import annotations

from django.utils import timezone

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_name
from renrentong.verification import selectors as verification
from renrentong.verification.models import Challenge

from renrentong.accounts.models import Account
from renrentong.accounts.phones.access import can_read_outbox, sees_full_names_in_outbox


def pending_challenge(account: Account, token: str | None) -> Challenge | None:
    """The code the account asked for to bind a phone, while it can still be entered."""
    if not token:
        return None
    challenge = Challenge.objects.filter(token=token, account_id=account.pk, used_at__isnull=True).first()
    if challenge is None or challenge.expires_at <= timezone.now() or challenge.voided:
        return None
    return challenge


def outbox(actor: Actor, limit: int = verification.OUTBOX_PAGE) -> list[verification.OutboxRow]:
    """Messages to people of the admin's schools, newest first; region admins see those below their
    region, and an admin of a top-level region also those to numbers that belong to no account yet.
    Numbers are always masked; names in full for the school's own admin, masked above it."""
    if not can_read_outbox(actor):
        raise UserFacingError("outbox.not_allowed")
    region = actor.identity.region
    messages = list(verification.outbox_messages(
        actor.scope, unowned=region is not None and region.parent_id is None)[:limit])
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={m.account_id for m in messages if m.account_id})
                .select_related("person")}
    full_names = sees_full_names_in_outbox(actor)
    rows = []
    for message in messages:
        account = accounts.get(message.account_id)
        name = account.person.name if account and account.person_id else ""
        rows.append(verification.outbox_row(message, account.number if account else "",
                                            name if full_names else mask_name(name)))
    return rows
