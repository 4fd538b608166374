"""Reading and grading what a student typed (RES-2): pure functions, no database, so hypothesis can check them.

Fill-in answers compare after normalising: NFKC (full-width letters, digits and punctuation to half-width),
whitespace collapsed to one space and trimmed, case folded (Latin letters; Chinese has no case). Numbers
accept full-width digits, a sign, a decimal point and an exponent; a comma is refused rather than guessed
(3,14 is 3.14 in much of Europe and 314 in a thousands grouping), with its own message."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_BLANK = 200
MAX_NUMBER_CHARS = 40
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$")


class NumberRefused(ValueError):
    """Why a typed number was not read: `reason` is "comma", "empty" or "invalid"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise_blank(value: str) -> str:
    """What a fill-in answer is compared as."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch.isspace())
    return " ".join(text.split()).casefold()


def parse_number(value: str) -> Decimal:
    """A typed number as a Decimal; NumberRefused says why not."""
    text = "".join(unicodedata.normalize("NFKC", value or "").split())
    text = text.replace("\u2212", "-")  # the minus sign some keyboards type
    if not text:
        raise NumberRefused("empty")
    if "," in text:
        raise NumberRefused("comma")
    if len(text) > MAX_NUMBER_CHARS or not NUMBER.match(text):
        raise NumberRefused("invalid")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise NumberRefused("invalid") from None
    if not number.is_finite():
        raise NumberRefused("invalid")
    return number


def within(number: Decimal, value: Decimal, tolerance: Decimal) -> bool:
    """Absolute tolerance: 3.14 +/- 0.01 accepts 3.13 and 3.15, both ends included."""
    return abs(number - value) <= tolerance


@dataclass(frozen=True)
class Graded:
    correct: bool
    shown: str  # the response as a teacher reads it among common wrong answers


def _letters(indexes: list[int]) -> str:
    return "".join(chr(ord("A") + i) for i in sorted(indexes) if 0 <= i < 26)


def show(kind: str, response) -> str:
    if response is None:
        return ""
    if kind == "single":
        return _letters([response])
    if kind == "multiple":
        return _letters(response)
    if kind == "true_false":
        return "T" if response else "F"
    if kind == "fill":
        return " | ".join(normalise_blank(b) for b in response)[:200]
    return str(response)[:200]


def grade(kind: str, key, response) -> Graded:
    """One answer against its key; no response is wrong."""
    if response is None:
        return Graded(False, "")
    if kind == "single":
        correct = response == key
    elif kind == "multiple":
        correct = sorted(set(response)) == sorted(key)
    elif kind == "true_false":
        correct = response is key
    elif kind == "fill":
        correct = len(response) == len(key) and all(
            normalise_blank(given) in {normalise_blank(a) for a in accepted}
            for given, accepted in zip(response, key))
    elif kind == "numeric":
        try:
            correct = within(parse_number(response), Decimal(key["value"]), Decimal(key["tolerance"]))
        except NumberRefused:
            correct = False
    else:
        correct = False
    return Graded(correct, show(kind, response))


def shown_key(kind: str, key) -> str:
    """The right answer as shown after submit."""
    if kind == "fill":
        return " | ".join(" / ".join(accepted) for accepted in key)
    if kind == "numeric":
        tolerance = Decimal(key["tolerance"])
        return key["value"] if tolerance == 0 else f"{key['value']} ± {key['tolerance']}"
    return show(kind, key)
