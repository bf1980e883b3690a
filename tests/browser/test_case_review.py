"""An independent case review, in Chromium: staff add a case to a confirmed review, check the
anonymised preview (a name, an officer, a phone number, a postcode and a crime reference replaced)
and save it; a panel member confirmed as a reviewer finds the review among their invitations on a
phone, reads the case (only its anonymised words) and assesses it against the twelve Victims'
Code rights; staff see, for each agency, the rights most often not met, and record the reviewer's
"what should change" as a finding. Axe runs on every page; screenshots at 1280 px and 320 px go
to /tmp/shots/ (not kept in the repository)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from typing import Any

from playwright.sync_api import Page, expect

from panel.settings import ROOT
from tests.browser.accounts import Account, new_password
from tests.browser.conftest import PHONE
from tests.browser.engagement_pages import EngagementPage, MyInvitationsPage
from tests.browser.member_pages import MyPanelPage
from tests.browser.pages import SignInPage, sign_in_and_set_up_two_factor
from tests.browser.review_pages import MyReviewPage, ReviewCasesPage
from tests.browser.test_invitation_journey import screenshots
from tests.support.server import PanelServer

# A confirmed review three days ahead, and a member with an account (the email given, the password
# on standard input) who accepted.
CONFIRMED_REVIEW = """
import asyncio, secrets, sys
from datetime import UTC, datetime, timedelta
from panel import db
from panel.accounts.passwords import Passwords
from panel.accounts.rules import Role
from panel.accounts.services import create_user
from panel.audit.services import Actor
from panel.engagements.rules import EngagementKind
from panel.engagements.services import create_engagement, record_invitation
from panel.engagements.tables import Engagement, Invitation
from panel.members.tables import Member
from panel.settings import load_settings
from tests.support.engagements import a_plan

async def review(title, member_email, password):
    settings = load_settings()
    await db.open_connections(settings)
    try:
        soon = datetime.now(UTC) + timedelta(days=3)
        plan = a_plan(title=title, kind=EngagementKind.INDEPENDENT_REVIEW, starts_at=soon,
                      ends_at=soon + timedelta(hours=3))
        engagement_id = await create_engagement(plan, Actor(None, "test"))
        await Engagement.update({Engagement.status: "confirmed"}).where(
            Engagement.id == engagement_id)
        user_id = await create_user(member_email, Role.MEMBER, password, Passwords(settings),
                                    Actor(None, "test"))
        rows = await Member.insert(Member(pseudonym=secrets.token_hex(8), status="active",
                                          preferred_name="Robin", district="maidstone",
                                          user=user_id))
        invitation = await record_invitation(rows[0]["id"], "independent_review", engagement_id,
                                             datetime.now(UTC) - timedelta(days=10))
        await Invitation.update({Invitation.status: "accepted"}).where(
            Invitation.id == invitation)
        print(engagement_id)
    finally:
        await db.close_connections()

asyncio.run(review(sys.argv[1], sys.argv[2], sys.stdin.read()))
"""

SUMMARY = (
    "Jo Whitcombe reported a burglary. PC Dawson took her statement and said someone would ring "
    "her on 07700 900461 within a week. No one did for six weeks, and a letter to her home near "
    "ME14 1XX said the case had been closed."
)
UNHAPPY = "She was never told why the case was closed (crime reference 46/12345/24)."
IDENTIFIERS = ("Whitcombe", "Dawson", "07700", "900461", "ME14", "46/12345/24")
RIGHT_6 = "Right 6: to be provided with information about the investigation and prosecution"
RIGHT_9 = "Right 9: to be given information about the outcome of the case and any appeals"


def test_staff_add_a_case_and_a_member_reviewer_assesses_it_in_the_portal(
    page: Page, tabs: Any, server: PanelServer, staff_user: Account
) -> None:
    title = f"Review of closed burglaries {uuid.uuid4().hex[:6]}"
    reviewer = Account(
        email=f"reviewer-{uuid.uuid4().hex[:10]}@example.org", password=new_password()
    )
    made = subprocess.run(
        [sys.executable, "-c", CONFIRMED_REVIEW, title, reviewer.email],
        env=server.environment,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        input=reviewer.password,
    )
    engagement_id = int(made.stdout.strip())

    # Staff add the case: the preview shows what is replaced, and only that is kept.
    sign_in_and_set_up_two_factor(page, staff_user)
    page.goto(f"/staff/engagements/{engagement_id}")
    cases = ReviewCasesPage.from_engagement(EngagementPage.arrived(page, title).page, title)
    adding = cases.add_a_case()
    adding.fill(
        crime_type="Burglary of a home",
        stage="Updates",
        agencies=("The police force", "Witness Care Unit"),
        unhappy=UNHAPPY,
        summary=SUMMARY,
    )
    adding = adding.check_the_case()
    expect(adding.highlighted).to_have_text(
        ["[REFERENCE]", "[PERSON]", "[OFFICER]", "[PHONE]", "[POSTCODE]"]
    )
    screenshots(page, "case-review-preview")
    cases = adding.save()
    expect(cases.banner).to_contain_text("The case is added, anonymised as you checked it.")
    expect(cases.cases).to_have_text(
        ["Case 1: Burglary of a home. As far as: updates. 0 assessments."]
    )

    # The reviewer, on a phone, reads the case and assesses it.
    theirs = tabs(PHONE)
    theirs.goto("/sign-in")
    SignInPage.arrived(theirs).submit(reviewer.email, reviewer.password)
    MyPanelPage.arrived(theirs)
    MyInvitationsPage.from_menu(theirs)
    review = MyReviewPage.from_invitations(theirs, title)
    expect(review.cases).to_have_text(["Case 1: Burglary of a home Not assessed yet"])
    screenshots(theirs, "member-review")
    case = review.open_case(1)
    shown = case.summary.inner_text()
    for identifier in IDENTIFIERS:
        assert identifier not in shown, identifier
    assert "[OFFICER]" in shown and "six weeks" in shown
    case.rate_every_right("Met", right_6="Not met", right_9="Not met", right_7="Not applicable")
    case.comment_on(6, "Nobody rang her back, not even Sergeant Lyle.")
    case.field("What should change (optional)").fill("Tell victims when a case is closed, and why.")
    screenshots(theirs, "member-case-assessment")
    review = case.save(title)
    expect(review.banner).to_contain_text("Your assessment is saved.")
    expect(review.cases).to_have_text(["Case 1: Burglary of a home Assessed"])

    # Staff see the rights most often not met by each agency involved, and make a finding.
    page.reload()
    cases = ReviewCasesPage.arrived(page, title)
    expect(cases.not_met_by("The police force")).to_have_text(
        [f"{RIGHT_6}: 1 time", f"{RIGHT_9}: 1 time"]
    )
    cases = cases.record_as_finding("Case 1: what should change")
    expect(cases.banner).to_contain_text("The finding is recorded.")
    expect(page.locator(".panel-learning__done")).to_have_text(
        ["Recorded as a finding. See the finding"]
    )
    screenshots(page, "case-review-overview")
    case_page = cases.open_case(1)
    expect(case_page.rated(RIGHT_6)).to_contain_text("Not met: 1")
    expect(case_page.rated(RIGHT_6)).to_contain_text(
        "Panel member reviewer 1: Nobody rang her back"
    )
    expect(case_page.rated(RIGHT_6)).not_to_contain_text("Lyle")
    screenshots(page, "case-review-case")
