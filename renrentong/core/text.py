"""Normalisation of what people type: full-width characters and stray spaces never cause a mismatch."""

import unicodedata

from stdnum.cn import ric


def normalize_text(value: str) -> str:
    """NFKC folds full-width digits and letters (１２３, ＡＢ) to ASCII; all whitespace is removed."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def normalize_id_number(value: str) -> str:
    return normalize_text(value).upper()


def is_valid_id_number(value: str) -> bool:
    """An 18-character resident ID number with a valid check digit and a possible birth date."""
    if len(value) != 18 or not (value[:17].isascii() and value[:17].isdigit()):
        return False
    try:
        return ric.is_valid(value)
    except KeyError:
        # python-stdnum 2.2 raises KeyError for area codes its table lists without counties
        # (found by a property test); judge those by birth date and check digit alone.
        try:
            ric.get_birth_date(value)
        except ValueError:
            return False
        return ric.calc_check_digit(value[:17]) == value[17]
