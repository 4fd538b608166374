"""Real Chromium (Debian's, never a downloaded one) driven by Playwright against pytest-django's live server.

One browser per session, a fresh context (cookies, storage, language) per test. Without Chromium the
tests are skipped on a developer machine and fail in CI, so CI can never go green by skipping them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
MISSING = "Browser tests need Debian's Chromium: sudo apt-get install chromium fonts-noto-cjk"
TIMEOUT_MS = 10_000


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The path of Debian's Chromium; skips (or in CI fails) the browser tests without it."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        if running_in_ci():
            pytest.fail(f"{MISSING} (CI={os.environ['CI']!r}: browser tests may not be skipped in CI)")
        pytest.skip(MISSING)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as p:
        # Playwright's sync API runs its asyncio loop in a greenlet of the main thread, so for as long
        # as the browser lives Django sees a "running event loop" and refuses every ORM call from the
        # tests and from pytest-django's own setup and teardown. Nothing here is async; the check is a
        # false alarm, and Playwright's documentation for Django says to switch it off this way.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = p.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens pages in a new context each: a Chinese browser (zh-CN) unless the test asks otherwise."""
    contexts = []
    violations: list[str] = []

    def open_page(*, locale: str = "zh-CN", viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport=viewport or {"width": 1280, "height": 800}
        )
        context.set_default_timeout(TIMEOUT_MS)
        # Nothing serves a favicon; answering it here keeps it out of the server's log and database.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        contexts.append(context)
        # Requests the page has sent and not yet heard back from. A test may end while an htmx request is
        # still in the live server; its queries would then meet the database flush between tests (a
        # deadlock on PostgreSQL) or run after database access is closed. Teardown waits for them.
        in_flight = context.in_flight = set()
        context.on("request", lambda request: in_flight.add(request))
        context.on("requestfinished", lambda request: in_flight.discard(request))
        context.on("requestfailed", lambda request: in_flight.discard(request))
        # The Content-Security-Policy is on in tests as in production: any inline script, handler or
        # style element a template slips in is refused by Chromium, and the test fails on it here.
        context.on("console", lambda message: violations.append(f"{message.type}: {message.text}")
                   if "Content Security Policy" in message.text else None)
        return context.new_page()

    yield open_page
    for context in contexts:
        _wait_for_answers(context)
        context.close()
    assert not violations, f"CSP violations: {violations}"


def _wait_for_answers(context, timeout_s: float = TIMEOUT_MS / 1000) -> None:
    deadline = time.monotonic() + timeout_s
    while context.in_flight and context.pages and time.monotonic() < deadline:
        # Waiting inside Playwright lets it deliver the events that empty the set.
        context.pages[0].wait_for_timeout(25)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def world(transactional_db):
    """Every role, committed for real: the live server answers from another thread."""
    from tests.factories import build_world

    return build_world()
