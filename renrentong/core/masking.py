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


# Ten digits or more, spaces or dashes between them allowed, an ID number's X at the end: whatever in free
# text could be an ID number (18), a national student number's digits or a phone (11).
_LONG_NUMBER = re.compile(r"\d(?:[ \-]?\d){9,}[Xx]?")


def mask_numbers_in(text: str) -> str:
    """A free text (a spreadsheet cell as typed) with every long number in it masked; full-width digits are
    folded first so that they cannot slip past."""
    if len(text) < 10:
        return text
    return _LONG_NUMBER.sub(lambda m: mask_number(m.group()), unicodedata.normalize("NFKC", text))
