"""Choosing a new password through a link sent by email."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from tests.browser.accounts import Account, new_password
from tests.browser.mailbox import Mailbox
from tests.browser.pages import (
    ResetLinkExpiredPage,
    ResetPasswordPage,
    SignInPage,
    sign_in_and_set_up_two_factor,
)
from tests.support.server import PanelServer


def test_forgotten_password_is_replaced_through_the_emailed_link(
    page: Page, staff_user: Account, mailbox: Mailbox, server: PanelServer
) -> None:
    SignInPage.visit(page).forgotten_password().send_link(staff_user.email)

    email = mailbox.wait_for(staff_user.email, "Your link to choose a new password")
    # Someone else may see the inbox: nothing in the sender or subject says what the panel is.
    for word in ("victim", "crime", "police"):
        assert word not in f"{email.sender} {email.subject}".lower()
    link = re.search(rf"{re.escape(server.url)}/reset-password/\S+", email.text)
    assert link is not None, email.text

    password = new_password()
    ResetPasswordPage.follow_link(page, link.group(0)).save_new_password(password)
    mailbox.wait_for(staff_user.email, "Your password has been changed")
    ResetLinkExpiredPage.follow_link(page, link.group(0))

    refused = SignInPage.visit(page).submit_with_problems(staff_user.email, staff_user.password)
    refused.error_summary.expect_messages("Enter a correct email address and password")

    sign_in_and_set_up_two_factor(page, Account(staff_user.email, password))
