"""Protection of ID numbers at rest (PIPL art. 28, MLPS level 3) and keyed digests.

An ID number is stored as AES-256-GCM ciphertext with the id of the key that made it (so keys can
rotate), beside a keyed HMAC used for lookups and uniqueness, and its masked form for display.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache, lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from renrentong.core.masking import mask_id_number, mask_student_number


@cache
def _data_keys() -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    first = ""
    for item in settings.RRT_DATA_KEYS.split(","):
        kid, _, b64 = item.strip().partition(":")
        raw = base64.b64decode(b64)
        if len(raw) != 32:
            raise ValueError(f"RRT_DATA_KEYS key {kid!r} must be 32 bytes")
        keys[kid] = AESGCM(raw)
        first = first or kid
    return first, keys


@cache
def _lookup_key() -> bytes:
    return base64.b64decode(settings.RRT_LOOKUP_KEY)


@lru_cache(maxsize=64)
def _keyed(purpose: str):
    # The HMAC with its key and purpose already absorbed: copying it costs a third of building it anew,
    # which imports pay per row and per number (ID and national student number). Bounded: some purposes name
    # an account ("initial:<number>"), and an unbounded cache kept one HMAC per account a process ever issued a
    # password for (a 1,000,000-row import grew by 1.8 kB a row).
    return hmac.new(_lookup_key(), f"{purpose}\x00".encode(), hashlib.sha256)


def lookup_digest(purpose: str, value: str) -> str:
    """Keyed HMAC-SHA256, hex; `purpose` separates the uses of one key."""
    mac = _keyed(purpose).copy()
    mac.update(value.encode())
    return mac.hexdigest()


@dataclass(frozen=True)
class SealedIdNumber:
    key_id: str
    ciphertext: bytes
    digest: str
    masked: str


def seal(value: str, purpose: str) -> tuple[str, bytes]:
    """AES-256-GCM with the current key; `purpose` is bound as associated data. Returns (key id, blob)."""
    kid, keys = _data_keys()
    nonce = os.urandom(12)
    return kid, nonce + keys[kid].encrypt(nonce, value.encode(), purpose.encode())


def unseal(key_id: str, blob: bytes, purpose: str) -> str:
    _, keys = _data_keys()
    data = bytes(blob)
    return keys[key_id].decrypt(data[:12], data[12:], purpose.encode()).decode()


def seal_id_number(id_number: str) -> SealedIdNumber:
    kid, ciphertext = seal(id_number, "id_number")
    return SealedIdNumber(kid, ciphertext, id_number_digest(id_number), mask_id_number(id_number))


def sealed_id_fields(id_number: str | None) -> dict:
    """The stored columns of an ID number (key id, ciphertext, digest, masked form) by their field names,
    or the cleared columns for none: the one way every writer, single or bulk, seals an ID number."""
    if not id_number:
        return {"id_number_key": "", "id_number_cipher": None, "id_number_digest": None, "id_number_masked": ""}
    sealed = seal_id_number(id_number)
    return {"id_number_key": sealed.key_id, "id_number_cipher": sealed.ciphertext,
            "id_number_digest": sealed.digest, "id_number_masked": sealed.masked}


def open_id_number(key_id: str, ciphertext: bytes) -> str:
    return unseal(key_id, ciphertext, "id_number")


def id_number_digest(id_number: str) -> str:
    return lookup_digest("id_number", id_number)


# The national student number (全国学籍号) is usually "G" + the ID number, so it is an ID number as far as
# protection goes (NFR-1): sealed the same way under its own purpose, looked up by its own digest.
NATIONAL_PURPOSE = "national_student_number"


def seal_national_student_number(number: str) -> SealedIdNumber:
    kid, ciphertext = seal(number, NATIONAL_PURPOSE)
    return SealedIdNumber(kid, ciphertext, national_student_number_digest(number), mask_student_number(number))


def sealed_national_student_number_fields(number: str | None) -> dict:
    """As sealed_id_fields, for a canonical national student number (or the cleared columns for none)."""
    if not number:
        return {"national_student_number_key": "", "national_student_number_cipher": None,
                "national_student_number_digest": None, "national_student_number_masked": ""}
    sealed = seal_national_student_number(number)
    return {"national_student_number_key": sealed.key_id, "national_student_number_cipher": sealed.ciphertext,
            "national_student_number_digest": sealed.digest, "national_student_number_masked": sealed.masked}


def open_national_student_number(key_id: str, ciphertext: bytes) -> str:
    return unseal(key_id, ciphertext, NATIONAL_PURPOSE)


def national_student_number_digest(number: str) -> str:
    """Of the canonical form (upper case, as stored): callers normalise what was typed first."""
    return lookup_digest(NATIONAL_PURPOSE, number)
