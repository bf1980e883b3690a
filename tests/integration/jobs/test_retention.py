"""The retention job: what it removes, what it keeps, the dry run, and once a day across workers
(issue: members, point 8)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.jobs.retention import run_retention
from panel.jobs.worker import run_daily_jobs
from panel.members.tables import Member
from panel.outbox import messages
from panel.outbox.services import enqueue
from panel.outbox.tables import OutboxMessage

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


async def member(status: str, created_days_ago: float, user_id: int | None = None) -> int:
    rows = await Member.insert(
        Member(
            user=user_id,
            pseudonym=secrets.token_hex(8),
            status=status,
            created_at=NOW - timedelta(days=created_days_ago),
            preferred_name="Someone",
        )
    )
    return rows[0]["id"]


async def sent_email(days_ago: float, settings) -> int:
    await enqueue(messages.PASSWORD_CHANGED, f"{secrets.token_hex(4)}@example.org", settings)
    row = (
        await OutboxMessage.select(OutboxMessage.id)
        .order_by(OutboxMessage.id, ascending=False)
        .first()
    )
    await OutboxMessage.update(
        {OutboxMessage.status: "sent", OutboxMessage.sent_at: NOW - timedelta(days=days_ago)}
    ).where(OutboxMessage.id == row["id"])
    return row["id"]


async def test_retention_removes_what_is_due_and_keeps_the_rest(make_user, settings):
    applicant = await make_user(Role.MEMBER)
    old_application = await member("applied", 8, applicant["id"])
    new_application = await member("applied", 6)
    left = await member("left", 100)
    active = await member("active", 400)
    old_email = await sent_email(31, settings)
    new_email = await sent_email(29, settings)

    plan = await run_retention(settings, dry_run=True, now=NOW)
    assert plan.unverified_members == [old_application] and plan.left_members == [left]
    assert plan.sent_emails == [old_email]
    assert await Member.count() >= 4  # the dry run changed nothing

    await run_retention(settings, now=NOW)
    remaining = {row["id"]: row for row in await Member.select()}
    assert old_application not in remaining and not await User.exists().where(
        User.id == applicant["id"]
    )
    assert new_application in remaining and remaining[active]["status"] == "active"
    assert remaining[left]["status"] == "erased" and remaining[left]["preferred_name"] == ""
    bodies = {row["id"]: row["text_body"] for row in await OutboxMessage.select()}
    assert bodies[old_email] == "" and bodies[new_email] != ""


async def test_every_period_is_a_setting(settings):
    from tests.integration.conftest import settings_for

    await member("applied", 3)
    assert (await run_retention(settings, dry_run=True, now=NOW)).unverified_members == []
    shorter = settings_for(PANEL_RETENTION_UNVERIFIED_DAYS="2")
    assert len((await run_retention(shorter, dry_run=True, now=NOW)).unverified_members) == 1


async def test_the_daily_run_happens_once_a_day_whichever_worker_asks(settings):
    assert await run_daily_jobs(settings, now=NOW) is True
    assert await run_daily_jobs(settings, now=NOW + timedelta(hours=5)) is False
    assert await run_daily_jobs(settings, now=NOW + timedelta(days=1)) is True


async def test_unfinished_sign_ups_are_deleted_after_a_day(settings):
    from panel.signup.tables import SignUpDraft

    rows = await SignUpDraft.insert(
        SignUpDraft(token_hash="a" * 64, answers="{}", updated_at=NOW - timedelta(hours=25)),
        SignUpDraft(token_hash="b" * 64, answers="{}", updated_at=NOW - timedelta(hours=23)),
    )
    old, recent = rows[0]["id"], rows[1]["id"]
    plan = await run_retention(settings, dry_run=True, now=NOW)
    assert plan.abandoned_drafts == [old]
    assert "unfinished sign-ups to delete: 1" in plan.lines()
    assert await SignUpDraft.count() == 2  # the dry run changed nothing
    await run_retention(settings, now=NOW)
    assert [row["id"] for row in await SignUpDraft.select(SignUpDraft.id)] == [recent]


async def test_an_application_whose_link_was_held_for_a_safe_time_waits_for_it(settings):
    from panel.signup.tables import EmailVerification

    held = await member("applied", 8)
    await EmailVerification.insert(
        EmailVerification(token_hash="c" * 64, member=held, expires_at=NOW + timedelta(hours=20))
    )
    assert (await run_retention(settings, dry_run=True, now=NOW)).unverified_members == []
    later = NOW + timedelta(hours=21)
    assert (await run_retention(settings, dry_run=True, now=later)).unverified_members == [held]


async def test_counts_against_guessing_and_flooding_go_after_a_day(make_user, settings):
    from panel.accounts.rules import SessionStage
    from panel.accounts.services import start_session
    from panel.accounts.tables import TwoFactorFailure, WebSession
    from panel.notify.tables import AnonymousMessage

    staff = await make_user(Role.STAFF)
    await start_session(staff["id"], SessionStage.TWO_FACTOR_CHECK)
    session = await WebSession.select(WebSession.id).where(WebSession.user == staff["id"]).first()
    for hours_ago in (25, 23):
        at = NOW - timedelta(hours=hours_ago)
        await AnonymousMessage.insert(AnonymousMessage(user=staff["id"], at=at))
        await TwoFactorFailure.insert(
            TwoFactorFailure(user=staff["id"], session=session["id"], at=at)
        )
    plan = await run_retention(settings, dry_run=True, now=NOW)
    assert plan.spent_counts == 2
    await run_retention(settings, now=NOW)
    assert await AnonymousMessage.count() == 1 and await TwoFactorFailure.count() == 1
