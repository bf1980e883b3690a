"""The demo engagements: one in every status, invitations answered and a register taken where the
status calls for them, the demo facilitator running three, claims of costs, a partner agency
reviewer, a stored selection for the draft, and findings for the insight library."""

from __future__ import annotations

from collections import Counter

from panel.accounts.rules import Role
from panel.audit.services import Actor
from panel.consent.rules import Purpose
from panel.demo.engagements import DEMO_ENGAGEMENTS, FACILITATOR_EMAIL, load_demo_engagements
from panel.demo.findings import DEMO_FINDINGS, load_demo_findings
from panel.engagements.rules import EngagementStatus
from panel.engagements.tables import (
    Attendance,
    Engagement,
    EngagementFacilitator,
    Invitation,
    PartnerReviewer,
)
from panel.expenses.tables import ExpenseClaim, ExpenseReceipt
from panel.findings.services import rights_heat_map
from panel.findings.tables import Finding
from panel.justice import VICTIMS_CODE_RIGHTS
from panel.members.reference import load_reference_data
from panel.members.tables import ExperienceProfile
from panel.selections.demo import load_demo_selection
from panel.selections.services import verify_selection
from panel.selections.tables import Selection

DEMO = Actor(user_id=None, client_hash="demo data")


async def test_the_demo_shows_the_whole_cycle_once(make_user, make_member, settings):
    await make_user(Role.FACILITATOR, email=FACILITATOR_EMAIL)
    for number in range(80):
        member = await make_member(
            consents=(Purpose.MEMBERSHIP, Purpose.FOCUS_GROUPS, Purpose.CASE_REVIEWS),
            preferred_name=f"Demo {number}",
        )
        involvement = "victim" if number % 3 else "witness"
        await ExperienceProfile.insert(
            ExperienceProfile(member=member["member_id"], involvement=involvement)
        )

    assert await load_demo_engagements(DEMO) == len(DEMO_ENGAGEMENTS)
    statuses = {row["status"] for row in await Engagement.select(Engagement.status)}
    assert statuses == {status.value for status in EngagementStatus}
    held = await Engagement.select(Engagement.id).where(Engagement.status == "held").first()
    marks = Counter(
        row["status"]
        for row in await Invitation.select(Invitation.status).where(
            Invitation.engagement == held["id"]
        )
    )
    assert marks["attended"] == 6 and marks["did_not_attend"] == 1
    assert await Attendance.count().where(Attendance.invitation.engagement == held["id"]) == 6
    assert await EngagementFacilitator.count() == 3
    cancelled = await Engagement.select().where(Engagement.status == "cancelled").first()
    assert cancelled["status_reason"]
    # Claims at the held session, one waiting and one approved, each with its receipt.
    claims = Counter(row["status"] for row in await ExpenseClaim.select(ExpenseClaim.status))
    assert claims == {"submitted": 1, "approved": 1}
    assert await ExpenseReceipt.count() == 2
    [partner] = await PartnerReviewer.select(PartnerReviewer.engagement.kind.as_alias("kind"))
    assert partner["kind"] == "independent_review"

    assert await load_demo_selection(load_reference_data(), settings, DEMO) == 1
    [selection] = await Selection.select(Selection.id, Selection.engagement)
    draft = (
        await Engagement.select(Engagement.status)
        .where(Engagement.id == selection["engagement"])
        .first()
    )
    assert draft["status"] == "draft"
    assert await verify_selection(selection["id"]) == []

    assert await load_demo_engagements(DEMO) == 0
    assert await load_demo_selection(load_reference_data(), settings, DEMO) == 0
    assert await Engagement.count() == len(DEMO_ENGAGEMENTS)

    # Findings on the sessions held, most approved and spread over the quarters the heat map
    # shows, two waiting for review; loaded once.
    assert await load_demo_findings(DEMO, settings.consent_renewal) == 3 * len(DEMO_FINDINGS)
    assert await load_demo_findings(DEMO, settings.consent_renewal) == 0
    statuses = Counter(row["status"] for row in await Finding.select(Finding.status))
    assert statuses == {"approved": 3 * len(DEMO_FINDINGS) - 2, "awaiting_review": 2}
    heat = await rights_heat_map([code for code, _ in VICTIMS_CODE_RIGHTS])
    shown = sum(
        cell.negative + cell.positive + cell.mixed for row in heat.rows for cell in row.cells
    )
    assert shown >= 3 * len(DEMO_FINDINGS) - 2
    assert (
        len({index for row in heat.rows for index, cell in enumerate(row.cells) if cell.negative})
        >= 4
    )
