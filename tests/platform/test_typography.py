"""Chinese typography (issue 12 item 1): Chinese text uses full-width punctuation (，。：；！？（）) wherever the
neighbouring characters are Chinese. Checked over every msgstr of the zh_Hans catalogue; the source of the
translations is locale/maps/*.json (scripts/translate.py applies them), so a finding is fixed there."""

from __future__ import annotations

import re

from tests.platform.test_i18n import PO, parse_po

CHINESE = r"[\u3400-\u9fff\uf900-\ufaff]"
# A half-width mark with a Chinese character on either side (spaces between do not make it right).
HALF_WIDTH = re.compile(rf"(?<={CHINESE}) ?[,:;!?()]|[,:;!?()] ?(?={CHINESE})|(?<={CHINESE})\.(?![\w.])|"
                        rf"(?<={CHINESE})\.\.\.")
# Placeholders keep their own characters: %(name)s, %s, {name}.
PLACEHOLDERS = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")
# Where the half-width marks are what the user types or sees in data, not prose: the class-name pattern an
# admin writes and the name it gives (orgs naming page).
LITERAL = re.compile(r"\{grade\}\(\{n\}\)班|三年级\(1\)班")


def half_width_marks(text: str) -> list[str]:
    # A placeholder stands for Chinese words in a Chinese sentence.
    text = PLACEHOLDERS.sub("\u4e00", LITERAL.sub("\u4e00", text))
    return [text[max(0, m.start() - 6):m.end() + 6] for m in HALF_WIDTH.finditer(text)]


def test_chinese_text_uses_full_width_punctuation():
    found = []
    for entry in parse_po(PO):
        for key in [k for k in entry if k.startswith("msgstr")]:
            found += [(entry["msgid"], where) for where in half_width_marks(entry[key])]
    assert found == [], f"{len(found)} half-width marks in Chinese text (fix in locale/maps/*.json):\n" + "\n".join(
        f"{msgid!r}: …{where}…" for msgid, where in found)


def test_the_check_tells_chinese_text_from_codes_and_numbers():
    assert len(half_width_marks("已保存,请稍候.")) == 2
    assert half_width_marks("地址(NAT)登录") != []
    assert half_width_marks("共 %(count)s 人:") != []
    assert half_width_marks("版本 1.5，文件 .xlsx，时间 15:00，账号 Pw123456@") == []
    assert half_width_marks("已保存，请稍候。") == []
    assert half_width_marks("例如 {grade}({n})班 得到 三年级(1)班。") == []
