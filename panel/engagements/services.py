"""Invitations and contact limits over real rows: sending an invitation through the contact gate
and recording it, recording attendance, who may be invited now (for the gate and for selection,
many members at once in a fixed number of queries), and the staff page of one member's limits
with the overrides staff grant and revoke.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.columns import Timestamptz
from piccolo.query.functions.aggregate import Count

from panel import db
from panel.accounts.rules import Role
from panel.accounts.services import emails_of, emails_with_role
from panel.audit.services import Actor, record_event
from panel.consent.rules import Purpose
from panel.engagements.rules import (
    CANCELLABLE,
    ON_THE_REGISTER,
    OVERRIDE_VALID_FOR,
    EngagementFormat,
    EngagementKind,
    EngagementPlan,
    EngagementStatus,
    InvitationKind,
    ListFilters,
    Readiness,
    RegisterMark,
    check_cancel,
    check_move_on,
    may_be_changed,
    next_status,
    register_problem,
)
from panel.engagements.tables import (
    Attendance,
    ContactOverride,
    Engagement,
    EngagementFacilitator,
    Invitation,
    InvitationLink,
    PartnerReviewer,
)
from panel.keys import token_hash
from panel.members.rules import ACCESS_NEEDS, MemberStatus, name_to_show
from panel.members.services import NoSuchMember
from panel.members.tables import AccessNeeds, Member
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
from panel.outbox.messages import SESSION_CANCELLED, SESSION_MOVED, MessageKind
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
            Invitation(member=member_id, engagement=engagement_id, kind=kind.value, invited_at=now)
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
    link_token: str | None = None,
    **context: Any,
) -> GateDecision:
    """The one door for invitations: through the contact gate with the member's contact history
    (so the limits apply), an override used up if it is what lets the invitation through, and the
    invitation recorded, all in one transaction or not at all. With ``link_token``, the personal
    link the email carries (in ``context``) is kept, as a hash, to answer this invitation."""
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
            invitation_id = await record_invitation(member_id, kind, engagement_id, now)
            if link_token is not None:
                await keep_invitation_link(invitation_id, member_id, link_token, now)
            return decision
    except OverrideUsedMeanwhile:
        return GateDecision(GateOutcome.REFUSE, "the override was used by another invitation")


async def keep_invitation_link(
    invitation_id: int, member_id: int, token: str, now: datetime
) -> None:
    """A personal link to answer the invitation, emailed in the caller's transaction."""
    await InvitationLink.insert(
        InvitationLink(
            token_hash=token_hash(token), invitation=invitation_id, member=member_id, created_at=now
        )
    )


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


# ---------------------------------------------------------------------------------------------
# Engagements: planning them, moving them on, and who sees them. A facilitator sees only the
# engagements they run: any other is "not found", as if it did not exist.


class NoSuchEngagement(Exception):
    pass


class EngagementUnchangeable(Exception):
    """The engagement has been held or cancelled: its plan is a record now."""


@dataclass(frozen=True)
class EngagementRecord:
    id: int
    plan: EngagementPlan
    status: EngagementStatus
    status_reason: str
    facilitator_emails: tuple[str, ...]
    invitations: dict[str, int]  # by invitation status
    created_at: datetime
    updated_at: datetime

    @property
    def next_status(self) -> EngagementStatus | None:
        return next_status(self.status)

    @property
    def accepted(self) -> int:
        """Everyone who accepted, whatever the register has said of them since."""
        return sum(self.invitations.get(status, 0) for status in ON_THE_REGISTER)

    @property
    def attended(self) -> int:
        return self.invitations.get(RegisterMark.ATTENDED.value, 0)

    @property
    def may_be_changed(self) -> bool:
        return may_be_changed(self.status)

    @property
    def may_be_cancelled(self) -> bool:
        return self.status in CANCELLABLE


@dataclass(frozen=True)
class EngagementRow:
    """One line of the list of engagements."""

    id: int
    title: str
    kind: EngagementKind
    status: EngagementStatus
    starts_at: datetime
    capacity: int
    facilitator_emails: tuple[str, ...]
    accepted: int


PLAN_COLUMNS = (
    "kind", "title", "topic", "public_description", "internal_notes", "eligible_involvement",
    "exclude_open_court_cases", "format", "venue_name", "venue_address", "venue_access",
    "joining_link", "starts_at", "ends_at", "capacity", "reserves", "support_worker_present",
    "quiet_room", "aftercare",
)  # fmt: skip
LIST_COLUMNS = ("crime_focus", "journey_stages", "eligible_crime_types", "eligible_districts")


def plan_row(plan: EngagementPlan) -> dict[Any, Any]:
    """The engagement's columns for a plan (lists as JSON)."""
    row: dict[Any, Any] = {
        Engagement._meta.get_column_by_name(name): getattr(plan, name) for name in PLAN_COLUMNS
    }
    row[Engagement.kind] = plan.kind.value
    row[Engagement.format] = plan.format.value
    for name in LIST_COLUMNS:
        row[Engagement._meta.get_column_by_name(name)] = json.dumps(list(getattr(plan, name)))
    return row


def plan_of(row: dict[str, Any], facilitators: Sequence[int]) -> EngagementPlan:
    values = {name: row[name] for name in PLAN_COLUMNS}
    values.update({name: tuple(json.loads(row[name])) for name in LIST_COLUMNS})
    values["kind"] = EngagementKind(row["kind"])
    values["format"] = EngagementFormat(row["format"])
    return EngagementPlan(**values, facilitators=tuple(facilitators))


async def facilitator_choices() -> dict[int, str]:
    """Every facilitator account, by id, with its email: who can be asked to run a session."""
    return await emails_with_role(Role.FACILITATOR)


async def create_engagement(plan: EngagementPlan, actor: Actor, now: datetime | None = None) -> int:
    """A new engagement, as a draft; returns its id."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        rows = await Engagement.insert(
            Engagement(
                **{column._meta.name: value for column, value in plan_row(plan).items()},
                status=EngagementStatus.DRAFT.value,
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
            )
        ).returning(Engagement.id)
        engagement_id = rows[0]["id"]
        await set_facilitators(engagement_id, plan.facilitators)
        await record_event(
            "engagement_created", actor, object_type="engagement", object_id=engagement_id
        )
    return engagement_id


async def set_facilitators(engagement_id: int, facilitators: Sequence[int]) -> None:
    await EngagementFacilitator.delete().where(EngagementFacilitator.engagement == engagement_id)
    if facilitators:
        await EngagementFacilitator.insert(
            *(
                EngagementFacilitator(engagement=engagement_id, facilitator=user_id)
                for user_id in facilitators
            )
        )


async def locked_status(engagement_id: int) -> EngagementStatus:
    """The engagement's status, its row locked until the transaction ends (on PostgreSQL), so two
    staff moving it on at once cannot both succeed."""
    query = Engagement.select(Engagement.status).where(Engagement.id == engagement_id)
    if db.is_postgres():
        query = query.lock_rows()
    row = await query.first()
    if row is None:
        raise NoSuchEngagement()
    return EngagementStatus(row["status"])


async def change_engagement(
    engagement_id: int,
    plan: EngagementPlan,
    actor: Actor,
    settings: Settings,
    now: datetime | None = None,
) -> None:
    """A new plan for an engagement not yet held. When its time moves, everyone whose invitation
    is still open is told the old and the new date through the contact gate (never what the
    session is about)."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        if not may_be_changed(await locked_status(engagement_id)):
            raise EngagementUnchangeable()
        before = await (
            Engagement.select(Engagement.starts_at, Engagement.ends_at)
            .where(Engagement.id == engagement_id)
            .first()
        )
        await Engagement.update({**plan_row(plan), Engagement.updated_at: now}).where(
            Engagement.id == engagement_id
        )
        await set_facilitators(engagement_id, plan.facilitators)
        if before and (before["starts_at"], before["ends_at"]) != (plan.starts_at, plan.ends_at):
            await tell_of_new_time(engagement_id, before["starts_at"], plan, settings, now)
        await record_event(
            "engagement_changed", actor, object_type="engagement", object_id=engagement_id
        )


async def move_on(
    engagement_id: int, wanted: EngagementStatus, actor: Actor, now: datetime | None = None
) -> None:
    """The engagement moves to its next status, if it is ready (``rules.check_move_on``)."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        status = await locked_status(engagement_id)
        found = await engagement_record(engagement_id)
        plan = found.plan
        check_move_on(
            Readiness(
                status=status,
                format=plan.format,
                starts_at=plan.starts_at,
                has_facilitator=bool(plan.facilitators),
                has_public_description=bool(plan.public_description),
                has_venue=bool(plan.venue_name and plan.venue_address),
                has_joining_link=bool(plan.joining_link),
            ),
            wanted,
            now,
        )
        await Engagement.update(
            {Engagement.status: wanted.value, Engagement.updated_at: now}
        ).where(Engagement.id == engagement_id)
        await record_event(
            "engagement_status_changed",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={"from": status.value, "to": wanted.value},
        )


def spoken_date(at: datetime, settings: Settings) -> str:
    """A session's day as a letter says it: "Tuesday 12 January 2027"."""
    return at.astimezone(ZoneInfo(settings.time_zone)).strftime("%A %-d %B %Y")


def spoken_time(starts_at: datetime, ends_at: datetime, settings: Settings) -> str:
    """A session's hours as a letter says them, in UK time: "10am to 12pm", "5:30pm to 7pm"."""
    zone = ZoneInfo(settings.time_zone)
    return f"{clock(starts_at.astimezone(zone))} to {clock(ends_at.astimezone(zone))}"


def clock(at: datetime) -> str:
    hour = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"
    return f"{hour}:{at.minute:02d}{suffix}" if at.minute else f"{hour}{suffix}"


async def tell_of_new_time(
    engagement_id: int,
    starts_before: datetime,
    plan: EngagementPlan,
    settings: Settings,
    now: datetime,
) -> int:
    """Everyone whose invitation is still open hears the session has moved: the old date and the
    new date and hours only. Returns how many the gate let through."""
    invited = await open_invitees(engagement_id)
    return await tell_open_invitees(
        invited,
        SESSION_MOVED,
        settings,
        now,
        session_date=spoken_date(starts_before, settings),
        new_date=spoken_date(plan.starts_at, settings),
        new_time=spoken_time(plan.starts_at, plan.ends_at, settings),
    )


# Invitations still open when an engagement moves or is cancelled: the people who must be told.
OPEN_INVITATIONS = ("invited", "accepted", "waiting")


async def open_invitees(engagement_id: int) -> list[int]:
    """The members whose invitation to the engagement is still open."""
    rows = await Invitation.select(Invitation.member).where(
        Invitation.engagement == engagement_id, Invitation.status.is_in(list(OPEN_INVITATIONS))
    )
    return [row["member"] for row in rows]


async def tell_open_invitees(
    members: list[int], kind: MessageKind, settings: Settings, now: datetime, **words: Any
) -> int:
    """One message to each member, through the contact gate; how many it let through."""
    told = 0
    for member_id in members:
        decision = await send_to_member(member_id, kind, None, settings, now, **words)
        told += decision.outcome is not GateOutcome.REFUSE
    return told


async def cancel_engagement(
    engagement_id: int, reason: str, actor: Actor, settings: Settings, now: datetime | None = None
) -> int:
    """Cancel an engagement not yet held, for a reason staff read. Everyone with an open
    invitation is told through the contact gate (the message names only the date, never what the
    session was about) and their invitation is cancelled. Returns how many were told."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        check_cancel(await locked_status(engagement_id))
        starts_at = await (
            Engagement.select(Engagement.starts_at).where(Engagement.id == engagement_id).first()
        )
        if starts_at is None:
            raise NoSuchEngagement()
        invited = await open_invitees(engagement_id)
        told = await tell_open_invitees(
            invited,
            SESSION_CANCELLED,
            settings,
            now,
            session_date=spoken_date(starts_at["starts_at"], settings),
        )
        await Invitation.update({Invitation.status: "cancelled"}).where(
            Invitation.engagement == engagement_id, Invitation.status.is_in(list(OPEN_INVITATIONS))
        )
        await Engagement.update(
            {
                Engagement.status: EngagementStatus.CANCELLED.value,
                Engagement.status_reason: reason,
                Engagement.updated_at: now,
            }
        ).where(Engagement.id == engagement_id)
        await record_event(
            "engagement_cancelled",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={"invitees": len(invited), "told": told},
        )
    return told


async def engagement_record(engagement_id: int, facilitator: int | None = None) -> EngagementRecord:
    """One engagement with its facilitators and its invitations counted by status: three queries.
    With ``facilitator``, only if that account runs it."""
    row = await Engagement.select().where(Engagement.id == engagement_id).first()
    facilitators = await EngagementFacilitator.select(
        EngagementFacilitator.facilitator, EngagementFacilitator.facilitator.email
    ).where(EngagementFacilitator.engagement == engagement_id)
    ids = [found["facilitator"] for found in facilitators]
    if row is None or (facilitator is not None and facilitator not in ids):
        raise NoSuchEngagement()
    counts = await invitation_counts([engagement_id])
    return EngagementRecord(
        id=row["id"],
        plan=plan_of(row, ids),
        status=EngagementStatus(row["status"]),
        status_reason=row["status_reason"],
        facilitator_emails=tuple(sorted(found["facilitator.email"] for found in facilitators)),
        invitations=counts.get(engagement_id, {}),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


async def invitation_counts(engagement_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """For each engagement, its invitations counted by status: one query."""
    if not engagement_ids:
        return {}
    rows = await (
        Invitation.select(Invitation.engagement, Invitation.status, Count(alias="n"))
        .where(Invitation.engagement.is_in(list(engagement_ids)))
        .group_by(Invitation.engagement, Invitation.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for found in rows:
        counts.setdefault(found["engagement"], {})[found["status"]] = found["n"]
    return counts


ENGAGEMENTS_PER_PAGE = 25


@dataclass(frozen=True)
class EngagementList:
    rows: list[EngagementRow]
    total: int
    page: int
    pages: int


async def list_engagements(
    filters: ListFilters, page: int, zone: tzinfo, facilitator: int | None = None
) -> EngagementList:
    """A page of engagements, the latest date first, with their facilitators and how many
    accepted: four queries whatever the page holds. With ``facilitator``, only theirs."""
    conditions = []
    if filters.status:
        conditions.append(Engagement.status == filters.status)
    if filters.kind:
        conditions.append(Engagement.kind == filters.kind)
    if filters.month is not None:
        first = datetime.combine(filters.month, time(), tzinfo=zone)
        following = (filters.month + timedelta(days=32)).replace(day=1)
        conditions.append(Engagement.starts_at >= first)
        conditions.append(Engagement.starts_at < datetime.combine(following, time(), tzinfo=zone))
    for account in (filters.facilitator, facilitator):
        if account is not None:
            conditions.append(
                Engagement.id.is_in(
                    EngagementFacilitator.select(EngagementFacilitator.engagement).where(
                        EngagementFacilitator.facilitator == account
                    )
                )
            )
    total = await Engagement.count().where(*conditions)
    pages = max(1, -(-total // ENGAGEMENTS_PER_PAGE))
    page = min(max(page, 1), pages)
    found = await (
        Engagement.select(
            Engagement.id,
            Engagement.title,
            Engagement.kind,
            Engagement.status,
            Engagement.starts_at,
            Engagement.capacity,
        )
        .where(*conditions)
        .order_by(Engagement.starts_at, ascending=False)
        .order_by(Engagement.id, ascending=False)
        .limit(ENGAGEMENTS_PER_PAGE)
        .offset((page - 1) * ENGAGEMENTS_PER_PAGE)
    )
    ids = [row["id"] for row in found]
    emails: dict[int, list[str]] = {}
    if ids:
        for link in await EngagementFacilitator.select(
            EngagementFacilitator.engagement, EngagementFacilitator.facilitator.email
        ).where(EngagementFacilitator.engagement.is_in(ids)):
            emails.setdefault(link["engagement"], []).append(link["facilitator.email"])
    counts = await invitation_counts(ids)
    rows = [
        EngagementRow(
            id=row["id"],
            title=row["title"],
            kind=EngagementKind(row["kind"]),
            status=EngagementStatus(row["status"]),
            starts_at=row["starts_at"],
            capacity=row["capacity"],
            facilitator_emails=tuple(sorted(emails.get(row["id"], []))),
            accepted=sum(counts.get(row["id"], {}).get(status, 0) for status in ON_THE_REGISTER),
        )
        for row in found
    ]
    return EngagementList(rows, total, page, pages)


# ---------------------------------------------------------------------------------------------
# Participants and the register. A facilitator sees each participant's preferred name and what
# they need to take part: never their contact details or what happened to them.


@dataclass(frozen=True)
class Participant:
    invitation_id: int
    member_id: int
    name: str  # as staff pages show it: the preferred name, or the words for none
    preferred_name: str  # as they gave it ("" for none): what a note may name them by
    needs: tuple[str, ...]  # labels of ``members.rules.ACCESS_NEEDS``
    language: str  # when an interpreter is needed
    other_needs: str
    mark: str  # "" until the register is taken, else a ``RegisterMark``
    support_arranged: bool = False


async def participants(engagement_id: int) -> list[Participant]:
    """Everyone who accepted and is still on the panel, by preferred name, with what they need:
    what they told us for this session when they accepted, or else what their record says. Two
    queries."""
    rows = await (
        Invitation.select(
            Invitation.id,
            Invitation.member,
            Invitation.status,
            Invitation.session_needs,
            Invitation.session_needs_other,
            Invitation.support_arranged,
            Invitation.member.preferred_name.as_alias("name"),
        )
        .where(
            Invitation.engagement == engagement_id,
            Invitation.status.is_in(list(ON_THE_REGISTER)),
            Invitation.member.status != MemberStatus.ERASED,  # they left the panel
        )
        .order_by(Invitation.member.preferred_name)
        .order_by(Invitation.id)
    )
    needs = {
        row["member"]: row
        for row in await AccessNeeds.select().where(
            AccessNeeds.member.is_in([row["member"] for row in rows] or [0])
        )
    }
    labels = dict(ACCESS_NEEDS)
    found = []
    for row in rows:
        answered = needs.get(row["member"])
        language = answered["language"] if answered else ""
        if row["session_needs"]:  # told us when accepting
            codes = json.loads(row["session_needs"])
            other = row["session_needs_other"]
        else:
            codes = json.loads(answered["needs"] or "[]") if answered else []
            other = answered["other"] if answered else ""
        found.append(
            Participant(
                invitation_id=row["id"],
                member_id=row["member"],
                name=name_to_show(row["name"]),
                preferred_name=(row["name"] or "").strip(),
                needs=tuple(labels[code] for code in codes if code in labels),
                language=language if "interpreter" in codes else "",
                other_needs=other,
                mark="" if row["status"] == "accepted" else row["status"],
                support_arranged=row["support_arranged"],
            )
        )
    return found


class RegisterRefused(Exception):
    """The register cannot be taken now; the message says why."""


async def take_register(
    engagement_id: int,
    marks: dict[int, RegisterMark],
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Record the register: each invitation's mark, and an attendance for each person who came
    (at the session's start), which the contact limits and the directory count. Taking it again
    corrects it: an attendance recorded by mistake goes, and the member's last date with it.
    A fixed number of queries, however many are on the register."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        status = await locked_status(engagement_id)
        found = await engagement_record(engagement_id)
        problem = register_problem(status, found.plan.starts_at, now)
        if problem:
            raise RegisterRefused(problem)
        invitations = {
            row["id"]: row["member"]
            for row in await Invitation.select(Invitation.id, Invitation.member).where(
                Invitation.engagement == engagement_id,
                Invitation.status.is_in(list(ON_THE_REGISTER)),
                Invitation.member.status != MemberStatus.ERASED,
            )
        }
        if not set(marks) <= set(invitations):
            raise NoSuchInvitation()
        attended = {
            row["invitation"]
            for row in await Attendance.select(Attendance.invitation).where(
                Attendance.invitation.is_in(list(invitations) or [0])
            )
        }
        for mark in RegisterMark:
            given = [invitation_id for invitation_id, to in marks.items() if to is mark]
            if given:
                await Invitation.update({Invitation.status: mark.value}).where(
                    Invitation.id.is_in(given)
                )
        came = {invitation_id for invitation_id, to in marks.items() if to is RegisterMark.ATTENDED}
        await record_attendances(
            {invitation_id: invitations[invitation_id] for invitation_id in came - attended},
            found.plan.starts_at,
        )
        await forget_attendances(
            {
                invitation_id: invitations[invitation_id]
                for invitation_id in set(marks) & attended - came
            }
        )
        await record_event(
            "register_taken",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={
                mark.value: sum(1 for given in marks.values() if given is mark)
                for mark in RegisterMark
            },
        )


async def record_attendances(members_by_invitation: dict[int, int], attended_at: datetime) -> None:
    """People who came to a session, by invitation: two queries, however many."""
    if not members_by_invitation:
        return
    await Attendance.insert(
        *(
            Attendance(member=member_id, invitation=invitation_id, attended_at=attended_at)
            for invitation_id, member_id in sorted(members_by_invitation.items())
        )
    )
    await Member.update({Member.last_attended_at: attended_at}).where(
        Member.id.is_in(sorted(set(members_by_invitation.values()))),
        Member.last_attended_at.is_null() | (Member.last_attended_at < attended_at),
    )


# Each member's last date of taking part, worked out again from what is left.
LAST_ATTENDED_AGAIN_SQL = """
UPDATE member SET last_attended_at = (
    SELECT MAX(attendance.attended_at) FROM attendance WHERE attendance.member = member.id
) WHERE member.id IN ({})
"""


async def forget_attendances(members_by_invitation: dict[int, int]) -> None:
    """Attendances recorded by mistake: they go, and those members' last dates are worked out
    again: two queries, however many."""
    if not members_by_invitation:
        return
    await Attendance.delete().where(Attendance.invitation.is_in(sorted(members_by_invitation)))
    members = sorted(set(members_by_invitation.values()))
    await Member.raw(LAST_ATTENDED_AGAIN_SQL.format(", ".join("{}" for _ in members)), *members)


# ---------------------------------------------------------------------------------------------
# Partner agency reviewers of an independent review: staff of other agencies who review cases
# beside the panel's members. They are added by name and agency, get no panel account and are
# sent nothing by the panel: staff arrange their part directly.


class PartnersRefused(Exception):
    """Partner reviewers cannot be changed on this engagement; the message says why."""


@dataclass(frozen=True)
class Partner:
    id: int
    name: str
    agency: str


async def partners_of(engagement_id: int) -> list[Partner]:
    rows = await (
        PartnerReviewer.select(PartnerReviewer.id, PartnerReviewer.name, PartnerReviewer.agency)
        .where(PartnerReviewer.engagement == engagement_id)
        .order_by(PartnerReviewer.agency)
        .order_by(PartnerReviewer.name)
    )
    return [Partner(row["id"], row["name"], row["agency"]) for row in rows]


async def check_partners_may_change(engagement_id: int) -> None:
    status = await locked_status(engagement_id)
    kind = await Engagement.select(Engagement.kind).where(Engagement.id == engagement_id).first()
    if kind is None or kind["kind"] != EngagementKind.INDEPENDENT_REVIEW.value:
        raise PartnersRefused("Partner agency reviewers take part in independent reviews only.")
    if not may_be_changed(status):
        raise PartnersRefused(
            "It has been held or cancelled, so its reviewers can no longer change."
        )


async def add_partner(engagement_id: int, name: str, agency: str, actor: Actor) -> int:
    async with db.transaction():
        await check_partners_may_change(engagement_id)
        rows = await PartnerReviewer.insert(
            PartnerReviewer(
                engagement=engagement_id, name=name, agency=agency, added_by=actor.user_id
            )
        ).returning(PartnerReviewer.id)
        await record_event(
            "partner_reviewer_added", actor, object_type="engagement", object_id=engagement_id
        )
    return rows[0]["id"]


async def remove_partner(engagement_id: int, partner_id: int, actor: Actor) -> None:
    async with db.transaction():
        await check_partners_may_change(engagement_id)
        removed = (
            await PartnerReviewer.delete()
            .where(PartnerReviewer.id == partner_id, PartnerReviewer.engagement == engagement_id)
            .returning(PartnerReviewer.id)
        )
        if not removed:
            raise NoSuchEngagement()
        await record_event(
            "partner_reviewer_removed", actor, object_type="engagement", object_id=engagement_id
        )
