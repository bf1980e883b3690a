"""Pages of an independent case review: staff's cases and the form to add one, and a member
reviewer's cases and assessment form in the portal."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from tests.browser.member_pages import ChoicePage
from tests.browser.pages import SignedInPage


class ReviewCasesPage(SignedInPage, ChoicePage):
    """Staff's page of a review's cases, the rights most often not met and what was learnt."""

    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/cases/?"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> ReviewCasesPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, f"Cases for {title}")

    @classmethod
    def from_engagement(cls, page: Page, title: str) -> ReviewCasesPage:
        page.get_by_role("link", name="Cases for review").click()
        return cls.arrived(page, title)

    @property
    def title(self) -> str:
        heading = self.page.get_by_role("heading", level=1).inner_text().strip()
        return heading.removeprefix("Cases for ")

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def cases(self) -> Locator:
        return self.page.locator("#cases li")

    def not_met_by(self, agency: str) -> Locator:
        """The rights most often not met in the cases of ``agency``, one item each."""
        row = self.page.locator("#not-met .govuk-summary-list__row").filter(
            has=self.page.get_by_text(agency, exact=True)
        )
        return row.locator("li")

    def add_a_case(self) -> NewCasePage:
        title = self.title
        self.page.get_by_role("link", name="Add a case").click()
        return NewCasePage.arrived(self.page, title)

    def open_case(self, number: int) -> StaffCasePage:
        self.cases.get_by_role("link", name=f"Case {number}:").click()
        return StaffCasePage.arrived(self.page, f"Case {number}")

    def record_as_finding(self, point: str) -> ReviewCasesPage:
        """``point``: the learning point's heading, such as "Case 1: what should change"."""
        title = self.title
        learning = self.page.locator(".panel-learning").filter(
            has=self.page.get_by_role("heading", name=point, exact=True)
        )
        learning.get_by_role("button", name="Record as a finding").click()
        return ReviewCasesPage.arrived(self.page, title)


class StaffCasePage(SignedInPage):
    """A case as staff see it, with how each right was rated and what reviewers wrote."""

    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/cases/\d+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> StaffCasePage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    def rated(self, right: str) -> Locator:
        """How reviewers rated ``right``, with their comments on it."""
        row = self.page.locator("#tally .govuk-summary-list__row").filter(
            has=self.page.get_by_text(right, exact=True)
        )
        return row.locator("dd")


class NewCasePage(SignedInPage, ChoicePage):
    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/cases/new"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> NewCasePage:  # type: ignore[override]
        return cls.arrived_with_heading(page, f"Add a case to {title}")

    @property
    def title(self) -> str:
        heading = self.page.get_by_role("heading", level=1).inner_text().strip()
        return heading.removeprefix("Add a case to ")

    @property
    def highlighted(self) -> Locator:
        return self.page.locator(".panel-notes-preview mark")

    def fill(
        self, crime_type: str, stage: str, agencies: tuple[str, ...], unhappy: str, summary: str
    ) -> None:
        self.field("Type of crime").select_option(label=crime_type)
        self.choose("How far the case got", stage)
        self.tick("Agencies involved", *agencies)
        self.field("What the victim was unhappy about").fill(unhappy)
        self.field("How the case was handled").fill(summary)

    def check_the_case(self) -> NewCasePage:
        self.press("Check the case")
        return NewCasePage.arrived(self.page, self.title)

    def save(self) -> ReviewCasesPage:
        title = self.title
        self.press("Save the case")
        return ReviewCasesPage.arrived(self.page, title)


class MyReviewPage(SignedInPage):
    """A member reviewer's list of a review's cases; its heading is the review's title."""

    path = "/my-panel/reviews/"
    path_pattern = r"/my-panel/reviews/\d+/?"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> MyReviewPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    @classmethod
    def from_invitations(cls, page: Page, title: str) -> MyReviewPage:
        page.locator("#reviews").get_by_role("link").filter(has_text=title).click()
        return cls.arrived(page, title)

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def cases(self) -> Locator:
        return self.page.locator("#cases li")

    def open_case(self, number: int) -> AssessCasePage:
        self.page.locator("#cases").get_by_role("link", name=f"Case {number}:").click()
        return AssessCasePage.arrived(self.page, f"Case {number}")


class AssessCasePage(SignedInPage, ChoicePage):
    """A case with the form to assess it against each Victims' Code right."""

    path = "/my-panel/reviews/"
    path_pattern = r"/my-panel/reviews/\d+/cases/\d+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> AssessCasePage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    @property
    def summary(self) -> Locator:
        return self.page.locator("#summary")

    def rate_every_right(self, rating: str, **others: str) -> None:
        """``rating`` for each right, except those in ``others`` (a right's number to a rating,
        such as ``right_6="Not met"``)."""
        for number in range(1, 13):
            legend = self.page.locator("legend").filter(has_text=f"Right {number}:")
            group = self.page.get_by_role("group").filter(has=legend)
            group.get_by_label(others.get(f"right_{number}", rating), exact=True).check()

    def comment_on(self, number: int, comment: str) -> None:
        self.field(f"Comment on right {number} (optional)").fill(comment)

    def save(self, review_title: str) -> MyReviewPage:
        self.press("Save the assessment")
        return MyReviewPage.arrived(self.page, review_title)
