"""The retention schedule, enforced by a job: what is kept no longer than it is needed.

- applications never verified are removed after ``retention_unverified_days`` (7 by default);
- members who left are erased (leaving normally erases at once; this catches any left behind);
- declined applications are erased ``retention_declined_days`` (30 by default) after the decision,
  and only once no message to them waits in the outbox, so the email telling them goes first;
- the bodies of sent emails are deleted after ``retention_sent_email_days`` (30 by default);
- sign-up answers never sent (an abandoned draft) are deleted a day after they were last changed;
- entries of a member's contact log are deleted ``retention_contact_log_days`` (730 by default)
  after the contact they record;
- the counts kept against guessing and flooding (wrong two-factor codes, emails asked for by
  someone not signed in) are deleted after a day, once they no longer count.

An application waiting for its confirmation link to be used is kept while the link is valid: a
link held for the applicant's next safe time can arrive days after they applied.

The same daily run also resumes paused memberships whose end date has come, so the contact gate
(which reads the stored status) lets messages through again.

Consents past their renewal date need no job: current consent is derived from the history, so a
lapsed consent stops counting on the day it lapses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from panel import db
from panel.accounts.tables import TwoFactorFailure, User
from panel.audit.services import Actor
from panel.directory.tables import ContactLogEntry
from panel.erasure import leave_and_erase
from panel.members.rules import MemberStatus
from panel.members.services import resume_memberships
from panel.members.tables import Member
from panel.notify.tables import AnonymousMessage
from panel.outbox.services import (
    delete_bodies,
    members_with_messages_waiting,
    sent_bodies_older_than,
)
from panel.screening.rules import Decision, declined_application_due_for_erasure
from panel.screening.tables import ScreeningDecision
from panel.settings import Settings
from panel.signup.rules import DRAFT_LIFETIME
from panel.signup.tables import EmailVerification, SignUpDraft

JOB_ACTOR = Actor(user_id=None, client_hash="retention job")
# Longer than any window the counts are read over (an hour and a day for emails asked for, an
# hour and a quarter for wrong codes).
COUNTS_KEPT = timedelta(days=1)


@dataclass
class RetentionPlan:
    unverified_members: list[int] = field(default_factory=list)
    left_members: list[int] = field(default_factory=list)
    declined_members: list[int] = field(default_factory=list)
    sent_emails: list[int] = field(default_factory=list)
    ended_pauses: list[int] = field(default_factory=list)
    abandoned_drafts: list[int] = field(default_factory=list)
    old_contact_log_entries: int = 0
    spent_counts: int = 0

    def lines(self) -> list[str]:
        return [
            f"unverified applications to remove: {len(self.unverified_members)}",
            f"members who left, to erase: {len(self.left_members)}",
            f"declined applications to erase: {len(self.declined_members)}",
            f"sent emails whose bodies to delete: {len(self.sent_emails)}",
            f"paused memberships to resume: {len(self.ended_pauses)}",
            f"unfinished sign-ups to delete: {len(self.abandoned_drafts)}",
            f"contact log entries past their time, to delete: {self.old_contact_log_entries}",
            f"counts of wrong codes and emails asked for, past use: {self.spent_counts}",
        ]


def contact_log_before(settings: Settings, now: datetime) -> datetime:
    """Contact log entries about contact before this are past their time."""
    return now - timedelta(days=settings.retention_contact_log_days)


async def declined_due_for_erasure(settings: Settings, now: datetime) -> list[int]:
    declined = await Member.select(Member.id, Member.created_at).where(
        Member.status == MemberStatus.DECLINED
    )
    if not declined:
        return []
    ids = [row["id"] for row in declined]
    decided = await ScreeningDecision.select(
        ScreeningDecision.member, ScreeningDecision.decided_at
    ).where(
        ScreeningDecision.member.is_in(ids),
        ScreeningDecision.decision == Decision.DECLINED.value,
    )
    declined_at: dict[int, datetime] = {}
    for row in decided:
        declined_at[row["member"]] = max(
            declined_at.get(row["member"], row["decided_at"]), row["decided_at"]
        )
    for row in declined:
        # No decision recorded (declined some other way): the application's date, so it still goes.
        declined_at.setdefault(row["id"], row["created_at"])
    messages_waiting = await members_with_messages_waiting(ids)
    keep_for = timedelta(days=settings.retention_declined_days)
    return sorted(
        member_id
        for member_id, at in declined_at.items()
        if declined_application_due_for_erasure(at, now, keep_for, member_id in messages_waiting)
    )


async def plan_retention(settings: Settings, now: datetime) -> RetentionPlan:
    unverified_before = now - timedelta(days=settings.retention_unverified_days)
    emails_before = now - timedelta(days=settings.retention_sent_email_days)
    waiting_for_link = await EmailVerification.select(EmailVerification.member).where(
        EmailVerification.used_at.is_null(), EmailVerification.expires_at > now
    )
    unverified = await Member.select(Member.id).where(
        Member.status == MemberStatus.APPLIED,
        Member.created_at < unverified_before,
        Member.id.not_in([row["member"] for row in waiting_for_link] or [-1]),
    )
    left = await Member.select(Member.id).where(Member.status == MemberStatus.LEFT)
    return RetentionPlan(
        unverified_members=[row["id"] for row in unverified],
        left_members=[row["id"] for row in left],
        declined_members=await declined_due_for_erasure(settings, now),
        sent_emails=await sent_bodies_older_than(emails_before),
        ended_pauses=[
            row["id"]
            for row in await Member.select(Member.id).where(
                Member.status == MemberStatus.PAUSED, Member.paused_until <= now
            )
        ],
        abandoned_drafts=[
            row["id"]
            for row in await SignUpDraft.select(SignUpDraft.id).where(
                SignUpDraft.updated_at < now - DRAFT_LIFETIME
            )
        ],
        old_contact_log_entries=await ContactLogEntry.count().where(
            ContactLogEntry.at < contact_log_before(settings, now)
        ),
        spent_counts=await AnonymousMessage.count().where(AnonymousMessage.at < now - COUNTS_KEPT)
        + await TwoFactorFailure.count().where(TwoFactorFailure.at < now - COUNTS_KEPT),
    )


async def run_retention(
    settings: Settings, dry_run: bool = False, now: datetime | None = None
) -> RetentionPlan:
    """Carry out (or with ``dry_run`` only list) what the schedule says is due."""
    now = now or datetime.now(UTC)
    plan = await plan_retention(settings, now)
    if dry_run:
        return plan
    for member_id in [*plan.left_members, *plan.declined_members]:
        await leave_and_erase(member_id, settings, JOB_ACTOR)
    async with db.transaction():
        if plan.unverified_members:
            users = await Member.select(Member.user).where(Member.id.is_in(plan.unverified_members))
            await Member.delete().where(Member.id.is_in(plan.unverified_members))
            user_ids = [row["user"] for row in users if row["user"] is not None]
            if user_ids:
                await User.delete().where(User.id.is_in(user_ids))
        if plan.abandoned_drafts:
            await SignUpDraft.delete().where(SignUpDraft.id.is_in(plan.abandoned_drafts))
        await ContactLogEntry.delete().where(ContactLogEntry.at < contact_log_before(settings, now))
        await AnonymousMessage.delete().where(AnonymousMessage.at < now - COUNTS_KEPT)
        await TwoFactorFailure.delete().where(TwoFactorFailure.at < now - COUNTS_KEPT)
        await delete_bodies(plan.sent_emails)
    await resume_memberships(plan.ended_pauses, JOB_ACTOR)
    return plan
