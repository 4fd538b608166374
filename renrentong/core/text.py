"""Normalisation of what people type: full-width characters and stray spaces never cause a mismatch."""

import unicodedata
from datetime import date
from functools import lru_cache

import phonenumbers
from stdnum import numdb
from stdnum.cn import ric


def normalize_text(value: str) -> str:
    """NFKC folds full-width digits and letters (１２３, ＡＢ) to ASCII; all whitespace is removed, and
    so are control characters: no identifier holds one, and PostgreSQL refuses a NUL in a query."""
    text = value or ""
    while True:  # removing a character can bring a letter and a combining mark together: fold again
        folded = "".join(unicodedata.normalize("NFKC", text).split())
        folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cc")
        if folded == text:
            return folded
        text = folded


def clean_text(text: str | None) -> str:
    """Free text as typed, without control characters (PostgreSQL refuses a NUL), line breaks kept."""
    return "".join(ch for ch in (text or "") if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


def normalize_id_number(value: str) -> str:
    return normalize_text(value).upper()


def is_valid_id_number(value: str) -> bool:
    """An 18-character resident ID number: a known province, a possible birth date, a valid check digit.

    python-stdnum's own `ric.is_valid` also demands that the county code existed in the birth year,
    which refuses real numbers (people born before their district was renamed keep their code), and
    raises KeyError for some codes; we check what the number itself can prove.
    """
    if len(value) != 18 or not (value[:17].isascii() and value[:17].isdigit()) or value[17] not in "0123456789X":
        return False
    if not _is_province(value[:2]):
        return False
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not date(1900, 1, 1) <= birth <= date.today():
        return False
    return id_number_check_digit(value[:17]) == value[17]


def sex_of_id_number(id_number: str) -> str:
    """"M" or "F" from a valid ID number: its 17th digit is odd for men and even for women (GB 11643)."""
    return "M" if int(id_number[16]) % 2 else "F"


def swapped_name_and_id(name: str, id_number: str) -> bool:
    """A form's name field holds a valid ID number and its ID field does not hold one: the two were
    typed into each other's fields (HELP-1), which deserves its own message, not "invalid ID number"."""
    other = normalize_id_number(id_number)
    return bool(other) and is_valid_id_number(normalize_id_number(name)) and not is_valid_id_number(other)


@lru_cache(maxsize=128)
def _is_province(code: str) -> bool:
    # python-stdnum rebuilds the lookup result on every call (~30 µs, most of a 100,000-row roster's
    # validation); the answer depends on the two digits alone.
    return bool(numdb.get("cn/loc").info(code + "0000")[0][1].get("province"))


def id_number_check_digit(first17: str) -> str:
    """The 18th character for 17 digits (ISO 7064 MOD 11-2); stdnum wants a placeholder appended."""
    return ric.calc_check_digit(first17 + "0")


def is_valid_mobile(phone: str) -> bool:
    """An 11-digit mainland mobile number (already normalised, no +86)."""
    if not (phone.isdigit() and len(phone) == 11):
        return False
    try:
        parsed = phonenumbers.parse(phone, "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


MAX_ID = 2**63 - 1  # the largest value of a signed 64-bit column; a larger number overflows the driver


def parse_number(value: str | None, maximum: int = MAX_ID) -> int | None:
    """A whole number sent in a form field or query string (an id, a page, a threshold): ASCII digits
    only, at most `maximum`; None for anything else, which each view treats as it treats a missing value.

    str.isdigit() is no test: it accepts "²", which int() refuses (a 500), and int() itself reads
    full-width "１２" and other scripts' digits, as well as " 12", "+12" and "1_2". Nothing is stripped
    here: a view that takes typed text strips it first.
    """
    if not isinstance(value, str) or not 0 < len(value) <= len(str(maximum)):
        return None
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= maximum else None
