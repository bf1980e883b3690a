"""Screening applicants: the queue, one application, the decisions on it, and the decline reasons.

A decision changes the member's status, adds a ``ScreeningDecision``, records an audit event and
tells the applicant through the contact gate, all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from panel import db
from panel.accounts.services import emails_of
from panel.audit.services import Actor, record_event
from panel.consent.services import PurposeConsent, consents_with_titles
from panel.members.reference import ReferenceData
from panel.members.rules import (
    MemberStatus,
)
from panel.members.services import MemberProfile, NoSuchMember, load_profile
from panel.members.tables import Member
from panel.notify.rules import GateOutcome
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.outbox.messages import MessageKind
from panel.screening.rules import (
    STATUS_AFTER,
    Decision,
    PastDecision,
    awaiting_screening,
    latest_decisions,
    waiting_for_more_information_since,
    why_not_screened,
)
from panel.screening.tables import DeclineReason, ScreeningDecision
from panel.settings import Settings


class DecisionRefused(Exception):
    """A decision cannot be made on this application now; the message says why, for the screener."""

    def __init__(self, member_id: int, message: str) -> None:
        super().__init__(message)
        self.member_id = member_id
        self.message = message


class ReasonNotOffered(Exception):
    """The decline reason chosen is not (or no longer) on the list."""


class ReasonNotFound(Exception):
    """There is no such decline reason."""


# ---------------------------------------------------------------------------------------------
# The queue


WAITING_COUNT_SQL = "SELECT COUNT(*) AS waiting FROM member WHERE status = {}"


async def applications_waiting() -> int:
    """How many applicants wait for screening: one small indexed count, as it is on the staff home."""
    rows = await db.fetch_small(WAITING_COUNT_SQL, MemberStatus.VERIFIED.value)
    return int(rows[0]["waiting"])


@dataclass(frozen=True)
class QueueEntry:
    member_id: int
    preferred_name: str
    district: str
    verified_at: datetime | None
    waiting_since: datetime | None  # when we asked them for more information, if we are waiting


def past_decision(row: dict[str, Any]) -> PastDecision:
    return PastDecision(
        member_id=row["member"],
        decision=Decision(row["decision"]),
        decided_at=row["decided_at"],
        sequence=row["id"],
    )


async def screening_queue(reference: ReferenceData) -> list[QueueEntry]:
    """Verified applicants, the longest waiting first: two queries, however many there are."""
    members = await Member.select(
        Member.id,
        Member.preferred_name,
        Member.district,
        Member.verified_at,
        Member.created_at,
    ).where(Member.status == MemberStatus.VERIFIED.value)
    decisions = await ScreeningDecision.select(
        ScreeningDecision.id,
        ScreeningDecision.member,
        ScreeningDecision.decision,
        ScreeningDecision.decided_at,
    ).where(ScreeningDecision.member.status == MemberStatus.VERIFIED.value)
    latest = latest_decisions(past_decision(row) for row in decisions)
    # Sorted here: SQLite and PostgreSQL put a missing date at opposite ends.
    members.sort(key=lambda row: (row["verified_at"] or row["created_at"], row["id"]))
    return [
        QueueEntry(
            member_id=row["id"],
            preferred_name=row["preferred_name"],
            district=reference.district_label(row["district"]) or row["district"],
            verified_at=row["verified_at"],
            waiting_since=waiting_for_more_information_since(latest.get(row["id"])),
        )
        for row in members
    ]


# ---------------------------------------------------------------------------------------------
# One application


@dataclass(frozen=True)
class DecisionRecord:
    decision: Decision
    decided_at: datetime
    reason: str
    reason_retired: bool
    message: str
    decided_by: str  # the screener's email; empty when their account has gone


@dataclass(frozen=True)
class Application(MemberProfile):
    """Everything an applicant told us that a screener needs (``MemberProfile``: not their
    equality answers, which are special category data, for reports only), their consents and the
    decisions on their application."""

    consents: list[PurposeConsent]
    decisions: list[DecisionRecord]  # newest first
    reasons: list[dict[str, Any]]  # the decline reasons offered now
    seen: int  # the id of the latest decision, 0 when there is none

    @property
    def awaiting_decision(self) -> bool:
        return awaiting_screening(self.status)

    @property
    def why_not_awaiting(self) -> str:
        return why_not_screened(self.status)

    @property
    def waiting_since(self) -> datetime | None:
        if not self.decisions:
            return None
        latest = self.decisions[0]
        return latest.decided_at if latest.decision is Decision.MORE_INFO else None


async def load_application(
    member_id: int, reference: ReferenceData, settings: Settings
) -> Application:
    """One application as a screener sees it. Raises ``NoSuchMember``."""
    profile = await load_profile(member_id, reference)
    decision_rows = await (
        ScreeningDecision.select(
            ScreeningDecision.id,
            ScreeningDecision.decision,
            ScreeningDecision.decided_at,
            ScreeningDecision.message,
            ScreeningDecision.decided_by,
            ScreeningDecision.reason.text.as_alias("reason_text"),
            ScreeningDecision.reason.active.as_alias("reason_active"),
        )
        .where(ScreeningDecision.member == member_id)
        .order_by(ScreeningDecision.id, ascending=False)
    )
    emails = await emails_of(
        {row["decided_by"] for row in decision_rows if row["decided_by"] is not None}
    )
    reasons = await (
        DeclineReason.select(DeclineReason.id, DeclineReason.text)
        .where(DeclineReason.active.eq(True))
        .order_by(DeclineReason.id)
    )
    return Application(
        **vars(profile),
        consents=await consents_with_titles(member_id, renewal=settings.consent_renewal),
        decisions=[
            DecisionRecord(
                decision=Decision(row["decision"]),
                decided_at=row["decided_at"],
                reason=row["reason_text"] or "",
                reason_retired=row["reason_text"] is not None and not row["reason_active"],
                message=row["message"],
                decided_by=emails.get(row["decided_by"], ""),
            )
            for row in decision_rows
        ],
        reasons=reasons,
        seen=decision_rows[0]["id"] if decision_rows else 0,
    )


async def open_application(
    member_id: int, reference: ReferenceData, settings: Settings, actor: Actor
) -> Application:
    """A screener opens an application: a view of personal data, so it is audited."""
    application = await load_application(member_id, reference, settings)
    await record_event("application_viewed", actor, object_type="member", object_id=member_id)
    return application


# ---------------------------------------------------------------------------------------------
# Decisions


async def latest_decision_id(member_id: int) -> int:
    row = await (
        ScreeningDecision.select(ScreeningDecision.id)
        .where(ScreeningDecision.member == member_id)
        .order_by(ScreeningDecision.id, ascending=False)
        .first()
    )
    return row["id"] if row else 0


async def record_decision(
    member_id: int,
    decision: Decision,
    seen: int,
    actor: Actor,
    settings: Settings,
    kind: MessageKind,
    now: datetime | None,
    reason_id: int | None = None,
    written: str = "",
    **context: Any,
) -> GateOutcome:
    """Make one decision and tell the applicant, in one transaction; returns what the contact
    gate did with the message (sent, held for a safe time, or refused). ``written`` is what the
    screener wrote to them, kept with the decision; ``context`` fills the email."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        # The conditional update comes first: on PostgreSQL it locks the member's row, so a second
        # submit (or a colleague) waits here, then finds the status changed or a newer decision.
        changed = (
            await Member.update({Member.status: STATUS_AFTER[decision].value})
            .where(Member.id == member_id, Member.status == MemberStatus.VERIFIED.value)
            .returning(Member.id)
        )
        if not changed:
            member = await Member.select(Member.status).where(Member.id == member_id).first()
            if member is None or member["status"] == MemberStatus.ERASED:
                raise NoSuchMember()
            raise DecisionRefused(member_id, why_not_screened(member["status"]))
        if await latest_decision_id(member_id) != seen:
            raise DecisionRefused(
                member_id,
                "Someone made a decision on this application after you opened it, so yours was "
                "not recorded. Check the decisions on the application before doing anything "
                "else.",
            )
        await ScreeningDecision.insert(
            ScreeningDecision(
                member=member_id,
                decision=decision.value,
                reason=reason_id,
                message=written,
                decided_by=actor.user_id,
                decided_at=now,
            )
        )
        gate = await send_to_member(member_id, kind, None, settings, now=now, **context)
        detail: dict[str, Any] = {"told": gate.outcome.value}
        if reason_id is not None:
            detail["reason"] = reason_id
        await record_event(
            AUDIT_ACTIONS[decision], actor, object_type="member", object_id=member_id, detail=detail
        )
    return gate.outcome


AUDIT_ACTIONS = {
    Decision.APPROVED: "application_approved",
    Decision.DECLINED: "application_declined",
    Decision.MORE_INFO: "more_information_asked",
}


async def approve(
    member_id: int, seen: int, actor: Actor, settings: Settings, now: datetime | None = None
) -> GateOutcome:
    return await record_decision(
        member_id,
        Decision.APPROVED,
        seen,
        actor,
        settings,
        messages.APPLICATION_APPROVED,
        now,
        link=messages.SIGN_IN_PAGE.url(settings.base_url),
    )


async def decline(
    member_id: int,
    reason_id: int,
    note: str,
    seen: int,
    actor: Actor,
    settings: Settings,
    now: datetime | None = None,
) -> GateOutcome:
    """Decline with a reason from the list. Raises ``ReasonNotOffered`` if it is not offered now."""
    reason = await (
        DeclineReason.select(DeclineReason.text)
        .where(DeclineReason.id == reason_id, DeclineReason.active.eq(True))
        .first()
    )
    if reason is None:
        raise ReasonNotOffered()
    return await record_decision(
        member_id,
        Decision.DECLINED,
        seen,
        actor,
        settings,
        messages.APPLICATION_DECLINED,
        now,
        reason_id=reason_id,
        written=note,
        reason=reason["text"],
        note=note,
        days=settings.retention_declined_days,
    )


async def ask_for_more_information(
    member_id: int,
    message: str,
    seen: int,
    actor: Actor,
    settings: Settings,
    now: datetime | None = None,
) -> GateOutcome:
    """Ask the applicant for more; they stay in the queue, shown as waiting for their answer."""
    return await record_decision(
        member_id,
        Decision.MORE_INFO,
        seen,
        actor,
        settings,
        messages.MORE_INFORMATION,
        now,
        written=message,
        message=message,
    )


# ---------------------------------------------------------------------------------------------
# Decline reasons


async def decline_reasons() -> list[dict[str, Any]]:
    """Every reason: those offered first, then those retired, each in the order they were added."""
    rows = await DeclineReason.select(
        DeclineReason.id, DeclineReason.text, DeclineReason.active
    ).order_by(DeclineReason.id)
    return sorted(rows, key=lambda row: not row["active"])


async def decline_reason(reason_id: int) -> dict[str, Any]:
    row = await (
        DeclineReason.select(DeclineReason.id, DeclineReason.text, DeclineReason.active)
        .where(DeclineReason.id == reason_id)
        .first()
    )
    if row is None:
        raise ReasonNotFound()
    return row


async def add_decline_reason(text: str, actor: Actor) -> int:
    async with db.transaction():
        rows = await DeclineReason.insert(DeclineReason(text=text, active=True))
        reason_id = rows[0]["id"]
        await record_event(
            "decline_reason_added", actor, object_type="decline_reason", object_id=reason_id
        )
    return reason_id


async def update_decline_reason(
    reason_id: int, values: dict[Any, Any], action: str, actor: Actor
) -> None:
    async with db.transaction():
        changed = (
            await DeclineReason.update(values)
            .where(DeclineReason.id == reason_id)
            .returning(DeclineReason.id)
        )
        if not changed:
            raise ReasonNotFound()
        await record_event(action, actor, object_type="decline_reason", object_id=reason_id)


async def reword_decline_reason(reason_id: int, text: str, actor: Actor) -> None:
    """New wording for a reason. Decisions already made with it show the new wording too."""
    await update_decline_reason(
        reason_id, {DeclineReason.text: text}, "decline_reason_reworded", actor
    )


async def offer_decline_reason(reason_id: int, offered: bool, actor: Actor) -> None:
    """Restore a reason to the list, or retire it: not offered any more, still shown on the
    decisions that gave it."""
    action = "decline_reason_restored" if offered else "decline_reason_retired"
    await update_decline_reason(reason_id, {DeclineReason.active: offered}, action, actor)
