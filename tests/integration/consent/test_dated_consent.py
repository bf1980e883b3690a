"""Consent evidence kept elsewhere until now, recorded with its own date: it joins the history in
its place, and never hides a newer decision (issue: panel management, point 4)."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from panel.audit.services import Actor
from panel.audit.tables import AuditEvent
from panel.consent.rules import Channel, ConsentState, Purpose
from panel.consent.services import (
    ConsentError,
    PastConsent,
    consents_of,
    history_of,
    record_consent,
    record_past_consents,
)
from panel.consent.tables import ConsentEvent, LatestConsent
from panel.members.tables import Member
from panel.outbox.tables import OutboxMessage

MEMBER = Actor(user_id=None, client_hash="member")
STAFF = Actor(user_id=4242, client_hash="staff")
NOW = datetime.now(UTC)


@pytest.fixture
async def member_id() -> int:
    rows = await Member.insert(Member(pseudonym=secrets.token_hex(8), status="active"))
    return rows[0]["id"]


async def latest(member_id: int, purpose: Purpose) -> dict:
    row = await (
        LatestConsent.select()
        .where(LatestConsent.member == member_id, LatestConsent.purpose == purpose.value)
        .first()
    )
    assert row is not None
    return row


def state_of(consents, purpose: Purpose) -> ConsentState:
    return next(consent.state for consent in consents if consent.purpose == purpose)


async def test_a_dated_consent_keeps_its_date_and_who_recorded_it(member_id):
    given = NOW - timedelta(days=30)
    await record_consent(
        member_id,
        Purpose.SURVEYS,
        True,
        STAFF,
        Channel.WEB,
        "Imported from panel.csv, row 2: they agreed on the old website",
        at=given,
        recorded_by=STAFF.user_id,
    )
    (event,) = await history_of(member_id)
    assert event["at"] == given and event["channel"] == "web"
    assert event["recorded_by"] == STAFF.user_id
    assert (await latest(member_id, Purpose.SURVEYS))["at"] == given
    (consent,) = [c for c in await consents_of(member_id) if c.purpose is Purpose.SURVEYS]
    assert consent.state is ConsentState.GIVEN and consent.since == given


async def test_an_older_event_does_not_replace_a_newer_one(member_id):
    await record_consent(member_id, Purpose.SURVEYS, True, MEMBER)
    newest = await latest(member_id, Purpose.SURVEYS)
    await record_consent(
        member_id,
        Purpose.SURVEYS,
        False,
        STAFF,
        Channel.PAPER,
        "Withdrawal form from last year",
        at=NOW - timedelta(days=300),
    )
    assert len(await history_of(member_id)) == 2
    kept = await latest(member_id, Purpose.SURVEYS)
    assert kept["given"] is True and kept["at"] == newest["at"]
    assert state_of(await consents_of(member_id), Purpose.SURVEYS) is ConsentState.GIVEN


async def test_a_newer_dated_event_does_replace_an_older_one(member_id):
    await record_consent(
        member_id,
        Purpose.SURVEYS,
        True,
        STAFF,
        Channel.PHONE,
        "Said yes",
        at=NOW - timedelta(days=9),
    )
    withdrawn_at = NOW - timedelta(days=2)
    await record_consent(
        member_id, Purpose.SURVEYS, False, STAFF, Channel.PHONE, "Said no", at=withdrawn_at
    )
    kept = await latest(member_id, Purpose.SURVEYS)
    assert kept["given"] is False and kept["at"] == withdrawn_at
    assert state_of(await consents_of(member_id), Purpose.SURVEYS) is ConsentState.WITHDRAWN


async def test_an_older_withdrawal_cancels_nothing_waiting_to_be_sent(member_id):
    await record_consent(member_id, Purpose.SURVEYS, True, MEMBER)
    await OutboxMessage.insert(
        OutboxMessage(
            template="survey",
            member_id=member_id,
            purpose="surveys",
            to_address="someone@example.org",
            subject="A survey",
            text_body="",
            html_body="",
        )
    )
    await record_consent(
        member_id,
        Purpose.SURVEYS,
        False,
        STAFF,
        Channel.PAPER,
        "Old form",
        at=NOW - timedelta(days=60),
    )
    statuses = await OutboxMessage.select(OutboxMessage.status).where(
        OutboxMessage.member_id == member_id
    )
    assert statuses == [{"status": "pending"}]
    # A withdrawal now still cancels it at once.
    await record_consent(member_id, Purpose.SURVEYS, False, MEMBER)
    statuses = await OutboxMessage.select(OutboxMessage.status).where(
        OutboxMessage.member_id == member_id
    )
    assert statuses == [{"status": "cancelled"}]


async def test_a_consent_cannot_be_dated_in_the_future_or_recorded_by_staff_unattested(member_id):
    with pytest.raises(ConsentError, match="future"):
        await record_consent(
            member_id,
            Purpose.SURVEYS,
            True,
            STAFF,
            Channel.PAPER,
            "Form",
            at=NOW + timedelta(days=1),
        )
    with pytest.raises(ConsentError, match="Say how"):
        await record_consent(member_id, Purpose.SURVEYS, True, STAFF, recorded_by=STAFF.user_id)
    assert await ConsentEvent.count().where(ConsentEvent.member == member_id) == 0


async def test_past_consents_are_recorded_in_bulk_each_at_its_date(member_id):
    other = (await Member.insert(Member(pseudonym=secrets.token_hex(8), status="active")))[0]["id"]
    await record_consent(other, Purpose.SURVEYS, False, MEMBER)  # withdrawn today
    earlier, later = NOW - timedelta(days=20), NOW - timedelta(days=10)
    await record_past_consents(
        [
            PastConsent(member_id, Purpose.MEMBERSHIP, later, Channel.PAPER, "Form, row 2"),
            PastConsent(member_id, Purpose.SURVEYS, earlier, Channel.PAPER, "Form, row 2"),
            PastConsent(member_id, Purpose.SURVEYS, later, Channel.EMAIL, "Email, row 3"),
            PastConsent(other, Purpose.SURVEYS, earlier, Channel.PAPER, "Form, row 4"),
        ],
        STAFF,
    )
    events = await history_of(member_id)
    assert sorted((row["purpose"], row["at"], row["channel"]) for row in events) == [
        ("membership", later, "paper"),
        ("surveys", earlier, "paper"),
        ("surveys", later, "email"),
    ]
    assert {row["recorded_by"] for row in events} == {STAFF.user_id}
    assert (await latest(member_id, Purpose.SURVEYS))["at"] == later
    assert (await latest(member_id, Purpose.MEMBERSHIP))["at"] == later
    # The other member withdrew today: their older consent joins the history, not the present.
    assert (await latest(other, Purpose.SURVEYS))["given"] is False
    assert state_of(await consents_of(other), Purpose.SURVEYS) is ConsentState.WITHDRAWN
    audited = await AuditEvent.select(AuditEvent.detail).where(
        AuditEvent.action == "consent_given", AuditEvent.actor_id == STAFF.user_id
    )
    assert len(audited) == 4
    assert json.loads(audited[0]["detail"]) == {"channel": "paper", "purpose": "membership"}


async def test_past_consents_need_their_evidence(member_id):
    with pytest.raises(ConsentError):
        await record_past_consents(
            [PastConsent(member_id, Purpose.MEMBERSHIP, NOW, Channel.PAPER, " ")], STAFF
        )
    assert await ConsentEvent.count().where(ConsentEvent.member == member_id) == 0
