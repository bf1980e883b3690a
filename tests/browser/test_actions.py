"""An improvement action, in Chromium: staff choose two approved findings in the insight library
and start one action from them, owned by the police force; they record its progress through
agreed and in progress to completed with evidence of its impact, and the library then shows, on
each finding, what was done. They log a horizon scanning item, assess it and adopt it through a
new action. Axe runs on every page; screenshots at 1280 px and 320 px go to
/tmp/shots/ (not kept in the repository)."""

from __future__ import annotations

import subprocess
import sys
import uuid

from playwright.sync_api import Page, expect

from panel.settings import ROOT
from tests.browser.accounts import Account
from tests.browser.action_pages import ActionsPage, HorizonItemPage, HorizonPage, NewActionPage
from tests.browser.findings_pages import InsightLibraryPage
from tests.browser.pages import sign_in_and_set_up_two_factor
from tests.browser.test_invitation_journey import screenshots
from tests.support.server import PanelServer

# A held session with two approved findings, through the services; the statements are arguments.
TWO_FINDINGS = """
import asyncio, sys
from datetime import UTC, datetime, timedelta
from panel import db
from panel.audit.services import Actor
from panel.engagements.services import create_engagement
from panel.engagements.tables import Engagement
from panel.findings.services import FindingSent, record_finding, review_finding
from panel.settings import load_settings
from tests.support.engagements import a_plan

async def findings(title, statements):
    await db.open_connections(load_settings())
    try:
        actor = Actor(None, "test")
        engagement_id = await create_engagement(a_plan(title=title), actor)
        await Engagement.update({Engagement.status: "held"}).where(Engagement.id == engagement_id)
        for statement in statements:
            finding = await record_finding(
                engagement_id,
                FindingSent(statement, "negative", "high", ("right_9",), ("outcome",), ("police",), ()),
                None, actor, timedelta(days=365))
            await review_finding(finding, True, "", actor)
    finally:
        await db.close_connections()

asyncio.run(findings(sys.argv[1], sys.argv[2:]))
"""
RIGHT_9 = "Right 9: to be given information about the outcome of the case and any appeals"


def test_staff_turn_two_findings_into_an_action_and_track_it_to_completion(
    page: Page, server: PanelServer, staff_user: Account
) -> None:
    tag = uuid.uuid4().hex[:6]
    statements = [
        f"Nobody said the case was closed ({tag}).",
        f"The letter gave no reason ({tag}).",
    ]
    subprocess.run(
        [sys.executable, "-c", TWO_FINDINGS, f"Case outcomes {tag}", *statements],
        env=server.environment,
        cwd=ROOT,
        check=True,
    )
    sign_in_and_set_up_two_factor(page, staff_user)
    library = InsightLibraryPage.from_menu(page)
    for statement in statements:
        card = page.locator(".panel-finding").filter(has_text=statement)
        expect(card.locator("dd").filter(has_text="No action yet")).to_have_count(1)
        card.get_by_label("Choose for an action").check()
    screenshots(library.page, "library-choose-findings")
    page.get_by_role("button", name="Start an action from the findings chosen").click()
    new = NewActionPage.arrived(page)
    expect(new.findings).to_have_count(2)
    title = f"Tell victims why their case closed {tag}"
    action = new.start(title, "The police force", "Head of Victim Services", "31", "3", "2030")
    expect(action.banner).to_contain_text("The action is started, as proposed.")
    expect(action.value_of("RAG rating")).to_have_text("Green: on track")
    expect(action.value_of("Victims' Code rights behind it")).to_have_text(RIGHT_9)
    expect(action.findings).to_have_count(2)

    action = action.update("Agreed at the delivery group.", "Agreed")
    action = action.update("Letters rewritten.", "In progress")
    action = action.update(
        "New letters in use.", "Completed", evidence="Complaints about closure letters halved."
    )
    expect(action.value_of("Status")).to_have_text("Completed")
    expect(action.value_of("Evidence of impact")).to_have_text(
        "Complaints about closure letters halved."
    )
    expect(page.locator("#log li")).to_have_count(4)
    screenshots(page, "action-completed")

    page.goto("/staff/insights")
    InsightLibraryPage.arrived(page)
    for statement in statements:
        card = page.locator(".panel-finding").filter(has_text=statement)
        expect(card).to_contain_text(f"{title} (completed)")


def test_staff_log_a_horizon_item_assess_it_and_adopt_it_through_an_action(
    page: Page, staff_user: Account
) -> None:
    tag = uuid.uuid4().hex[:6]
    sign_in_and_set_up_two_factor(page, staff_user)
    page.goto("/staff/actions")
    horizon = HorizonPage.from_actions(ActionsPage.arrived(page))
    title = f"HMICFRS: victims' experience of updates {tag}"
    item = horizon.add_an_item().add(
        "HMICFRS", title, published=("1", "11", "2026"), review_by=("31", "1", "2030")
    )
    expect(item.value_of("Status")).to_have_text("New")
    item = item.assess("Our own findings say the same about right 6.")
    expect(item.value_of("Status")).to_have_text("Assessed")
    screenshots(page, "horizon-item")
    new = item.start_an_action()
    expect(page.locator("#takes-up")).to_contain_text(title)
    action_title = f"Agree a date for the next update {tag}"
    new.start(action_title, "The police force", "Head of Investigations", "30", "6", "2030")
    page.goto("/staff/horizon")
    HorizonPage.arrived(page)
    page.get_by_role("link", name=title).click()
    item = HorizonItemPage.arrived(page, title)
    expect(item.value_of("Status")).to_have_text("Adopted")
    expect(item.value_of("Actions that take it up")).to_have_text(f"{action_title} (proposed)")
