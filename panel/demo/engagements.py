"""Demo engagements: one in every status, so a newcomer sees the whole cycle. Members of the
synthetic panel who agreed to focus groups are invited to those recruiting or further on; some
accepted, some declined, and those at the held sessions are on the register. The demo
facilitator runs the confirmed, held and written-up ones. Some who accepted told us what they
need and that they will claim costs; two at the held session have claimed (one claim approved,
one waiting); the independent review has a partner agency reviewer. Nothing is sent: these are
records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from panel import db
from panel.accounts.tables import User
from panel.audit.services import Actor
from panel.consent.rules import Purpose
from panel.consent.tables import LatestConsent
from panel.engagements.rules import (
    ANYONE,
    EngagementFormat,
    EngagementKind,
    EngagementPlan,
    EngagementStatus,
    RegisterMark,
)
from panel.engagements.services import create_engagement, record_attendance, record_invitation
from panel.engagements.tables import Engagement, Invitation, PartnerReviewer
from panel.expenses.rules import ClaimStatus
from panel.expenses.tables import ExpenseClaim, ExpenseReceipt
from panel.members.rules import MemberStatus
from panel.members.tables import Member

FACILITATOR_EMAIL = "facilitator@demo.example"


@dataclass(frozen=True)
class DemoEngagement:
    title: str
    status: EngagementStatus
    days_from_today: int
    kind: EngagementKind = EngagementKind.FOCUS_GROUP
    format: EngagementFormat = EngagementFormat.IN_PERSON
    invited: int = 0
    accepted: int = 0
    attended: int = 0
    facilitated: bool = False
    reason: str = ""


DEMO_ENGAGEMENTS = (
    DemoEngagement("Being kept up to date during an investigation", EngagementStatus.DRAFT, 40),
    DemoEngagement(
        "First contact after reporting online",
        EngagementStatus.RECRUITING,
        21,
        format=EngagementFormat.ONLINE,
        invited=10,
        accepted=3,
    ),
    DemoEngagement(
        "Waiting areas at court",
        EngagementStatus.CONFIRMED,
        9,
        format=EngagementFormat.HYBRID,
        invited=12,
        accepted=8,
        facilitated=True,
    ),
    DemoEngagement(
        "Victim Personal Statements",
        EngagementStatus.HELD,
        -3,
        invited=10,
        accepted=7,
        attended=6,
        facilitated=True,
    ),
    DemoEngagement(
        "Independent review: updates on burglary cases",
        EngagementStatus.WRITTEN_UP,
        -20,
        kind=EngagementKind.INDEPENDENT_REVIEW,
        invited=6,
        accepted=4,
        attended=4,
        facilitated=True,
    ),
    DemoEngagement(
        "Support after the case ends",
        EngagementStatus.CLOSED,
        -60,
        invited=10,
        accepted=6,
        attended=5,
    ),
    DemoEngagement(
        "Reporting to the police by phone",
        EngagementStatus.CANCELLED,
        14,
        invited=8,
        reason="The venue is closed for repairs that week.",
    ),
)


def demo_plan(
    demo: DemoEngagement, starts_at: datetime, facilitators: tuple[int, ...]
) -> EngagementPlan:
    online = demo.format is EngagementFormat.ONLINE
    return EngagementPlan(
        kind=demo.kind,
        title=demo.title,
        topic=demo.title,
        public_description=(
            "A two-hour conversation with a few other members about this part of the journey: "
            "what worked, what did not, and what would have helped. You choose what to share."
        ),
        internal_notes="",
        crime_focus=(),
        journey_stages=("updates",),
        eligible_crime_types=(),
        eligible_districts=(),
        eligible_involvement=ANYONE,
        exclude_open_court_cases=True,
        format=demo.format,
        venue_name="" if online else "Maidstone Community Centre",
        venue_address="" if online else "1 Example Street\nMaidstone",
        venue_access="" if online else "Step-free entrance and hearing loop. Parking at the back.",
        joining_link="https://meet.example/demo-session" if demo.format.is_online else "",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=8 if demo.kind is EngagementKind.FOCUS_GROUP else 4,
        reserves=2,
        facilitators=facilitators,
        support_worker_present=True,
        quiet_room=not online,
        aftercare="The local victim care service: 0800 000 0000, weekdays 9am to 5pm.",
    )


async def load_demo_engagements(actor: Actor) -> int:
    """Add the demo engagements unless they are there already. Returns how many were added."""
    if await Engagement.exists().where(Engagement.title == DEMO_ENGAGEMENTS[0].title):
        return 0
    facilitator = await User.select(User.id).where(User.email == FACILITATOR_EMAIL).first()
    facilitators = (facilitator["id"],) if facilitator else ()
    wanted = {
        EngagementKind.FOCUS_GROUP: await willing_members(Purpose.FOCUS_GROUPS),
        EngagementKind.INDEPENDENT_REVIEW: await willing_members(Purpose.CASE_REVIEWS),
    }
    today = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)
    for number, demo in enumerate(DEMO_ENGAGEMENTS):
        starts_at = today + timedelta(days=demo.days_from_today)
        plan = demo_plan(demo, starts_at, facilitators if demo.facilitated else ())
        async with db.transaction():
            engagement_id = await create_engagement(plan, actor, now=starts_at - timedelta(days=30))
            await Engagement.update(
                {Engagement.status: demo.status.value, Engagement.status_reason: demo.reason}
            ).where(Engagement.id == engagement_id)
            # Each engagement invites different people, so no one is invited twice at once.
            pool = wanted[demo.kind]
            start = (number * 12) % max(len(pool), 1)
            invitees = (pool[start:] + pool[:start])[: demo.invited]
            invited_at = min(starts_at - timedelta(days=20), datetime.now(UTC))
            for place, member_id in enumerate(invitees):
                invitation_id = await record_invitation(
                    member_id, demo.kind.value, engagement_id, invited_at
                )
                status = answer(demo, place)
                await Invitation.update(
                    {
                        Invitation.status: status,
                        Invitation.responded_at: invited_at + timedelta(days=2),
                        Invitation.session_needs: '["step_free"]' if place == 0 else "",
                        Invitation.claims_travel: place < demo.accepted and place % 3 == 0,
                        Invitation.support_arranged: place == 0,
                    }
                ).where(Invitation.id == invitation_id)
                if place < demo.attended:
                    await record_attendance(member_id, invitation_id, starts_at)
                if demo.status is EngagementStatus.HELD and place < len(DEMO_CLAIMS):
                    await demo_claim(member_id, invitation_id, place, starts_at)
            if demo.kind is EngagementKind.INDEPENDENT_REVIEW:
                await PartnerReviewer.insert(
                    PartnerReviewer(
                        engagement=engagement_id,
                        name="Sam Patel",
                        agency="Crown Prosecution Service",
                    )
                )
    return len(DEMO_ENGAGEMENTS)


# Claims at the held session: (kind, pence, what it was for, status).
DEMO_CLAIMS = (
    ("travel", 840, "Bus there and back", ClaimStatus.SUBMITTED),
    ("care", 2500, "Childminder for the afternoon", ClaimStatus.APPROVED),
)
# The smallest PDF a viewer opens: a receipt to download on the claim's page.
DEMO_RECEIPT = (
    b"%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


async def demo_claim(member_id: int, invitation_id: int, place: int, held_at: datetime) -> None:
    kind, pence, words, status = DEMO_CLAIMS[place]
    rows = await ExpenseClaim.insert(
        ExpenseClaim(
            member=member_id,
            invitation=invitation_id,
            kind=kind,
            amount_pence=pence,
            description=words,
            receipt_type="application/pdf",
            status=status.value,
            submitted_at=held_at + timedelta(days=1),
            decided_at=held_at + timedelta(days=2) if status is ClaimStatus.APPROVED else None,
        )
    ).returning(ExpenseClaim.id)
    await ExpenseReceipt.insert(
        ExpenseReceipt(claim=rows[0]["id"], member=member_id, content=DEMO_RECEIPT)
    )


HAPPENED = frozenset({EngagementStatus.HELD, EngagementStatus.WRITTEN_UP, EngagementStatus.CLOSED})


def answer(demo: DemoEngagement, place: int) -> str:
    """How the invitee at ``place`` answered, and what the register says of those who accepted a
    session that has happened: the first ones came, the next did not."""
    if demo.status is EngagementStatus.CANCELLED:
        return "cancelled"
    if place < demo.attended:
        return RegisterMark.ATTENDED.value
    if place < demo.accepted:
        return RegisterMark.DID_NOT_ATTEND.value if demo.status in HAPPENED else "accepted"
    return "declined" if place % 2 else "invited"


async def willing_members(purpose: Purpose) -> list[int]:
    """Active members who hold ``purpose``, in id order."""
    rows = await (
        Member.select(Member.id)
        .where(
            Member.status == MemberStatus.ACTIVE.value,
            Member.id.is_in(
                LatestConsent.select(LatestConsent.member).where(
                    LatestConsent.purpose == purpose.value, LatestConsent.given.eq(True)
                )
            ),
        )
        .order_by(Member.id)
        .limit(60)
    )
    return [row["id"] for row in rows]
