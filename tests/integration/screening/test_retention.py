"""Declined applications are erased by the retention job after the period, and only once the
email telling them has gone (issue: members, point 8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from panel.accounts.tables import User
from panel.jobs.retention import run_retention
from panel.members.tables import Member
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.outbox.tables import OutboxMessage
from panel.screening.tables import ScreeningDecision
from tests.integration.conftest import settings_for

NOW = datetime.now(UTC)


async def declined(make_applicant, days_ago: float, email_sent: bool, settings) -> dict:
    applicant = await make_applicant(status="declined")
    member_id = applicant["member_id"]
    await ScreeningDecision.insert(
        ScreeningDecision(
            member=member_id, decision="declined", decided_at=NOW - timedelta(days=days_ago)
        )
    )
    await send_to_member(member_id, messages.APPLICATION_DECLINED, None, settings, reason="x")
    if email_sent:
        await OutboxMessage.update(
            {OutboxMessage.status: "sent", OutboxMessage.sent_at: NOW}
        ).where(OutboxMessage.member_id == member_id)
    return applicant


async def test_declined_applications_are_erased_after_the_period_once_told(
    make_applicant, settings
):
    due = await declined(make_applicant, 31, email_sent=True, settings=settings)
    recent = await declined(make_applicant, 10, email_sent=True, settings=settings)
    not_told_yet = await declined(make_applicant, 31, email_sent=False, settings=settings)

    plan = await run_retention(settings, dry_run=True, now=NOW)
    assert plan.declined_members == [due["member_id"]]
    assert "declined applications to erase: 1" in plan.lines()

    await run_retention(settings, now=NOW)
    rows = {row["id"]: row for row in await Member.select()}
    assert rows[due["member_id"]]["status"] == "erased"
    assert rows[due["member_id"]]["preferred_name"] == ""
    assert not await User.exists().where(User.id == due["id"])
    assert await OutboxMessage.count().where(OutboxMessage.member_id == due["member_id"]) == 0
    for kept in (recent, not_told_yet):
        assert rows[kept["member_id"]]["status"] == "declined"


async def test_the_period_is_a_setting(make_applicant, settings):
    applicant = await declined(make_applicant, 10, email_sent=True, settings=settings)
    assert (await run_retention(settings, dry_run=True, now=NOW)).declined_members == []
    shorter = settings_for(PANEL_RETENTION_DECLINED_DAYS="7")
    assert (await run_retention(shorter, dry_run=True, now=NOW)).declined_members == [
        applicant["member_id"]
    ]
