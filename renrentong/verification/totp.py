"""Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30-second steps) for second factors.

The shared secret is sealed with core.crypto (AES-GCM, purpose "totp"); a code is accepted for the
step before and after the current one (clock drift) and never twice: the newest accepted step is kept.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

from django.db import transaction
from django.utils import timezone

from renrentong.core.crypto import seal, unseal
from renrentong.core.errors import UserFacingError
from renrentong.core.text import normalize_text

from renrentong.verification.constants import CODE_LENGTH
from renrentong.verification.models import TotpDevice

STEP = 30
DIGITS = CODE_LENGTH  # an authenticator's code is typed into the same box as an SMS code
DRIFT_STEPS = 1
ISSUER = "Renrentong"
_PURPOSE = "totp"


def hotp(secret: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 HOTP value of `counter` (dynamic truncation of HMAC-SHA1)."""
    mac = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10 ** digits:0{digits}d}"


def totp_now(secret_b32: str, at: float | None = None) -> str:
    """The code an authenticator app shows now for a base32 secret (used by tests and the docs)."""
    return hotp(base64.b32decode(secret_b32), current_step(at))


def current_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP)


def _matching_step(key_id: str, sealed: bytes | None, code: str, after: int) -> int | None:
    """The step in the drift window whose code is `code`, newer than `after`; None if there is none."""
    code = normalize_text(code)
    # ASCII digits only: "፩" is a digit to str.isdigit(), and hmac.compare_digest raises on non-ASCII text.
    if not sealed or len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    secret = base64.b32decode(unseal(key_id, sealed, _PURPOSE))
    now = current_step()
    for step in range(now + DRIFT_STEPS, now - DRIFT_STEPS - 1, -1):
        if step > after and hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def start_enrollment(account) -> tuple[str, str]:
    """A new secret for the account's authenticator app: (base32 secret, otpauth:// URI for a QR code).

    It waits until confirm_enrollment(); a previously confirmed secret stays in force until then."""
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    key_id, sealed = seal(secret, _PURPOSE)
    TotpDevice.objects.update_or_create(account=account, defaults={"pending_key_id": key_id, "pending_sealed": sealed,
                                                                   "school_id": account.home_school_id})
    label = quote(f"{ISSUER}:{account.number}", safe=":")
    query = urlencode({"secret": secret, "issuer": ISSUER, "algorithm": "SHA1", "digits": DIGITS, "period": STEP})
    return secret, f"otpauth://totp/{label}?{query}"


@transaction.atomic
def confirm_enrollment(account, code: str) -> None:
    """Make the pending secret the account's second factor once the app shows a right code."""
    device = TotpDevice.objects.select_for_update().filter(account=account).first()
    if device is None or not device.pending_sealed:
        raise UserFacingError("totp.not_started")
    step = _matching_step(device.pending_key_id, device.pending_sealed, code, after=0)
    if step is None:
        raise UserFacingError("totp.wrong_code")
    device.key_id, device.secret_sealed = device.pending_key_id, device.pending_sealed
    device.pending_key_id, device.pending_sealed = "", None
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save()


def has_totp(account) -> bool:
    return TotpDevice.objects.filter(account=account, confirmed_at__isnull=False).exists()


def verify_totp(account, code: str) -> bool:
    """Whether `code` is the account's current authenticator code; each time step is accepted once."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(account=account, confirmed_at__isnull=False).first()
        if device is None:
            return False
        step = _matching_step(device.key_id, device.secret_sealed, code, after=device.last_step)
        if step is None:
            return False
        device.last_step = step
        device.save(update_fields=["last_step"])
    return True
