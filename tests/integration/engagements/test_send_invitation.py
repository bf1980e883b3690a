"""Invitations: the one door (``send_invitation``) takes them through the contact gate with the
member's contact history, so the contact limits apply, uses up an override that lets one through,
and records the invitation, all in one transaction (issue: panel management, point 3)."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from panel.consent.rules import Purpose
from panel.consent.services import record_consent
from panel.engagements.services import (
    grant_override,
    record_attendance,
    record_invitation,
    revoke_override,
    send_invitation,
)
from panel.engagements.tables import ContactOverride, Invitation
from panel.members.tables import ContactPreference, Member
from panel.notify.rules import GateOutcome
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.outbox.tables import OutboxMessage
from tests.integration.conftest import ACTOR
from tests.support.queries import counted_queries

WEDNESDAY_NOON_UTC = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
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


async def invite(member_id: int, settings, now=WEDNESDAY_NOON_UTC):
    return await send_invitation(
        member_id, "survey", messages.PASSWORD_CHANGED, Purpose.SURVEYS, settings, now=now
    )


async def invitations_of(member_id: int) -> list[dict]:
    return await Invitation.select().where(Invitation.member == member_id)


async def test_an_invitation_in_the_cool_down_is_refused_and_nothing_is_written(member, settings):
    await record_invitation(member["id"], "survey", None, WEDNESDAY_NOON_UTC - timedelta(days=12))
    decision = await invite(member["id"], settings)
    assert decision.outcome is GateOutcome.REFUSE
    assert decision.reason == "invited 12 days ago: the cool-down is 30 days"
    assert await outbox_for(member["email"]) == []
    assert len(await invitations_of(member["id"])) == 1  # only the earlier one


async def test_other_messages_go_whatever_the_limits(member, settings):
    await record_invitation(member["id"], "survey", None, WEDNESDAY_NOON_UTC - timedelta(days=1))
    decision = await send_to_member(
        member["id"], messages.CONSENT_RENEWAL, Purpose.MEMBERSHIP, settings, WEDNESDAY_NOON_UTC
    )
    assert decision.outcome is GateOutcome.SEND


async def test_an_override_lets_one_invitation_through_and_is_used_up_with_it(member, settings):
    await record_invitation(member["id"], "survey", None, WEDNESDAY_NOON_UTC - timedelta(days=12))
    override_id = await grant_override(
        member["id"], "Asked to take part", ACTOR, WEDNESDAY_NOON_UTC - timedelta(days=1)
    )
    decision = await invite(member["id"], settings)
    assert decision.outcome is GateOutcome.SEND and decision.override_id == override_id
    [override] = await ContactOverride.select().where(ContactOverride.id == override_id)
    assert override["used_at"] == WEDNESDAY_NOON_UTC
    assert len(await outbox_for(member["email"])) == 1
    assert [row["invited_at"] for row in await invitations_of(member["id"])][-1] == (
        WEDNESDAY_NOON_UTC
    )
    again = await invite(member["id"], settings, WEDNESDAY_NOON_UTC + timedelta(minutes=1))
    assert again.outcome is GateOutcome.REFUSE
    assert len(await outbox_for(member["email"])) == 1


async def test_an_override_is_not_used_when_the_invitation_is_refused_for_another_reason(
    member, settings
):
    await record_invitation(member["id"], "survey", None, WEDNESDAY_NOON_UTC - timedelta(days=12))
    override_id = await grant_override(member["id"], "Asked", ACTOR, WEDNESDAY_NOON_UTC)
    decision = await send_invitation(
        member["id"],
        "focus_group",
        messages.PASSWORD_CHANGED,
        Purpose.FOCUS_GROUPS,  # no consent for it
        settings,
        now=WEDNESDAY_NOON_UTC,
    )
    assert decision.outcome is GateOutcome.REFUSE
    [override] = await ContactOverride.select().where(ContactOverride.id == override_id)
    assert override["used_at"] is None


async def test_an_expired_or_revoked_override_lets_nothing_through(member, settings):
    await record_invitation(member["id"], "survey", None, WEDNESDAY_NOON_UTC - timedelta(days=12))
    await grant_override(member["id"], "Old", ACTOR, WEDNESDAY_NOON_UTC - timedelta(days=14))
    assert (await invite(member["id"], settings)).outcome is GateOutcome.REFUSE
    revoked = await grant_override(member["id"], "Asked", ACTOR, WEDNESDAY_NOON_UTC)
    await revoke_override(member["id"], revoked, ACTOR, WEDNESDAY_NOON_UTC)
    later = WEDNESDAY_NOON_UTC + timedelta(seconds=1)
    assert (await invite(member["id"], settings, later)).outcome is GateOutcome.REFUSE


async def test_an_invitation_takes_the_same_queries_however_long_the_history(member, settings):
    await grant_override(member["id"], "Asked", ACTOR, WEDNESDAY_NOON_UTC)
    with counted_queries() as fresh:
        assert (await invite(member["id"], settings)).override_id is None
    await OutboxMessage.delete().where(OutboxMessage.member_id == member["id"])
    for day in range(40, 400, 5):
        await record_invitation(
            member["id"], "survey", None, WEDNESDAY_NOON_UTC - timedelta(days=day)
        )
        await record_attendance(member["id"], None, WEDNESDAY_NOON_UTC - timedelta(days=day))
    with counted_queries() as long_history:
        decision = await invite(member["id"], settings)
    assert decision.outcome is GateOutcome.SEND and decision.override_id is not None
    # Using the override up is the one write more.
    assert len(long_history) == len(fresh) + 1


async def test_an_override_used_meanwhile_undoes_the_message_and_the_invitation(
    member, settings, monkeypatch
):
    from panel.engagements import services

    await record_invitation(member["id"], "survey", None, WEDNESDAY_NOON_UTC - timedelta(days=12))
    await grant_override(member["id"], "Asked", ACTOR, WEDNESDAY_NOON_UTC - timedelta(days=1))

    async def used_by_another(override_id, now):
        return False

    monkeypatch.setattr(services, "use_override", used_by_another)
    decision = await invite(member["id"], settings)
    assert decision.outcome is GateOutcome.REFUSE
    assert decision.reason == "the override was used by another invitation"
    assert await outbox_for(member["email"]) == []
    assert len(await invitations_of(member["id"])) == 1
