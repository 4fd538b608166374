"""What browser tests share: logging in, the second factor, the school tree, the server's Chinese rendering
(a password of the user's own choosing is tests.factories.give_password). The committed `world` fixture is in
tests/browser/conftest.py."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils import translation
from playwright.sync_api import Page, expect

from renrentong.accounts.models import Account

def log_in(page: Page, identifier: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#identifier", identifier)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()


def pass_second_factor(page: Page, account: Account) -> None:
    """Region admins confirm each login with the code sent to their phone (docs/recovery.md)."""
    from tests.verification_helpers import last_code

    expect(page).to_have_url(re.compile(r"/accounts/second-factor/$"))
    page.fill("#sms", last_code(account.phone))
    page.get_by_test_id("sms-form").locator("button").click()


def open_class(page: Page, code: str):
    """Opens a class of the school tree (htmx loads its members on toggle); returns its <details>."""
    details = page.get_by_test_id("school-tree").locator("details[hx-get]").filter(has_text=code)
    summary = details.get_by_test_id("class")
    expect(summary).to_be_visible()
    # htmx binds "toggle once" when it starts: a toggle before that loads nothing (a PostgreSQL CI run did).
    page.wait_for_load_state("load")
    summary.click()
    expect(details).to_have_attribute("open", "")
    return details


def chinese(render: Callable[[], str]) -> str:
    """What the server renders for the default language, e.g. a class name from the grade catalogue."""
    with translation.override("zh-hans"):
        return str(render())


def _shell_ready(page: Page) -> None:
    """Waits until a page of the console (personal menu) or of the phone shell (tab bar) is there and its
    deferred scripts (Bootstrap's dropdowns) have run."""
    expect(page.get_by_test_id("personal-menu").or_(page.get_by_test_id("tab-me"))).to_be_visible()
    page.wait_for_load_state("domcontentloaded")


def in_console(page: Page) -> bool:
    _shell_ready(page)
    return page.get_by_test_id("personal-menu").count() > 0


def open_personal_menu(page: Page) -> None:
    """Where the personal links are (identity, language, authenticator, phone, password, logout): the console's
    personal menu at the top right, opened; on the phone, the 我的 tab."""
    if in_console(page):
        items = page.get_by_test_id("personal-menu-items")
        if not items.is_visible():
            page.get_by_test_id("personal-menu").click()
        expect(items).to_be_visible()
    else:
        page.get_by_test_id("tab-me").click()
        expect(page.get_by_test_id("me")).to_be_visible()


def open_personal_link(page: Page, test_id: str) -> None:
    """Follows one of the personal links (nav-phone, nav-password, second-factor-setup-link, logout ...)."""
    open_personal_menu(page)
    page.get_by_test_id(test_id).click()


def switch_identity(page: Page, pk: int) -> None:
    """Acts as another identity of the account: from the console's personal menu, or the phone's sheet."""
    if in_console(page):
        open_personal_menu(page)
    else:
        page.get_by_test_id("who").click()
        expect(page.get_by_test_id("identity-choices")).to_be_visible()
    page.get_by_test_id(f"identity-{pk}").click()


def open_menu_link(page: Page, test_id: str) -> None:
    """Follows an entry of the console's sidebar, opening the sidebar first where the screen is narrow."""
    _shell_ready(page)
    link = page.get_by_test_id(test_id)
    expect(link).to_be_attached()
    if not link.is_visible():
        page.get_by_test_id("menu-toggle").click()
    link.click()
