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


def test_behaviour_moved_out_of_inline_handlers_still_works(page, world):
    """Select all, and a confirm that, dismissed, sends nothing (both were inline handlers before the CSP)."""
    from renrentong.accounts.models import Guardianship

    from tests.browser.helpers import log_in
    from tests.factories import NEW_PASSWORD, give_password

    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    page.goto(f"/resets/?class_id={world.class_a1.pk}")
    boxes = page.locator("input[name=account_id]")
    expect(boxes.first).to_be_visible()
    page.locator("#select-all").check()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_be_checked()

    page.get_by_test_id(f"guardians-{world.student_a.number}").click()
    row = page.get_by_test_id(f"guardian-{world.parent_a.number}")
    expect(row).to_be_visible()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    row.get_by_test_id("remove-guardian").click()
    page.wait_for_timeout(300)
    assert asked and "李大明" not in asked[0]  # the question, not a name
    expect(row).to_be_visible()
    assert Guardianship.objects.filter(student=world.student_a.person, guardian=world.parent_a.person).exists()


def test_the_api_documentation_renders_under_the_csp(new_page):
    page = new_page()
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
