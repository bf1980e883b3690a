"""Page objects for joining the panel and for a member's own pages (see ``pages.py`` for how page
objects check each page they arrive on)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page

from tests.browser.pages import ServicePage, SignedInPage, StaffHomePage


class ChoicePage(ServicePage):
    """A page of GOV.UK radios and checkboxes, each group named by its question."""

    def group(self, question: str) -> Locator:
        return self.page.get_by_role("group", name=question)

    def choose(self, question: str, answer: str) -> None:
        self.group(question).get_by_label(answer, exact=True).check()

    def tick(self, question: str, *answers: str) -> None:
        for answer in answers:
            self.group(question).get_by_label(answer, exact=True).check()

    def untick(self, question: str, *answers: str) -> None:
        for answer in answers:
            self.group(question).get_by_label(answer, exact=True).uncheck()


# ---------------------------------------------------------------------------------------------
# Joining


class JoinStartPage(ServicePage):
    path = "/join"
    heading = "Join the panel"

    def start(self) -> DetailsQuestion:
        self.page.get_by_role("button", name="Start now").click()
        return DetailsQuestion.arrived(self.page)


class Question(ChoicePage):
    def next(self, page_class: type[ServicePage]) -> ServicePage:
        self.press("Continue")
        return page_class.arrived(self.page)


class DetailsQuestion(Question):
    path = "/join/details"
    heading = "About you"

    def answer(self, name: str, email: str, district: str, phone: str = "") -> ContactQuestion:
        self.field("What should we call you?").fill(name)
        self.field("Email address").fill(email)
        self.field("Phone number (optional)").fill(phone)
        self.page.get_by_label("Which area do you live in?").select_option(label=district)
        self.press("Continue")
        return ContactQuestion.arrived(self.page)

    def answer_with_problems(self, name: str, email: str) -> DetailsQuestion:
        self.field("What should we call you?").fill(name)
        self.field("Email address").fill(email)
        self.press("Continue")
        return DetailsQuestion.arrived(self.page)


class ContactQuestion(Question):
    path = "/join/contact"
    heading = "How to contact you safely"

    PHONE_QUESTIONS = (
        "Is it safe for us to phone you?",
        "Is it safe for us to send you text messages?",
        "If you do not answer, is it safe for us to leave a voicemail message?",
    )
    POST_QUESTION = "Is it safe for us to send you letters?"

    def add_a_phone_number(self) -> DetailsQuestion:
        self.page.get_by_role("link", name="add a phone number").click()
        return DetailsQuestion.arrived(self.page)

    def email_any_time_nothing_else(self, code_word: str) -> ExperienceQuestion:
        """Email at any time; no to each other way the page asks about (it asks only about those
        the details gave a phone number or address for)."""
        self.choose("Is it safe for us to email you?", "Yes, at any time")
        for question in (*self.PHONE_QUESTIONS[:2], self.POST_QUESTION):
            if self.group(question).count():
                self.choose(question, "No")
        self.field("A code word (optional)").fill(code_word)
        self.press("Continue")
        return ExperienceQuestion.arrived(self.page)


class ExperienceQuestion(Question):
    path = "/join/experience"
    heading = "What happened"

    def answer(self, crime_type: str, year: str) -> AccessNeedsQuestion:
        self.choose("What happened?", "Something happened to me")
        self.tick("What was it about?", crime_type)
        self.choose("Roughly when did it happen?", "I can tell you roughly what year")
        self.field("Year").fill(year)
        self.choose("Is a court case about it still going on?", "No")
        self.press("Continue")
        return AccessNeedsQuestion.arrived(self.page)


class AccessNeedsQuestion(Question):
    path = "/join/access-needs"
    heading = "What you need to take part"

    def answer(self, *needs: str) -> TakingPartQuestion:
        self.tick("What do you need to take part?", *needs)
        self.press("Continue")
        return TakingPartQuestion.arrived(self.page)


class TakingPartQuestion(Question):
    path = "/join/taking-part"
    heading = "How you would like to take part"

    def answer(self, ways: tuple[str, ...], formats: tuple[str, ...]) -> EqualityQuestions:
        self.tick("How would you like to take part?", *ways)
        self.tick("Would you like to take part online, in person, or both?", *formats)
        self.press("Continue")
        return EqualityQuestions.arrived(self.page)


class EqualityQuestions(Question):
    path = "/join/equality"
    heading = "Equality questions"

    def skip(self) -> ConsentsQuestion:
        # One click, before any question: the button at the top of the page.
        self.page.get_by_role("button", name="Skip these questions").first.click()
        return ConsentsQuestion.arrived(self.page)


class ConsentsQuestion(Question):
    path = "/join/consents"
    heading = "What you agree to"

    def agree_to(self, *titles: str) -> PasswordQuestion:
        boxes = self.group("What do you agree to?")
        for title in titles:
            boxes.get_by_label(title, exact=True).check()
        self.press("Continue")
        return PasswordQuestion.arrived(self.page)


class PasswordQuestion(Question):
    path = "/join/password"
    heading = "How you will sign in"

    def choose_password(self, password: str) -> CheckYourAnswersPage:
        self.choose("How would you like to sign in?", "With a password")
        self.field("Password").fill(password)
        self.field("Type the password again").fill(password)
        self.press("Continue")
        return CheckYourAnswersPage.arrived(self.page)


class CheckYourAnswersPage(ServicePage):
    path = "/join/check"
    heading = "Check your answers before sending your application"

    def key(self, question: str) -> Locator:
        """The key of the row for ``question``, matched whole ("Email" is not "Email address")."""
        whole = re.compile(rf"^\s*{re.escape(question)}\s*$")
        return self.page.locator(".govuk-summary-list__key", has_text=whole)

    def answer_to(self, question: str) -> Locator:
        row = self.page.locator(".govuk-summary-list__row").filter(has=self.key(question))
        return row.locator(".govuk-summary-list__value")

    def send(self) -> ApplicationSentPage:
        self.press("Send application")
        return ApplicationSentPage.arrived(self.page)


class ApplicationSentPage(ServicePage):
    path = "/join/sent"
    heading = "Check your email"


class ConfirmEmailPage(ServicePage):
    path = "/join/verify/"
    path_pattern = "/join/verify/[^/?#]+"
    heading = "Confirm your email address"

    @classmethod
    def follow_link(cls, page: Page, link: str) -> ConfirmEmailPage:
        page.goto(link)
        return cls.arrived(page)

    def confirm(self) -> EmailConfirmedPage:
        self.press("Confirm my email address")
        return EmailConfirmedPage.arrived(self.page)


class EmailConfirmedPage(ServicePage):
    path = "/join/confirmed"
    heading = "Your email address is confirmed"


# ---------------------------------------------------------------------------------------------
# Staff screening


class ApplicationsPage(SignedInPage):
    path = "/staff/applications"
    heading = "Applications waiting"

    @classmethod
    def from_staff_home(cls, home: StaffHomePage) -> ApplicationsPage:
        home.page.get_by_role("link", name=re.compile("applications", re.IGNORECASE)).first.click()
        return cls.arrived(home.page)

    def open(self, name: str) -> ApplicationPage:
        self.page.get_by_role("link", name=name).click()
        return ApplicationPage.arrived(self.page, name)


class ApplicationPage(SignedInPage):
    path = "/staff/applications/"
    path_pattern = "/staff/applications/[0-9]+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, name: str = "") -> ApplicationPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, name)

    def approve(self) -> ApplicationsPage:
        self.press("Approve application")
        return ApplicationsPage.arrived(self.page)


# ---------------------------------------------------------------------------------------------
# A member's own pages


class MyPanelPage(SignedInPage):
    path = "/my-panel"
    heading = "My panel"

    def go(self, link: str, page_class: type[ServicePage]) -> ServicePage:
        self.page.get_by_role("link", name=link, exact=True).click()
        return page_class.arrived(self.page)


class MyContactPage(SignedInPage, ChoicePage):
    path = "/my-panel/contact"
    heading = "How it is safe to contact me"

    def save(self) -> MyPanelPage:
        self.press("Save")
        return MyPanelPage.arrived(self.page)


class MyConsentsPage(SignedInPage):
    path = "/my-panel/consents"
    heading = "What I have agreed to"

    def card(self, title: str) -> Locator:
        return self.page.locator(".govuk-summary-card").filter(
            has=self.page.get_by_role("heading", name=title, exact=True)
        )

    def withdraw(self, title: str) -> MyConsentsPage:
        self.card(title).get_by_role("button", name=re.compile("^Withdraw")).click()
        return MyConsentsPage.arrived(self.page)

    def withdraw_membership(self) -> WithdrawMembershipPage:
        """Withdrawing membership is confirmed on a page of its own first."""
        card = self.card("Being a member of the panel")
        card.get_by_role("button", name=re.compile("^Withdraw")).click()
        return WithdrawMembershipPage.arrived(self.page)

    def answer(self, title: str) -> Locator:
        """The state shown on a purpose's card ("Agreed", "On hold", …)."""
        return self.card(title).locator(".govuk-summary-list__value .govuk-tag")

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def membership_notice(self) -> Locator:
        return self.page.locator("#membership-notice")

    @property
    def history(self) -> Locator:
        return self.page.locator("table.govuk-table")


class WithdrawMembershipPage(SignedInPage):
    path = "/my-panel/consents/membership/withdraw"
    heading = "Are you sure you want to stop being a member of the panel?"

    def confirm(self) -> MyConsentsPage:
        self.press("Yes, stop being a member")
        return MyConsentsPage.arrived(self.page)

    def go_back(self) -> MyConsentsPage:
        self.page.get_by_role("link", name="No, go back").click()
        return MyConsentsPage.arrived(self.page)


class MyDetailsPage(SignedInPage):
    path = "/my-panel/details"
    heading = "Change my details"


class MyTakingPartPage(SignedInPage, ChoicePage):
    path = "/my-panel/taking-part"
    heading = "How I would like to take part"


class MyAccessNeedsPage(SignedInPage):
    path = "/my-panel/access-needs"
    heading = "What I need to take part"


class MyExperiencePage(SignedInPage):
    path = "/my-panel/experience"
    heading = "What happened"


class MyEqualityPage(SignedInPage):
    path = "/my-panel/equality"
    heading = "Equality questions"


class PausePage(SignedInPage, ChoicePage):
    path = "/my-panel/pause"
    heading = "Pause my membership"

    def pause_for(self, length: str) -> MyPanelPage:
        self.page.get_by_label(length, exact=True).check()
        self.press("Pause my membership")
        return MyPanelPage.arrived(self.page)


class MyDataPage(SignedInPage):
    path = "/my-panel/data"
    heading = "My data"


class LeavePage(SignedInPage):
    path = "/my-panel/leave"
    heading = "Leave the panel"

    def leave(self) -> LeftPage:
        self.press("Leave the panel and delete my information")
        return LeftPage.arrived(self.page)


class LeftPage(ServicePage):
    path = "/my-panel/left"
    heading = "You have left the panel"


# ---------------------------------------------------------------------------------------------
# Panel management


class ImportPage(SignedInPage):
    path = "/staff/import"
    heading = "Import people from a spreadsheet"

    def upload(self, name: str, content: bytes) -> None:
        self.page.get_by_label("CSV file").set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
        )
        self.press("Check and import")

    def upload_with_problems(self, name: str, content: bytes) -> ImportPage:
        self.upload(name, content)
        return ImportPage.arrived(self.page)

    def upload_valid(self, name: str, content: bytes) -> ImportedPage:
        self.upload(name, content)
        return ImportedPage.arrived(self.page)

    @property
    def problems(self) -> Locator:
        return self.page.locator("#problems + ul, #problems ~ ul").first


class ImportedPage(SignedInPage):
    path = "/staff/import/done"
    heading = "People imported"

    def find_them(self) -> DirectoryPage:
        self.page.get_by_role("link", name="Find them in the members directory").click()
        return DirectoryPage.arrived(self.page)


class DirectoryPage(SignedInPage):
    path = "/staff/members"
    heading = "Members"

    def search(self, text: str) -> DirectoryPage:
        self.field("Name or email").fill(text)
        self.press("Apply filters")
        return DirectoryPage.arrived(self.page)

    @property
    def results(self) -> Locator:
        return self.page.locator("table.govuk-table tbody tr")

    def open(self, name: str, status: str = "Active") -> MemberRecordPage:
        self.results.get_by_role("link", name=name, exact=True).click()
        # The heading is their name followed by their status.
        return MemberRecordPage.arrived(self.page, f"{name} {status}")

    def export(self) -> bytes:
        with self.page.expect_download() as download:
            self.page.get_by_role("link", name=re.compile(r"^Download these")).click()
        return Path(download.value.path()).read_bytes()


class MemberRecordPage(SignedInPage):
    path = "/staff/members/"
    path_pattern = "/staff/members/[0-9]+"
    heading = ""

    @classmethod
    def arrived(cls, page: Page, name: str = "") -> MemberRecordPage:  # type: ignore[override]
        return cls.arrived_with_heading(page, name)

    @property
    def viewers(self) -> Locator:
        heading = self.page.get_by_role("heading", name="Who viewed this record")
        return heading.locator("xpath=following-sibling::table[1]")

    def mark_do_not_contact(self, reason: str) -> MemberRecordPage:
        self.field("Why they must not be contacted").fill(reason)
        self.press("Mark do not contact")
        # The text as written (the status badge is drawn in capitals, which inner_text keeps).
        heading = " ".join(self.page.get_by_role("heading", level=1).text_content().split())
        return MemberRecordPage.arrived(self.page, heading)

    def contact_limits(self) -> ContactLimitsPage:
        self.page.get_by_role(
            "link", name=re.compile("contact limits", re.IGNORECASE)
        ).first.click()
        return ContactLimitsPage.arrived(self.page)

    def consent_history(self) -> StaffConsentPage:
        self.page.get_by_role("link", name="See their full consent history").click()
        return StaffConsentPage.arrived(self.page)

    @property
    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    @property
    def contact_log(self) -> Locator:
        """The entries of their contact log, newest first."""
        return self.page.locator("#contact-log + .moj-timeline .moj-timeline__item")

    @property
    def safe_contact(self) -> Locator:
        return self.page.get_by_role("table", name="Safe contact, by channel")

    def change(self, link: str, page_class: type[ChangeForThemPage]) -> ChangeForThemPage:
        self.page.get_by_role("link", name=link, exact=True).click()
        return page_class.arrived(self.page)

    def add_to_contact_log(self) -> LogContactPage:
        self.page.get_by_role("link", name="Add to their contact log").click()
        return LogContactPage.arrived(self.page)


class StaffConsentPage(SignedInPage):
    path = "/staff/members/"
    path_pattern = "/staff/members/[0-9]+/consent"
    heading = "What they have agreed to"


class ContactLimitsPage(SignedInPage):
    path = "/staff/members/"
    path_pattern = "/staff/members/[0-9]+/contact-limits"
    heading = "Contact limits"

    def grant_override(self, reason: str) -> ContactLimitsPage:
        self.field("Why should they be invited despite the limits?").fill(reason)
        self.press("Grant override")
        return ContactLimitsPage.arrived(self.page)


class RepresentationPage(SignedInPage):
    path = "/staff/representation"
    heading = "How representative the panel is"


class ChangeForThemPage(SignedInPage, ChoicePage):
    """A page where staff change a member's answers for them: the member's own questions."""

    path = "/staff/members/"

    def save(self, member_name: str) -> MemberRecordPage:
        """Saved: back on their record, whose heading is their name and status."""
        self.press("Save")
        return MemberRecordPage.arrived(self.page, f"{member_name} Active")

    def save_with_problems(self) -> ChangeForThemPage:
        self.press("Save")
        return type(self).arrived(self.page)

    def revealed(self, label: str) -> Locator:
        """The one field of that label that is shown: each channel's days and times have the same
        labels, and only the chosen channel's are revealed."""
        return self.page.get_by_label(label, exact=True).filter(visible=True)


class ChangeDetailsPage(ChangeForThemPage):
    path_pattern = "/staff/members/[0-9]+/details"
    heading = "Change their details"


class ChangeSafeContactPage(ChangeForThemPage):
    path_pattern = "/staff/members/[0-9]+/safe-contact"
    heading = "How it is safe to contact them"


class ChangeAccessNeedsPage(ChangeForThemPage):
    path_pattern = "/staff/members/[0-9]+/access-needs"
    heading = "What they need to take part"


class LogContactPage(SignedInPage, ChoicePage):
    path = "/staff/members/"
    path_pattern = "/staff/members/[0-9]+/contact-log"
    heading = "Add to their contact log"

    def add(self, how: str, about: str, note: str, member_name: str) -> MemberRecordPage:
        self.choose("How were you in contact?", how)
        self.choose("What was it about?", about)
        self.field("Note (optional unless it was about something else)").fill(note)
        self.press("Add to the log")
        return MemberRecordPage.arrived(self.page, f"{member_name} Active")


class RenewalsPage(SignedInPage):
    path = "/staff/renewals-due"
    heading = "Consents due for renewal"

    @classmethod
    def from_staff_home(cls, home: StaffHomePage) -> RenewalsPage:
        home.page.get_by_role("link", name="Consents due for renewal").click()
        return cls.arrived(home.page)

    @property
    def rows(self) -> Locator:
        return self.page.locator("table.govuk-table tbody tr")
