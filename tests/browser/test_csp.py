"""The Content-Security-Policy in Chromium (issue 10, item 7): pages work with it, and it refuses what an
injected script or handler would need. The `new_page` fixture fails any test on a CSP violation."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_login_page_runs_its_scripts_under_the_csp(new_page):
    page = new_page()
    response = page.goto("/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # htmx and site.js come from our static files and run.
    assert page.evaluate("() => typeof window.htmx") == "object"
    expect(page.get_by_test_id("language-en")).to_be_visible()


def test_injected_inline_scripts_and_handlers_are_refused(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        seen: list[str] = []
        page.on("console", lambda message: seen.append(message.text))
        page.goto("/accounts/login/")
        page.evaluate("""() => {
            window.ran = [];
            const script = document.createElement('script');
            script.textContent = 'window.ran.push("script")';
            document.body.appendChild(script);
            document.body.insertAdjacentHTML('beforeend', '<img src="/static/none.png" onerror="window.ran.push(1)">');
        }""")
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.ran") == []
        assert any("Content Security Policy" in text for text in seen)
    finally:
        context.close()
