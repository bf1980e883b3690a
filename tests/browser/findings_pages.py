"""Pages of findings: recording them, staff's review, and the insight library."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.browser.accounts import Account
from tests.browser.authenticator import Authenticator
from tests.browser.engagement_pages import choose_from_menu
from tests.browser.pages import SignedInPage, SignInPage


class FindingsPage(SignedInPage):
    """An engagement's findings, with the form to record one."""

    @classmethod
    def from_session(cls, session: SignedInPage) -> FindingsPage:
        title = session.page.get_by_role("heading", level=1).inner_text().strip()
        session.page.get_by_role("link", name="Record what was learnt as findings").click()
        return cls.arrived(session.page, f"Findings of {title}")

    path = "/facilitator/engagements/"
    path_pattern = r"/(facilitator|staff)/engagements/\d+/findings/?"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> FindingsPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    @property
    def title(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text().strip()

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def quotes(self) -> Locator:
        return self.page.locator(".panel-quote")

    def record(
        self, statement: str, sentiment: str, priority: str, rights: tuple[str, ...], quote: str,
        said_by: str,
    ) -> FindingsPage:  # fmt: skip
        self.field("What was learnt").fill(statement)
        self.page.get_by_role("group", name="Sentiment").get_by_label(sentiment).check()
        self.page.get_by_role("group", name="Priority").get_by_label(priority, exact=True).check()
        for right in rights:
            self.page.get_by_label(right).check()
        self.field("Quote 1").fill(quote)
        self.field("Who said quote 1").select_option(label=said_by)
        self.press("Record the finding")
        return FindingsPage.arrived(self.page, self.title)


class InsightLibraryPage(SignedInPage):
    path = "/staff/insights"
    heading = "Insight library"

    @classmethod
    def from_menu(cls, page: Page) -> InsightLibraryPage:
        choose_from_menu(page, "Insights")
        return cls.arrived(page)

    @property
    def statements(self) -> Locator:
        return self.page.locator(".panel-finding h3")

    @property
    def quotes(self) -> Locator:
        return self.page.locator(".panel-quote")

    def by_right(self) -> HeatMapPage:
        self.page.get_by_role("link", name="by Victims' Code right and quarter").click()
        return HeatMapPage.arrived(self.page)

    def over_time(self) -> OverTimePage:
        self.page.get_by_role("link", name="over time by theme").click()
        return OverTimePage.arrived(self.page)

    def findings_waiting(self) -> ReviewPage:
        self.page.locator("#waiting-link").click()
        return ReviewPage.arrived(self.page)


class ReviewPage(SignedInPage):
    path = "/staff/findings"
    heading = "Findings to review"

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    def approve(self, statement: str) -> ReviewPage:
        finding = self.page.get_by_role("region", name=statement)
        finding.get_by_role("button", name="Approve this finding", exact=True).click()
        return ReviewPage.arrived(self.page)

    def library(self) -> InsightLibraryPage:
        self.page.get_by_role("link", name="insight library").click()
        return InsightLibraryPage.arrived(self.page)


class HeatMapPage(SignedInPage):
    path = "/staff/insights/rights"
    heading = "Victims' Code rights: findings by quarter"

    def cells_of(self, right: str) -> Locator:
        return self.page.get_by_role("row", name=right).locator("td")


class BoardReportsPage(SignedInPage):
    path = "/board"
    heading = "Reports"

    def rights(self) -> BoardRightsPage:
        self.page.get_by_role("link", name="What people told us about their rights").click()
        return BoardRightsPage.arrived(self.page)


class BoardRightsPage(SignedInPage):
    path = "/board/insights"
    heading = "What people told us about their rights"

    def counts_of(self, right: str) -> Locator:
        return self.page.get_by_role("row", name=right).locator("td")


def sign_in_as_board_member_for_the_first_time(page: Page, account: Account) -> BoardReportsPage:
    """A board member's first sign-in: password, then two-factor set-up, which leads to their
    reports rather than the staff home."""
    set_up = SignInPage.visit(page).sign_in_for_the_first_time(account.email, account.password)
    expect(set_up.qr_code).to_be_visible()
    set_up.field("Code from your authenticator app").fill(Authenticator(set_up.key()).code())
    set_up.press("Continue")
    return BoardReportsPage.arrived(page)


class ForbiddenPage(SignedInPage):
    """What someone sees at a page their account does not give them."""

    path = "/"
    path_pattern = r"/.*"
    heading = "You cannot do this"


class OverTimePage(SignedInPage):
    path = "/staff/insights/over-time"
    heading = "Findings over time"

    @property
    def totals(self) -> Locator:
        """The last column of the table: every finding of each quarter."""
        return self.page.locator("#over-time tbody tr td:last-child")

    def show(self, theme: str) -> OverTimePage:
        self.page.get_by_label("Theme").select_option(label=theme)
        self.press("Show")
        return OverTimePage.arrived(self.page)
