"""The contact gate over real rows: what it sends, holds and refuses, and withdrawal cancelling
what was waiting (issue: members, point 6)."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime

import pytest

from panel.audit.services import Actor
from panel.consent.rules import Purpose
from panel.consent.services import record_consent
from panel.members.tables import ContactPreference, Member
from panel.notify.rules import GateOutcome
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.outbox.tables import OutboxMessage
from tests.integration.conftest import ACTOR

WEDNESDAY_NOON_UTC = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FRIDAY_NIGHT_UTC = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
WEEKDAY_DAYTIME = [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}]


@pytest.fixture
async def member(make_user) -> dict:
    from panel.accounts.rules import Role

    user = await make_user(Role.MEMBER)
    rows = await Member.insert(
        Member(user=user["id"], pseudonym=secrets.token_hex(8), status="active")
    )
    member_id = rows[0]["id"]
    await ContactPreference.insert(
        ContactPreference(
            member=member_id, channel="email", safe=True, safe_times=json.dumps(WEEKDAY_DAYTIME)
        ),
        ContactPreference(member=member_id, channel="text_message", safe=False),
    )
    for purpose in (Purpose.MEMBERSHIP, Purpose.SURVEYS):
        await record_consent(member_id, purpose, True, ACTOR)
    return {"id": member_id, "email": user["email"]}


async def outbox_for(email: str) -> list[dict]:
    return await OutboxMessage.select().where(OutboxMessage.to_address == email)


async def test_sent_in_a_safe_time(member, settings):
    decision = await send_to_member(
        member["id"], messages.PASSWORD_CHANGED, Purpose.SURVEYS, settings, WEDNESDAY_NOON_UTC
    )
    assert decision.outcome is GateOutcome.SEND
    [row] = await outbox_for(member["email"])
    assert row["member_id"] == member["id"] and row["purpose"] == "surveys"


async def test_held_outside_the_safe_times_until_they_open(member, settings):
    decision = await send_to_member(
        member["id"], messages.PASSWORD_CHANGED, Purpose.SURVEYS, settings, FRIDAY_NIGHT_UTC
    )
    assert decision.outcome is GateOutcome.HOLD
    [row] = await outbox_for(member["email"])
    # Monday 30 November, 9am in London (GMT) is 9am UTC.
    assert row["next_attempt_at"] == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def test_refused_without_consent_and_nothing_is_written(member, settings):
    decision = await send_to_member(
        member["id"], messages.PASSWORD_CHANGED, Purpose.FOCUS_GROUPS, settings, WEDNESDAY_NOON_UTC
    )
    assert decision.outcome is GateOutcome.REFUSE
    assert await outbox_for(member["email"]) == []


async def test_refused_when_paused(member, settings):
    await Member.update({Member.status: "paused"}).where(Member.id == member["id"])
    decision = await send_to_member(
        member["id"], messages.PASSWORD_CHANGED, Purpose.SURVEYS, settings, WEDNESDAY_NOON_UTC
    )
    assert decision.outcome is GateOutcome.REFUSE and "paused" in decision.reason


async def test_withdrawing_cancels_what_was_waiting_in_the_same_step(member, settings):
    await send_to_member(
        member["id"], messages.PASSWORD_CHANGED, Purpose.SURVEYS, settings, FRIDAY_NIGHT_UTC
    )
    await record_consent(member["id"], Purpose.SURVEYS, False, Actor(None, "member"))
    [row] = await outbox_for(member["email"])
    assert row["status"] == "cancelled"


async def test_withdrawing_membership_cancels_every_purpose(member, settings):
    await send_to_member(
        member["id"], messages.PASSWORD_CHANGED, Purpose.SURVEYS, settings, FRIDAY_NIGHT_UTC
    )
    await record_consent(member["id"], Purpose.MEMBERSHIP, False, Actor(None, "member"))
    assert [row["status"] for row in await outbox_for(member["email"])] == ["cancelled"]
    decision = await send_to_member(
        member["id"], messages.PASSWORD_CHANGED, Purpose.SURVEYS, settings, WEDNESDAY_NOON_UTC
    )
    assert decision.outcome is GateOutcome.REFUSE
