"""Reading grade and class names as schools write them in spreadsheets (IMP-1, ORG-3).

"三年级", "3年级", "初一", "七年级", "高二", "Grade 3" and "3" all name a grade; "1班", "(1)班", "一班"
and "1" name a class; "三年级1班" names both.
"""

from __future__ import annotations

import re

from renrentong.core.text import normalize_text, parse_number

CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_GRADE = re.compile(r"^(?:grade)?(\d{1,2}|[一二三四五六七八九十]{1,2})(?:年级)?$", re.I)
_PREFIXED = {"初": 6, "高": 9}  # 初一 = grade 7, 高一 = grade 10 (the grade number of a 6-3 system)
_CLASS = re.compile(r"^[(（]?(\d{1,3}|[一二三四五六七八九十]{1,3})[)）]?(?:班)?$")
_BOTH = re.compile(r"^(.+?年级|初[一二三四]|高[一二三]|grade\d{1,2})[(（]?(\d{1,3}|[一二三四五六七八九十]{1,3})[)）]?班?$", re.I)


def chinese_number(text: str) -> int | None:
    if (number := parse_number(text)) is not None:
        return number
    if not text or any(c not in CN_DIGITS for c in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS[text[1]]
    if len(text) == 2 and text[1] == "十":
        return CN_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return CN_DIGITS[text[0]] * 10 + CN_DIGITS[text[2]]
    return CN_DIGITS[text] if len(text) == 1 else None


def parse_grade(text: str, junior_first_grade: int = 7) -> int | None:
    """The grade number (1-12) a cell names. 初一 is the first junior grade of the school's system."""
    value = normalize_text(text).lower()
    if value[:1] in _PREFIXED and len(value) >= 2:
        n = chinese_number(value[1:].removesuffix("年级"))
        if n is None:
            return None
        first = junior_first_grade if value[0] == "初" else 10
        grade = first + n - 1
        return grade if 1 <= grade <= 12 else None
    match = _GRADE.match(value)
    if not match:
        return None
    n = chinese_number(match.group(1))
    return n if n is not None and 1 <= n <= 12 else None


def parse_class_number(text: str) -> int | None:
    value = normalize_text(text)
    match = _CLASS.match(value)
    if not match:
        return None
    n = chinese_number(match.group(1))
    return n if n and n <= 999 else None


def split_grade_and_class(text: str) -> tuple[str, str] | None:
    """"三年级1班" → ("三年级", "1"); None when the cell names only one of them."""
    match = _BOTH.match(normalize_text(text))
    return (match.group(1), match.group(2)) if match else None
