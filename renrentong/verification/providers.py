"""Where a text message goes (SMS-3): the development outbox, or Aliyun SMS (dysmsapi SendSms).

Chosen by the setting or environment variable RRT_SMS_BACKEND ("outbox", the default, or "aliyun");
docs/verification.md says how to configure Aliyun. The outbox is for development: with DEBUG=0 it
refuses to send unless RRT_SMS_OUTBOX_ALLOWED=1 says a demo server may use it (settings.py). A provider that cannot deliver raises
ProviderError with the catalogue code the user sees; the caller rolls the send back, so a failure
never uses up the user's daily quota.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone
from typing import Protocol
from urllib.parse import quote

import requests
from django.conf import settings

from renrentong.verification.models import OutboxMessage

logger = logging.getLogger(__name__)


class ProviderError(Exception):
    """`code` is the user-facing catalogue code; `reason` is the provider's own code, for the log."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class TextMessage:
    phone: str
    code: str
    minutes: int
    purpose: str
    account_id: int | None
    school_id: int | None
    district_id: int | None
    # A notice rather than a code (e.g. "someone asked to link your child"): sent as it stands.
    text: str = ""

    @property
    def body(self) -> str:
        if self.text:
            return self.text
        # Text messages in China carry the sender's signature in 【】; the body is always Chinese.
        return f"【人人通】您的验证码为 {self.code},{self.minutes} 分钟内有效。如非本人操作,请忽略本短信。"


class SmsProvider(Protocol):
    name: str

    def send(self, message: TextMessage) -> str:
        """Deliver the message or raise ProviderError; returns the provider's reference."""


class OutboxProvider:
    """The development "phone": messages are rows admins read on /verification/outbox/."""

    name = "outbox"

    def send(self, message: TextMessage) -> str:
        # A production server that forgot to configure a real provider would otherwise keep every
        # code readable by admins (a school admin read a parent's code and logged in as the parent).
        if not getattr(settings, "RRT_SMS_OUTBOX_ALLOWED", False):
            logger.error("sms outbox refused: DEBUG is off and RRT_SMS_OUTBOX_ALLOWED is not set")
            raise ProviderError("verification.outbox_disabled", "outbox not allowed in production")
        row = OutboxMessage.objects.create(
            target=message.phone, body=message.body, purpose=message.purpose, account_id=message.account_id,
            school_id=message.school_id, district_id=message.district_id,
        )
        return f"outbox:{row.pk}"


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Aliyun's RPC signature wants it: only A-Z a-z 0-9 - _ . ~ stay as they are."""
    return quote(value, safe="-_.~")


def rpc_signature(method: str, params: dict[str, str], secret: str) -> str:
    """Aliyun RPC signature version 1.0 (HMAC-SHA1): sign METHOD&%2F&encode(sorted, encoded query)."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# The replies of SendSms that are the user's to act on; every other refusal is ours (support).
ALIYUN_USER_ERRORS = {
    "isv.MOBILE_NUMBER_ILLEGAL": "verification.provider_rejected_number",
    "isv.BUSINESS_LIMIT_CONTROL": "verification.provider_busy",
    "isv.DAY_LIMIT_CONTROL": "verification.provider_busy",
}


class AliyunSmsProvider:
    """Aliyun SMS, API version 2017-05-25, action SendSms, RPC style with signature version 1.0.

    Configured by RRT_ALIYUN_SMS_ACCESS_KEY_ID, RRT_ALIYUN_SMS_ACCESS_KEY_SECRET, RRT_ALIYUN_SMS_SIGN_NAME,
    RRT_ALIYUN_SMS_TEMPLATE_CODE (a template with a ${code} variable) and optionally
    RRT_ALIYUN_SMS_ENDPOINT (default https://dysmsapi.aliyuncs.com/).
    """

    name = "aliyun"
    VERSION = "2017-05-25"

    def __init__(self, *, access_key_id: str, access_key_secret: str, sign_name: str, template_code: str,
                 endpoint: str = "https://dysmsapi.aliyuncs.com/", timeout: float = 10.0,
                 notice_template_code: str = "") -> None:
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.template_code = template_code
        # A template with a ${content} variable, for notices such as "someone asked to link your child".
        self.notice_template_code = notice_template_code
        self.endpoint = endpoint
        self.timeout = timeout

    def signed_params(self, message: TextMessage, *, now: datetime | None = None, nonce: str | None = None) -> dict:
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": message.phone,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.notice_template_code if message.text else self.template_code,
            # Aliyun adds the signature (【…】) itself: a notice's own is left out of the template variable.
            "TemplateParam": json.dumps({"content": message.text.split("】", 1)[-1]} if message.text
                                        else {"code": message.code}, separators=(",", ":")),
            "Timestamp": (now or datetime.now(dt_timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": self.VERSION,
        }
        params["Signature"] = rpc_signature("POST", params, self.access_key_secret)
        return params

    def send(self, message: TextMessage) -> str:
        if message.text and not self.notice_template_code:
            # A code template cannot carry a notice; without a notice template the notice is not sent.
            raise ProviderError("verification.provider_failed", "no RRT_ALIYUN_SMS_NOTICE_TEMPLATE_CODE")
        try:
            response = requests.post(self.endpoint, data=self.signed_params(message), timeout=self.timeout)
        except requests.RequestException as exc:
            logger.warning("aliyun sms: no answer: %s", exc)
            raise ProviderError("verification.provider_failed", type(exc).__name__) from exc
        try:
            reply = response.json()
        except ValueError:
            reply = {}
        code = str(reply.get("Code", "")) or f"HTTP {response.status_code}"
        if response.status_code == 200 and code == "OK":
            return str(reply.get("BizId", ""))
        logger.warning("aliyun sms refused: %s %s (request %s)", code, reply.get("Message", ""),
                       reply.get("RequestId", ""))
        raise ProviderError(ALIYUN_USER_ERRORS.get(code, "verification.provider_failed"), code)


ALIYUN_SETTINGS = ("RRT_ALIYUN_SMS_ACCESS_KEY_ID", "RRT_ALIYUN_SMS_ACCESS_KEY_SECRET", "RRT_ALIYUN_SMS_SIGN_NAME",
                   "RRT_ALIYUN_SMS_TEMPLATE_CODE")


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, default))


def sms_provider() -> SmsProvider:
    backend = _setting("RRT_SMS_BACKEND", "outbox")
    if backend == "aliyun":
        return AliyunSmsProvider(
            access_key_id=_setting("RRT_ALIYUN_SMS_ACCESS_KEY_ID"),
            access_key_secret=_setting("RRT_ALIYUN_SMS_ACCESS_KEY_SECRET"),
            sign_name=_setting("RRT_ALIYUN_SMS_SIGN_NAME"),
            template_code=_setting("RRT_ALIYUN_SMS_TEMPLATE_CODE"),
            endpoint=_setting("RRT_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
            notice_template_code=_setting("RRT_ALIYUN_SMS_NOTICE_TEMPLATE_CODE"),
        )
    if backend != "outbox":
        raise ValueError(f"RRT_SMS_BACKEND must be 'outbox' or 'aliyun', not {backend!r}")
    return OutboxProvider()
