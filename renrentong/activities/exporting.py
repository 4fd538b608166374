"""The sign-up list as .xlsx through the shared formula-safe exporter (renrentong.exports): written in the
request for a small list, by the worker with a progress page for a big one. Phones stay masked."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renrentong.activities import selectors
from renrentong.core.actor import Actor
from renrentong.core.errors import in_language
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers

TITLE = _("Activity sign-ups")
LIMIT = 50_000


@producers.producer
def sign_ups_export(actor: Actor, params: dict) -> producers.Export:
    activity = selectors.activity_for_admin(actor, int(params.get("activity_id") or 0))
    status = str(params.get("status") or "")
    rows = selectors.sign_up_rows(selectors.sign_ups_of(actor, activity, status)[:LIMIT])
    headers = ["序号", "姓名", "学校", "班级", "家长", "家长手机", "状态", "原因", "报名时间", "出席"]
    came = {True: in_language("出席", "came"), False: in_language("缺席", "absent"), None: ""}
    data = [[r.sign_up.queue_number, r.child, r.school, r.class_name, r.parent, r.phone,
             r.sign_up.get_status_display(), r.sign_up.reason, selectors.when(r.sign_up.created_at), came[r.attended]]
            for r in rows]
    return producers.Export(
        file_name=f"活动报名名单-{activity.title}.xlsx",
        sheet=Sheet(name="活动报名名单", headers=headers, rows=data, text_columns=set(headers),
                    notes=[f"{activity.title} · {selectors.when(activity.starts_at)} · {activity.place}"]),
        audit_verb="activity.export", audit_target=activity,
        audit_details={"rows": len(data), "status": status}, school_id=activity.school_id)


def sign_ups_size(actor: Actor, activity_id: int, status: str) -> int:
    activity = selectors.activity_for_admin(actor, activity_id)
    return selectors.sign_ups_of(actor, activity, status).count()
