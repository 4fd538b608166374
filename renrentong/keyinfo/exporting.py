"""The incomplete key information list (KEY-2) as an export (issue 12, item 5): written in the request
when the school is small, by the worker with a progress page when it is big (renrentong.exports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renrentong.accounts.models import Enrollment
from renrentong.core.actor import Actor
from renrentong.core.errors import in_language
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers
from renrentong.orgs.selectors import school_for

from renrentong.keyinfo.services import COMPLETE, FIELD_NAMES, MISSING, WAITING, students_key_info


TITLE = _("Students with incomplete key information")


@producers.producer
def incomplete_export(actor: Actor, params: dict) -> producers.Export:
    school = school_for(actor, params.get("school_id"), not_allowed="keyinfo.not_allowed")
    students = [s for s in students_key_info(school) if s.state != COMPLETE]
    state_names = {MISSING: in_language("未完善", "missing"), WAITING: in_language("待审核", "waiting")}
    headers = ["班级", "姓名", "账号", "市网学籍号", "全国学籍号", "身份证号", "缺少", "状态"]
    rows = [[s.class_name, s.name, s.account, s.values["local_student_number"], s.values["national_student_number"],
             s.values["id_number"], "、".join(FIELD_NAMES[f][0] for f in s.missing), state_names[s.state]]
            for s in students]
    return producers.Export(
        file_name=f"关键信息未完成名单-{school.name}.xlsx",
        sheet=Sheet(name="关键信息未完成名单", headers=headers, rows=rows, text_columns=set(headers)),
        audit_verb="keyinfo.export_incomplete", audit_target=school, school_id=school.pk)


def incomplete_size(actor: Actor, school_id: int | None) -> int:
    """At most the school's students (one COUNT), after the same scope check as the export."""
    school = school_for(actor, school_id, not_allowed="keyinfo.not_allowed")
    return Enrollment.objects.filter(school=school, ended_on=None).count()
