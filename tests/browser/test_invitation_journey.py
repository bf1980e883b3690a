"""An invitation's journey, in Chromium: staff import four members of one district no other browser
test uses, plan a focus group for that district with two places, one reserve and a facilitator,
start recruiting, see the pool of four, and choose two and a reserve with a quota and a seed. They
send the invitations from the engagement's invitations page; each of the two gets an email that
gives only the date, with a personal link. One accepts behind the link, with an access need and
travel costs to claim; the other cannot come, so the reserve is invited. Staff see the answers and
the need, and mark the support as arranged; the facilitator sees the participant by name, with the
need and the support arranged, and no member's email address. The participant signs in with an
emailed link, claims their travel with a receipt, and staff approve it for payment, which the
participant then sees. Staff confirm the session; once it has started (the test moves its time,
as the clock would), the facilitator takes the register, still seeing no email address, and the
directory shows when the participant last took part. Screenshots at 1280 px and 320 px go to
/tmp/shots/ (not kept in the repository)."""

from __future__ import annotations

import re
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.accessibility import assert_fits_width
from tests.browser.accounts import Account
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.engagement_pages import (
    ExpensesPage,
    InvitationPage,
    MyInvitationsPage,
    Plan,
    SignInLinkPage,
    SignInWithLinkPage,
    choose_from_menu,
    plan_a_draft,
    sign_in_as_facilitator_for_the_first_time,
)
from tests.browser.mailbox import Mailbox
from tests.browser.member_pages import DirectoryPage, ImportPage
from tests.browser.pages import sign_in_and_set_up_two_factor
from tests.browser.test_engagements import in_the_future, new_facilitator
from tests.browser.test_staff_pages import someone
from tests.support.database import move_session
from tests.support.server import PanelServer
from tests.support.spreadsheets import csv_of

# No other browser test imports members here, so the engagement's pool holds only this test's.
DISTRICT = "Gravesham"
INVITATION = "An invitation to a meeting"
SHOTS = Path(tempfile.gettempdir()) / "shots"
WIDTHS: tuple[ViewportSize, ...] = ({"width": 1280, "height": 800}, PHONE)


def screenshots(page: Page, name: str) -> None:
    """The page as it is now, whole, at 1280 px and at 320 px wide (fitting each width), then the
    tab's window as it was."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    was = page.viewport_size or DESKTOP
    for size in WIDTHS:
        page.set_viewport_size(size)
        assert_fits_width(page)
        page.screenshot(path=SHOTS / f"{name}-{size['width']}.png", full_page=True)
    page.set_viewport_size(was)


def link_in(text: str, server: PanelServer, path: str) -> str:
    found = re.search(rf"{re.escape(server.url)}{path}/\S+", text)
    assert found is not None, text
    return found.group(0)


def test_invited_members_answer_and_a_participant_claims_costs(
    page: Page,
    tabs: Any,
    server: PanelServer,
    mailbox: Mailbox,
    staff_user: Account,
    tmp_path: Path,
) -> None:
    tag = uuid.uuid4().hex[:6]
    emails = {f"Invitee{number}{tag}": f"invitee-{number}-{tag}@example.org" for number in range(4)}
    facilitator = new_facilitator(server)
    sign_in_and_set_up_two_factor(page, staff_user)
    page.goto("/staff/import")
    ImportPage.arrived(page).upload_valid(
        "invitees.csv",
        csv_of(*(someone(name, email, DISTRICT) for name, email in emails.items())),
    )

    title = f"Keeping victims informed {tag}"
    engagement = plan_a_draft(
        page,
        Plan(
            title=title,
            day=in_the_future(),
            description="We want to hear how you were kept informed.",
            venue="Gravesend Community Centre",
            venue_address="1 King Street\nGravesend",
            places="2",
            reserves="1",
            facilitators=(facilitator.email,),
            eligible_districts=(DISTRICT,),
        ),
    )
    engagement = engagement.start_recruiting()
    expect(engagement.status).to_have_text("Recruiting")
    pool = engagement.who_could_be_invited()
    expect(pool.size).to_have_text(
        re.compile(rf"^{len(emails)} members could be invited now, of the [\d,]+ on the panel\.$")
    )
    engagement = pool.back_to_the_engagement(title)

    select = engagement.choose_who_to_invite()
    # It starts from the plan's places and reserves.
    expect(select.field("How many to choose")).to_have_value("2")
    expect(select.field("Reserves")).to_have_value("1")
    select.field("Seed (optional)").fill("7")
    select.quota("At least", "District", DISTRICT).fill("2")
    selection = select.choose()
    expect(selection.value_of("Chosen")).to_have_text(f"2 from a pool of {len(emails)}")
    chosen = selection.cells("Chosen", "Member").all_inner_texts()
    (reserve,) = selection.cells(
        "Reserves, in the order they are asked", "Member"
    ).all_inner_texts()
    coming, not_coming = chosen
    assert {coming, not_coming, reserve} <= emails.keys()

    engagement = selection.back_to_choosing().back_to_the_engagement(title)

    # Staff send the invitations: the two chosen are asked, the reserve not yet.
    invitations = engagement.invitations().send_the_invitations()
    expect(invitations.banner).to_contain_text("2 invited.")
    expect(invitations.names).to_have_count(2)
    assert sorted(invitations.names.all_inner_texts()) == sorted(chosen)
    screenshots(page, "staff-invitations-sent")

    links = {}
    for name in chosen:
        email = mailbox.wait_for(emails[name], INVITATION)
        # Someone else may read the inbox: the email gives the date, never what it is about.
        assert title not in email.text
        assert title not in email.subject
        links[name] = link_in(email.text, server, "/invitation")

    # The first of the chosen comes, needing step-free access and expecting to claim travel.
    theirs = tabs(PHONE)
    invitation = InvitationPage.follow_link(theirs, links[coming], title)
    expect(invitation.state).to_have_text("Your answer: Invited: no answer yet")
    screenshots(theirs, "member-invitation")
    invitation = invitation.accept(
        needs=("Step-free access",),
        costs=("Travel costs, such as bus or train fares, a taxi or parking",),
    )
    expect(invitation.banner).to_contain_text("You have a place")
    expect(invitation.state).to_have_text("Your answer: Coming")

    # The second cannot come, so the reserve is asked in their place.
    declined = InvitationPage.follow_link(tabs(PHONE), links[not_coming], title).decline()
    expect(declined.banner).to_contain_text("Thank you for letting us know")
    expect(declined.state).to_have_text("Your answer: Cannot come")
    reserve_email = mailbox.wait_for(emails[reserve], INVITATION)
    assert title not in reserve_email.text

    invitations = invitations.reload()
    expect(invitations.cell(coming, "Answer")).to_have_text("Coming")
    expect(invitations.cell(not_coming, "Answer")).to_have_text("Cannot come")
    expect(invitations.cell(reserve, "Answer")).to_have_text("Invited: no answer yet")
    expect(invitations.cell(coming, "Needs for the session")).to_have_text("Step-free access")
    expect(invitations.cell(coming, "Costs to claim")).to_have_text("Travel")
    invitations = invitations.mark_as_arranged(coming)
    expect(invitations.banner).to_contain_text("Saved.")
    expect(invitations.cell(coming, "Support")).to_contain_text("Arranged")
    screenshots(page, "staff-invitations")
    engagement = invitations.back_to_the_engagement(title).confirm_the_session()
    expect(engagement.status).to_have_text("Confirmed")

    # The facilitator sees who is coming and what they need, never how to contact them.
    facilitating = tabs()
    sessions, _ = sign_in_as_facilitator_for_the_first_time(facilitating, facilitator)
    session = sessions.open(title)
    expect(facilitating.locator("#participants li")).to_have_text(
        [f"{coming}. Needs: Step-free access. Support arranged by staff"]
    )
    content = facilitating.content()
    for email_address in emails.values():
        assert email_address not in content, f"{email_address} is on {session.page.url}"

    # The participant signs in with a link emailed to them, and claims their travel.
    SignInLinkPage.from_sign_in(theirs).send_link(emails[coming])
    sign_in = mailbox.wait_for(emails[coming], "Your link to sign in")
    SignInWithLinkPage.follow_link(theirs, link_in(sign_in.text, server, "/sign-in/link")).sign_in()
    invitation = MyInvitationsPage.from_menu(theirs).open(title)
    expect(invitation.state).to_have_text("Your answer: Coming")
    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    claim = invitation.claim_costs().claim(
        "Travel, such as bus or train fares, a taxi or parking", "12.50", receipt
    )
    expect(claim.banner).to_contain_text("We have your claim")
    expect(claim.cells("Amount")).to_have_text(["£12.50"])
    expect(claim.cells("Decision")).to_have_text(["Waiting for a decision"])
    screenshots(theirs, "member-claim")

    # Staff approve it for payment.
    expenses = ExpensesPage.from_menu(page)
    expect(expenses.claim_of(coming)).to_have_count(1)
    screenshots(page, "staff-expenses")
    decision = expenses.open_claim_of(coming)
    expect(decision.value_of("Amount")).to_have_text("£12.50")
    expect(decision.value_of("Status")).to_have_text("Waiting for a decision")
    screenshots(page, "staff-claim")
    decision = decision.decide("Approve it for payment")
    expect(decision.banner).to_contain_text("The decision is saved.")
    expect(decision.value_of("Status")).to_have_text("Approved")

    claim = claim.reload()
    expect(claim.cells("Decision")).to_have_text(["Approved"])

    # The day comes: once the session has started, the facilitator takes the register, still
    # with nothing that would reach anyone, and the directory shows who took part.
    started = datetime.now(UTC) - timedelta(minutes=30)
    with ThreadPoolExecutor(max_workers=1) as thread:  # Playwright's thread has its event loop
        thread.submit(
            move_session,
            server.environment["PANEL_DATABASE_URL"],
            title,
            started,
            started + timedelta(hours=2),
        ).result()
    session = session.reload()
    expect(session.register_hint(coming)).to_have_text(
        "Needs: Step-free access. Support arranged by staff"
    )
    session.mark(coming, "Attended")
    screenshots(facilitating, "facilitator-register")
    session = session.save_the_register()
    expect(session.banner).to_contain_text("The register is saved.")
    expect(session.marked(coming, "Attended")).to_be_checked()
    content = facilitating.content()
    for email_address in emails.values():
        assert email_address not in content, f"{email_address} is on {session.page.url}"

    choose_from_menu(page, "Members")
    directory = DirectoryPage.arrived(page).search(emails[coming])
    expect(directory.results).to_have_count(1)
    headings = directory.page.locator("table.govuk-table thead th").all_inner_texts()
    took_part = next(i for i, text in enumerate(headings) if text.startswith("Last took part"))
    expect(directory.results.locator("td").nth(took_part)).not_to_have_text("Never")
    expect(directory.results.locator("td").nth(took_part)).to_have_text(
        re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}$")
    )
