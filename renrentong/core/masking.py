"""Masked display forms of ID numbers and phones (NFR-1): 430***********1234, 137****5678."""

import re
import unicodedata


def mask_number(value: str) -> str:
    """Keep the first 3 and last 4 characters, enough to recognise a number, never to use it."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


mask_id_number = mask_number
mask_phone = mask_number


def mask_student_number(value: str) -> str:
    """A national student number is usually "G" + the ID number: its letters stay, the ID number in it is
    masked as an ID number is (G430***********1234), so neither form ever shows more than the other."""
    head = len(value) - len(value.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
    return value[:head] + mask_number(value[head:])


def mask_identifier(value: str) -> str:
    """What a login log may keep of whatever the user typed: enough to recognise, never the number."""
    return mask_number(value) if len(value) > 9 else value


def mask_name(name: str) -> str:
    """李小明 → 李*明, 李明 → 李*: enough for its owner or a colleague to recognise, not a stranger."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_account_number(number: str) -> str:
    """20****01: the owner recognises their account on a pick list; nobody can log in with it."""
    return number[:2] + "*" * max(len(number) - 4, 0) + number[-2:] if len(number) > 4 else "*" * len(number)


# A digit, then digits, spaces or dashes, ending in a digit or an ID number's X; a match with ten digits or
# more is masked: whatever in free text could be an ID number (18), a national number's digits or a phone
# (11). One character class instead of a group per digit: imports mask every cell of every row.
_LONG_NUMBER = re.compile(r"[0-9][0-9 \-]{8,}[0-9Xx]")


def carries_number(text: str) -> bool:
    """Whether a text holds a number that masking would hide (a phone, an ID number): such text must not go
    into a URL, which access logs keep."""
    return mask_numbers_in(text) != unicodedata.normalize("NFKC", text)


def kept_out_of_urls(text: str) -> str:
    """The text as a search box or pager link may carry it: "" when it holds a phone or ID number."""
    return "" if carries_number(text) else text


def refuse_number_in_url(text: str, post_path: str) -> None:
    """A GET search whose text holds a phone or ID number is refused, naming the POST search to use."""
    from renrentong.core.errors import UserFacingError

    if carries_number(text):
        raise UserFacingError("users.search_by_post", path=post_path)


def mask_numbers_in(text: str) -> str:
    """A free text (a spreadsheet cell as typed) with every long number in it masked; full-width digits are
    folded first so that they cannot slip past."""
    if len(text) < 10:
        return text
    if text.isascii():
        if text.isdigit():  # a whole phone or number in its own cell, as most are: no regex needed
            return mask_number(text)
    elif not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _LONG_NUMBER.sub(_mask_match, text)


_CELL_BREAK = "\x1f"  # the unit separator: outside every character class of _LONG_NUMBER, so no match spans it


def mask_numbers_in_each(cells: list[str]) -> list[str]:
    """mask_numbers_in of every cell of a row. An import masks every cell of every row (10.8 million for a
    100,000-student OneRoster package): a row of ASCII cells, as most are (roles, enrollments, dates, ids), is
    masked in one pass over the cells joined by a character no number can span, and so is a row whose cells are
    already in NFKC (names in Chinese, as typed): the separator is a character that never combines, so the joined
    row is normalised exactly when each cell is, and then no cell is changed but by the masking."""
    joined = _CELL_BREAK.join(cells)
    if joined.count(_CELL_BREAK) == len(cells) - 1 and (
            joined.isascii() or unicodedata.is_normalized("NFKC", joined)):
        masked = _LONG_NUMBER.sub(_mask_match, joined)
        return masked.split(_CELL_BREAK)
    return [mask_numbers_in(cell) for cell in cells]


def _mask_match(match: re.Match) -> str:
    found = match.group()
    # Its digits counted by what else it may hold (spaces, dashes, a last X): a date (2026-09-01) matches too,
    # and imports mask every cell of every row.
    digits = len(found) - found.count(" ") - found.count("-") - (found[-1] in "Xx")
    return mask_number(found) if digits >= 10 else found
