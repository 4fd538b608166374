"""Verification codes by SMS or email (SMS-1..SMS-3): send with durable quotas, confirm once.

The flows that need a code (password recovery, login by code, phone binding, second factor,
registration, linking a child) call send_code() and confirm_code(); they own the pages and API
endpoints. Every quota is counted on Challenge rows in the database, not only in the cache, so it
survives a restart and holds across web workers; a per-target lock row serialises concurrent sends.
"""

from __future__ import annotations

import hmac
import math
import secrets
import smtplib
from dataclasses import dataclass
from typing import Protocol
from datetime import datetime, timedelta

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from renrentong.core.availability import require_cache
from renrentong.core.crypto import lookup_digest
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_phone
from renrentong.core.text import is_valid_mobile, normalize_text

from renrentong.verification.constants import CODE_LENGTH
from renrentong.verification.models import Challenge, SendLock
from renrentong.verification.providers import ProviderError, TextMessage, sms_provider

PURPOSES = ("recover", "login", "bind_phone", "second_factor", "register", "link_child", "recover_student")
WINDOW = timedelta(hours=24)


class SendingPolicy(Protocol):
    """The settings a send obeys; the caller passes the region's policy (orgs.policy.EffectivePolicy)."""

    sms_province: str
    sms_daily_per_target: int
    sms_daily_per_account: int
    sms_daily_per_source: int
    sms_code_minutes: int
    sms_resend_seconds: int
    sms_max_attempts: int


@dataclass(frozen=True)
class CodeRecipient:
    """Who a code is sent for, as the caller knows them: verification reads no account (the layers)."""

    account_id: int | None = None
    admin: bool = False  # quota messages steer admins to their authenticator app and the admin above
    school_id: int | None = None  # for the SMS gateway's statistics
    district_id: int | None = None
    contact: str = ""  # who to call when the gateway fails (seed 000: "3分钟内获取没有收到,请拨打客服电话")


def normalize_target(target: str) -> tuple[str, str]:
    """(normalised target, channel) for a mobile number or an email address; refuses anything else."""
    value = normalize_text(target)
    if "@" in value:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError:
            raise UserFacingError("verification.invalid_target", value=target[:64]) from None
        return value, Challenge.Channel.EMAIL
    if value.startswith("+86"):
        value = value[3:]
    elif len(value) == 13 and value.startswith("86"):
        value = value[2:]
    if not is_valid_mobile(value):
        raise UserFacingError("verification.invalid_target", value=target[:64])
    return value, Challenge.Channel.SMS


def place_of(phone: str) -> str:
    """Where a mainland mobile number is registered, from libphonenumber's geocoding data, e.g. 湖南省长沙市."""
    # Imported here, not at the top: the geocoding tables take ~90 MB, which every process would otherwise hold
    # (each web worker, the export and import workers) while only the senders of codes ever look a number up.
    from phonenumbers import geocoder

    return geocoder.description_for_number(phonenumbers.parse(phone, "CN"), "zh")


def in_province(phone: str, province: str) -> bool:
    return not province or place_of(phone).startswith(province)


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***{local[-1:] if len(local) > 2 else ''}@{domain}"


def mask_target(target: str) -> str:
    return mask_email(target) if "@" in target else mask_phone(target)


def _code_digest(token: str, code: str) -> str:
    # Keyed and bound to the challenge: a stolen table reveals no code, and equal codes look unrelated.
    return lookup_digest("verification.code", f"{token}:{code}")


def _binding_digest(binding: str) -> str:
    return lookup_digest("verification.binding", binding)


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


# Second-factor codes have their own bound per account and phone, counted apart from every other
# purpose: an admin who logs in many times a day must not spend the phone's quota that recovery needs,
# nor be locked out of their own console by the 10-a-day cap of parents' phones.
SECOND_FACTOR_DAILY_LIMIT = 30


def _check_window(field: str, value: object, limit: int, now: datetime, error: str, *,
                  second_factor: bool = False) -> None:
    """At most `limit` sends in any 24 hours, each send counting for 24 hours from when it was made."""
    sends = Challenge.objects.filter(**{field: value}, created_at__gt=now - WINDOW)
    sends = sends.filter(purpose="second_factor") if second_factor else sends.exclude(purpose="second_factor")
    sent = list(sends.order_by("created_at").values_list("created_at", flat=True))
    if len(sent) >= limit:
        # The moment enough old sends have aged out to leave room for one more.
        raise UserFacingError(error, limit=limit, until=_local(sent[len(sent) - limit] + WINDOW))


def _limit_suffix(purpose: str, recipient: CodeRecipient) -> str:
    """Which quota message names who can really help (issue 10): admins are steered to their
    authenticator app and the admin above; someone registering waits (or is imported by the school);
    a password reset by the school helps only those who wanted a code to log in or recover."""
    if purpose == "second_factor" or recipient.admin:
        return "_admin"
    if purpose == "register":
        return "_register"
    if purpose in ("recover", "recover_student", "login"):
        return ""
    return "_wait"


def _check_quotas(*, target: str, recipient: CodeRecipient, source: str | None, policy: SendingPolicy,
                  now: datetime, purpose: str = "") -> None:
    account_id = recipient.account_id
    last = Challenge.objects.filter(target=target).order_by("-created_at").first()
    if last and last.resend_at > now:
        raise UserFacingError("verification.resend_wait", seconds=math.ceil((last.resend_at - now).total_seconds()))
    if purpose == "second_factor":
        _check_window("target", target, SECOND_FACTOR_DAILY_LIMIT, now, "verification.second_factor_limit",
                      second_factor=True)
        if account_id is not None:
            _check_window("account_id", account_id, SECOND_FACTOR_DAILY_LIMIT, now,
                          "verification.second_factor_limit", second_factor=True)
    else:
        suffix = _limit_suffix(purpose, recipient)
        _check_window("target", target, policy.sms_daily_per_target, now, f"verification.daily_limit{suffix}")
        if account_id is not None:
            _check_window("account_id", account_id, policy.sms_daily_per_account, now,
                          "verification.account_limit_admin" if suffix == "_admin" else "verification.account_limit")
    if source:
        # The network's cap counts every purpose: it is there against abuse, not for one person.
        sent = list(Challenge.objects.filter(source=source, created_at__gt=now - WINDOW)
                    .order_by("created_at").values_list("created_at", flat=True))
        limit = policy.sms_daily_per_source
        if len(sent) >= limit:
            raise UserFacingError("verification.source_limit", limit=limit,
                                  until=_local(sent[len(sent) - limit] + WINDOW))


def _deliver(challenge: Challenge, code: str, minutes: int, recipient: CodeRecipient) -> str:
    if challenge.channel == Challenge.Channel.EMAIL:
        body = (f"您的人人通验证码为 {code},{minutes} 分钟内有效。如非本人操作,请忽略本邮件。\n\n"
                f"Your Renrentong verification code is {code}; it is valid for {minutes} minutes. If you did not "
                f"ask for it, ignore this email.")
        try:
            send_mail("人人通验证码 / Renrentong verification code", body, None, [challenge.target])
        except (smtplib.SMTPException, OSError) as exc:
            raise ProviderError("verification.provider_failed", type(exc).__name__) from exc
        return "email"
    provider = sms_provider()
    challenge.provider = provider.name
    return provider.send(TextMessage(phone=challenge.target, code=code, minutes=minutes, purpose=challenge.purpose,
                                     account_id=challenge.account_id, school_id=recipient.school_id,
                                     district_id=recipient.district_id))


def send_code(*, purpose: str, target: str, recipient: CodeRecipient, source: str | None, binding: str,
              policy: SendingPolicy) -> Challenge:
    """Send a new code to a phone or email address for `purpose`, tied to `binding` (e.g. f"recover:{id}").

    `recipient` and `policy` come from the caller, who knows the account (verification reads none).
    Returns the saved Challenge: `token` is the public handle the page or client keeps (never the code),
    with `masked_target`, `expires_at` and `resend_at`. Raises UserFacingError for an invalid target, a
    number outside the platform's province, a resend too soon, a daily cap (per target, account, source)
    and a provider failure; a refused or failed send is rolled back and uses up no quota.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown verification purpose {purpose!r}")
    require_cache()  # fail closed: no code goes out while the rate limits cannot be trusted
    target, channel = normalize_target(target)
    if channel == Challenge.Channel.SMS and not in_province(target, policy.sms_province):
        raise UserFacingError("verification.out_of_province", province=policy.sms_province,
                              place=place_of(target) or "?")
    code = f"{secrets.randbelow(10 ** CODE_LENGTH):0{CODE_LENGTH}d}"
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            lock_key = lookup_digest("verification.target", target)
            SendLock.objects.get_or_create(key=lock_key)
            SendLock.objects.select_for_update().get(key=lock_key)
            now = timezone.now()
            _check_quotas(target=target, recipient=recipient, source=source or None, policy=policy, now=now,
                          purpose=purpose)
            challenge = Challenge(
                token=token, purpose=purpose, binding_digest=_binding_digest(binding), channel=channel,
                target=target, masked_target=mask_target(target), account_id=recipient.account_id,
                source=source or None,
                code_digest=_code_digest(token, code), created_at=now,
                expires_at=now + timedelta(minutes=policy.sms_code_minutes),
                resend_at=now + timedelta(seconds=policy.sms_resend_seconds),
                max_attempts=policy.sms_max_attempts,
            )
            challenge.provider_reference = _deliver(challenge, code, policy.sms_code_minutes, recipient)[:64]
            challenge.save()
    except ProviderError as exc:
        raise UserFacingError(exc.code, contact=recipient.contact) from None
    return challenge


def confirm_code(*, token: str, code: str, purpose: str, binding: str) -> Challenge:
    """Check a code once. Returns the used Challenge (its `target` is the verified phone or email).

    Raises UserFacingError for a wrong code (with the tries left), a code voided after too many wrong
    entries, an expired or already used code, and a token sent for another purpose or request.

    A wrong entry is counted in its own transaction before the error is raised: call this before
    opening the transaction of the change it guards, or a rollback would undo the count.
    """
    code = normalize_text(code)
    if not code:
        raise UserFacingError("verification.code_missing")
    failure: UserFacingError | None = None
    with transaction.atomic():
        challenge = Challenge.objects.select_for_update().filter(token=token or "").first()
        if (challenge is None or challenge.purpose != purpose
                or not hmac.compare_digest(challenge.binding_digest, _binding_digest(binding))):
            raise UserFacingError("verification.unknown")
        now = timezone.now()
        if challenge.used_at:
            raise UserFacingError("verification.used")
        if challenge.voided:
            raise UserFacingError("verification.voided")
        if now >= challenge.expires_at:
            minutes = round((challenge.expires_at - challenge.created_at).total_seconds() / 60)
            raise UserFacingError("verification.expired", minutes=minutes)
        if hmac.compare_digest(challenge.code_digest, _code_digest(challenge.token, code)):
            challenge.used_at = now
            challenge.save(update_fields=["used_at"])
        else:
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            failure = (UserFacingError("verification.voided") if challenge.voided
                       else UserFacingError("verification.wrong_code",
                                            remaining=challenge.max_attempts - challenge.attempts))
    if failure is not None:
        raise failure
    return challenge
