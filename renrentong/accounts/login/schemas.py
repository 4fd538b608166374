"""API types of logging in, the identity switch, tokens and school login networks."""

from __future__ import annotations

from ninja import Field

from renrentong.accounts import selectors
from renrentong.core.schemas import Schema


class LoginIn(Schema):
    identifier: str = Field(..., max_length=64, description="Account number, phone, ID number or student number")
    password: str = Field(..., max_length=128)
    challenge: str = Field("", max_length=2000, description="A solved challenge from POST /auth/challenge (ALTCHA "
                           "payload, base64 JSON), needed after the answer login.challenge_required")


class IdentityOut(Schema):
    id: int
    kind: str
    label: str
    school_id: int | None
    region_id: int | None


class LoginOut(Schema):
    token: str
    account_number: str
    must_change_password: bool
    identity: IdentityOut | None
    identities: list[IdentityOut]


class ScopeOut(Schema):
    kind: str
    region_ids: list[int]
    school_ids: list[int]
    class_ids: list[int]
    person_ids: list[int]


class MeOut(Schema):
    account_number: str
    name: str
    status: str
    phone: str = Field(description="Masked")
    id_number: str = Field(description="Masked")
    must_change_password: bool
    identity: IdentityOut | None
    identities: list[IdentityOut]
    scope: ScopeOut


class SwitchIdentityIn(Schema):
    identity_id: int


class LoginChallengeIn(Schema):
    identifier: str = Field("", max_length=64, description="The identifier about to log in: an account with many "
                            "wrong passwords gets a challenge with more work; an unknown one gets the base work")


class LoginChallengeOut(Schema):
    """An ALTCHA proof-of-work challenge: find n in 0..maxNumber with SHA-256(salt + n) == challenge, then
    send base64(JSON {algorithm, challenge, number, salt, signature}) as `challenge` with the login."""

    algorithm: str
    challenge: str
    maxNumber: int  # noqa: N815 -- ALTCHA's own field name, so its clients read it as is
    salt: str
    signature: str


class SchoolNetworkIn(Schema):
    network: str = Field(..., max_length=64, description="A public IP address or CIDR, e.g. 101.6.8.0/28")
    threshold: int = Field(..., ge=30, le=20_000, description="Failed and initial-password logins from it in 15 minutes before a "
                                            "login needs the challenge (30-20000 for a region admin, 30-3000 for a school admin)")
    note: str = Field("", max_length=100)


class SchoolNetworkOut(Schema):
    id: int
    school_id: int
    network: str
    threshold: int
    note: str


def identity_out(identity) -> IdentityOut:
    return IdentityOut(id=identity.pk, kind=identity.kind, label=identity.label(),
                       school_id=identity.school_id, region_id=identity.region_id)


def identities_out(account) -> list[IdentityOut]:
    return [identity_out(i) for i in selectors.identities_of(account)]


def login_out(outcome, token: str) -> LoginOut:
    """The answer to every finished login (password, SMS code, second factor)."""
    return LoginOut(
        token=token,
        account_number=outcome.account.number,
        must_change_password=outcome.must_change_password,
        identity=identity_out(outcome.identity) if outcome.identity else None,
        identities=[identity_out(i) for i in outcome.identities],
    )
