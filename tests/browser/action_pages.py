"""Pages of improvement actions: the list, starting one from findings, and an action's page."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from tests.browser.member_pages import ChoicePage
from tests.browser.pages import SignedInPage


class ActionsPage(SignedInPage):
    path = "/staff/actions"
    heading = "Improvement actions"

    @property
    def titles(self) -> Locator:
        return self.page.locator("#actions tbody td:first-child")


class NewActionPage(SignedInPage, ChoicePage):
    path = "/staff/actions/new"
    heading = "Start an action"

    @property
    def findings(self) -> Locator:
        return self.page.locator("#findings li")

    def start(
        self, title: str, agency: str, owner: str, day: str, month: str, year: str
    ) -> ActionPage:
        self.field("What will be done").fill(title)
        self.field("Agency that owns it").select_option(label=agency)
        self.field("Owner").fill(owner)
        self.field("Day").fill(day)
        self.field("Month").fill(month)
        self.field("Year").fill(year)
        self.choose("Priority", "High")
        self.press("Start the action")
        return ActionPage.arrived(self.page, title)


class ActionPage(SignedInPage, ChoicePage):
    """An action as staff see it; its main heading is its title."""

    path = "/staff/actions/"
    path_pattern = r"/staff/actions/\d+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> ActionPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    @property
    def title(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text().strip()

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def findings(self) -> Locator:
        return self.page.locator("#findings li")

    def value_of(self, key: str) -> Locator:
        row = self.page.locator("#action .govuk-summary-list__row").filter(
            has=self.page.get_by_text(key, exact=True)
        )
        return row.locator("dd")

    def update(self, note: str, status: str, evidence: str = "") -> ActionPage:
        self.field("What has happened").fill(note)
        self.choose("Its status now (optional)", status)
        if evidence:
            self.field("Evidence of impact (optional)").fill(evidence)
        self.press("Add the update")
        return ActionPage.arrived(self.page, self.title)


class HorizonPage(SignedInPage):
    path = "/staff/horizon"
    heading = "Horizon scanning"

    @classmethod
    def from_actions(cls, actions: ActionsPage) -> HorizonPage:
        actions.page.get_by_role("link", name="Horizon scanning").click()
        return cls.arrived(actions.page)

    def add_an_item(self) -> NewHorizonItemPage:
        self.page.get_by_role("link", name="Add an item").click()
        return NewHorizonItemPage.arrived(self.page)


class NewHorizonItemPage(SignedInPage, ChoicePage):
    path = "/staff/horizon/new"
    heading = "Add a horizon scanning item"

    def add(
        self,
        source: str,
        title: str,
        published: tuple[str, str, str],
        review_by: tuple[str, str, str],
    ) -> HorizonItemPage:
        self.field("Where it comes from").select_option(label=source)
        self.field("Title").fill(title)
        for legend, (day, month, year) in (
            ("Published on", published),
            ("Review it by", review_by),
        ):
            group = self.group(legend)
            group.get_by_label("Day").fill(day)
            group.get_by_label("Month").fill(month)
            group.get_by_label("Year").fill(year)
        self.press("Add the item")
        return HorizonItemPage.arrived(self.page, title)


class HorizonItemPage(SignedInPage, ChoicePage):
    path = "/staff/horizon/"
    path_pattern = r"/staff/horizon/\d+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> HorizonItemPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    @property
    def title(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text().strip()

    def value_of(self, key: str) -> Locator:
        row = self.page.locator("#item .govuk-summary-list__row").filter(
            has=self.page.get_by_text(key, exact=True)
        )
        return row.locator("dd")

    def assess(self, why: str) -> HorizonItemPage:
        self.choose("What you decided", "Assessed")
        self.field("Why it matters here, or why it does not apply").fill(why)
        self.press("Record the decision")
        return HorizonItemPage.arrived(self.page, self.title)

    def start_an_action(self) -> NewActionPage:
        self.page.get_by_role("link", name="Start an action that takes it up").click()
        return NewActionPage.arrived(self.page)
