"""The OpenID Connect signing keys on disk (settings.OIDC_KEY_DIR): one RSA PEM per file, named by creation time,
so the newest signs and rotation is adding a file (docs/oidc.md)."""

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
