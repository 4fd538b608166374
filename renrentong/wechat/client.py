"""The WeChat official account API, as the platform uses it (MSG-2, MSG-4).

The access token comes from POST /cgi-bin/stable_token and is held ONCE for every worker, in the Django
cache (Redis in production): a worker that finds it missing or within REFRESH_MARGIN of its expiry takes
a lock in the cache (cache.add, atomic) and refreshes; the others wait for the new token rather than
asking WeChat themselves, so the daily token quota and the "one valid token" rule are respected.

Every call returns WeChat's JSON answer (errcode 0 when absent) or raises WeChatUnavailable for HTTP
errors and timeouts; deciding what an answer means is the caller's (channel.py, services.py)."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.cache import cache

REFRESH_MARGIN = 300  # seconds before expiry a token is refreshed
LOCK_SECONDS = 15
WAIT_SECONDS = 8.0
TIMEOUT = 5.0
MEMO_SECONDS = 30  # a worker keeps the shared token in memory this long before reading the cache again
TOKEN_ERRORS = {40001, 40014, 42001}
FIELD_LIMIT = 20
ELLIPSIS = "…"


def api_base() -> str:
    return getattr(settings, "RRT_WECHAT_API", "") or os.environ.get("RRT_WECHAT_API", "https://api.weixin.qq.com")


def open_base() -> str:
    """Where WeChat's OAuth page lives (the fake in tests never serves it: the test follows the redirect)."""
    return getattr(settings, "RRT_WECHAT_OPEN", "") or os.environ.get("RRT_WECHAT_OPEN", "https://open.weixin.qq.com")


class WeChatUnavailable(Exception):
    """An HTTP error, a timeout or an answer that is not JSON."""


_local = threading.local()


def _session() -> requests.Session:
    # One keep-alive session per thread: pushes go out at hundreds a second.
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


def cut(value: str, limit: int = FIELD_LIMIT) -> str:
    """WeChat drops what passes 20 characters silently (since May 2023): cut it ourselves, visibly."""
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[: limit - 1] + ELLIPSIS


@dataclass
class WeChatClient:
    appid: str
    secret: str
    base: str = ""

    def __post_init__(self) -> None:
        self.base = (self.base or api_base()).rstrip("/")
        # (token, until): pushes go out at hundreds a second, and a cache read per push was a fifth of its
        # cost. A token another worker replaced meanwhile costs one refused call (40001), then refresh()
        # finds the new one in the cache.
        self._memo: tuple[str, float] = ("", 0.0)

    # -- transport -------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, params: dict | None = None, json: dict | None = None) -> dict:
        try:
            response = _session().request(method, self.base + path, params=params, json=json, timeout=TIMEOUT)
            response.raise_for_status()
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise WeChatUnavailable(str(exc)[:200]) from exc
        if not isinstance(answer, dict):
            raise WeChatUnavailable("answer is not an object")
        answer.setdefault("errcode", 0)
        return answer

    # -- the shared access token -----------------------------------------------------------------------

    @property
    def _token_key(self) -> str:
        return f"wechat:token:{self.appid}"

    def _cached(self) -> str | None:
        token, until = self._memo
        if token and until > time.time():
            return token
        held = cache.get(self._token_key)
        if held and held["expires_at"] - REFRESH_MARGIN > time.time():
            self._remember(held["token"], held["expires_at"])
            return held["token"]
        return None

    def _remember(self, token: str, expires_at: float) -> None:
        self._memo = (token, min(expires_at - REFRESH_MARGIN, time.time() + MEMO_SECONDS))

    def token(self) -> str:
        """The valid access token, refreshed by one worker at a time when missing or about to expire.
        Raises TokenRefused with WeChat's errcode when WeChat refuses the appid or secret."""
        return self._cached() or self._refresh(stale=None)

    def refresh(self, stale: str) -> str:
        """A new token after WeChat refused `stale` (40001/40014/42001): forced, unless another worker
        already replaced it."""
        return self._refresh(stale=stale)

    def _refresh(self, stale: str | None) -> str:
        lock = f"wechat:token-lock:{self.appid}"
        deadline = time.monotonic() + WAIT_SECONDS
        while not cache.add(lock, os.getpid(), LOCK_SECONDS):
            time.sleep(0.05)
            held = cache.get(self._token_key)
            if held and held["token"] != stale and held["expires_at"] - REFRESH_MARGIN > time.time():
                self._remember(held["token"], held["expires_at"])
                return held["token"]
            if time.monotonic() > deadline:
                raise WeChatUnavailable("token refresh in progress elsewhere")
        try:
            held = cache.get(self._token_key)
            if held and held["token"] != stale and held["expires_at"] - REFRESH_MARGIN > time.time():
                self._remember(held["token"], held["expires_at"])
                return held["token"]  # another worker refreshed while we waited for the lock
            answer = self._call("POST", "/cgi-bin/stable_token", json={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret,
                "force_refresh": stale is not None,
            })
            if answer["errcode"] or "access_token" not in answer:
                raise TokenRefused(int(answer["errcode"] or -1))
            expires_in = int(answer.get("expires_in", 7200))
            cache.set(self._token_key, {"token": answer["access_token"], "expires_at": time.time() + expires_in},
                      expires_in)
            self._remember(answer["access_token"], time.time() + expires_in)
            return answer["access_token"]
        finally:
            cache.delete(lock)

    # -- calls -----------------------------------------------------------------------------------------

    def with_token(self, method: str, path: str, **kw) -> dict:
        """A call with the access token; a token WeChat calls invalid is refreshed once and the call
        repeated at once (the caller sees the second answer)."""
        token = self.token()
        answer = self._call(method, path, params={"access_token": token}, **kw)
        if answer["errcode"] in TOKEN_ERRORS:
            answer = self._call(method, path, params={"access_token": self.refresh(token)}, **kw)
        return answer

    def send_template(self, openid: str, template_id: str, url: str, title: str, sender: str, sent_at: str) -> dict:
        return self.with_token("POST", "/cgi-bin/message/template/send", json={
            "touser": openid, "template_id": template_id, "url": url,
            "data": {"thing1": {"value": cut(title)}, "thing2": {"value": cut(sender)},
                     "time3": {"value": cut(sent_at)}},
        })

    def create_qrcode(self, scene: str, expire_seconds: int, *, token: str | None = None) -> dict:
        """With `token`, one call with that token and no cache (for worker threads, which leave a token
        error to the caller); without, the shared token with its refresh."""
        body = {"expire_seconds": min(expire_seconds, 2592000), "action_name": "QR_STR_SCENE",
                "action_info": {"scene": {"scene_str": scene}}}
        if token is not None:
            return self._call("POST", "/cgi-bin/qrcode/create", params={"access_token": token}, json=body)
        return self.with_token("POST", "/cgi-bin/qrcode/create", json=body)

    def oauth_openid(self, code: str) -> dict:
        return self._call("GET", "/sns/oauth2/access_token", params={
            "appid": self.appid, "secret": self.secret, "code": code, "grant_type": "authorization_code"})

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        return (f"{open_base().rstrip('/')}/connect/oauth2/authorize?appid={quote(self.appid)}"
                f"&redirect_uri={quote(redirect_uri, safe='')}&response_type=code&scope=snsapi_base"
                f"&state={quote(state)}#wechat_redirect")


class TokenRefused(Exception):
    def __init__(self, errcode: int) -> None:
        self.errcode = errcode
        super().__init__(f"stable_token errcode {errcode}")
