"""The provider's signing keys and issuer as the toolkit is configured with them (settings.OAUTH2_PROVIDER)."""

from __future__ import annotations

from functools import cache

from jwcrypto import jwk
from oauth2_provider.settings import oauth2_settings


def issuer() -> str:
    return oauth2_settings.OIDC_ISS_ENDPOINT


@cache
def _parse(pem: str) -> jwk.JWK:
    return jwk.JWK.from_pem(pem.encode())


def active_key() -> jwk.JWK:
    return _parse(oauth2_settings.OIDC_RSA_PRIVATE_KEY)


def published_keys() -> jwk.JWKSet:
    """The active key and the retired ones still published: an ID token any of them signed still verifies."""
    keys = jwk.JWKSet()
    for pem in [oauth2_settings.OIDC_RSA_PRIVATE_KEY, *oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE]:
        if pem:
            key = _parse(pem)
            keys.add(jwk.JWK(**{**key.export_public(as_dict=True), "kid": key.thumbprint()}))
    return keys
