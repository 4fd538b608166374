"""The words for the standard subjects. Subjects are stored as the school names them (the standard ones in
Chinese, as the curriculum plans and the roster files write them); pages show a standard subject in the
reader's language, and a subject the school added as it was typed (it is data, like a name)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STANDARD_SUBJECT_NAMES = {
    "语文": _("Chinese"),
    "数学": _("Mathematics"),
    "英语": _("English"),
    "道德与法治": _("Morality and Law"),
    "思想政治": _("Ideology and Politics"),
    "科学": _("Science"),
    "历史": _("History"),
    "地理": _("Geography"),
    "物理": _("Physics"),
    "化学": _("Chemistry"),
    "生物": _("Biology"),
    "音乐": _("Music"),
    "美术": _("Art"),
    "体育": _("Physical Education"),
    "信息技术": _("Information Technology"),
    "通用技术": _("General Technology"),
    "综合实践": _("Integrated Practice"),
}


def subject_label(subject: str) -> str:
    return str(STANDARD_SUBJECT_NAMES.get(subject, subject))
