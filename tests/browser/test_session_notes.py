"""Writing up a session, in Chromium: the facilitator of a session that has started (put in place
through the project's services, as two members who accepted) writes notes naming both
participants, an officer by rank and name, a phone number and a postcode; the preview highlights
each replacement (typing kept the session alive, so no sign-out warning came while they wrote);
the facilitator puts back one word wrongly taken for a name and saves; the
notes kept, shown when the page is opened again, hold none of those details. They record a
finding with a quote from the participant who agreed to be quoted; staff approve it and find it in
the insight library. Axe runs on every
page; screenshots at 1280 px and 320 px go to /tmp/shots/ (not kept in the repository)."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from typing import Any

from playwright.sync_api import Page, expect

from panel.settings import ROOT
from tests.browser.accounts import Account, new_password
from tests.browser.engagement_pages import (
    FacilitatedSessionPage,
    sign_in_as_facilitator_for_the_first_time,
)
from tests.browser.findings_pages import (
    FindingsPage,
    ForbiddenPage,
    InsightLibraryPage,
    sign_in_as_board_member_for_the_first_time,
)
from tests.browser.pages import sign_in_and_set_up_two_factor
from tests.browser.test_engagements import new_facilitator
from tests.browser.test_invitation_journey import screenshots
from tests.support.server import PanelServer

# A held session run by the facilitator, with two members who accepted, through the services.
HELD_SESSION = """
import asyncio, secrets, sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from panel import db
from panel.accounts.tables import User
from panel.audit.services import Actor
from panel.consent.rules import Purpose
from panel.consent.services import record_consent
from panel.engagements.services import create_engagement, record_invitation
from panel.engagements.tables import Engagement, Invitation
from panel.members.tables import Member
from panel.settings import load_settings
from tests.support.engagements import a_plan

async def hold(title, facilitator_email, quoted, names):
    await db.open_connections(load_settings())
    try:
        facilitator = await User.select(User.id).where(User.email == facilitator_email).first()
        soon = datetime.now(UTC) + timedelta(days=3)
        plan = a_plan(title=title, facilitators=(facilitator["id"],), starts_at=soon,
                      ends_at=soon + timedelta(hours=2))
        engagement_id = await create_engagement(plan, Actor(None, "test"))
        started = datetime.now(UTC) - timedelta(hours=1)
        await Engagement.update({Engagement.status: "held", Engagement.starts_at: started,
                                 Engagement.ends_at: started + timedelta(hours=2)}).where(
            Engagement.id == engagement_id)
        for name in names:
            rows = await Member.insert(Member(pseudonym=secrets.token_hex(8), status="active",
                                              preferred_name=name, district="maidstone"))
            invitation = await record_invitation(rows[0]["id"], "focus_group", engagement_id,
                                                 started - timedelta(days=10))
            await Invitation.update({Invitation.status: "accepted"}).where(
                Invitation.id == invitation)
            if name == quoted:
                await record_consent(rows[0]["id"], Purpose.ANONYMOUS_QUOTES, True, Actor(None, "test"))
    finally:
        await db.close_connections()

asyncio.run(hold(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
"""

FINDING = f"Updates stopped once the case went to the CPS ({uuid.uuid4().hex[:6]})."
RIGHT_6 = "Right 6: to be provided with information about the investigation and prosecution"
NOTES = (
    "Robin Hale said PC Dawson never called her back after the first statement. Ash Khan gave "
    "her number, 07700 900461, to the officer three times. Robin lives near ME14 1XX. The "
    "Maidstone Victim Hub rang her the next day, which helped."
)
IDENTIFIERS = ("Robin", "Hale", "Ash", "Khan", "Dawson", "07700", "900461", "ME14")


def test_a_facilitator_writes_up_a_session_and_only_anonymised_notes_are_kept(
    page: Page, tabs: Any, server: PanelServer, staff_user: Account
) -> None:
    title = f"Updates after reporting {uuid.uuid4().hex[:6]}"
    facilitator = new_facilitator(server)
    subprocess.run(
        [
            sys.executable,
            "-c",
            HELD_SESSION,
            title,
            facilitator.email,
            "Robin Hale",
            "Robin Hale",
            "Ash Khan",
        ],
        env=server.environment,
        cwd=ROOT,
        check=True,
    )
    page.clock.install()  # before the first page, so the pages' timers run on this clock
    sessions, _ = sign_in_as_facilitator_for_the_first_time(page, facilitator)
    notes = sessions.open(title).write_the_notes()
    expect(notes.highlighted).to_have_count(0)

    # Writing takes a while: typing keeps the session alive, so no warning comes while they type.
    page.clock.fast_forward("20:00")
    with page.expect_response(
        lambda response: (
            response.request.method == "POST"
            and response.url.endswith("/session/keep-alive")
            and response.status == 204
        )
    ):
        notes.notes.fill(NOTES)
    page.clock.fast_forward("20:00")  # 40 minutes in all, past the 30 of an idle session
    expect(notes.timeout_warning).to_be_hidden()
    notes = notes.check_the_notes()
    # The register lists Ash Khan, then Robin Hale: they are numbered so.
    expect(notes.highlighted).to_have_text(
        [
            "[PARTICIPANT 2]",
            "[OFFICER]",
            "[PARTICIPANT 1]",
            "[PHONE]",
            "[PARTICIPANT 2]",
            "[POSTCODE]",
            "[PERSON]",
        ]
    )
    screenshots(page, "session-notes-preview")

    notes.put_back("Hub", "[PERSON]")
    session = notes.save()
    expect(session.banner).to_contain_text("The notes are saved, anonymised.")

    kept = session.write_the_notes()
    stored = kept.notes.input_value()
    assert stored == (
        "[PARTICIPANT 2] said PC [OFFICER] never called her back after the first statement. "
        "[PARTICIPANT 1] gave her number, [PHONE], to the officer three times. [PARTICIPANT 2] "
        "lives near [POSTCODE]. The Maidstone Victim Hub rang her the next day, which helped."
    )
    for identifier in IDENTIFIERS:
        assert identifier not in stored, identifier
    expect(page.locator("#notes-saved")).to_contain_text("The notes were saved on")

    # What was learnt, with Robin's words (she agreed to be quoted anonymously).
    page.get_by_role("link", name="Back to the session").click()
    findings = FindingsPage.from_session(FacilitatedSessionPage.arrived(page, title))
    findings = findings.record(
        statement=FINDING,
        sentiment="Negative",
        priority="High",
        rights=(RIGHT_6,),
        quote="Nobody from the police rang me for six weeks, and Robin Hale was left in the dark.",
        said_by="Robin Hale",
    )
    expect(findings.banner).to_contain_text("The finding is recorded.")
    expect(findings.quotes).to_have_text(
        ["“Nobody from the police rang me for six weeks, and [PARTICIPANT 2] was left in the "
         "dark.” (a participant, anonymised)"]
    )  # fmt: skip

    # Staff approve it, and it is in the insight library with its quote.
    reviewing = tabs()
    sign_in_and_set_up_two_factor(reviewing, staff_user)
    library = InsightLibraryPage.from_menu(reviewing)
    queue = library.findings_waiting().approve(FINDING)
    expect(queue.banner).to_contain_text("The finding is approved and in the insight library.")
    library = queue.library()
    expect(library.statements.filter(has_text=FINDING)).to_have_count(1)
    screenshots(reviewing, "insight-library")
    heat_map = library.by_right()
    # This quarter's cell counts the negative finding just approved (other tests may add more).
    expect(heat_map.cells_of(RIGHT_6).last).to_have_text(
        re.compile(r"^[1-9]\d* negative, \d+ positive$")
    )
    screenshots(reviewing, "rights-heat-map")
    reviewing.go_back()
    over_time = InsightLibraryPage.arrived(reviewing).over_time().show(RIGHT_6)
    expect(over_time.totals.last).to_have_text(re.compile(r"^[1-9]\d*$"))
    screenshots(reviewing, "findings-over-time")

    # The board sees counts only, a small one hidden; it cannot open the library itself.
    board = Account(email=f"board-{uuid.uuid4().hex[:10]}@example.org", password=new_password())
    server.create_user(board.email, "board", board.password)
    reporting = tabs()
    rights = sign_in_as_board_member_for_the_first_time(reporting, board).rights()
    expect(rights.counts_of(RIGHT_6).first).to_have_text(re.compile(r"^(\[c\]|\d{2,}|0)$"))
    expect(rights.page.locator("#suppression-note")).to_contain_text("shown as [c]")
    screenshots(reporting, "board-rights")
    response = reporting.goto("/staff/insights")
    assert response is not None and response.status == 403
    ForbiddenPage.arrived(reporting)
