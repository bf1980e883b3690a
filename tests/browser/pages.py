"""Page objects: one class per page, saying what a person sees there and can do.

A page object is only made through ``arrived`` (or ``visit``, which goes there first), and that
checks the address, the main heading and the page's accessibility with axe. Actions that lead to
another page return that page's object, so every page a journey passes through is checked.
"""

from __future__ import annotations

import re
from typing import ClassVar, Self

from playwright.sync_api import Locator, Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.accounts import Account
from tests.browser.authenticator import Authenticator


class ErrorSummary:
    """The GOV.UK error summary at the top of a form sent back with problems."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.box = page.locator(".govuk-error-summary")

    def expect_messages(self, *messages: str) -> None:
        expect(self.box).to_be_visible()
        expect(self.box.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(self.box.get_by_role("link")).to_have_text(list(messages))
        expect(self.page).to_have_title(re.compile(r"^Error: "))

    def follow(self, message: str) -> None:
        self.box.get_by_role("link", name=message).click()


class ServicePage:
    """A page of the service. Subclasses give its path and main heading."""

    path: ClassVar[str]
    # For a page whose address carries a token: a regular expression its path matches.
    path_pattern: ClassVar[str | None] = None
    heading: ClassVar[str]

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def visit(cls, page: Page) -> Self:
        page.goto(cls.path)
        return cls.arrived(page)

    @classmethod
    def arrived(cls, page: Page) -> Self:
        return cls.arrived_with_heading(page, cls.heading)

    @classmethod
    def arrived_with_heading(cls, page: Page, heading: str) -> Self:
        """For a page whose main heading is not fixed, such as a person's name."""
        path = cls.path_pattern or re.escape(cls.path)
        expect(page).to_have_url(re.compile(rf"^https?://[^/]+{path}(\?.*)?$"))
        expect(page.get_by_role("heading", level=1, name=heading, exact=True)).to_be_visible()
        assert_accessible(page)
        return cls(page)

    @property
    def error_summary(self) -> ErrorSummary:
        return ErrorSummary(self.page)

    @property
    def exit_this_page_button(self) -> Locator:
        return self.page.get_by_role("button", name="Exit this page")

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)

    def press(self, button: str) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()


class SignedInPage(ServicePage):
    """A page seen once signed in: the account bar, and the warning before an idle sign-out."""

    @property
    def account_bar(self) -> Locator:
        return self.page.locator(".panel-account-bar")

    @property
    def timeout_warning(self) -> Locator:
        # The heading uses the typographic apostrophe, as GOV.UK style does.
        return self.page.get_by_role("dialog", name="You’re about to be signed out")  # noqa: RUF001

    def stay_signed_in(self) -> None:
        self.timeout_warning.get_by_role("button", name="Stay signed in").click()

    def sign_out(self) -> SignedOutPage:
        self.account_bar.get_by_role("button", name="Sign out").click()
        return SignedOutPage.arrived(self.page)


class HomePage(ServicePage):
    path = "/"
    heading = "Help improve support for victims and witnesses"


class SignInPage(ServicePage):
    path = "/sign-in"
    heading = "Sign in"

    @property
    def email(self) -> Locator:
        return self.field("Email address")

    @property
    def password(self) -> Locator:
        return self.field("Password")

    def submit(self, email: str, password: str) -> None:
        self.email.fill(email)
        self.password.fill(password)
        self.press("Sign in")

    def sign_in_for_the_first_time(self, email: str, password: str) -> TwoFactorSetUpPage:
        self.submit(email, password)
        return TwoFactorSetUpPage.arrived(self.page)

    def sign_in(self, email: str, password: str) -> TwoFactorCheckPage:
        self.submit(email, password)
        return TwoFactorCheckPage.arrived(self.page)

    def submit_with_problems(self, email: str, password: str) -> SignInPage:
        self.submit(email, password)
        return SignInPage.arrived(self.page)

    def forgotten_password(self) -> ForgotPasswordPage:
        self.page.get_by_role("link", name="I have forgotten my password").click()
        return ForgotPasswordPage.arrived(self.page)


class TwoFactorSetUpPage(ServicePage):
    path = "/two-factor/set-up"
    heading = "Set up two-factor sign-in"

    @property
    def qr_code(self) -> Locator:
        return self.page.locator(".panel-qr svg")

    def key(self) -> str:
        """The key as shown for typing into an app by hand: groups of four, spaces between."""
        return self.page.locator("#setup-key").inner_text().strip()

    def confirm(self, code: str) -> StaffHomePage:
        self.field("Code from your authenticator app").fill(code)
        self.press("Continue")
        return StaffHomePage.arrived(self.page)


class TwoFactorCheckPage(ServicePage):
    path = "/two-factor"
    heading = "Enter the code from your authenticator app"

    @property
    def code(self) -> Locator:
        return self.field(self.heading)

    def submit(self, code: str) -> None:
        self.code.fill(code)
        self.press("Sign in")

    def sign_in_with(self, code: str) -> StaffHomePage:
        self.submit(code)
        return StaffHomePage.arrived(self.page)

    def code_refused(self, code: str) -> TwoFactorCheckPage:
        self.submit(code)
        return TwoFactorCheckPage.arrived(self.page)


class StaffHomePage(SignedInPage):
    path = "/staff"
    heading = "Staff home"


class SignedOutPage(ServicePage):
    path = "/signed-out"
    heading = "You have signed out"


class ForgotPasswordPage(ServicePage):
    path = "/forgot-password"
    heading = "Reset your password"

    def send_link(self, email: str) -> ForgotPasswordSentPage:
        self.field("Email address").fill(email)
        self.press("Send the link")
        return ForgotPasswordSentPage.arrived(self.page)


class ForgotPasswordSentPage(ServicePage):
    path = "/forgot-password/sent"
    heading = "Check your email"


class ResetPasswordPage(ServicePage):
    path = "/reset-password/"
    path_pattern = "/reset-password/[^/?#]+"
    heading = "Choose a new password"

    @classmethod
    def follow_link(cls, page: Page, link: str) -> ResetPasswordPage:
        page.goto(link)
        return cls.arrived(page)

    def save_new_password(self, password: str) -> PasswordChangedPage:
        self.field("New password").fill(password)
        self.field("Type the new password again").fill(password)
        self.press("Save new password")
        return PasswordChangedPage.arrived(self.page)


class ResetLinkExpiredPage(ServicePage):
    path = "/reset-password/"
    path_pattern = "/reset-password/[^/?#]+"
    heading = "This link has expired"

    @classmethod
    def follow_link(cls, page: Page, link: str) -> ResetLinkExpiredPage:
        page.goto(link)
        return cls.arrived(page)


class PasswordChangedPage(ServicePage):
    path = "/password-changed"
    heading = "Your password has been changed"

    def sign_in_again(self) -> SignInPage:
        self.page.get_by_role("link", name="Sign in with your new password").click()
        return SignInPage.arrived(self.page)


def sign_in_and_set_up_two_factor(
    page: Page, account: Account
) -> tuple[StaffHomePage, Authenticator]:
    """A staff member's first sign-in: password, then adding the key to their app."""
    set_up = SignInPage.visit(page).sign_in_for_the_first_time(account.email, account.password)
    expect(set_up.qr_code).to_be_visible()
    authenticator = Authenticator(set_up.key())
    return set_up.confirm(authenticator.code()), authenticator
