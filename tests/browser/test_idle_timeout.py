"""The warning before someone who has stopped using the service is signed out."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.accounts import Account
from tests.browser.pages import sign_in_and_set_up_two_factor

IDLE_MINUTES = 30  # the default PANEL_SESSION_IDLE_MINUTES
WARN_MINUTES = 2


def test_warning_before_idle_sign_out_lets_staff_stay_signed_in(
    page: Page, staff_user: Account
) -> None:
    page.clock.install()  # before the first page, so the page's timers run on this clock
    home, _ = sign_in_and_set_up_two_factor(page, staff_user)
    expect(home.timeout_warning).to_be_hidden()

    page.clock.fast_forward(f"{IDLE_MINUTES - WARN_MINUTES}:00")
    expect(home.timeout_warning).to_be_visible()
    expect(home.timeout_warning).to_contain_text("we will sign you out in 2 minutes")
    assert_accessible(page)

    home.stay_signed_in()
    expect(home.timeout_warning).to_be_hidden()
    # The countdown starts again from now: the warning is not back a minute later.
    page.clock.fast_forward("01:00")
    expect(home.timeout_warning).to_be_hidden()
    expect(home.account_bar).to_contain_text(f"Signed in as {staff_user.email}")
