"""A local fake of the WeChat official account API, on loopback, for tests and the push benchmark.

Serves POST /cgi-bin/stable_token, POST /cgi-bin/message/template/send, POST /cgi-bin/qrcode/create and
GET /sns/oauth2/access_token, as WeChat answers them. Scripted replies: `script(path, [errcode, ...])`
queues errcodes the next calls to that path answer with (0 answers normally); `fail_ratio` injects random
errcodes for the benchmark; `expire_tokens()` makes every issued token invalid (WeChat answers 40001);
`quota` stops template sends with 45009 after that many; `oauth_codes[code] = openid`.
Every request is recorded in `requests` (path, JSON body or query). Threaded, keep-alive, fast.

    with FakeWeChat() as fake:
        settings.RRT_WECHAT_API = fake.url
"""

from __future__ import annotations

import itertools
import json
import random
import secrets
import threading
import time
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PATHS = {
    "/cgi-bin/stable_token": "token",
    "/cgi-bin/message/template/send": "template",
    "/cgi-bin/qrcode/create": "qrcode",
    "/sns/oauth2/access_token": "oauth",
}


class FakeWeChat:
    def __init__(self, *, token_seconds: int = 7200, token_delay: float = 0.0, record: bool = True) -> None:
        self.token_seconds = token_seconds
        self.token_delay = token_delay  # seconds stable_token takes: makes concurrent refreshes overlap
        self.record = record
        self.lock = threading.Lock()
        self.scripts: dict[str, deque] = defaultdict(deque)
        self.requests: list[tuple[str, dict]] = []
        self.valid_tokens: set[str] = set()
        self.current_token: str | None = None
        self.oauth_codes: dict[str, str] = {}
        self.quota: int | None = None
        self.fail_ratio: dict[int, float] = {}  # errcode -> share of template sends that get it
        self.sent = 0
        self.delay = 0.0  # seconds every call other than stable_token takes (timeouts)
        self.http_status: int | None = None  # answer every call with this HTTP status (e.g. 502)
        self._msgids = itertools.count(1_000_000)
        self._random = random.Random(13)
        self.server: ThreadingHTTPServer | None = None

    # -- control ------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, kind: str, errcodes: list[int]) -> None:
        """Queue errcodes for the next calls of kind token | template | qrcode | oauth."""
        with self.lock:
            self.scripts[kind].extend(errcodes)

    def expire_tokens(self) -> None:
        with self.lock:
            self.valid_tokens.clear()

    def calls(self, kind: str) -> list[dict]:
        path = next(p for p, k in PATHS.items() if k == kind)
        with self.lock:
            return [body for p, body in self.requests if p == path]

    def start(self, port: int = 0) -> "FakeWeChat":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

            def log_message(self, *args) -> None:  # quiet
                pass

            def _answer(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {}
                status, payload = fake.answer(parts.path, query, body)
                self._answer(status, payload)

            do_GET = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> "FakeWeChat":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the API ------------------------------------------------------------------------------------------

    def _scripted(self, kind: str) -> int | None:
        queue = self.scripts[kind]
        return queue.popleft() if queue else None

    def answer(self, path: str, query: dict, body: dict) -> tuple[int, dict]:
        kind = PATHS.get(path)
        with self.lock:
            if self.record:
                self.requests.append((path, {**query, **body}))
            if self.http_status:
                return self.http_status, {}
            if kind is None:
                return 404, {"errcode": 40066, "errmsg": "invalid url"}
            scripted = self._scripted(kind)
        if kind == "token":
            if self.token_delay:
                time.sleep(self.token_delay)
            return 200, self._token(scripted, body)
        if self.delay:
            time.sleep(self.delay)
        if scripted not in (None, 0):
            return 200, {"errcode": scripted, "errmsg": f"scripted {scripted}"}
        if kind == "oauth":
            openid = self.oauth_codes.pop(query.get("code", ""), None)
            if openid is None:
                return 200, {"errcode": 40029, "errmsg": "invalid code"}
            return 200, {"access_token": "web-token", "expires_in": 7200, "openid": openid, "scope": "snsapi_base"}
        with self.lock:
            if query.get("access_token") not in self.valid_tokens:
                return 200, {"errcode": 40001, "errmsg": "invalid credential"}
        if kind == "qrcode":
            scene = body.get("action_info", {}).get("scene", {}).get("scene_str", "")
            return 200, {"ticket": "T" + secrets.token_hex(8), "expire_seconds": body.get("expire_seconds", 60),
                         "url": f"http://weixin.qq.com/q/{scene}"}
        return 200, self._template(body)

    def _token(self, scripted: int | None, body: dict) -> dict:
        if scripted not in (None, 0):
            return {"errcode": scripted, "errmsg": f"scripted {scripted}"}
        with self.lock:
            if body.get("force_refresh") or self.current_token not in self.valid_tokens:
                self.current_token = "TOKEN" + secrets.token_hex(8)
                self.valid_tokens = {self.current_token}
            return {"access_token": self.current_token, "expires_in": self.token_seconds}

    def _template(self, body: dict) -> dict:
        with self.lock:
            if self.quota is not None and self.sent >= self.quota:
                return {"errcode": 45009, "errmsg": "reach max api daily quota limit"}
            roll = self._random.random()
            for errcode, share in self.fail_ratio.items():
                if roll < share:
                    return {"errcode": errcode, "errmsg": f"injected {errcode}"}
                roll -= share
            self.sent += 1
            return {"errcode": 0, "errmsg": "ok", "msgid": next(self._msgids)}


def main() -> None:
    """Run the fake on its own (the benchmark runs it in another process, away from the GIL of the
    workers): `python -m tests.wechat.fake_server --port 8701 --fail -1=0.1 --fail 43004=0.01 --quota 90000`."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail", action="append", default=[], help="errcode=share, e.g. -1=0.1")
    parser.add_argument("--quota", type=int, default=None)
    parser.add_argument("--token-seconds", type=int, default=7200)
    args = parser.parse_args()
    fake = FakeWeChat(token_seconds=args.token_seconds, record=False)
    fake.quota = args.quota
    fake.fail_ratio = {int(code): float(share) for code, share in (item.split("=") for item in args.fail)}
    fake.start(args.port)
    print(fake.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
