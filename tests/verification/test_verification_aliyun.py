"""The Aliyun SMS adapter (SMS-3) against a local fake of dysmsapi's SendSms: the fake checks the RPC
signature (version 1.0, HMAC-SHA1), the timestamp and the nonce exactly as the real service does, and
answers with the real success and error replies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import uuid
from datetime import datetime, timedelta, timezone as dt_timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus

import pytest

from renrentong.core.errors import UserFacingError
from renrentong.orgs.policy import EffectivePolicy
from renrentong.verification import services
from renrentong.verification.models import Challenge, OutboxMessage
from renrentong.verification.providers import AliyunSmsProvider, TextMessage, rpc_signature

from tests.verification_helpers import recipient

KEY_ID = "LTAI5tTestKeyId0000"
SECRET = "TestSecret0123456789abcdefghij"
POLICY = EffectivePolicy(sms_province="湖南省", sms_daily_per_target=2)
LIMITED = "13874800001"   # the fake answers isv.BUSINESS_LIMIT_CONTROL
ILLEGAL = "13874800002"   # isv.MOBILE_NUMBER_ILLEGAL
BROKEN = "13874800003"    # isp.SYSTEM_ERROR with HTTP 500
GOOD = "13874812345"


def aliyun_encode(value: str) -> str:
    # Written from Aliyun's documentation, independently of the adapter: URL-encode with UTF-8, then
    # "+" -> "%20", "*" -> "%2A", "%7E" -> "~".
    return quote_plus(value, encoding="utf-8").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def expected_signature(method: str, params: dict[str, str], secret: str) -> str:
    query = "&".join(f"{aliyun_encode(k)}={aliyun_encode(v)}" for k, v in sorted(params.items()))
    to_sign = method + "&" + aliyun_encode("/") + "&" + aliyun_encode(query)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeDysmsapi(BaseHTTPRequestHandler):
    received: list[dict[str, str]] = []
    nonces: set[str] = set()

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def reply(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        params = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        request_id = str(uuid.uuid4()).upper()
        signature = params.pop("Signature", "")
        if params.get("AccessKeyId") != KEY_ID:
            return self.reply(404, {"RequestId": request_id, "HostId": "dysmsapi.aliyuncs.com",
                                    "Code": "InvalidAccessKeyId.NotFound",
                                    "Message": "Specified access key is not found."})
        if not hmac.compare_digest(signature, expected_signature("POST", params, SECRET)):
            return self.reply(400, {
                "RequestId": request_id, "HostId": "dysmsapi.aliyuncs.com", "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched with our calculation.",
                "Recommend": "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Dysmsapi"})
        stamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt_timezone.utc)
        if abs(datetime.now(dt_timezone.utc) - stamp) > timedelta(minutes=31):
            return self.reply(400, {"RequestId": request_id, "HostId": "dysmsapi.aliyuncs.com",
                                    "Code": "InvalidTimeStamp.Expired",
                                    "Message": "Specified time stamp or date value is expired."})
        if params["SignatureNonce"] in self.nonces:
            return self.reply(400, {"RequestId": request_id, "HostId": "dysmsapi.aliyuncs.com",
                                    "Code": "SignatureNonceUsed",
                                    "Message": "Specified signature nonce was used already."})
        self.nonces.add(params["SignatureNonce"])
        for name, value in (("Action", "SendSms"), ("Version", "2017-05-25"), ("SignatureMethod", "HMAC-SHA1"),
                            ("SignatureVersion", "1.0"), ("Format", "JSON")):
            assert params.get(name) == value, name
        self.received.append(params)
        phone = params["PhoneNumbers"]
        if phone == LIMITED:
            return self.reply(200, {"RequestId": request_id, "Code": "isv.BUSINESS_LIMIT_CONTROL",
                                    "Message": "触发分钟级流控Permits:1"})
        if phone == ILLEGAL:
            return self.reply(200, {"RequestId": request_id, "Code": "isv.MOBILE_NUMBER_ILLEGAL",
                                    "Message": "非法手机号"})
        if phone == BROKEN:
            return self.reply(500, {"RequestId": request_id, "Code": "isp.SYSTEM_ERROR", "Message": "系统出现错误"})
        return self.reply(200, {"RequestId": request_id, "Code": "OK", "Message": "OK",
                                "BizId": "900619746936498440^0"})


@pytest.fixture
def fake_aliyun(settings):
    FakeDysmsapi.received = []
    FakeDysmsapi.nonces = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeDysmsapi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.RRT_SMS_BACKEND = "aliyun"
    settings.RRT_ALIYUN_SMS_ACCESS_KEY_ID = KEY_ID
    settings.RRT_ALIYUN_SMS_ACCESS_KEY_SECRET = SECRET
    settings.RRT_ALIYUN_SMS_SIGN_NAME = "人人通"
    settings.RRT_ALIYUN_SMS_TEMPLATE_CODE = "SMS_123456789"
    settings.RRT_ALIYUN_SMS_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}/"
    yield FakeDysmsapi
    server.shutdown()
    server.server_close()


def send(target: str):
    return services.send_code(purpose="login", target=target, recipient=recipient(), source="10.0.0.1",
                              binding="login:x", policy=POLICY)


def refusal(target: str) -> UserFacingError:
    with pytest.raises(UserFacingError) as caught:
        send(target)
    return caught.value


def test_signature_matches_aliyuns_documented_example():
    # The worked example of Aliyun's RPC signature documentation (DescribeRegions, testid/testsecret).
    params = {"TimeStamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid",
              "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "Version": "2014-05-26",
              "SignatureVersion": "1.0"}
    assert rpc_signature("GET", params, "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_a_code_goes_out_through_sendsms_and_is_confirmed(db, fake_aliyun):
    challenge = send(GOOD)
    assert challenge.provider == "aliyun" and challenge.provider_reference == "900619746936498440^0"
    (params,) = fake_aliyun.received
    assert params["PhoneNumbers"] == GOOD and params["SignName"] == "人人通"
    assert params["TemplateCode"] == "SMS_123456789"
    code = json.loads(params["TemplateParam"])["code"]
    assert len(code) == 6 and code.isdigit()
    assert not OutboxMessage.objects.exists()
    services.confirm_code(token=challenge.token, code=code, purpose="login", binding="login:x")


def test_a_wrong_secret_is_refused_by_signature_and_costs_no_quota(db, fake_aliyun, settings):
    settings.RRT_ALIYUN_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    error = refusal(GOOD)
    assert error.code == "verification.provider_failed" and error.spec.who[1] == "platform support"
    assert not Challenge.objects.exists()
    settings.RRT_ALIYUN_SMS_ACCESS_KEY_SECRET = SECRET
    send(GOOD)  # no resend wait: the failed attempt left nothing behind


def test_an_unknown_access_key_is_a_provider_failure(db, fake_aliyun, settings):
    settings.RRT_ALIYUN_SMS_ACCESS_KEY_ID = "LTAI-unknown"
    assert refusal(GOOD).code == "verification.provider_failed"


def test_gateway_flow_control_says_try_later_and_costs_no_quota(db, fake_aliyun):
    for _ in range(3):  # more than the daily quota of 2: none of them counted
        error = refusal(LIMITED)
        assert error.code == "verification.provider_busy" and error.status == 429
    assert not Challenge.objects.exists()


def test_an_illegal_number_is_named(db, fake_aliyun):
    error = refusal(ILLEGAL)
    assert error.code == "verification.provider_rejected_number" and error.spec.who[1] == "you"


def test_a_server_error_is_a_provider_failure(db, fake_aliyun):
    assert refusal(BROKEN).code == "verification.provider_failed"


def test_no_answer_is_a_provider_failure(db, settings):
    settings.RRT_SMS_BACKEND = "aliyun"
    settings.RRT_ALIYUN_SMS_ACCESS_KEY_ID = KEY_ID
    settings.RRT_ALIYUN_SMS_ACCESS_KEY_SECRET = SECRET
    settings.RRT_ALIYUN_SMS_ENDPOINT = "http://127.0.0.1:1/"  # nothing listens there
    assert refusal(GOOD).code == "verification.provider_failed"
    assert not Challenge.objects.exists()


def test_each_request_has_a_fresh_nonce_and_a_current_timestamp(db, fake_aliyun, freezer):
    provider = AliyunSmsProvider(access_key_id=KEY_ID, access_key_secret=SECRET, sign_name="人人通",
                                 template_code="SMS_1")
    message = TextMessage(phone=GOOD, code="123456", minutes=10, purpose="login", account_id=None, school_id=None,
                          district_id=None)
    first, second = provider.signed_params(message), provider.signed_params(message)
    assert first["SignatureNonce"] != second["SignatureNonce"]
    assert first["Timestamp"] == datetime.now(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    params = dict(first)
    assert params.pop("Signature") == expected_signature("POST", params, SECRET)


def test_a_notice_goes_out_with_the_notice_template_or_not_at_all(db, fake_aliyun, settings):
    """Issue 10 #2: a parent told that someone asked to link their child; a code template cannot carry it."""
    notice = TextMessage(phone=GOOD, code="", minutes=0, purpose="link_notice", account_id=None, school_id=None,
                         district_id=None, text="【人人通】张三申请关联您的孩子李小明为家长。")
    from renrentong.verification.providers import ProviderError, sms_provider

    with pytest.raises(ProviderError):
        sms_provider().send(notice)
    assert fake_aliyun.received == []
    settings.RRT_ALIYUN_SMS_NOTICE_TEMPLATE_CODE = "SMS_NOTICE_1"
    sms_provider().send(notice)
    (params,) = fake_aliyun.received
    assert params["TemplateCode"] == "SMS_NOTICE_1"
    assert json.loads(params["TemplateParam"]) == {"content": "张三申请关联您的孩子李小明为家长。"}
