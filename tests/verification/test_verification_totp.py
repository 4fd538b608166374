"""The TOTP primitive (RFC 6238) other features use for second factors: test vectors, enrollment,
clock drift and replay."""

from __future__ import annotations

import base64
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from renrentong.core.errors import UserFacingError
from renrentong.verification import totp
from renrentong.verification.models import TotpDevice

RFC_SECRET = b"12345678901234567890"


@pytest.mark.parametrize("counter, expected", list(enumerate(
    ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"])))
def test_hotp_matches_rfc_4226_appendix_d(counter, expected):
    assert totp.hotp(RFC_SECRET, counter) == expected


@pytest.mark.parametrize("at, expected", [
    (59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"),
    (2000000000, "69279037"), (20000000000, "65353130"),
])
def test_totp_matches_rfc_6238_appendix_b_sha1(at, expected):
    assert totp.hotp(RFC_SECRET, totp.current_step(at), digits=8) == expected


def enroll(account) -> str:
    secret, _ = totp.start_enrollment(account)
    totp.confirm_enrollment(account, totp.totp_now(secret))
    return secret


def test_enrollment_gives_a_secret_and_an_otpauth_uri(world):
    account = world.teacher_a
    secret, uri = totp.start_enrollment(account)
    assert len(base64.b32decode(secret)) == 20
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parsed.path == f"/Renrentong:{account.number}"
    query = parse_qs(parsed.query)
    assert query["secret"] == [secret] and query["issuer"] == ["Renrentong"] and query["digits"] == ["6"]
    assert not totp.has_totp(account)
    # The secret is sealed at rest.
    device = TotpDevice.objects.get(account=account)
    assert secret.encode() not in bytes(device.pending_sealed)


def test_a_wrong_code_does_not_confirm_enrollment(world, freezer):
    account = world.teacher_a
    secret, _ = totp.start_enrollment(account)
    right = totp.totp_now(secret)
    with pytest.raises(UserFacingError) as caught:
        totp.confirm_enrollment(account, f"{(int(right) + 1) % 10**6:06d}")
    assert caught.value.code == "totp.wrong_code"
    assert not totp.has_totp(account)
    totp.confirm_enrollment(account, right)
    assert totp.has_totp(account)


def test_confirming_without_starting_is_named(world):
    with pytest.raises(UserFacingError) as caught:
        totp.confirm_enrollment(world.teacher_a, "123456")
    assert caught.value.code == "totp.not_started"


def test_verify_accepts_the_current_code_once(world, freezer):
    account = world.teacher_a
    secret = enroll(account)
    freezer.tick(timedelta(seconds=30))
    code = totp.totp_now(secret)
    assert totp.verify_totp(account, code)
    assert not totp.verify_totp(account, code), "a replay of the same time step"
    freezer.tick(timedelta(seconds=30))
    assert totp.verify_totp(account, totp.totp_now(secret))


def test_one_step_of_clock_drift_is_tolerated_two_are_not(world, freezer):
    account = world.teacher_a
    secret = enroll(account)
    freezer.tick(timedelta(minutes=5))

    now = time.time()
    assert not totp.verify_totp(account, totp.totp_now(secret, now - 60))
    assert totp.verify_totp(account, totp.totp_now(secret, now - 30))
    assert not totp.verify_totp(account, totp.totp_now(secret, now + 60))
    assert totp.verify_totp(account, totp.totp_now(secret, now + 30))


def test_codes_of_another_account_or_malformed_codes_fail(world):
    secret = enroll(world.teacher_a)
    enroll(world.teacher_b)
    assert not totp.verify_totp(world.head_teacher_a, totp.totp_now(secret))
    for junk in ("", "12345", "1234567", "abcdef", "፩፩፩፩፩፩", "²²²²²²"):
        assert not totp.verify_totp(world.teacher_a, junk)


def test_a_new_enrollment_keeps_the_old_secret_until_confirmed(world, freezer):
    account = world.teacher_a
    old = enroll(account)
    new, _ = totp.start_enrollment(account)
    freezer.tick(timedelta(seconds=30))
    assert totp.verify_totp(account, totp.totp_now(old))
    freezer.tick(timedelta(seconds=30))
    totp.confirm_enrollment(account, totp.totp_now(new))
    freezer.tick(timedelta(seconds=30))
    assert not totp.verify_totp(account, totp.totp_now(old)) or totp.totp_now(old) == totp.totp_now(new)
    assert totp.verify_totp(account, totp.totp_now(new))
