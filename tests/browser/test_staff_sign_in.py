"""A staff member signing in with a password and a two-factor code, and signing out."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.accounts import Account
from tests.browser.authenticator import Authenticator
from tests.browser.pages import SignInPage, sign_in_and_set_up_two_factor


def test_first_sign_in_sets_up_two_factor_then_sign_out_ends_access(
    page: Page, staff_user: Account
) -> None:
    set_up = SignInPage.visit(page).sign_in_for_the_first_time(
        staff_user.email, staff_user.password
    )
    expect(set_up.qr_code).to_be_visible()
    key = set_up.key()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), key

    home = set_up.confirm(Authenticator(key).code())
    expect(home.account_bar).to_contain_text(f"Signed in as {staff_user.email} (Staff)")

    home.sign_out()
    page.goto("/staff")
    SignInPage.arrived(page)


def test_later_sign_in_asks_for_a_code_and_refuses_a_wrong_or_used_one(
    page: Page, staff_user: Account
) -> None:
    home, authenticator = sign_in_and_set_up_two_factor(page, staff_user)
    code_used_at_set_up = authenticator.code_already_used()
    home.sign_out()

    check = SignInPage.visit(page).sign_in(staff_user.email, staff_user.password)
    refused = check.code_refused(authenticator.wrong_code())
    refused.error_summary.expect_messages(
        "That code is not right or has been used already. Wait for a new code and enter it"
    )

    refused = refused.code_refused(code_used_at_set_up)
    refused.error_summary.expect_messages(
        "That code is not right or has been used already. Wait for a new code and enter it"
    )

    home = refused.sign_in_with(authenticator.code())
    expect(home.account_bar).to_contain_text(f"Signed in as {staff_user.email}")
