"""The OpenID Connect signing keys on disk (settings.OIDC_KEY_DIR): one RSA PEM per file, named by creation time,
so the newest signs and rotation is adding a file (`manage.py oidc_keys rotate`, docs/oidc.md). Read once when
a process starts (settings.py): after a rotation the web processes are restarted."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def create_key(directory: Path) -> Path:
    """A new 2048-bit RSA key, written whole or not at all (linked into place from a temporary file), readable
    by its owner only."""
    directory.mkdir(parents=True, exist_ok=True)
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    name = directory / f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{secrets.token_hex(4)}.pem"
    tmp = directory / f".{name.name}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, name)
    return name


# A retired key stays published this much longer than the ID tokens it signed can live (clock skew, caches).
MARGIN_SECONDS = 300


def key_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pem")) if directory.is_dir() else []


def load_keys(directory: Path, token_seconds: int, *, create: bool, now: float | None = None) -> tuple[str, list[str]]:
    """(the signing key, the retired keys still published). A key retires when the next one is made, and stays
    in the JWKS until every ID token it signed has expired. `create`: make the first key if there is none
    (development; production installs its own and `check --deploy` fails without one)."""
    keys = key_files(directory)
    if not keys and create:
        create_key(directory)
        keys = key_files(directory)  # another process may have made one at the same moment
    if not keys:
        return "", []
    now = time.time() if now is None else now
    inactive = [old.read_text() for old, successor in zip(keys, keys[1:])
                if now - successor.stat().st_mtime < token_seconds + MARGIN_SECONDS]
    return keys[-1].read_text(), inactive


def prune(directory: Path, token_seconds: int, now: float | None = None) -> list[Path]:
    """Delete the retired keys no ID token can need any more; returns them."""
    keys = key_files(directory)
    now = time.time() if now is None else now
    gone = [old for old, successor in zip(keys, keys[1:])
            if now - successor.stat().st_mtime >= token_seconds + MARGIN_SECONDS]
    for path in gone:
        path.unlink()
    return gone
