"""Engagements, in Chromium: staff plan a focus group (a form sent back first, then saved as a
draft), start recruiting, look at who could be invited, change the plan and find it in the list;
the facilitator they chose sees it among their sessions, without the staff controls, and sees no
other engagement; a draft without what invitees need cannot start recruiting; a draft is cancelled
with a reason; staff choose who to invite to a draft, quotas no panel can meet sent back with why,
then a panel and reserves chosen with a seed, and quotas started from the representativeness
targets. Staff pages at 1280 px, and the list and an engagement also at 320 px."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.accounts import Account, new_password
from tests.browser.engagement_pages import (
    EngagementsPage,
    NotTheirSessionPage,
    Plan,
    engagement_id_in,
    menu,
    plan_a_draft,
    sign_in_as_facilitator_for_the_first_time,
)
from tests.browser.member_pages import ImportPage
from tests.browser.pages import sign_in_and_set_up_two_factor
from tests.browser.test_staff_pages import someone
from tests.support.server import PanelServer
from tests.support.spreadsheets import csv_of


def in_the_future(days: int = 30) -> date:
    """A day far enough ahead that the session has not started, whatever the time zone."""
    return date.today() + timedelta(days=days)


def new_facilitator(server: PanelServer) -> Account:
    account = Account(
        email=f"facilitator-{uuid.uuid4().hex[:10]}@example.org", password=new_password()
    )
    server.create_user(account.email, "facilitator", account.password)
    return account


def test_staff_plan_a_focus_group_that_its_facilitator_sees(
    page: Page, tabs: Any, server: PanelServer, staff_user: Account
) -> None:
    tag = uuid.uuid4().hex[:6]
    facilitator = new_facilitator(server)
    plan = Plan(
        title=f"Updates during an investigation {tag}",
        day=in_the_future(),
        description="We want to hear how updates from the police reached you.",
        crime_focus=("Burglary of a home",),
        journey_stages=("Investigation", "Updates"),
        venue="Maidstone Community Hub",
        venue_address="1 Week Street\nMaidstone",
        starts="10:00",
        ends="12:30",
        places="8",
        facilitators=(facilitator.email,),
    )
    sign_in_and_set_up_two_factor(page, staff_user)

    form = EngagementsPage.from_menu(page).plan_an_engagement()
    form.fill_in(replace(plan, title=""))
    form = form.save_with_problems()
    form.error_summary.expect_messages("Enter a title for the engagement")
    # Everything else typed or ticked is kept.
    expect(form.field("What invitees read")).to_have_value(plan.description)
    expect(form.field("Venue address")).to_have_value(plan.venue_address)
    expect(form.group("Date").get_by_label("Day", exact=True)).to_have_value(str(plan.day.day))
    expect(form.field("Ends (UK time)")).to_have_value(plan.ends)
    expect(form.group("Format").get_by_label("In person", exact=True)).to_be_checked()
    expect(form.group("Crime types it is about").get_by_label("Burglary of a home")).to_be_checked()
    expect(form.group("Facilitators").get_by_label(facilitator.email)).to_be_checked()

    form.field("Title").fill(plan.title)
    engagement = form.save(plan.title)
    expect(engagement.banner).to_contain_text("The engagement is saved as a draft.")
    expect(engagement.status).to_have_text("Draft")
    expect(engagement.value_of("Stages of the journey")).to_have_text("Investigation, Updates")
    expect(engagement.value_of("Time (UK time)")).to_have_text("10:00 to 12:30")

    engagement = engagement.start_recruiting()
    expect(engagement.banner).to_contain_text("It is recruiting: you can now choose who to invite.")
    expect(engagement.status).to_have_text("Recruiting")

    pool = engagement.who_could_be_invited()
    expect(pool.size).to_have_text(
        re.compile(r"^[\d,]+ members? could be invited now, of the [\d,]+ on the panel\.$")
    )
    expect(pool.make_up("Crime type")).to_be_visible()
    engagement = pool.back_to_the_engagement(plan.title)

    new_title = f"Updates from the police {tag}"
    change = engagement.change_the_plan()
    expect(change.field("Title")).to_have_value(plan.title)
    expect(change.group("Facilitators").get_by_label(facilitator.email)).to_be_checked()
    change.field("Title").fill(new_title)
    engagement = change.save(new_title)
    expect(engagement.banner).to_contain_text("The changes are saved.")
    expect(engagement.status).to_have_text("Recruiting")
    recruiting_id = engagement_id_in(page)

    engagements = engagement.back_to_engagements().filter_by(
        Status="Recruiting", Facilitator=facilitator.email
    )
    expect(engagements.rows).to_have_count(1)
    expect(engagements.cell(new_title, "Status")).to_have_text("Recruiting")
    expect(engagements.cell(new_title, "Facilitators")).to_have_text(facilitator.email)
    expect(engagements.page.get_by_label("Status", exact=True)).to_have_value("recruiting")

    # A draft that does not yet say what it is, where, or who runs it cannot start recruiting.
    bare = plan_a_draft(page, Plan(title=f"Court waiting rooms {tag}", day=in_the_future()))
    refused = bare.start_recruiting_refused()
    expect(refused.problem).to_have_text(
        [
            "Write what invitees will read about the session first.",
            "Choose who will facilitate it first.",
            "Give the venue and its address first.",
        ]
    )
    expect(refused.status).to_have_text("Draft")
    not_theirs_id = engagement_id_in(page)

    # The facilitator, in a browser of their own.
    theirs = tabs()
    sessions, _ = sign_in_as_facilitator_for_the_first_time(theirs, facilitator)
    expect(menu(theirs).get_by_role("link")).to_have_text(["My sessions"])
    expect(sessions.rows).to_have_count(1)
    session = sessions.open(new_title)
    assert engagement_id_in(theirs) == recruiting_id
    expect(session.status).to_have_text("Recruiting")
    for button in ("Change the plan", "Start recruiting"):
        expect(theirs.get_by_role("button", name=button)).to_have_count(0)
    for link in (
        "See who could be invited now, and why others are left out",
        "Cancel the engagement",
        "Back to engagements",
    ):
        expect(theirs.get_by_role("link", name=link)).to_have_count(0)
    NotTheirSessionPage.visit_engagement(theirs, not_theirs_id)


def test_staff_cancel_a_draft_with_a_reason(page: Page, staff_user: Account) -> None:
    title = f"Witness care calls {uuid.uuid4().hex[:6]}"
    sign_in_and_set_up_two_factor(page, staff_user)
    draft = plan_a_draft(page, Plan(title=title, day=in_the_future(45)))
    expect(draft.status).to_have_text("Draft")

    cancel = draft.cancel().cancel_with_problems(title)
    cancel.error_summary.expect_messages("Say why the engagement is cancelled")
    reason = "The venue is closed for repairs that week."
    cancelled = cancel.cancel_because(reason, title)
    expect(cancelled.banner).to_contain_text("The engagement is cancelled.")
    expect(cancelled.status).to_have_text("Cancelled")
    expect(cancelled.value_of("Why it was cancelled")).to_have_text(reason)
    # Nothing more can happen to it.
    expect(page.get_by_role("button", name="Change the plan")).to_have_count(0)
    expect(page.get_by_role("button", name="Start recruiting")).to_have_count(0)
    expect(page.get_by_role("link", name="Cancel the engagement")).to_have_count(0)

    engagements = cancelled.back_to_engagements().filter_by(Status="Cancelled")
    expect(engagements.cell(title, "Status")).to_have_text("Cancelled")


def test_the_list_and_an_engagement_on_a_small_phone(phone_page: Page, staff_user: Account) -> None:
    """At 320 px (``assert_accessible`` checks nothing scrolls sideways): the plan form, an
    engagement, and the list, whose table stacks each row's cells."""
    title = f"Support after a court case {uuid.uuid4().hex[:6]}"
    sign_in_and_set_up_two_factor(phone_page, staff_user)
    engagement = plan_a_draft(phone_page, Plan(title=title, day=in_the_future()))
    expect(engagement.status).to_have_text("Draft")
    engagements = engagement.back_to_engagements()
    expect(engagements.cell(title, "Status")).to_have_text("Draft")
    engagements.open(title)


def test_staff_choose_who_to_invite_with_quotas(page: Page, staff_user: Account) -> None:
    """Eight members in the pool, three of them from Sevenoaks and five from Tunbridge Wells:
    districts no other browser test imports, so the quotas on them count only these."""
    tag = uuid.uuid4().hex[:6]
    districts = ["Sevenoaks"] * 3 + ["Tunbridge Wells"] * 5
    sign_in_and_set_up_two_factor(page, staff_user)
    page.goto("/staff/import")
    ImportPage.arrived(page).upload_valid(
        "pool.csv",
        csv_of(
            *(
                someone(f"Pool{number}{tag}", f"pool-{number}-{tag}@example.org", district)
                for number, district in enumerate(districts, start=1)
            )
        ),
    )
    title = f"Choosing a focus group {tag}"
    engagement = plan_a_draft(page, Plan(title=title, day=in_the_future()))

    select = engagement.choose_who_to_invite()
    # It starts from the plan's places and reserves.
    expect(select.field("How many to choose")).to_have_value("8")
    expect(select.field("Reserves")).to_have_value("2")

    select.field("How many to choose").fill("4")
    select.field("Reserves").fill("1")
    select.field("Seed (optional)").fill("5")
    select.quota("At least", "District", "Sevenoaks").fill("4")
    select = select.choose_refused()
    select.error_summary.expect_messages("No panel can meet all these quotas: see why below")
    expect(
        select.conflict.filter(has_text=re.compile(r"^'District Sevenoaks: at least 4'$"))
    ).to_have_count(1)
    # Everything typed is kept.
    expect(select.field("How many to choose")).to_have_value("4")
    expect(select.field("Reserves")).to_have_value("1")
    expect(select.field("Seed (optional)")).to_have_value("5")
    expect(select.quota("At least", "District", "Sevenoaks")).to_have_value("4")

    select.quota("At least", "District", "Sevenoaks").fill("2")
    selection = select.choose()
    expect(selection.value_of("Chosen")).to_have_text(re.compile(r"^4 from a pool of [\d,]+$"))
    pool = int(selection.value_of("Chosen").inner_text().rsplit(" ", 1)[1].replace(",", ""))
    assert pool >= len(districts), f"a pool of {pool} cannot hold the {len(districts)} imported"
    expect(selection.value_of("Seed")).to_have_text("5")

    make_up = "The panel against the quotas"
    expect(selection.cells(make_up, "Quota")).to_have_text(["District: Sevenoaks"])
    expect(selection.cells(make_up, "Wanted")).to_have_text(["2 to 4"])
    chosen_from_sevenoaks = int(selection.cells(make_up, "Chosen").inner_text())
    assert 2 <= chosen_from_sevenoaks <= 3

    # Staff see where the chosen live and how they were involved, never their equality answers.
    for caption, first, last in (
        ("Chosen", [], ["Action"]),
        ("Reserves, in the order they are asked", ["Order"], []),
    ):
        expect(selection.column_headings(caption)).to_have_text(
            [*first, "Member", "District", "How they were involved", "Chance", *last]
        )
    expect(selection.rows("Chosen")).to_have_count(4)
    districts_chosen = selection.cells("Chosen", "District").all_inner_texts()
    assert districts_chosen.count("Sevenoaks") == chosen_from_sevenoaks
    expect(selection.rows("Reserves, in the order they are asked")).to_have_count(1)
    expect(selection.cells("Reserves, in the order they are asked", "Order")).to_have_text(["1"])

    # One of the chosen cannot come: the reserve takes their place, for a reason.
    leaving = selection.cells("Chosen", "Member").first.inner_text()
    reserve = selection.cells("Reserves, in the order they are asked", "Member").inner_text()
    selection = selection.swap(leaving).swap_with(reserve, "Cannot come that day")
    expect(selection.page.locator(".govuk-notification-banner")).to_contain_text(
        "The reserve has taken their place on the panel."
    )
    assert reserve in selection.cells("Chosen", "Member").all_inner_texts()
    assert leaving not in selection.cells("Chosen", "Member").all_inner_texts()
    expect(selection.cells("Swaps", "Why")).to_have_text(["Cannot come that day"])

    select = selection.back_to_choosing()
    expect(select.selections_made).to_have_count(1)
    select = select.start_from_targets()
    # The panel's size is the plan's (8): Medway's 15.1% of it is 1.2, so from 1 to 2.
    expect(select.field("How many to choose")).to_have_value("8")
    expect(select.quota("At least", "District", "Medway")).to_have_value("1")
    expect(select.quota("At most", "District", "Medway")).to_have_value("2")
    district_boxes = select.quota_boxes("District")
    assert district_boxes.count() == 2 * 13  # Kent's twelve districts and Medway
    for box in district_boxes.all():
        expect(box).to_have_value(re.compile(r"^\d+$"))
    # No targets are set for how they were involved, so it has no quota.
    expect(
        select.quota("At least", "How they were involved", "Something happened to me")
    ).to_have_value("")

    select = select.start_with_no_quotas()
    expect(select.quota("At most", "District", "Medway")).to_have_value("")
