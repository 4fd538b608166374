"""Comparing person names as people type them (RN-1, ACC-7).

A name typed on a phone may carry spaces ("张 三"), full-width letters ("ＬＩ"), a zero-width space
pasted from a chat, or any of half a dozen dots between the parts of a Uyghur or foreign name
("阿依古丽·买买提", "阿依古丽•买买提", "阿依古丽.买买提"). None of these may cause a silent mismatch.
"""

from __future__ import annotations

import unicodedata

# The separators people and input methods use inside a multi-part name; all mean the interpunct "·".
NAME_DOTS = frozenset("·•‧・･∙⋅.．。‐-")


def normalize_person_name(value: str) -> str:
    """NFKC, no whitespace, no control or format characters, one kind of dot, no dot at either end.

    Removing a character can bring two others together that NFKC then composes ("a", a space, "\u0308"),
    so the steps repeat until nothing changes: the result is its own normal form.
    """
    text = value or ""
    for _ in range(8):
        again = _normalize_once(text)
        if again == text:
            break
        text = again
    return text


def _normalize_once(value: str) -> str:
    folded = unicodedata.normalize("NFKC", value)
    kept = []
    for ch in folded:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        kept.append("·" if ch in NAME_DOTS else ch)
    text = "".join(kept)
    while "··" in text:
        text = text.replace("··", "·")
    return text.strip("·")


def name_key(value: str) -> str:
    """What two names must share to be the same name: the normal form, case-folded (Latin names)."""
    return normalize_person_name(value).casefold()


def names_match(a: str, b: str) -> bool:
    return bool(name_key(a)) and name_key(a) == name_key(b)
