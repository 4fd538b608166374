"""The hash of an OAuth client secret (settings.OAUTH2_PROVIDER["CLIENT_SECRET_HASHER"]).

A password is short and chosen by a person, so it is stretched with Argon2 to make guessing slow. A client
secret is 128 random characters from the toolkit's generator: no dictionary holds it and no amount of
guessing finds it, so stretching buys nothing and would cap the token endpoint near the login's rate. A keyed
HMAC-SHA256 (key outside the database, RRT_LOOKUP_KEY) keeps a stolen table useless and costs microseconds."""

from __future__ import annotations

import hmac

from django.contrib.auth.hashers import BasePasswordHasher

from renrentong.core.crypto import lookup_digest


class ClientSecretHasher(BasePasswordHasher):
    algorithm = "rrt_client_secret"

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)
        return f"{self.algorithm}${salt}${lookup_digest('oauth-client-secret:' + salt, password)}"

    def decode(self, encoded: str) -> dict:
        algorithm, salt, digest = encoded.split("$", 2)
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return hmac.compare_digest(self.encode(password, decoded["salt"]), encoded)

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {"algorithm": decoded["algorithm"], "salt": decoded["salt"][:4] + "…"}

    def must_update(self, encoded: str) -> bool:
        return False

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass
