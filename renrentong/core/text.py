"""Normalisation of what people type: full-width characters and stray spaces never cause a mismatch."""

import unicodedata

from stdnum.cn import ric


def normalize_text(value: str) -> str:
    """NFKC folds full-width digits and letters (１２３, ＡＢ) to ASCII; all whitespace is removed."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def normalize_id_number(value: str) -> str:
    return normalize_text(value).upper()


def is_valid_id_number(value: str) -> bool:
    """An 18-digit resident ID number with a valid check digit and a possible birth date."""
    return ric.is_valid(value) and len(value) == 18
