"""Staff run the panel: an import with mistakes is reported and writes nothing, a correct one adds
everyone with their consent history; staff find a member, open their record (the view is recorded)
and export a list. Every page checked with axe."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.accounts import Account
from tests.browser.member_pages import DirectoryPage, ImportPage, RepresentationPage
from tests.browser.pages import sign_in_and_set_up_two_factor
from tests.support.spreadsheets import csv_of


def person(name: str, email: str) -> dict[str, str]:
    return {
        "preferred_name": name,
        "email": email,
        "district": "Canterbury",
        "involvement": "victim",
        "crime_types": "fraud_cyber",
        "email_safe": "yes",
        "phone_safe": "no",
        "text_safe": "no",
        "post_safe": "no",
        "consent_date": (datetime.now(UTC).date() - timedelta(days=60)).isoformat(),
        "consent_channel": "paper",
        "consent_purposes": "membership;surveys",
        "consent_recorded_by": "Signed form at a drop-in session",
    }


def test_import_find_open_and_export(page: Page, staff_user: Account) -> None:
    tag = uuid.uuid4().hex[:6]
    first, second = f"Ashleigh{tag}", f"Morgan{tag}"
    people = [
        person(first, f"ashleigh-{tag}@example.org"),
        person(second, f"morgan-{tag}@example.org"),
    ]
    sign_in_and_set_up_two_factor(page, staff_user)

    page.goto("/staff/import")
    importing = ImportPage.arrived(page)
    with_mistakes = csv_of(people[0], {**people[1], "email": "not an email"}, people[0])
    reported = importing.upload_with_problems("panel.csv", with_mistakes)
    expect(reported.page.get_by_text("Row 3, email", exact=False).first).to_be_visible()
    expect(reported.page.get_by_text("Row 4, email", exact=False).first).to_be_visible()
    page.goto(f"/staff/members?q={tag}")
    nobody = DirectoryPage.arrived(page)
    expect(nobody.results).to_have_count(0)

    page.goto("/staff/import")
    imported = ImportPage.arrived(page).upload_valid("panel.csv", csv_of(*people))
    expect(imported.page.get_by_text("2 people were added")).to_be_visible()

    directory = imported.find_them().search(first[2:].lower())
    expect(directory.results).to_have_count(1)
    record = directory.open(first)
    expect(record.viewers).to_contain_text(staff_user.email)
    limits = record.contact_limits()
    limits = limits.grant_override("They asked to join the next group about online fraud")
    expect(
        limits.page.get_by_text("They asked to join the next group about online fraud")
    ).to_be_visible()
    page.goto(f"/staff/members?q={first}")
    record = DirectoryPage.arrived(page).open(first)
    marked = record.mark_do_not_contact("Asked us by phone not to contact them this year")
    expect(marked.page.get_by_text("Do not contact.").first).to_be_visible()
    record = marked
    history = record.consent_history()
    expect(history.page.get_by_text("Signed form at a drop-in session").first).to_be_visible()

    page.goto(f"/staff/members?q={tag}")
    both = DirectoryPage.arrived(page)
    expect(both.results).to_have_count(2)
    rows = list(csv.DictReader(io.StringIO(both.export().decode("utf-8-sig"))))
    assert sorted(row["Email address"] for row in rows) == sorted(p["email"] for p in people)
    assert {row["Preferred name"] for row in rows} == {first, second}

    dashboard = RepresentationPage.visit(page)
    expect(dashboard.page.locator("svg[role=img]").first).to_be_visible()
