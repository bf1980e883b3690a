"""The sign-in form explaining what is missing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import SignInPage


@pytest.fixture
def page(phone_page: Page) -> Page:
    """Public pages, seen as on a small phone."""
    return phone_page


def test_empty_sign_in_form_comes_back_with_links_to_each_field(page: Page) -> None:
    sign_in = SignInPage.visit(page).submit_with_problems("", "")
    summary = sign_in.error_summary
    summary.expect_messages("Enter your email address", "Enter your password")
    # The summary takes the focus, so a screen reader reads the problems out first.
    expect(summary.box).to_be_focused()

    summary.follow("Enter your email address")
    expect(sign_in.email).to_be_focused()
    summary.follow("Enter your password")
    expect(sign_in.password).to_be_focused()

    sign_in = sign_in.submit_with_problems("someone@example.org", "")
    sign_in.error_summary.expect_messages("Enter your password")
    expect(sign_in.email).to_have_value("someone@example.org")
    expect(sign_in.password).to_have_value("")
