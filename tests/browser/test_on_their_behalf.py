"""A member phones the team: staff change their details, how it is safe to contact them and what
they need, for them, from their record; the member is emailed once that their details were
updated; staff log the call; the consents due for renewal list them. At 1280 pixels wide, every
page checked with axe; screenshots of the pages kept in /tmp/shots-calls/."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.accounts import Account
from tests.browser.mailbox import Mailbox
from tests.browser.member_pages import (
    ChangeAccessNeedsPage,
    ChangeDetailsPage,
    ChangeSafeContactPage,
    DirectoryPage,
    ImportPage,
    RenewalsPage,
)
from tests.browser.pages import StaffHomePage, sign_in_and_set_up_two_factor
from tests.support.spreadsheets import csv_of

SHOTS = Path("/tmp/shots-calls")  # noqa: S108 -- where the reviewer looks for them


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_staff_change_a_member_s_answers_for_them_and_log_the_call(
    page: Page, staff_user: Account, mailbox: Mailbox
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    tag = uuid.uuid4().hex[:6]
    name, email = f"Ashleigh{tag}", f"ashleigh-{tag}@example.org"
    # Their consent ends in 20 days, so they are on the renewals list too.
    given = datetime.now(UTC).date() - timedelta(days=710)
    person = {
        "preferred_name": name,
        "email": email,
        "phone": "07700 900982",
        "district": "Canterbury",
        "email_safe": "yes",
        "phone_safe": "no",
        "text_safe": "no",
        "post_safe": "no",
        "consent_date": given.isoformat(),
        "consent_channel": "phone",
        "consent_purposes": "membership;surveys",
        "consent_recorded_by": "Agreed on the phone with Kim",
    }
    sign_in_and_set_up_two_factor(page, staff_user)
    page.goto("/staff/import")
    importing = ImportPage.arrived(page)
    for summary in ("Access needs", "Safe times"):
        page.get_by_text(summary, exact=True).click()
    shot(page, "import-columns")
    importing.upload_valid("panel.csv", csv_of(person))
    page.goto(f"/staff/members?q={name}")
    record = DirectoryPage.arrived(page).open(name)

    details = record.change("Change their details", ChangeDetailsPage)
    details.field("What should we call you?").fill("")
    details = details.save_with_problems()
    details.error_summary.expect_messages("Enter what you would like us to call you")
    shot(page, "change-details-with-a-problem")
    new_name = f"Ash{tag}"
    details.field("What should we call you?").fill(new_name)
    details.field("Phone number (optional)").fill("01632 960001")
    shot(page, "change-details")
    record = details.save(new_name)
    expect(record.banner).to_contain_text("Their details are saved.")
    expect(record.banner).to_contain_text("We have emailed them")
    told = mailbox.wait_for(email, "We have updated your details")
    assert new_name not in told.text and "01632" not in told.text

    contact = record.change("Change how it is safe to contact them", ChangeSafeContactPage)
    contact.choose("Is it safe for us to phone you?", "Yes, but only on some days or at some times")
    for day in ("Monday", "Tuesday", "Wednesday"):
        contact.revealed(day).check()
    contact.revealed("From").fill("9am")
    contact.revealed("Until").fill("5pm")
    contact.choose("If you do not answer, is it safe for us to leave a voicemail message?", "Yes")
    contact.field("A code word (optional)").fill("bluebell")
    shot(page, "change-safe-contact")
    record = contact.save(new_name)
    expect(record.banner).to_contain_text("How it is safe to contact them is saved.")
    expect(record.banner).to_contain_text("so they have not been emailed again")
    phone = record.safe_contact.get_by_role("row").filter(has_text="Phone call")
    expect(phone.get_by_role("cell")).to_have_text(
        ["Yes", "Monday to Wednesday, 09:00 to 17:00", "Allowed", "bluebell"]
    )

    needs = record.change("Change what they need to take part", ChangeAccessNeedsPage)
    needs.tick("What do you need to take part?", "Step-free access", "Large print")
    shot(page, "change-access-needs")
    record = needs.save(new_name)
    expect(record.page.get_by_text("Step-free access", exact=True)).to_be_visible()

    log = record.add_to_contact_log()
    shot(page, "log-contact")
    record = log.add(
        "Phone call", "Changing their details", "Asked us to call on weekday mornings.", new_name
    )
    expect(record.banner).to_contain_text("Added to their contact log.")
    expect(record.contact_log).to_have_count(1)
    expect(record.contact_log.first).to_contain_text("Phone call: changing their details")
    expect(record.contact_log.first).to_contain_text(staff_user.email)
    shot(page, "record-with-contact-log")
    page.locator(".govuk-grid-column-one-third").first.screenshot(
        path=SHOTS / "record-side-column.png"
    )
    # Only one email for the three changes of one call.
    assert [e.subject for e in mailbox.received if email in e.recipients].count(
        "We have updated your details"
    ) == 1

    page.goto("/staff")
    renewals = RenewalsPage.from_staff_home(StaffHomePage.arrived(page))
    mine = renewals.rows.filter(has_text=new_name)
    expect(mine).to_have_count(2)
    expect(mine.first).to_contain_text("Being a member of the panel")
    shot(page, "renewals-due")
