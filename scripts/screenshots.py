"""`make screenshots`: a PNG of every page of every demo role at a phone's and a desk's width.

    .venv/bin/python scripts/screenshots.py [--scale 0.2] [--only ROLE-WORD]

Sets up a throwaway demo database (RRT_VAR_DIR=var/screenshots-db, emptied first), starts the development
server on a free port, and drives Debian's Chromium (/usr/bin/chromium; never a downloaded browser) through
Playwright. For each login `demo_logins` prints (initial passwords are changed at the first login, as the
platform demands; region admins pass the SMS second factor through the development outbox) and for each
identity of an account that holds several, it opens the home page and every page the shell's navigation
offers (the console's sidebar and personal menu, the phone's tab bar: the same tour as bench/pages.py) at
360x740 (a phone: phone user agent, touch) and 1366x768 (a desk), and saves a full-page PNG of each in
var/screenshots/<role>/<page>-<width>.png, with var/screenshots/index.html: a role × page × width grid
with relative links.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_DIR = BASE_DIR / "var" / "screenshots-db"
OUT_DIR = BASE_DIR / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
NEW_PASSWORD = "Xk9#mPq2vL"
WIDTHS = {
    360: {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
          "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
                        "Chrome/131.0 Mobile Safari/537.36 MicroMessenger/8.0.50"},
    1366: {"viewport": {"width": 1366, "height": 768},
           "user_agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 "
                         "Safari/537.36"},
}
LOGIN_LINE = re.compile(r"^\s{2}(?P<role>\S.*?)\s{2,}(?P<name>\S*)\s+login: (?P<login>\S+)\s+password: (?P<password>\S+)")
NAV_LINKS = """() => Array.from(document.querySelectorAll('a[data-testid]'))
  .filter(a => /^(nav-|tab-|second-factor-setup-link$)/.test(a.dataset.testid))
  .map(a => a.getAttribute('href'))"""
SKIP_PATHS = ("/accounts/logout/", "/i18n/", "/audit/export/")


def say(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


@dataclass
class Login:
    role: str
    login: str
    password: str


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited ({process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text, flags=re.ASCII).strip("-").lower() or "home"


class Tour:
    def __init__(self, env: dict[str, str], base: str, browser) -> None:
        self.env, self.base, self.browser = env, base, browser
        self.shots: dict[tuple[str, str], dict[int, str]] = {}  # (role label, page) -> width -> PNG path
        self.order: list[str] = []

    def log_in(self, page, login: Login) -> list[str]:
        """Logs in through the forced password change and the second factor; the identity kinds to pick from."""
        page.goto(f"{self.base}/accounts/login/")
        page.fill("#identifier", login.login)
        page.fill("#password", login.password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        for _ in range(4):
            path = page.url.removeprefix(self.base)
            if path.startswith("/accounts/password/"):
                page.fill("#current_password", login.password)
                page.fill("#new_password", NEW_PASSWORD)
                page.fill("#repeat_password", NEW_PASSWORD)
                page.locator("main form button[type=submit]").click()
                page.wait_for_load_state()
                login.password = NEW_PASSWORD
            elif path.startswith("/accounts/second-factor/"):
                message = manage(self.env, "demo_logins", "--sms", login.login)
                page.fill("#sms", re.search(r"(?<!\d)(\d{6})(?!\d)", message).group(1))
                page.get_by_test_id("sms-form").locator("button").click()
                page.wait_for_load_state()
            elif path.startswith("/accounts/identities/"):
                return [t.removeprefix("identity-") for t in
                        page.locator("button.choice").evaluate_all("els => els.map(e => e.dataset.testid)")]
            elif path.startswith("/accounts/login/"):
                code = page.locator("[data-code]").first
                say(f"screenshots: {login.role}: the login is refused"
                    f" ({code.get_attribute('data-code') if code.count() else 'no code'}); only the refusal is shot")
                return []
            else:
                return []
        return []

    def visit(self, login: Login) -> None:
        contexts = {}
        desk = self.browser.new_context(**WIDTHS[1366], locale="zh-CN")
        first = desk.new_page()
        kinds = self.log_in(first, login) or [""]
        refused = first.url.removeprefix(self.base).startswith("/accounts/login/")
        contexts[1366] = (desk, first)
        # The phone shares the desk's session (a second login would wait for the SMS resend interval).
        phone = self.browser.new_context(**WIDTHS[360], locale="zh-CN", storage_state=desk.storage_state())
        contexts[360] = (phone, phone.new_page())
        for kind in kinds:
            label = f"{login.role} as {kind.replace('_', ' ')}" if len(kinds) > 1 else login.role
            if kind:
                first.goto(f"{self.base}/accounts/identities/")
                first.get_by_test_id(f"identity-{kind}").click()
                first.wait_for_load_state()
            self.order.append(label)
            for width, (_, page) in contexts.items():
                if refused:  # the refusal itself, at each width
                    if page is not first:
                        self.log_in(page, login)
                    self.shoot(page, label, "/accounts/login/", width, goto=False)
                    continue
                page.goto(f"{self.base}/")
                paths = ["/"] + [p for p in page.evaluate(NAV_LINKS)
                                 if p and p.startswith("/") and not p.startswith(SKIP_PATHS)]
                for path in dict.fromkeys(paths):
                    self.shoot(page, label, path, width)
        for context, _ in contexts.values():
            context.close()

    def shoot(self, page, label: str, path: str, width: int, goto: bool = True) -> None:
        if goto:
            page.goto(f"{self.base}{path}")
        try:
            page.wait_for_load_state("networkidle", timeout=5000)
        except Exception:  # a page that keeps a request open is shot as it stands
            pass
        name = Path(slug(label)) / f"{slug(path)}-{width}.png"
        (OUT_DIR / name).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT_DIR / name), full_page=True)
        self.shots.setdefault((label, path), {})[width] = name.as_posix()
        say(f"  {width:>4}  {label}: {path}")

    @staticmethod
    def cell(png: str | None, alt: str) -> str:
        if png is None:
            return ""
        src = html.escape(png)
        return f'<a href="{src}"><img src="{src}" alt="{html.escape(alt)}" loading="lazy"></a>'

    def write_index(self) -> Path:
        rows = []
        for label in self.order:
            pages = [(p, w) for (role, p), w in self.shots.items() if role == label]
            for n, (path, by_width) in enumerate(pages):
                cells = "".join(f"<td>{self.cell(by_width.get(w), f'{label} {path} {w}')}</td>" for w in WIDTHS)
                role_cell = f'<th rowspan="{len(pages)}">{html.escape(label)}</th>' if n == 0 else ""
                rows.append(f"<tr>{role_cell}<td><code>{html.escape(path)}</code></td>{cells}</tr>")
        index = OUT_DIR / "index.html"
        index.write_text(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Renrentong screenshots</title>\n"
            "<style>body{font:14px system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}"
            "img{width:180px;max-height:360px;object-fit:cover;object-position:top}</style>\n"
            f"<h1>Renrentong screenshots</h1><p>{len(self.shots)} pages, {sum(map(len, self.shots.values()))} PNGs; "
            f"taken {time.strftime('%Y-%m-%d %H:%M')}. Click a picture for the full page.</p>\n"
            "<table><thead><tr><th>Role</th><th>Page</th>"
            + "".join(f"<th>{w} px</th>" for w in WIDTHS) + "</tr></thead><tbody>\n"
            + "\n".join(rows) + "\n</tbody></table></html>\n", encoding="utf-8")
        return index


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1.0", help="load_demo --scale (default 1.0, the whole demo region)")
    parser.add_argument("--only", default="", help="only the roles whose name contains this")
    args = parser.parse_args(argv)
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} is missing: sudo apt-get install chromium fonts-noto-cjk")
    shutil.rmtree(DB_DIR, ignore_errors=True)
    shutil.rmtree(OUT_DIR, ignore_errors=True)
    DB_DIR.mkdir(parents=True)
    OUT_DIR.mkdir(parents=True)
    env = {**os.environ, "RRT_VAR_DIR": str(DB_DIR), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "renrentong.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    say("screenshots: a throwaway demo database in var/screenshots-db ...")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", "--scale", args.scale)
    logins = [Login(m["role"], m["login"], m["password"])
              for m in map(LOGIN_LINE.match, manage(env, "demo_logins").splitlines()) if m]
    logins = [login for login in logins if args.only in login.role]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(DB_DIR / "server.log", "wb") as log:
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                                  cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"{base}/accounts/login/", server)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            tour = Tour(env, base, browser)
            for login in logins:
                say(f"screenshots: {login.role} ({login.login})")
                tour.visit(login)
            browser.close()
        index = tour.write_index()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{sum(map(len, tour.shots.values()))} screenshots; open {index.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
