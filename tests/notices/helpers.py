"""Sending notices in tests: through notices.services.send_notice, with the fan-out run inline."""

from __future__ import annotations

import json

from renrentong.accounts.access import actor_for
from renrentong.notices import fanout
from renrentong.notices.models import Notice
from renrentong.notices.services import NoticeDraft, send_notice
from tests.factories import bearer


def actor(account, kind=None):
    identities = account.identities.all()
    return actor_for(account, identities.get(kind=kind) if kind else identities.get())


def send(sender, *, class_ids=None, school_ids=None, roles=("parent",), title="运动会", body="周五举行运动会。",
         confirm=False, kind=None) -> Notice:
    notice = send_notice(actor(sender, kind), NoticeDraft(
        title=title, body=body, roles=list(roles), class_ids=list(class_ids or []), school_ids=list(school_ids or []),
        confirm_required=confirm))
    fanout.fan_out(notice.pk)
    notice.refresh_from_db()
    return notice


def get(client, url, account, **kw):
    return client.get(url, **bearer(account), HTTP_ACCEPT_LANGUAGE="en", **kw)


def post(client, url, account, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json", **bearer(account),
                       HTTP_ACCEPT_LANGUAGE="en")
