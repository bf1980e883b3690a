"""Joining and changing one's mind on a small phone (320 px): the join journey asks whether a way
of contacting someone is safe only when they gave it, and withdrawing from the panel is confirmed
on a page that says what follows, after which no page says "Agreed" to anything that needs
contact. Every page checked with axe, and for fitting the width of the window."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.accounts import Account, new_password
from tests.browser.conftest import PHONE
from tests.browser.mailbox import Mailbox
from tests.browser.member_pages import (
    ApplicationsPage,
    CheckYourAnswersPage,
    ConfirmEmailPage,
    ContactQuestion,
    DetailsQuestion,
    JoinStartPage,
    LeavePage,
    MyAccessNeedsPage,
    MyConsentsPage,
    MyContactPage,
    MyDataPage,
    MyDetailsPage,
    MyEqualityPage,
    MyExperiencePage,
    MyPanelPage,
    MyTakingPartPage,
    PausePage,
)
from tests.browser.pages import SignInPage, sign_in_and_set_up_two_factor
from tests.support.server import PanelServer

JOINING = ("Being a member of the panel", "Surveys", "Focus groups")


def join_without_a_phone_number(page: Page, name: str, email: str) -> ContactQuestion:
    """From the start page to the contact page, giving no phone number or address."""
    page.goto("/join")
    details = JoinStartPage.arrived(page).start()
    return details.answer(name, email, "Maidstone")


def finish_joining(contact: ContactQuestion, password: str) -> CheckYourAnswersPage:
    experience = contact.email_any_time_nothing_else(code_word="")
    access = experience.answer("Burglary of a home", "2022")
    taking_part = access.answer()
    equality = taking_part.answer(("Surveys", "Focus groups: small group discussions"), ("Online",))
    return equality.skip().agree_to(*JOINING).choose_password(password)


def test_joining_without_a_phone_number_asks_nothing_about_phones(phone_page: Page) -> None:
    page = phone_page
    email = f"kit-{uuid.uuid4().hex[:8]}@example.org"
    contact = join_without_a_phone_number(page, "Kit", email)
    for question in (*ContactQuestion.PHONE_QUESTIONS, ContactQuestion.POST_QUESTION):
        expect(contact.group(question)).to_have_count(0)
    expect(contact.page.get_by_text("we do not have a phone number for you")).to_be_visible()

    check = finish_joining(contact, new_password())
    expect(check.answer_to("Email")).to_have_text("Safe at any time")
    expect(check.answer_to("Phone number")).to_have_text("None given")
    for way in ("Phone call", "Text message", "Voicemail", "Post"):
        expect(check.key(way)).to_have_count(0)
    check.send()


def test_adding_a_phone_number_asks_about_calls_and_voicemail_only_when_calls_are_safe(
    phone_page: Page,
) -> None:
    page = phone_page
    contact = join_without_a_phone_number(page, "Kit", "kit@example.org")
    details = contact.add_a_phone_number()
    assert isinstance(details, DetailsQuestion)
    contact = details.answer("Kit", "kit@example.org", "Maidstone", phone="07700 900982")
    voicemail = contact.group(ContactQuestion.PHONE_QUESTIONS[2])
    expect(contact.group("Is it safe for us to phone you?")).to_be_visible()
    expect(contact.group("Is it safe for us to send you text messages?")).to_be_visible()
    expect(voicemail).to_be_hidden()
    contact.choose("Is it safe for us to phone you?", "Yes, at any time")
    expect(voicemail).to_be_visible()
    contact.choose("Is it safe for us to phone you?", "No")
    expect(voicemail).to_be_hidden()
    # Still no address: letters are not asked about.
    expect(contact.group(ContactQuestion.POST_QUESTION)).to_have_count(0)


def test_a_member_withdraws_from_the_panel_only_after_confirming(
    tabs: Callable[..., Page], mailbox: Mailbox, server: PanelServer, staff_user: Account
) -> None:
    member_tab, staff_tab = tabs(PHONE), tabs()
    name, email, password = "Ash", f"ash-{uuid.uuid4().hex[:8]}@example.org", new_password()
    contact = join_without_a_phone_number(member_tab, name, email)
    finish_joining(contact, password).send()
    confirmation = mailbox.wait_for(email, "Confirm your email address")
    link = re.search(rf"{re.escape(server.url)}/join/verify/\S+", confirmation.text)
    assert link is not None, confirmation.text
    ConfirmEmailPage.follow_link(member_tab, link.group(0)).confirm()
    staff_home, _ = sign_in_and_set_up_two_factor(staff_tab, staff_user)
    ApplicationsPage.from_staff_home(staff_home).open(name).approve()

    SignInPage.visit(member_tab).submit(email, password)
    home = MyPanelPage.arrived(member_tab)
    consents = home.go("See or change what you have agreed to", MyConsentsPage)
    assert isinstance(consents, MyConsentsPage)

    # The first press only asks; going back changes nothing.
    asked = consents.withdraw_membership()
    expect(asked.page.get_by_role("main")).to_contain_text(
        "we will not contact you about the panel at all"
    )
    expect(asked.page.get_by_role("link", name="leave the panel")).to_be_visible()
    consents = asked.go_back()
    expect(consents.answer("Being a member of the panel")).to_have_text("Agreed")

    consents = consents.withdraw_membership().confirm()
    expect(consents.banner).to_contain_text("We will not contact you about the panel at all now")
    expect(consents.answer("Being a member of the panel")).to_have_text("Withdrawn")
    for title in ("Surveys", "Focus groups"):
        expect(consents.answer(title)).to_have_text("On hold")
    expect(consents.membership_notice).to_contain_text("these are on hold: Focus groups, Surveys")
    expect(consents.history.locator("tbody tr")).to_have_count(len(JOINING) + 1)

    member_tab.goto("/my-panel")
    home = MyPanelPage.arrived(member_tab)
    expect(member_tab.locator("#membership-notice")).to_contain_text(
        "we will not contact you about the panel at all"
    )
    expect(member_tab.get_by_text("No invitations at the moment")).to_have_count(0)
    agreed = member_tab.locator(".govuk-summary-list .govuk-tag", has_text=re.compile("^Agreed$"))
    expect(agreed).to_have_count(0)

    # Every other page of theirs fits the phone's width too (checked on arrival).
    for link, page_class in (
        ("Change my details", MyDetailsPage),
        ("Change how it is safe to contact me", MyContactPage),
        ("Change how I would like to take part", MyTakingPartPage),
        ("Change what I need to take part", MyAccessNeedsPage),
        ("Change what I told you about what happened", MyExperiencePage),
        ("Change my answers to the equality questions", MyEqualityPage),
        ("Pause my membership", PausePage),
        ("See and download my data", MyDataPage),
        ("Leave the panel", LeavePage),
    ):
        home.go(link, page_class)
        member_tab.goto("/my-panel")
        home = MyPanelPage.arrived(member_tab)
