"""The retention schedule, enforced by a job: what is kept no longer than it is needed.

- applications never verified are removed after ``retention_unverified_days`` (7 by default);
- members who left are erased (leaving normally erases at once; this catches any left behind);
- the bodies of sent emails are deleted after ``retention_sent_email_days`` (30 by default).

Consents past their renewal date need no job: current consent is derived from the history, so a
lapsed consent stops counting on the day it lapses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from panel import db
from panel.accounts.tables import User
from panel.audit.services import Actor
from panel.members.services import leave_and_erase
from panel.members.tables import Member
from panel.notify.tables import OutboxMessage
from panel.settings import Settings

JOB_ACTOR = Actor(user_id=None, client_hash="retention job")


@dataclass
class RetentionPlan:
    unverified_members: list[int] = field(default_factory=list)
    left_members: list[int] = field(default_factory=list)
    sent_emails: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"unverified applications to remove: {len(self.unverified_members)}",
            f"members who left, to erase: {len(self.left_members)}",
            f"sent emails whose bodies to delete: {len(self.sent_emails)}",
        ]


async def plan_retention(settings: Settings, now: datetime) -> RetentionPlan:
    unverified_before = now - timedelta(days=settings.retention_unverified_days)
    emails_before = now - timedelta(days=settings.retention_sent_email_days)
    unverified = await Member.select(Member.id).where(
        Member.status == "applied", Member.created_at < unverified_before
    )
    left = await Member.select(Member.id).where(Member.status == "left")
    emails = await OutboxMessage.select(OutboxMessage.id).where(
        OutboxMessage.status == "sent",
        OutboxMessage.sent_at < emails_before,
        OutboxMessage.text_body != "",
    )
    return RetentionPlan(
        unverified_members=[row["id"] for row in unverified],
        left_members=[row["id"] for row in left],
        sent_emails=[row["id"] for row in emails],
    )


async def run_retention(
    settings: Settings, dry_run: bool = False, now: datetime | None = None
) -> RetentionPlan:
    """Carry out (or with ``dry_run`` only list) what the schedule says is due."""
    now = now or datetime.now(UTC)
    plan = await plan_retention(settings, now)
    if dry_run:
        return plan
    for member_id in plan.left_members:
        await leave_and_erase(member_id, settings, JOB_ACTOR)
    async with db.transaction():
        if plan.unverified_members:
            users = await Member.select(Member.user).where(Member.id.is_in(plan.unverified_members))
            await Member.delete().where(Member.id.is_in(plan.unverified_members))
            user_ids = [row["user"] for row in users if row["user"] is not None]
            if user_ids:
                await User.delete().where(User.id.is_in(user_ids))
        if plan.sent_emails:
            await OutboxMessage.update(
                {OutboxMessage.text_body: "", OutboxMessage.html_body: ""}
            ).where(OutboxMessage.id.is_in(plan.sent_emails))
    return plan
