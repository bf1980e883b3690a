"""Staff pages built for case work (the MoJ Design System), at 1280 px: the directory shows every
column without cutting any off, its filter panel lists the filters applied and removes one; the
menu leads to representativeness; a member's record has its sub-navigation and consent timeline;
an admin, who may use the staff pages, finds them in the menu. Every page checked with axe."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.accounts import Account
from tests.browser.member_pages import (
    DirectoryPage,
    ImportPage,
    RepresentationPage,
    StaffConsentPage,
)
from tests.browser.pages import sign_in_and_set_up_two_factor
from tests.browser.test_admin_pages import sign_in_as_new_admin
from tests.support.server import PanelServer
from tests.support.spreadsheets import csv_of

WIDTH = 1280


def someone(name: str, email: str, district: str) -> dict[str, str]:
    return {
        "preferred_name": name,
        "email": email,
        "district": district,
        "involvement": "victim",
        "crime_types": "burglary_home",
        "email_safe": "yes",
        "phone_safe": "no",
        "text_safe": "no",
        "post_safe": "no",
        "consent_date": (datetime.now(UTC).date() - timedelta(days=30)).isoformat(),
        "consent_channel": "phone",
        "consent_purposes": "membership;focus_groups",
        "consent_recorded_by": "Read the wording on the phone",
    }


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def test_directory_record_and_menu_for_case_work(page: Page, staff_user: Account) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 900})
    tag = uuid.uuid4().hex[:6]
    dover, thanet = f"Rowan{tag}", f"Sasha{tag}"
    sign_in_and_set_up_two_factor(page, staff_user)
    page.goto("/staff/import")
    ImportPage.arrived(page).upload_valid(
        "panel.csv",
        csv_of(
            someone(dover, f"rowan-a-long-address-{tag}@example.org", "Dover"),
            someone(thanet, f"sasha-{tag}@example.org", "Thanet"),
        ),
    )

    menu(page).get_by_role("link", name="Members").click()
    directory = DirectoryPage.arrived(page).search(tag)
    expect(directory.results).to_have_count(2)
    table = page.locator("table.govuk-table")
    pane = page.get_by_role("region", name="Members found")
    # Every column is in view: the table is no wider than the pane that holds it.
    assert table.evaluate("t => t.scrollWidth") <= pane.evaluate("p => p.clientWidth")
    headings = table.locator("thead th")
    # (A sortable heading also says ", sort by this" to a screen reader.)
    expect(headings).to_have_text(
        [
            re.compile(f"^{name}")
            for name in ("Name", "Email", "District", "Status", "Joined", "Last invited")
        ]
        + [re.compile("^Last took part")]
    )
    expect(headings.first).to_have_attribute("aria-sort", "ascending")

    page.get_by_label("District").select_option(label="Dover")
    directory.press("Apply filters")
    directory = DirectoryPage.arrived(page)
    expect(directory.results).to_have_count(1)
    selected = page.locator(".moj-filter__selected")
    expect(selected.get_by_role("link", name="Remove this filter: Dover")).to_be_visible()
    selected.get_by_role("link", name="Remove this filter: Dover").click()
    directory = DirectoryPage.arrived(page)
    expect(directory.results).to_have_count(2)

    directory.open(dover)
    tabs = page.get_by_role("navigation", name="Parts of their record")
    expect(tabs.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    tabs.get_by_role("link", name="Consent").click()
    StaffConsentPage.arrived(page)
    timeline = page.locator(".moj-timeline__item")
    expect(timeline.first.locator(".moj-timeline__title")).to_have_text(
        "Focus groups: given", use_inner_text=False
    )
    expect(timeline.first.locator(".moj-timeline__byline")).to_contain_text("recorded by")

    menu(page).get_by_role("link", name="Representativeness").click()
    RepresentationPage.arrived(page)


def test_an_admin_finds_the_staff_pages_in_the_menu(page: Page, server: PanelServer) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 900})
    sign_in_as_new_admin(page, server)
    links = menu(page).get_by_role("link")
    expect(links).to_have_text(
        [
            "Home",
            "Applications",
            "Members",
            "Representativeness",
            "Engagements",
            "Insights",
            "Actions",
            "Expenses",
            "Import",
            "Users",
            "Audit log",
        ]
    )
    menu(page).get_by_role("link", name="Members").click()
    DirectoryPage.arrived(page)
