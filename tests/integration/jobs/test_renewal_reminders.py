"""Renewal reminders go 30 and 7 days before a consent lapses, once each, through the contact gate,
and what the gate did with each is kept; a consent past its renewal date no longer lets messages
through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from panel.consent.rules import ConsentState, Purpose
from panel.consent.services import consents_of
from panel.consent.tables import ConsentEvent, ConsentReminder
from panel.jobs.renewals import send_renewal_reminders
from panel.jobs.tables import JobRun
from panel.jobs.worker import run_daily_jobs
from panel.members.tables import ContactPreference, Member
from panel.notify.rules import GateOutcome
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.outbox.tables import OutboxMessage

GIVEN_AT = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)


async def given_at(when: datetime) -> None:
    await ConsentEvent.update({ConsentEvent.at: when}, force=True)


async def reminders_to(email: str) -> list[dict]:
    return await OutboxMessage.select().where(
        OutboxMessage.to_address == email,
        OutboxMessage.template == messages.CONSENT_RENEWAL.template,
    )


async def test_reminders_go_30_and_7_days_before_the_lapse_once_each(make_member, settings):
    member = await make_member()
    await given_at(GIVEN_AT)
    lapses = GIVEN_AT + settings.consent_renewal
    assert settings.consent_renewal == timedelta(days=730)

    assert await send_renewal_reminders(settings, lapses - timedelta(days=31)) == 0
    assert await send_renewal_reminders(settings, lapses - timedelta(days=30)) == 1
    assert await send_renewal_reminders(settings, lapses - timedelta(days=29)) == 0
    assert await send_renewal_reminders(settings, lapses - timedelta(days=7)) == 1
    assert await send_renewal_reminders(settings, lapses - timedelta(days=6)) == 0

    sent = await reminders_to(member["email"])
    assert len(sent) == 2
    body = sent[0]["text_body"]
    assert "Being a member of the panel" in body and "Surveys" in body
    assert "10 January 2027" in body and "/my-panel/consents" in body
    assert sent[0]["subject"] == "Please check what you have agreed to"


async def test_a_lapsed_consent_lets_nothing_through_the_gate(make_member, settings):
    member = await make_member()
    await given_at(GIVEN_AT)
    after_lapse = GIVEN_AT + settings.consent_renewal + timedelta(minutes=1)
    states = {c.purpose: c.state for c in await consents_of(member["member_id"], after_lapse)}
    assert states[Purpose.SURVEYS] is ConsentState.LAPSED
    decision = await send_to_member(
        member["member_id"], messages.PASSWORD_CHANGED, Purpose.SURVEYS, settings, now=after_lapse
    )
    assert decision.outcome is GateOutcome.REFUSE
    assert await send_renewal_reminders(settings, after_lapse) == 0


async def test_the_renewal_period_is_a_setting(make_member, settings):
    member = await make_member()
    await given_at(GIVEN_AT)
    yearly = settings.with_changes(consent_renewal_months=12)
    assert await send_renewal_reminders(yearly, GIVEN_AT + timedelta(days=336)) == 1
    assert len(await reminders_to(member["email"])) == 1


async def test_paused_members_get_no_reminder(make_member, settings):
    member = await make_member()
    await given_at(GIVEN_AT)
    await Member.update({Member.status: "paused"}).where(Member.id == member["member_id"])
    lapses = GIVEN_AT + settings.consent_renewal
    assert await send_renewal_reminders(settings, lapses - timedelta(days=30)) == 0


async def test_the_daily_run_sends_reminders(make_member, settings):
    member = await make_member()
    await given_at(GIVEN_AT)
    day = GIVEN_AT + settings.consent_renewal - timedelta(days=7)
    assert await run_daily_jobs(settings, now=day)
    assert len(await reminders_to(member["email"])) == 1
    run = await JobRun.select(JobRun.summary).first()
    assert "members reminded to renew consent: 1" in run["summary"]


async def test_each_reminder_keeps_what_the_contact_gate_did_with_it(make_member, settings):
    reached = await make_member()
    unreached = await make_member()
    await ContactPreference.update({ContactPreference.safe: False}).where(
        ContactPreference.member == unreached["member_id"]
    )
    await given_at(GIVEN_AT)
    lapses = GIVEN_AT + settings.consent_renewal
    assert await send_renewal_reminders(settings, lapses - timedelta(days=30)) == 2

    rows = await ConsentReminder.select(
        ConsentReminder.member, ConsentReminder.outcome, ConsentReminder.refused_because
    ).where(ConsentReminder.member.is_in([reached["member_id"], unreached["member_id"]]))
    outcomes = {(row["member"], row["outcome"], row["refused_because"]) for row in rows}
    assert outcomes == {
        (reached["member_id"], "send", ""),
        (unreached["member_id"], "refuse", "email is not marked safe"),
    }
    assert await reminders_to(unreached["email"]) == []
