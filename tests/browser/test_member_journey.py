"""The whole life of a member, in a real browser with every page checked by axe: join, confirm
the email address through a real SMTP server, be approved by staff, sign in, change how it is safe
to contact them, withdraw a consent, pause and come back, download their data, leave and be erased.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.accounts import Account, new_password
from tests.browser.conftest import PHONE
from tests.browser.mailbox import Mailbox
from tests.browser.member_pages import (
    ApplicationsPage,
    ConfirmEmailPage,
    JoinStartPage,
    LeavePage,
    MyConsentsPage,
    MyContactPage,
    MyDataPage,
    MyPanelPage,
    PausePage,
)
from tests.browser.pages import HomePage, SignInPage, sign_in_and_set_up_two_factor
from tests.support.server import PanelServer

NEUTRAL_WORDS = ("victim", "crime", "police", "abuse", "court")


def join(page: Page, name: str, email: str, password: str) -> None:
    HomePage.visit(page)
    page.get_by_role("button", name="Join the panel").click()
    details = JoinStartPage.arrived(page).start()
    refused = details.answer_with_problems(name, "not an email address")
    expect(refused.field("What should we call you?")).to_have_value(name)
    contact = refused.answer(name, email, "Maidstone")
    experience = contact.email_any_time_nothing_else(code_word="bluebell")
    access = experience.answer("Burglary of a home", "2022")
    taking_part = access.answer("Large print")
    equality = taking_part.answer(("Surveys", "Focus groups: small group discussions"), ("Online",))
    consents = equality.skip()
    password_page = consents.agree_to("Being a member of the panel", "Surveys", "Focus groups")
    check = password_page.choose_password(password)
    expect(check.answer_to("What we call you")).to_have_text(name)
    check.send()


def test_a_member_joins_is_approved_controls_their_consent_and_leaves(
    tabs: Callable[[], Page], mailbox: Mailbox, server: PanelServer, staff_user: Account
) -> None:
    member_tab, staff_tab = tabs(PHONE), tabs()
    name, email, password = "Robin", f"robin-{uuid.uuid4().hex[:8]}@example.org", new_password()

    join(member_tab, name, email, password)

    confirmation = mailbox.wait_for(email, "Confirm your email address")
    assert not any(word in confirmation.subject.lower() for word in NEUTRAL_WORDS)
    link = re.search(rf"{re.escape(server.url)}/join/verify/\S+", confirmation.text)
    assert link is not None, confirmation.text
    ConfirmEmailPage.follow_link(member_tab, link.group(0)).confirm()

    # Staff screen the application.
    staff_home, _ = sign_in_and_set_up_two_factor(staff_tab, staff_user)
    application = ApplicationsPage.from_staff_home(staff_home).open(name)
    expect(application.page.get_by_text("bluebell").first).to_be_visible()
    application.approve()
    mailbox.wait_for(email, "About your application")

    # The member signs in and changes how it is safe to contact them.
    SignInPage.visit(member_tab).submit(email, password)
    home = MyPanelPage.arrived(member_tab)
    contact = home.go("Change how it is safe to contact me", MyContactPage)
    assert isinstance(contact, MyContactPage)
    contact.choose("Is it safe for us to email you?", "Yes, but only on some days or at some times")
    contact.tick("Which days?", "Monday", "Tuesday", "Wednesday")
    home = contact.save()
    contact = home.go("Change how it is safe to contact me", MyContactPage)
    assert isinstance(contact, MyContactPage)
    email_group = contact.group("Is it safe for us to email you?")
    expect(
        email_group.get_by_label("Yes, but only on some days or at some times", exact=True)
    ).to_be_checked()
    expect(contact.group("Which days?").first.get_by_label("Tuesday", exact=True)).to_be_checked()
    member_tab.goto("/my-panel")
    home = MyPanelPage.arrived(member_tab)

    # Withdraws one consent; the history keeps both answers.
    consents = home.go("See or change what you have agreed to", MyConsentsPage)
    assert isinstance(consents, MyConsentsPage)
    consents = consents.withdraw("Surveys")
    expect(consents.card("Surveys")).to_contain_text("Withdrawn")
    expect(consents.history).to_contain_text("Surveys")
    member_tab.goto("/my-panel")
    home = MyPanelPage.arrived(member_tab)

    # Pauses, then comes back.
    pause = home.go("Pause my membership", PausePage)
    assert isinstance(pause, PausePage)
    home = pause.pause_for("3 months")
    expect(member_tab.get_by_text(re.compile("paused", re.IGNORECASE)).first).to_be_visible()
    home.press("Come back now")
    home = MyPanelPage.arrived(member_tab)

    # Downloads their data, readable and as a file.
    data = home.go("See and download my data", MyDataPage)
    expect(data.page.get_by_text(email).first).to_be_visible()
    with member_tab.expect_download() as download_info:
        member_tab.get_by_role("link", name="download it as a file").click()
    document = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    text = json.dumps(document)
    assert email in text and name in text and "surveys" in text
    member_tab.goto("/my-panel")
    home = MyPanelPage.arrived(member_tab)

    # Leaves: everything erased, and the account no longer signs in.
    member_tab.goto("/my-panel/leave")
    LeavePage.arrived(member_tab).leave()
    refused = SignInPage.visit(member_tab).submit_with_problems(email, password)
    refused.error_summary.expect_messages("Enter a correct email address and password")
