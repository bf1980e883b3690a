"""Engagements for tests: a complete plan to vary, and the form that would send it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from panel.engagements.rules import ANYONE, EngagementFormat, EngagementKind, EngagementPlan
from panel.engagements.services import record_invitation
from panel.engagements.tables import Invitation
from panel.members.tables import Member

# A session three weeks ahead, from 10:00 to 12:00 UK time (GMT in winter, BST in summer: the
# tests compare through the form, so either holds).
SOON = (datetime.now(UTC) + timedelta(days=21)).replace(hour=10, minute=0, second=0, microsecond=0)


def a_plan(**changes: Any) -> EngagementPlan:
    """A focus group ready to recruit for, with ``changes``."""
    plan = EngagementPlan(
        kind=EngagementKind.FOCUS_GROUP,
        title="Updates during an investigation",
        topic="Keeping victims informed",
        public_description="A two-hour conversation about how you were kept up to date.",
        internal_notes="",
        crime_focus=(),
        journey_stages=("updates",),
        eligible_crime_types=(),
        eligible_districts=(),
        eligible_involvement=ANYONE,
        exclude_open_court_cases=False,
        format=EngagementFormat.IN_PERSON,
        venue_name="Community hall",
        venue_address="1 High Street\nMaidstone",
        venue_access="Step-free entrance",
        joining_link="",
        starts_at=SOON,
        ends_at=SOON + timedelta(hours=2),
        capacity=8,
        reserves=2,
        facilitators=(),
        support_worker_present=True,
        quiet_room=True,
        aftercare="The victim care service, 0800 000 0000",
    )
    return replace(plan, **changes)


def plan_form(**changes: Any) -> dict[str, Any]:
    """The engagement form as a browser sends it: a focus group in person three weeks ahead."""
    day = SOON.date()
    form: dict[str, Any] = {
        "kind": "focus_group",
        "title": "Updates during an investigation",
        "topic": "Keeping victims informed",
        "public_description": "A two-hour conversation about how you were kept up to date.",
        "internal_notes": "",
        "journey_stages": ["updates"],
        "eligible_involvement": "any",
        "format": "in_person",
        "venue_name": "Community hall",
        "venue_address": "1 High Street\nMaidstone",
        "venue_access": "Step-free entrance",
        "joining_link": "",
        "date-day": str(day.day),
        "date-month": str(day.month),
        "date-year": str(day.year),
        "starts": "10:00",
        "ends": "12:00",
        "capacity": "8",
        "reserves": "2",
        "aftercare": "The victim care service",
    }
    form.update(changes)
    return form


# A session that started three hours ago: its register and notes are open.
STARTED = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)


async def session_with(make_member, make_engagement, facilitator, answers, **plan):
    """A held session run by ``facilitator``, with one invitation per (name, status) answer."""
    engagement_id = await make_engagement(
        plan.pop("status", "held"),
        facilitators=(facilitator["id"],),
        starts_at=plan.pop("starts_at", STARTED),
        ends_at=plan.pop("ends_at", STARTED + timedelta(hours=2)),
    )
    invited = {}
    for name, status in answers:
        member = await make_member(preferred_name=name)
        await Member.update({Member.phone: "07700 900123"}).where(Member.id == member["member_id"])
        invitation_id = await record_invitation(
            member["member_id"], "focus_group", engagement_id, STARTED - timedelta(days=20)
        )
        await Invitation.update({Invitation.status: status}).where(Invitation.id == invitation_id)
        invited[name] = {**member, "invitation_id": invitation_id}
    return engagement_id, invited
