"""Invitations and contact limits over real rows: sending an invitation through the contact gate
and recording it, recording attendance, who may be invited now (for the gate and for selection,
many members at once in a fixed number of queries), and the staff page of one member's limits
with the overrides staff grant and revoke.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import Timestamptz

from panel import db
from panel.accounts.services import emails_of
from panel.audit.services import Actor, record_event
from panel.consent.rules import Purpose
from panel.engagements.rules import OVERRIDE_VALID_FOR, InvitationKind
from panel.engagements.tables import Attendance, ContactOverride, Invitation
from panel.members.rules import MemberStatus
from panel.members.services import NoSuchMember
from panel.members.tables import Member
from panel.notify.rules import (
    SESSION_WINDOW,
    ContactHistory,
    ContactLimits,
    Eligibility,
    GateDecision,
    GateOutcome,
    invitation_eligibility,
)
from panel.notify.services import limits_of, send_to_member
from panel.outbox.messages import MessageKind
from panel.settings import Settings

# Members looked up per query: well under SQLite's and asyncpg's limit of bound values, so a pool
# of any size can be checked; up to this many members cost a fixed number of queries.
MEMBERS_PER_QUERY = 5000


class NoSuchOverride(Exception):
    """The member has no such override."""


class NoSuchInvitation(Exception):
    """The attendance names an invitation that is not this member's."""


class OverrideRefused(Exception):
    """An override cannot be granted; the message says why."""


# ---------------------------------------------------------------------------------------------
# Recording what the limits count. ``Member.last_invited_at`` and ``last_attended_at`` move in
# the same transaction, so the directory can filter on them without reading the history.


async def record_invitation(
    member_id: int, kind: InvitationKind | str, engagement_id: int | None, now: datetime
) -> int:
    """An invitation sent to a member; returns its id. ``send_invitation`` records the invitations
    it sends; recording one starts the cool-down."""
    kind = InvitationKind(kind)
    async with db.transaction():
        await member_in_panel(member_id)
        rows = await Invitation.insert(
            Invitation(
                member=member_id, engagement_id=engagement_id, kind=kind.value, invited_at=now
            )
        ).returning(Invitation.id)
        # A late record of an older invitation must not move the date back.
        await Member.update({Member.last_invited_at: now}).where(
            Member.id == member_id,
            Member.last_invited_at.is_null() | (Member.last_invited_at < now),
        )
    return rows[0]["id"]


async def record_attendance(member_id: int, invitation_id: int | None, now: datetime) -> int:
    """A member took part in a session (``now`` is when); returns the attendance's id."""
    async with db.transaction():
        await member_in_panel(member_id)
        if invitation_id is not None and not await Invitation.exists().where(
            Invitation.id == invitation_id, Invitation.member == member_id
        ):
            raise NoSuchInvitation()
        rows = await Attendance.insert(
            Attendance(member=member_id, invitation=invitation_id, attended_at=now)
        ).returning(Attendance.id)
        await Member.update({Member.last_attended_at: now}).where(
            Member.id == member_id,
            Member.last_attended_at.is_null() | (Member.last_attended_at < now),
        )
    return rows[0]["id"]


async def member_in_panel(member_id: int) -> None:
    if not await Member.exists().where(
        Member.id == member_id, Member.status != MemberStatus.ERASED
    ):
        raise NoSuchMember()


# ---------------------------------------------------------------------------------------------
# Who may be invited now.


@dataclass(frozen=True)
class HistoryRows:
    """The rows the limits look at for some members: recent invitations and sessions, and the
    overrides still unused and unexpired (soonest to expire first)."""

    invitations: list[dict[str, Any]]
    attendances: list[dict[str, Any]]
    overrides: list[dict[str, Any]]

    def histories(self) -> dict[int, ContactHistory]:
        invited: dict[int, list[datetime]] = {}
        attended: dict[int, list[datetime]] = {}
        override: dict[int, int] = {}
        for row in self.invitations:
            invited.setdefault(row["member"], []).append(row["invited_at"])
        for row in self.attendances:
            attended.setdefault(row["member"], []).append(row["attended_at"])
        for row in self.overrides:
            override.setdefault(row["member"], row["id"])
        return {
            member_id: ContactHistory(
                tuple(invited.get(member_id, ())),
                tuple(attended.get(member_id, ())),
                override.get(member_id),
            )
            for member_id in invited.keys() | attended.keys() | override.keys()
        }


async def history_rows(
    member_ids: Sequence[int], limits: ContactLimits, now: datetime
) -> HistoryRows:
    """Three queries, however many rows each member has."""
    ids = list(member_ids)
    invitations = await Invitation.select(Invitation.member, Invitation.invited_at).where(
        Invitation.member.is_in(ids),
        Invitation.invited_at > now - limits.invitations_look_back,
    )
    attendances = await Attendance.select(Attendance.member, Attendance.attended_at).where(
        Attendance.member.is_in(ids), Attendance.attended_at > now - SESSION_WINDOW
    )
    overrides = await (
        ContactOverride.select()
        .where(
            ContactOverride.member.is_in(ids),
            ContactOverride.used_at.is_null(),
            ContactOverride.expires_at > now,
        )
        .order_by(ContactOverride.expires_at)
        .order_by(ContactOverride.id)
    )
    return HistoryRows(invitations, attendances, overrides)


async def contact_history(member_id: int, limits: ContactLimits, now: datetime) -> ContactHistory:
    """One member's history for the contact gate: three queries."""
    found = (await history_rows([member_id], limits, now)).histories()
    return found.get(member_id, ContactHistory())


def chunks(member_ids: Iterable[int]) -> list[list[int]]:
    ids = list(dict.fromkeys(member_ids))
    return [
        ids[start : start + MEMBERS_PER_QUERY] for start in range(0, len(ids), MEMBERS_PER_QUERY)
    ]


async def eligible_for_invitation(
    member_ids: Iterable[int], settings: Settings, now: datetime | None = None
) -> dict[int, Eligibility]:
    """For each member, whether they may be invited now and every reason why not: the rules the
    contact gate applies to an invitation, for many members at once. Four queries for up to
    ``MEMBERS_PER_QUERY`` members. Consent for the engagement's purpose and a safe channel are
    left to the pool and the gate; a member not found counts as no longer a member."""
    now = now or datetime.now(UTC)
    limits = limits_of(settings)
    found: dict[int, Eligibility] = {}
    for ids in chunks(member_ids):
        members = {
            row["id"]: row
            for row in await Member.select(Member.id, Member.status, Member.do_not_contact).where(
                Member.id.is_in(ids)
            )
        }
        histories = (await history_rows(ids, limits, now)).histories()
        for member_id in ids:
            member = members.get(
                member_id, {"status": MemberStatus.ERASED, "do_not_contact": False}
            )
            found[member_id] = invitation_eligibility(
                histories.get(member_id, ContactHistory()),
                member["do_not_contact"],
                limits,
                now,
                status=member["status"],
            )
    return found


class OverrideUsedMeanwhile(Exception):
    """Another invitation used the override between the gate's decision and this one."""


async def send_invitation(
    member_id: int,
    kind: InvitationKind | str,
    message: MessageKind,
    purpose: Purpose,
    settings: Settings,
    *,
    engagement_id: int | None = None,
    now: datetime | None = None,
    **context: Any,
) -> GateDecision:
    """The one door for invitations: through the contact gate with the member's contact history
    (so the limits apply), an override used up if it is what lets the invitation through, and the
    invitation recorded, all in one transaction or not at all."""
    now = now or datetime.now(UTC)
    try:
        async with db.transaction():
            history = await contact_history(member_id, limits_of(settings), now)
            decision = await send_to_member(
                member_id, message, purpose, settings, now, invitation=history, **context
            )
            if decision.outcome is GateOutcome.REFUSE:
                return decision
            if decision.override_id is not None and not await use_override(
                decision.override_id, now
            ):
                raise OverrideUsedMeanwhile()  # undoes the message written above
            await record_invitation(member_id, kind, engagement_id, now)
            return decision
    except OverrideUsedMeanwhile:
        return GateDecision(GateOutcome.REFUSE, "the override was used by another invitation")


async def use_override(override_id: int, now: datetime) -> bool:
    """Use up an override with the invitation it lets through; False if something else used it
    first. Call in the transaction that writes the invitation's message."""
    return await end_override(override_id, ContactOverride.used_at, now)


async def end_override(override_id: int, column: Timestamptz, now: datetime) -> bool:
    """Set the override's ``used_at`` or ``expires_at`` to now, only if it is still unused and
    unexpired; whether it was."""
    ended = (
        await ContactOverride.update({column: now})
        .where(
            ContactOverride.id == override_id,
            ContactOverride.used_at.is_null(),
            ContactOverride.expires_at > now,
        )
        .returning(ContactOverride.id)
    )
    return bool(ended)


# ---------------------------------------------------------------------------------------------
# The staff page of one member's contact limits. Opening it is a view of personal data.


@dataclass(frozen=True)
class ActiveOverride:
    id: int
    reason: str
    granted_by_email: str  # empty when the account has gone
    granted_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class MemberContactLimits:
    member_id: int
    preferred_name: str
    status: str
    do_not_contact_reason: str
    last_invited_at: datetime | None
    last_attended_at: datetime | None
    limits: ContactLimits
    eligibility: Eligibility
    overrides: list[ActiveOverride]


async def member_contact_limits(
    member_id: int, settings: Settings, now: datetime | None = None
) -> MemberContactLimits:
    """A fixed number of queries, however long the member's history."""
    now = now or datetime.now(UTC)
    limits = limits_of(settings)
    member = await (
        Member.select(
            Member.preferred_name,
            Member.status,
            Member.do_not_contact,
            Member.do_not_contact_reason,
            Member.last_invited_at,
            Member.last_attended_at,
        )
        .where(Member.id == member_id, Member.status != MemberStatus.ERASED)
        .first()
    )
    if member is None:
        raise NoSuchMember()
    rows = await history_rows([member_id], limits, now)
    history = rows.histories().get(member_id, ContactHistory())
    granted_by = {row["granted_by"] for row in rows.overrides if row["granted_by"] is not None}
    emails = await emails_of(granted_by)
    return MemberContactLimits(
        member_id=member_id,
        preferred_name=member["preferred_name"],
        status=member["status"],
        do_not_contact_reason=member["do_not_contact_reason"],
        last_invited_at=member["last_invited_at"],
        last_attended_at=member["last_attended_at"],
        limits=limits,
        eligibility=invitation_eligibility(
            history, member["do_not_contact"], limits, now, status=member["status"]
        ),
        overrides=[
            ActiveOverride(
                id=row["id"],
                reason=row["reason"],
                granted_by_email=emails.get(row["granted_by"], ""),
                granted_at=row["granted_at"],
                expires_at=row["expires_at"],
            )
            for row in rows.overrides
        ],
    )


async def open_member_contact_limits(
    member_id: int, settings: Settings, actor: Actor, now: datetime | None = None
) -> MemberContactLimits:
    found = await member_contact_limits(member_id, settings, now)
    await record_event("contact_limits_viewed", actor, object_type="member", object_id=member_id)
    return found


async def grant_override(
    member_id: int, reason: str, actor: Actor, now: datetime | None = None
) -> int:
    """Let one more invitation through the contact limits, for a reason, for 14 days or until an
    invitation uses it. The audit records that it was granted, never the reason's words."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        member = await (
            Member.select(Member.do_not_contact)
            .where(Member.id == member_id, Member.status != MemberStatus.ERASED)
            .first()
        )
        if member is None:
            raise NoSuchMember()
        if member["do_not_contact"]:
            raise OverrideRefused(
                "They are marked do not contact. An override cannot lift that: change it on their record first"
            )
        expires_at = now + OVERRIDE_VALID_FOR
        rows = await ContactOverride.insert(
            ContactOverride(
                member=member_id,
                reason=reason,
                granted_by=actor.user_id,
                granted_at=now,
                expires_at=expires_at,
            )
        ).returning(ContactOverride.id)
        override_id = rows[0]["id"]
        await record_event(
            "contact_override_granted",
            actor,
            object_type="member",
            object_id=member_id,
            detail={"override_id": override_id, "expires_at": expires_at.isoformat()},
        )
    return override_id


async def revoke_override(
    member_id: int, override_id: int, actor: Actor, now: datetime | None = None
) -> None:
    """End an override before it is used. Revoking one already used or expired changes nothing."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        if not await ContactOverride.exists().where(
            ContactOverride.id == override_id,
            ContactOverride.member == member_id,
            ContactOverride.member.status != MemberStatus.ERASED,
        ):
            raise NoSuchOverride()
        # It ends now: an override that has expired lets nothing through.
        if await end_override(override_id, ContactOverride.expires_at, now):
            await record_event(
                "contact_override_revoked",
                actor,
                object_type="member",
                object_id=member_id,
                detail={"override_id": override_id},
            )
