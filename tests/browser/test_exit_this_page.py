"""The "Exit this page" control that takes someone off the site at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ForgotPasswordPage, HomePage, ServicePage, SignInPage
from tests.support.server import PanelServer


@pytest.fixture
def page(phone_page: Page) -> Page:
    """Public pages, seen as on a small phone."""
    return phone_page


@pytest.mark.parametrize("public_page", [HomePage, SignInPage, ForgotPasswordPage])
def test_exit_this_page_button_leaves_the_site(
    page: Page, server: PanelServer, public_page: type[ServicePage]
) -> None:
    shown = public_page.visit(page)
    expect(shown.exit_this_page_button).to_be_visible()
    shown.exit_this_page_button.click()
    expect(page).to_have_url(server.exit_url)


def test_pressing_shift_three_times_leaves_the_site(page: Page, server: PanelServer) -> None:
    HomePage.visit(page)
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(server.exit_url)
