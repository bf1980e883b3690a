"""Page objects for engagements: staff plan, list, move on and cancel them, choose who to invite,
send the invitations and decide the costs claimed; a facilitator sees the sessions they run; an
invitee answers behind their personal link, signs in with an emailed link and claims their costs
(see ``pages.py`` for how page objects check each page they arrive on)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.accounts import Account
from tests.browser.authenticator import Authenticator
from tests.browser.member_pages import ChoicePage, MyPanelPage
from tests.browser.pages import ServicePage, SignedInPage, SignInPage


def engagement_id_in(page: Page) -> int:
    """The engagement's number in the address of the page showing it."""
    found = re.search(r"/engagements/(\d+)", page.url)
    assert found, f"{page.url} is not an engagement's page"
    return int(found.group(1))


def menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Menu")


def summary_value(page: Page, key: str) -> Locator:
    """The value of a summary list's row, by its key, matched whole."""
    whole = re.compile(rf"^\s*{re.escape(key)}\s*$")
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=whole)
    )
    return row.locator(".govuk-summary-list__value")


# ---------------------------------------------------------------------------------------------
# Staff


@dataclass(frozen=True)
class Plan:
    """What staff type into the plan form. A plan with no facilitator, description or venue can be
    saved as a draft but not recruited for."""

    title: str
    day: date
    kind: str = "Focus group"
    description: str = ""
    crime_focus: tuple[str, ...] = ()
    journey_stages: tuple[str, ...] = ()
    format: str = "In person"
    venue: str = ""
    venue_address: str = ""
    starts: str = "10:00"
    ends: str = "12:00"
    places: str = "8"
    reserves: str = "2"
    facilitators: tuple[str, ...] = ()
    eligible_districts: tuple[str, ...] = ()


def choose_from_menu(page: Page, name: str) -> None:
    # On a narrow screen the menu is folded away behind its own button.
    toggle = menu(page).get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    menu(page).get_by_role("link", name=name).click()


class EngagementsPage(SignedInPage):
    path = "/staff/engagements"
    heading = "Engagements"

    @classmethod
    def from_menu(cls, page: Page) -> EngagementsPage:
        choose_from_menu(page, "Engagements")
        return cls.arrived(page)

    def filter_by(self, **choices: str) -> EngagementsPage:
        """Choose in each select, named by its label ("Status"), then apply the filters."""
        for label, choice in choices.items():
            self.page.get_by_label(label, exact=True).select_option(label=choice)
        self.press("Apply filters")
        return EngagementsPage.arrived(self.page)

    @property
    def rows(self) -> Locator:
        return self.page.locator("table.govuk-table tbody tr")

    def row(self, title: str) -> Locator:
        return self.rows.filter(has=self.page.get_by_role("link", name=title, exact=True))

    def cell(self, title: str, column: str) -> Locator:
        """A cell of the row for ``title``, by its column (each cell is labelled for narrow
        screens with its column's heading)."""
        return self.row(title).locator(f'td[data-label="{column}"]')

    def plan_an_engagement(self) -> PlanPage:
        self.page.get_by_role("button", name="Plan an engagement").click()
        return PlanPage.arrived(self.page)

    def open(self, title: str) -> EngagementPage:
        self.row(title).get_by_role("link", name=title, exact=True).click()
        return EngagementPage.arrived(self.page, title)


class PlanForm(SignedInPage, ChoicePage):
    """The plan form: a new engagement's (``PlanPage``) or an engagement's to change."""

    save_button: str

    def fill_in(self, plan: Plan) -> None:
        self.choose("Kind of engagement", plan.kind)
        self.field("Title").fill(plan.title)
        self.field("What invitees read").fill(plan.description)
        self.tick("Crime types it is about", *plan.crime_focus)
        self.tick("Stages of the journey it looks at", *plan.journey_stages)
        self.tick("Where they live", *plan.eligible_districts)
        self.choose("Format", plan.format)
        self.field("Venue").fill(plan.venue)
        self.field("Venue address").fill(plan.venue_address)
        when = self.group("Date")
        when.get_by_label("Day", exact=True).fill(str(plan.day.day))
        when.get_by_label("Month", exact=True).fill(str(plan.day.month))
        when.get_by_label("Year", exact=True).fill(str(plan.day.year))
        self.field("Starts (UK time)").fill(plan.starts)
        self.field("Ends (UK time)").fill(plan.ends)
        self.field("Places").fill(plan.places)
        self.field("Reserves").fill(plan.reserves)
        self.tick("Facilitators", *plan.facilitators)

    def save(self, title: str) -> EngagementPage:
        self.press(self.save_button)
        return EngagementPage.arrived(self.page, title)


class PlanPage(PlanForm):
    path = "/staff/engagements/new"
    heading = "Plan an engagement"
    save_button = "Save as a draft"

    def save_with_problems(self) -> PlanPage:
        self.press(self.save_button)
        return PlanPage.arrived(self.page)


class ChangePlanPage(PlanForm):
    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/change"
    heading = ""
    save_button = "Save changes"

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> ChangePlanPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, f"Change {title}")


class EngagementPage(SignedInPage):
    """An engagement as staff see it; its main heading is its title."""

    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> EngagementPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    @property
    def title(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text().strip()

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def problem(self) -> Locator:
        """The error summary shown when the engagement cannot move on, one item per reason."""
        return self.page.locator(".govuk-error-summary .govuk-error-summary__list li")

    def value_of(self, key: str) -> Locator:
        return summary_value(self.page, key)

    @property
    def status(self) -> Locator:
        return self.value_of("Status")

    def start_recruiting(self) -> EngagementPage:
        self.press("Start recruiting")
        return EngagementPage.arrived(self.page, self.title)

    def start_recruiting_refused(self) -> RefusedMoveOnPage:
        title = self.title
        self.press("Start recruiting")
        return RefusedMoveOnPage.arrived(self.page, title)

    def who_could_be_invited(self) -> PoolPage:
        self.page.get_by_role(
            "link", name="See who could be invited now, and why others are left out"
        ).click()
        return PoolPage.arrived(self.page)

    def choose_who_to_invite(self) -> SelectPage:
        self.page.get_by_role("link", name="Choose who to invite").click()
        return SelectPage.arrived(self.page)

    def invitations(self) -> StaffInvitationsPage:
        self.page.locator("#invitations-link").click()
        return StaffInvitationsPage.arrived(self.page)

    def confirm_the_session(self) -> EngagementPage:
        self.press("Confirm the session")
        return EngagementPage.arrived(self.page, self.title)

    def change_the_plan(self) -> ChangePlanPage:
        title = self.title
        self.page.get_by_role("button", name="Change the plan").click()
        return ChangePlanPage.arrived(self.page, title)

    def cancel(self) -> CancelPage:
        title = self.title
        self.page.get_by_role("link", name="Cancel the engagement").click()
        return CancelPage.arrived(self.page, title)

    def back_to_engagements(self) -> EngagementsPage:
        self.page.get_by_role("link", name="Back to engagements").click()
        return EngagementsPage.arrived(self.page)


class RefusedMoveOnPage(EngagementPage):
    """The engagement sent back, with what it still lacks, when it cannot move on (409)."""

    path_pattern = r"/staff/engagements/\d+/status"


class PoolPage(SignedInPage):
    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/pool"
    heading = "Who could be invited"

    @property
    def size(self) -> Locator:
        return self.page.locator("#pool-size")

    def make_up(self, title: str) -> Locator:
        return self.page.get_by_role("table", name=title, exact=True)

    def back_to_the_engagement(self, title: str) -> EngagementPage:
        self.page.get_by_role("link", name="Back to the engagement").click()
        return EngagementPage.arrived(self.page, title)


class CancelPage(SignedInPage):
    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/cancel"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> CancelPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, f"Cancel {title}")

    def cancel_with_problems(self, title: str) -> CancelPage:
        self.press("Cancel the engagement")
        return CancelPage.arrived(self.page, title)

    def cancel_because(self, reason: str, title: str) -> EngagementPage:
        self.field("Why it is cancelled").fill(reason)
        self.press("Cancel the engagement")
        return EngagementPage.arrived(self.page, title)


class SelectPage(SignedInPage):
    """The form that chooses who to invite: how many, reserves, a seed, and quotas, each answer's
    pair of boxes in a table captioned with its category ("District")."""

    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/select"
    heading = "Choose who to invite"

    def quota(self, side: str, category: str, answer: str) -> Locator:
        """A quota's box, by its (hidden) label: ``quota("At least", "District", "Swale")``."""
        return self.field(f"{side}: {category}, {answer}")

    def quota_boxes(self, category: str) -> Locator:
        return self.page.get_by_role("table", name=category, exact=True).get_by_role("textbox")

    @property
    def selections_made(self) -> Locator:
        """The rows of the selections made for the engagement so far."""
        return self.page.get_by_role(
            "table", name="Selections made for this engagement, the latest first"
        ).locator("tbody tr")

    @property
    def conflict(self) -> Locator:
        """Why no panel meets the quotas, one item per line of the explanation."""
        return self.page.locator("#conflict li")

    def choose(self) -> SelectionPage:
        self.press("Choose")
        return SelectionPage.arrived(self.page)

    def choose_refused(self) -> SelectPage:
        self.press("Choose")
        return SelectPage.arrived(self.page)

    def start_from_targets(self) -> SelectPage:
        self.page.get_by_role(
            "link", name="Start from the panel's representativeness targets"
        ).click()
        return SelectPage.arrived(self.page)

    def start_with_no_quotas(self) -> SelectPage:
        self.page.get_by_role("link", name="start with no quotas").click()
        return SelectPage.arrived(self.page)

    def back_to_the_engagement(self, title: str) -> EngagementPage:
        self.page.get_by_role("link", name="Back to the engagement").click()
        return EngagementPage.arrived(self.page, title)


class SelectionPage(SignedInPage):
    """A selection made: its facts, the panel against the quotas, who was chosen, the reserves."""

    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/selections/\d+"
    heading = "Who was chosen"

    def value_of(self, key: str) -> Locator:
        return summary_value(self.page, key)

    def table(self, caption: str) -> Locator:
        return self.page.get_by_role("table", name=caption, exact=True)

    def column_headings(self, caption: str) -> Locator:
        return self.table(caption).locator("thead th")

    def rows(self, caption: str) -> Locator:
        return self.table(caption).locator("tbody tr")

    def cells(self, caption: str, column: str) -> Locator:
        """A column's cells (each labelled for narrow screens with its column's heading)."""
        return self.rows(caption).locator(f'td[data-label="{column}"]')

    def back_to_choosing(self) -> SelectPage:
        self.page.get_by_role("link", name="Back to choosing who to invite").click()
        return SelectPage.arrived(self.page)

    def swap(self, name: str) -> SwapPage:
        self.page.get_by_role("link", name=f"Swap {name} for a reserve", exact=True).click()
        return SwapPage.arrived(self.page, name)


class SwapPage(SignedInPage):
    """Taking one chosen member off the panel: which reserve takes their place, and why."""

    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/selections/\d+/swap/\d+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, name: str = "") -> SwapPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, f"Take {name} off the panel")

    def swap_with(self, reserve: str, reason: str) -> SelectionPage:
        self.page.get_by_role("radio", name=re.compile(rf"^1\. {re.escape(reserve)},")).check()
        self.field("Why they are taken off the panel").fill(reason)
        self.press("Swap")
        return SelectionPage.arrived(self.page)


def table_cell(table: Locator, first_cell: str, column: str) -> Locator:
    """The cell in ``column`` (by its heading) of the row whose first cell is ``first_cell``."""
    headings = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    assert column in headings, f"no column {column!r} among {headings}"
    whole = re.compile(rf"^\s*{re.escape(first_cell)}\s*$")
    row = table.locator("tbody tr").filter(has=table.page.locator("td:first-child", has_text=whole))
    return row.locator("td").nth(headings.index(column))


class StaffInvitationsPage(SignedInPage):
    """An engagement's invitations: send them, then each invitee's answer, needs and costs."""

    path = "/staff/engagements/"
    path_pattern = r"/staff/engagements/\d+/invitations"
    heading = "Invitations"

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def invitees(self) -> Locator:
        return self.page.locator("#invitees")

    @property
    def names(self) -> Locator:
        return self.invitees.locator("tbody tr td:first-child")

    def cell(self, name: str, column: str) -> Locator:
        return table_cell(self.invitees, name, column)

    def send_the_invitations(self) -> StaffInvitationsPage:
        self.press("Send the invitations")
        return StaffInvitationsPage.arrived(self.page)

    def reload(self) -> StaffInvitationsPage:
        self.page.reload()
        return StaffInvitationsPage.arrived(self.page)

    def back_to_the_engagement(self, title: str) -> EngagementPage:
        self.page.get_by_role("link", name="Back to the engagement").click()
        return EngagementPage.arrived(self.page, title)

    def mark_as_arranged(self, name: str) -> StaffInvitationsPage:
        # The button's name also says whose support it is, for a screen reader.
        self.press(f"Mark as arranged for {name}")
        return StaffInvitationsPage.arrived(self.page)


class ExpensesPage(SignedInPage):
    path = "/staff/expenses"
    heading = "Expenses"

    @classmethod
    def from_menu(cls, page: Page) -> ExpensesPage:
        choose_from_menu(page, "Expenses")
        return cls.arrived(page)

    @property
    def claims(self) -> Locator:
        return self.page.locator("#claims")

    def claim_of(self, member: str) -> Locator:
        """The link to open the claim of ``member`` (the list holds every member's claims)."""
        whole = re.compile(rf"^\s*{re.escape(member)}\s*$")
        row = self.claims.locator("tbody tr").filter(has=self.page.get_by_role("cell", name=whole))
        return row.get_by_role("link", name=re.compile(r"^Claim \d+$"))

    def open_claim_of(self, member: str) -> ClaimDecisionPage:
        link = self.claim_of(member)
        name = link.inner_text().strip()
        link.click()
        return ClaimDecisionPage.arrived(self.page, name)


class ClaimDecisionPage(SignedInPage, ChoicePage):
    """One claim, its receipt, and the decision on it; the heading is "Claim" and its number."""

    path = "/staff/expenses/"
    path_pattern = r"/staff/expenses/\d+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, name: str = "") -> ClaimDecisionPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, name)

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    def value_of(self, key: str) -> Locator:
        return summary_value(self.page, key)

    def decide(self, decision: str) -> ClaimDecisionPage:
        name = self.page.get_by_role("heading", level=1).inner_text().strip()
        self.choose("Your decision", decision)
        self.press("Save the decision")
        return ClaimDecisionPage.arrived(self.page, name)


def plan_a_draft(page: Page, plan: Plan) -> EngagementPage:
    """From any staff page: Engagements in the menu, the plan form filled in, saved as a draft."""
    form = EngagementsPage.from_menu(page).plan_an_engagement()
    form.fill_in(plan)
    return form.save(plan.title)


# ---------------------------------------------------------------------------------------------
# A facilitator


class MySessionsPage(SignedInPage):
    path = "/facilitator"
    heading = "My sessions"

    @property
    def rows(self) -> Locator:
        return self.page.locator("table.govuk-table tbody tr")

    def open(self, title: str) -> FacilitatedSessionPage:
        self.rows.get_by_role("link", name=title, exact=True).click()
        return FacilitatedSessionPage.arrived(self.page, title)


class FacilitatedSessionPage(SignedInPage):
    path = "/facilitator/engagements/"
    path_pattern = r"/facilitator/engagements/\d+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> FacilitatedSessionPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    @property
    def status(self) -> Locator:
        return summary_value(self.page, "Status")

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    def reload(self) -> FacilitatedSessionPage:
        title = self.page.get_by_role("heading", level=1).inner_text().strip()
        self.page.reload()
        return FacilitatedSessionPage.arrived(self.page, title)

    def register_hint(self, name: str) -> Locator:
        return self.page.get_by_role("group", name=name).locator(".govuk-hint")

    def mark(self, name: str, mark: str) -> None:
        self.page.get_by_role("group", name=name).get_by_label(mark, exact=True).check()

    def marked(self, name: str, mark: str) -> Locator:
        return self.page.get_by_role("group", name=name).get_by_label(mark, exact=True)

    def save_the_register(self) -> FacilitatedSessionPage:
        title = self.page.get_by_role("heading", level=1).inner_text().strip()
        self.press("Save the register")
        return FacilitatedSessionPage.arrived(self.page, title)

    def write_the_notes(self) -> SessionNotesPage:
        title = self.page.get_by_role("heading", level=1).inner_text().strip()
        self.page.get_by_role("link", name="Write or change the notes of the session").click()
        return SessionNotesPage.arrived(self.page, f"Notes of {title}")


class SessionNotesPage(SignedInPage):
    """The facilitator's write-up: the notes, the preview of what will be kept, and saving."""

    path = "/facilitator/engagements/"
    path_pattern = r"/facilitator/engagements/\d+/notes/?"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> SessionNotesPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    @property
    def title(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text().strip()

    @property
    def notes(self) -> Locator:
        return self.field("Notes")

    @property
    def highlighted(self) -> Locator:
        return self.page.locator("#preview mark")

    def check_the_notes(self) -> SessionNotesPage:
        self.press("Check the notes")
        return SessionNotesPage.arrived(self.page, self.title)

    def put_back(self, words: str, label: str) -> None:
        self.page.get_by_label(f"{words}, replaced with {label}", exact=True).check()

    def save(self) -> FacilitatedSessionPage:
        session_title = self.title.removeprefix("Notes of ")
        self.press("Save the notes")
        return FacilitatedSessionPage.arrived(self.page, session_title)


class NotTheirSessionPage(SignedInPage):
    """What a facilitator sees at the address of an engagement they do not run: not found."""

    path = "/facilitator/engagements/"
    path_pattern = r"/facilitator/engagements/\d+"
    heading = "Page not found"

    @classmethod
    def visit_engagement(cls, page: Page, engagement_id: int) -> NotTheirSessionPage:
        response = page.goto(f"/facilitator/engagements/{engagement_id}")
        assert response is not None
        assert response.status == 404, f"{page.url} answered {response.status}, not 404"
        return cls.arrived(page)


def sign_in_as_facilitator_for_the_first_time(
    page: Page, account: Account
) -> tuple[MySessionsPage, Authenticator]:
    """A facilitator's first sign-in: password, then two-factor set-up, which leads to their own
    home rather than the staff home ``TwoFactorSetUpPage.confirm`` expects."""
    set_up = SignInPage.visit(page).sign_in_for_the_first_time(account.email, account.password)
    expect(set_up.qr_code).to_be_visible()
    authenticator = Authenticator(set_up.key())
    set_up.field("Code from your authenticator app").fill(authenticator.code())
    set_up.press("Continue")
    return MySessionsPage.arrived(page), authenticator


# ---------------------------------------------------------------------------------------------
# An invitee


class InvitationPage(ChoicePage):
    """An invitation as its member sees it, behind their personal link (no sign-in) or in the
    portal: the session as staff described it for invitees (its title is the heading), their
    answer, and the answers they can still give."""

    path = "/invitation/"
    path_pattern = r"/(invitation/[^/?#]+|my-panel/invitations/\d+)"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, title: str = "") -> InvitationPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, title)

    @classmethod
    def follow_link(cls, page: Page, link: str, title: str) -> InvitationPage:
        page.goto(link)
        return cls.arrived(page, title)

    @property
    def title(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text().strip()

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def state(self) -> Locator:
        return self.page.locator("#state")

    def accept(self, needs: tuple[str, ...] = (), costs: tuple[str, ...] = ()) -> InvitationPage:
        title = self.title
        self.tick("What do you need to take part in this meeting?", *needs)
        self.tick("Will you claim any costs back?", *costs)
        self.press("Yes, I can come")
        return InvitationPage.arrived(self.page, title)

    def decline(self) -> InvitationPage:
        title = self.title
        self.press("No, I cannot come")
        return InvitationPage.arrived(self.page, title)

    def claim_costs(self) -> ClaimPage:
        self.page.get_by_role("link", name="Claim your costs, or see your claims").click()
        return ClaimPage.arrived(self.page)


class SignInLinkPage(ServicePage):
    path = "/sign-in/link"
    heading = "Email me a link to sign in"

    @classmethod
    def from_sign_in(cls, page: Page) -> SignInLinkPage:
        SignInPage.visit(page)
        page.get_by_role("link", name="Email me a link to sign in").click()
        return cls.arrived(page)

    def send_link(self, email: str) -> SignInLinkSentPage:
        self.field("Email address").fill(email)
        self.press("Send the link")
        return SignInLinkSentPage.arrived(self.page)


class SignInLinkSentPage(ServicePage):
    path = "/sign-in/link/sent"
    heading = "Check your email"


class SignInWithLinkPage(ServicePage):
    """Where the emailed link leads: one button to press, so a mail scanner cannot use it up."""

    path = "/sign-in/link/"
    path_pattern = r"/sign-in/link/[^/?#]+"
    heading = "Sign in"

    @classmethod
    def follow_link(cls, page: Page, link: str) -> SignInWithLinkPage:
        page.goto(link)
        return cls.arrived(page)

    def sign_in(self) -> MyPanelPage:
        self.press("Sign in")
        return MyPanelPage.arrived(self.page)


class MyInvitationsPage(SignedInPage):
    path = "/my-panel/invitations"
    heading = "Invitations"

    @classmethod
    def from_menu(cls, page: Page) -> MyInvitationsPage:
        choose_from_menu(page, "Invitations")
        return cls.arrived(page)

    def open(self, title: str) -> InvitationPage:
        self.page.locator("#invitations").get_by_role("link", name=title, exact=True).click()
        return InvitationPage.arrived(self.page, title)


class ClaimPage(SignedInPage, ChoicePage):
    """A participant's claims for a session's costs, and the form to claim another."""

    path = "/my-panel/invitations/"
    path_pattern = r"/my-panel/invitations/\d+/expenses"
    heading = "Claim your costs"

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def claims(self) -> Locator:
        return self.page.locator("#claims")

    def cells(self, column: str) -> Locator:
        headings = [text.strip() for text in self.claims.locator("thead th").all_inner_texts()]
        return self.claims.locator(f"tbody tr td:nth-child({headings.index(column) + 1})")

    def claim(self, kind: str, amount: str, receipt: Path) -> ClaimPage:
        self.choose("What was the cost for?", kind)
        self.field("Amount").fill(amount)
        self.field("Receipt").set_input_files(receipt)
        self.press("Send the claim")
        return ClaimPage.arrived(self.page)

    def reload(self) -> ClaimPage:
        self.page.reload()
        return ClaimPage.arrived(self.page)
