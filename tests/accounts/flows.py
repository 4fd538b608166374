"""API flows that several account tests walk through: password login and its challenge, code login,
recovery, and a region admin with a password of their own (for the second factor)."""

from __future__ import annotations

import base64
import json

from tests.verification_helpers import last_code

NEW_PASSWORD = "Xk9#mPq2vL"


def login(client, identifier, password, lang="zh-hans", ip="10.1.1.1", challenge=""):
    return client.post(
        "/api/v1/auth/login", json.dumps({"identifier": identifier, "password": password, "challenge": challenge}),
        content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang, REMOTE_ADDR=ip,
    )


def solved_challenge(client, identifier="") -> str:
    """What a client does after login.challenge_required: fetch a challenge, solve it, send the payload."""
    from altcha import solve_challenge_v1

    issued = client.post("/api/v1/auth/challenge", json.dumps({"identifier": identifier}),
                         content_type="application/json").json()
    solution = solve_challenge_v1(issued["challenge"], issued["salt"], issued["algorithm"], issued["maxNumber"])
    payload = {"algorithm": issued["algorithm"], "challenge": issued["challenge"], "number": solution.number,
               "salt": issued["salt"], "signature": issued["signature"]}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def code_login_api(client, path, body, ip="10.6.6.6"):
    return client.post(f"/api/v1/auth/code-login/{path}", json.dumps(body), content_type="application/json",
                       REMOTE_ADDR=ip)


def code_login(client, phone, ip="10.6.6.6"):
    """Code login steps 1 and 2: the grant with the accounts to pick from."""
    sent = code_login_api(client, "start", {"phone": phone}, ip=ip)
    assert sent.status_code == 200, sent.json()
    grant = code_login_api(client, "verify", {"token": sent.json()["token"], "code": last_code(phone)}, ip=ip)
    assert grant.status_code == 200, grant.json()
    return grant.json()


def recovery_post(client, path, body, ip="10.2.2.2", lang="zh-hans"):
    return client.post(f"/api/v1/auth/recovery/{path}", json.dumps(body), content_type="application/json",
                       REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=lang)


def recover(client, identifier, *, destination=None):
    """Recovery steps 1 and 2: returns the grant answer."""
    body = {"identifier": identifier} | ({"destination": destination} if destination is not None else {})
    sent = recovery_post(client, "start", body)
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "code_sent"
    return sent.json()


def verify(client, sent, target):
    answer = recovery_post(client, "verify", {"token": sent["token"], "code": last_code(target)})
    assert answer.status_code == 200, answer.json()
    return answer.json()


def reset(client, grant, account, password=NEW_PASSWORD, repeat=None, **extra):
    return recovery_post(client, "reset", {"grant": grant["grant"], "account_id": account.pk,
                                           "new_password": password, "repeat_password": repeat or password,
                                           **extra})


def api_post(client, path, body, ip="10.5.5.5", **headers):
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", REMOTE_ADDR=ip,
                       **headers)


def admin_with_password(world):
    """The district admin of X with NEW_PASSWORD, a password of their own (no forced change)."""
    account = world.district_admin_x
    account.set_password(NEW_PASSWORD)
    account.initial_password_digest = ""
    account.save()
    return account
