"""Consent recorded as history, and current consent derived from it (issue: members, point 5)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from panel.audit.services import Actor
from panel.audit.tables import AuditEvent
from panel.consent.rules import Channel, ConsentState, Purpose
from panel.consent.services import ConsentError, consents_of, history_of, record_consent
from panel.consent.tables import ConsentEvent, ConsentWording, LatestConsent, PrivacyNotice
from panel.members.tables import Member
from tests.support.queries import counted_queries

MEMBER_ACTOR = Actor(user_id=None, client_hash="member")


@pytest.fixture
async def member_id() -> int:
    rows = await Member.insert(Member(pseudonym=secrets.token_hex(8), status="active"))
    return rows[0]["id"]


def state_of(consents, purpose: Purpose) -> ConsentState:
    return next(consent.state for consent in consents if consent.purpose == purpose)


async def test_every_purpose_has_published_wording_and_there_is_a_privacy_notice():
    purposes = {row["purpose"] for row in await ConsentWording.select(ConsentWording.purpose)}
    assert purposes == {purpose.value for purpose in Purpose}
    assert await PrivacyNotice.exists().where(PrivacyNotice.version == 1)


async def test_giving_then_withdrawing_is_kept_as_history_and_the_latest_decides(member_id):
    assert state_of(await consents_of(member_id), Purpose.SURVEYS) is ConsentState.NEVER_ASKED
    await record_consent(member_id, Purpose.SURVEYS, True, MEMBER_ACTOR)
    assert state_of(await consents_of(member_id), Purpose.SURVEYS) is ConsentState.GIVEN
    await record_consent(member_id, Purpose.SURVEYS, False, MEMBER_ACTOR)
    consents = await consents_of(member_id)
    assert state_of(consents, Purpose.SURVEYS) is ConsentState.WITHDRAWN
    assert state_of(consents, Purpose.FOCUS_GROUPS) is ConsentState.NEVER_ASKED
    history = await history_of(member_id)
    assert [row["given"] for row in history] == [False, True]
    assert {row["wording_version"] for row in history} == {1} and {
        row["notice_version"] for row in history
    } == {1}
    actions = [
        row["action"] for row in await AuditEvent.select().where(AuditEvent.object_type == "member")
    ]
    assert actions == ["consent_given", "consent_withdrawn"]


async def test_staff_record_a_phone_consent_with_what_they_attest(member_id):
    staff = Actor(user_id=42, client_hash="staff")
    with pytest.raises(ConsentError, match="Say how"):
        await record_consent(member_id, Purpose.FOCUS_GROUPS, True, staff, channel=Channel.PHONE)
    await record_consent(
        member_id,
        Purpose.FOCUS_GROUPS,
        True,
        staff,
        channel=Channel.PHONE,
        attestation="Agreed on the phone after I read the wording aloud",
    )
    [event] = await history_of(member_id)
    assert event["channel"] == "phone" and event["recorded_by"] == 42
    assert event["attestation"].startswith("Agreed on the phone")
    assert state_of(await consents_of(member_id), Purpose.FOCUS_GROUPS) is ConsentState.GIVEN


async def test_a_material_change_asks_for_confirmation_and_a_minor_one_does_not(member_id):
    await record_consent(member_id, Purpose.SURVEYS, True, MEMBER_ACTOR)
    await ConsentWording.insert(
        ConsentWording(
            purpose="surveys", version=2, title="Surveys", text="Typo fixed.", material=False
        )
    )
    assert state_of(await consents_of(member_id), Purpose.SURVEYS) is ConsentState.GIVEN
    await ConsentWording.insert(
        ConsentWording(
            purpose="surveys", version=3, title="Surveys", text="Now also by post.", material=True
        )
    )
    assert (
        state_of(await consents_of(member_id), Purpose.SURVEYS) is ConsentState.NEEDS_RECONFIRMATION
    )
    await record_consent(member_id, Purpose.SURVEYS, True, MEMBER_ACTOR)
    assert state_of(await consents_of(member_id), Purpose.SURVEYS) is ConsentState.GIVEN


async def test_a_material_change_of_the_privacy_notice_asks_for_confirmation(member_id):
    await record_consent(member_id, Purpose.MEMBERSHIP, True, MEMBER_ACTOR)
    await PrivacyNotice.insert(PrivacyNotice(version=2, text_hash="b" * 64, material=True))
    assert (
        state_of(await consents_of(member_id), Purpose.MEMBERSHIP)
        is ConsentState.NEEDS_RECONFIRMATION
    )


async def test_consent_lapses_after_the_renewal_period(member_id):
    await record_consent(member_id, Purpose.SURVEYS, True, MEMBER_ACTOR)
    later = datetime.now(UTC) + timedelta(days=731)
    assert state_of(await consents_of(member_id, now=later), Purpose.SURVEYS) is ConsentState.LAPSED


@pytest.mark.parametrize("events", [1, 200])
async def test_reading_consents_takes_the_same_queries_however_long_the_history(member_id, events):
    await ConsentEvent.insert(
        *(
            ConsentEvent(
                member=member_id,
                purpose="surveys",
                given=number % 2 == 0,
                wording_version=1,
                notice_version=1,
                channel="web",
                at=datetime.now(UTC) - timedelta(minutes=number),
            )
            for number in range(events)
        )
    )
    with counted_queries() as queries:
        consents = await consents_of(member_id)
        history = await history_of(member_id)
    assert len(queries) == 3  # the versions in force, then the history twice
    assert len(history) == events
    assert state_of(consents, Purpose.SURVEYS) is ConsentState.GIVEN


async def test_the_latest_consent_of_each_purpose_is_kept_beside_the_history(make_member):
    member = await make_member(consents=(Purpose.MEMBERSHIP,))
    member_id = member["member_id"]
    await record_consent(member_id, Purpose.SURVEYS, True, MEMBER_ACTOR)
    await record_consent(member_id, Purpose.SURVEYS, False, MEMBER_ACTOR)
    rows = {
        row["purpose"]: row
        for row in await LatestConsent.select().where(LatestConsent.member == member_id)
    }
    assert set(rows) == {"membership", "surveys"}
    assert rows["membership"]["given"] is True and rows["surveys"]["given"] is False
    newest = (
        await ConsentEvent.select(ConsentEvent.at)
        .where(ConsentEvent.member == member_id, ConsentEvent.purpose == "surveys")
        .order_by(ConsentEvent.id, ascending=False)
        .first()
    )
    assert rows["surveys"]["at"] == newest["at"]
