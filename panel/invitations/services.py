"""Inviting the people chosen for an engagement and taking their answers.

Staff send the invitations once a selection is made: the panel as it stands is invited through
the contact gate (``engagements.services.send_invitation``), each email with a personal link. The
link answers that one invitation without signing in; the member can answer in the portal too.
Accepting takes a place, or a place on the waiting list once the places are full, with what they
need for the session and whether they will claim travel or care costs. Declining or cancelling
frees a place: the first on the waiting list gets it, or else the next person chosen (the rest of
the panel, then the reserves in order) is invited, again through the gate. Reminders go before
the session to those coming (``send_reminders``, run daily).
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Event

from panel import db
from panel.audit.services import Actor, record_event
from panel.engagements.rules import (
    ON_THE_REGISTER,
    EngagementFormat,
    EngagementKind,
    EngagementStatus,
)
from panel.engagements.services import (
    OPEN_INVITATIONS,
    NoSuchEngagement,
    invitation_counts,
    keep_invitation_link,
    locked_status,
    send_invitation,
    spoken_date,
    spoken_time,
)
from panel.engagements.tables import Engagement, Invitation, InvitationLink
from panel.invitations.rules import (
    ANSWERS_TAKEN,
    Answer,
    InvitationStatus,
    Places,
    answers_open,
    next_to_ask,
    reminder_due,
    reminders_covered,
    status_after,
)
from panel.keys import token_hash
from panel.members.rules import ACCESS_NEEDS, MemberStatus, name_to_show
from panel.members.tables import AccessNeeds
from panel.notify.rules import GateOutcome
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.selections.services import NoSuchSelection, selection_record, selections_of
from panel.selections.tables import SelectionEntry
from panel.settings import Settings


class NoSuchInvitation(Exception):
    """No invitation answers to this link or belongs to this member."""


class AnswerRefused(Exception):
    """The answer cannot be given now; the message says why."""


class InvitingRefused(Exception):
    """Invitations cannot be sent now; the message says why."""


# ---------------------------------------------------------------------------------------------
# Sending


@dataclass(frozen=True)
class Session:
    """What an invitation email and the invitee's page need of the engagement."""

    id: int
    kind: EngagementKind
    status: EngagementStatus
    capacity: int
    starts_at: datetime
    ends_at: datetime


async def session_of(engagement_id: int) -> Session:
    row = await (
        Engagement.select(
            Engagement.id,
            Engagement.kind,
            Engagement.status,
            Engagement.capacity,
            Engagement.starts_at,
            Engagement.ends_at,
        )
        .where(Engagement.id == engagement_id)
        .first()
    )
    if row is None:
        raise NoSuchEngagement()
    return Session(
        row["id"],
        EngagementKind(row["kind"]),
        EngagementStatus(row["status"]),
        row["capacity"],
        row["starts_at"],
        row["ends_at"],
    )


def personal_link(settings: Settings) -> tuple[str, str]:
    """A new token and the address that carries it."""
    token = secrets.token_urlsafe(32)
    return token, messages.ANSWER_INVITATION.url(settings.base_url, token=token)


def session_words(session: Session, settings: Settings) -> dict[str, Any]:
    return {
        "session_date": spoken_date(session.starts_at, settings),
        "session_time": spoken_time(session.starts_at, session.ends_at, settings),
    }


async def invite_one(member_id: int, session: Session, settings: Settings, now: datetime) -> bool:
    """Invite one member through the contact gate, with a personal link; whether it went (or will
    go at their next safe time)."""
    token, link = personal_link(settings)
    decision = await send_invitation(
        member_id,
        session.kind.value,
        messages.SESSION_INVITATION,
        session.kind.consent_needed,
        settings,
        engagement_id=session.id,
        now=now,
        link_token=token,
        link=link,
        **session_words(session, settings),
    )
    return decision.outcome is not GateOutcome.REFUSE


async def chosen_in_order(engagement_id: int) -> tuple[list[int], list[int]]:
    """The latest selection's panel as it stands and its reserves in order, by member id."""
    found = await selections_of(engagement_id)
    if not found:
        return [], []
    record = await selection_record(found[0].id, engagement_id)
    return (
        [member.member_id for member in record.panel],
        [member.member_id for member in record.reserves],
    )


async def invited_members(engagement_id: int) -> set[int]:
    return {
        row["member"]
        for row in await Invitation.select(Invitation.member).where(
            Invitation.engagement == engagement_id
        )
    }


@dataclass(frozen=True)
class Sent:
    invited: int = 0  # invitations the gate let through
    not_now: int = 0  # people the gate would not let an invitation reach
    promoted: int = 0  # from the waiting list to a place


async def send_invitations(
    engagement_id: int, actor: Actor, settings: Settings, now: datetime | None = None
) -> Sent:
    """Invite the latest selection's panel as it stands (everyone not yet invited). Anyone the
    gate will not let an invitation reach is passed over, and the next person chosen is asked."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        status = await locked_status(engagement_id)
        if status is not EngagementStatus.RECRUITING:
            raise InvitingRefused(
                "Invitations go out only while recruiting: start recruiting first."
            )
        panel, reserves = await chosen_in_order(engagement_id)
        if not panel:
            raise InvitingRefused("Choose who to invite first: there is no selection yet.")
        session = await session_of(engagement_id)
        if now >= session.starts_at:
            raise InvitingRefused("The session has started, so no one can be invited to it now.")
        already = await invited_members(engagement_id)
        invited = 0
        passed_over: set[int] = set()
        for member_id in next_to_ask(panel, already):
            if await invite_one(member_id, session, settings, now):
                invited += 1
            else:
                passed_over.add(member_id)
        later = [member for member in panel + reserves if member not in passed_over]
        filled = await fill_places(session, settings, now, later)
        not_now = len(passed_over)
        sent = Sent(invited + filled.invited, not_now + filled.not_now, filled.promoted)
        await record_event(
            "invitations_sent",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={"invited": sent.invited, "not_now": sent.not_now},
        )
    return sent


async def places_of(session: Session) -> Places:
    counts = (await invitation_counts([session.id])).get(session.id, {})
    return Places(
        capacity=session.capacity,
        accepted=counts.get(InvitationStatus.ACCEPTED.value, 0),
        invited=counts.get(InvitationStatus.INVITED.value, 0),
        waiting=counts.get(InvitationStatus.WAITING.value, 0),
    )


async def fill_places(
    session: Session, settings: Settings, now: datetime, candidates: Sequence[int] | None = None
) -> Sent:
    """Give places that are free to the waiting list, first come first served, then invite the
    next people chosen until everyone still to answer could fill the places left. Call in the
    transaction that freed the place, with the engagement's row locked."""
    if session.status not in ANSWERS_TAKEN or now >= session.starts_at:
        return Sent()
    places = await places_of(session)
    promoted = 0
    if places.to_promote:
        waiting = await (
            Invitation.select(Invitation.id, Invitation.member)
            .where(
                Invitation.engagement == session.id,
                Invitation.status == InvitationStatus.WAITING.value,
            )
            .order_by(Invitation.responded_at)
            .order_by(Invitation.id)
            .limit(places.to_promote)
        )
        for row in waiting:
            await Invitation.update({Invitation.status: InvitationStatus.ACCEPTED.value}).where(
                Invitation.id == row["id"]
            )
            await tell_with_link(
                row["id"], row["member"], messages.PLACE_OFFERED, session, settings, now
            )
            promoted += 1
    wanted = places.to_invite
    invited = not_now = 0
    if wanted:
        if candidates is None:
            panel, reserves = await chosen_in_order(session.id)
            candidates = panel + reserves
        for member_id in next_to_ask(candidates, await invited_members(session.id)):
            if invited == wanted:
                break
            if await invite_one(member_id, session, settings, now):
                invited += 1
            else:
                not_now += 1
    return Sent(invited, not_now, promoted)


async def tell_with_link(
    invitation_id: int,
    member_id: int,
    kind: messages.MessageKind,
    session: Session,
    settings: Settings,
    now: datetime,
) -> bool:
    """An email about an invitation with a new personal link to it, through the gate; whether
    the gate let it through."""
    token, link = personal_link(settings)
    decision = await send_to_member(
        member_id,
        kind,
        session.kind.consent_needed,
        settings,
        now,
        link=link,
        **session_words(session, settings),
    )
    if decision.outcome is GateOutcome.REFUSE:
        return False
    await keep_invitation_link(invitation_id, member_id, token, now)
    return True


# ---------------------------------------------------------------------------------------------
# Answering


@dataclass(frozen=True)
class AcceptDetails:
    """What a member tells us when they accept."""

    needs: tuple[str, ...] = ()  # ``members.rules.ACCESS_NEEDS`` codes
    other_needs: str = ""
    claims_travel: bool = False
    claims_care: bool = False


async def invitation_for_link(token: str, now: datetime | None = None) -> int:
    """The invitation a personal link answers, until its session ends."""
    now = now or datetime.now(UTC)
    link = await (
        InvitationLink.select(InvitationLink.invitation)
        .where(InvitationLink.token_hash == token_hash(token))
        .first()
    )
    if link is None:
        raise NoSuchInvitation()
    row = await (
        Invitation.select(Invitation.engagement.ends_at.as_alias("ends_at"))
        .where(Invitation.id == link["invitation"])
        .first()
    )
    if row is None or row["ends_at"] is None or now >= row["ends_at"]:
        raise NoSuchInvitation()
    return link["invitation"]


async def answer_invitation(
    invitation_id: int,
    answer: Answer,
    actor: Actor,
    settings: Settings,
    details: AcceptDetails | None = None,
    member_id: int | None = None,
    now: datetime | None = None,
) -> InvitationStatus:
    """Record the member's answer, once: accepting takes a place or joins the waiting list;
    declining or cancelling frees what they held for the next person. With ``member_id``, only
    that member's invitation. The audit records the answer, never the needs."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        found = (
            await Invitation.select(Invitation.member, Invitation.engagement)
            .where(Invitation.id == invitation_id)
            .first()
        )
        if found is None or found["engagement"] is None:
            raise NoSuchInvitation()
        if member_id is not None and found["member"] != member_id:
            raise NoSuchInvitation()
        # Answers to one session are taken one at a time, and read only once it is their turn.
        await locked_status(found["engagement"])
        session = await session_of(found["engagement"])
        row = (
            await Invitation.select(Invitation.status).where(Invitation.id == invitation_id).first()
        )
        if row is None:  # pragma: no cover - the invitation was read above in this transaction
            raise NoSuchInvitation()
        if answer not in answers_open(row["status"], session.status, session.starts_at, now):
            raise AnswerRefused(refusal(row["status"], session, now))
        places = await places_of(session)
        status = status_after(answer, places.accepted, session.capacity)
        change: dict[Any, Any] = {Invitation.status: status.value, Invitation.responded_at: now}
        if answer is Answer.ACCEPT:
            details = details or AcceptDetails()
            change |= {
                Invitation.session_needs: json.dumps(list(details.needs)),
                Invitation.session_needs_other: details.other_needs,
                Invitation.claims_travel: details.claims_travel,
                Invitation.claims_care: details.claims_care,
            }
        await Invitation.update(change).where(Invitation.id == invitation_id)
        if answer is not Answer.ACCEPT:
            await fill_places(session, settings, now)
        await record_event(
            "invitation_answered",
            actor,
            object_type="engagement",
            object_id=session.id,
            detail={"answer": answer.value, "status": status.value},
        )
    return status


def refusal(status: str, session: Session, now: datetime) -> str:
    if session.status is EngagementStatus.CANCELLED:
        return "This meeting has been cancelled, so there is nothing to answer."
    if now >= session.starts_at or session.status not in ANSWERS_TAKEN:
        return "This meeting has started or taken place, so the answer can no longer change."
    if status == InvitationStatus.INVITED:
        return "Accept or decline the invitation first."
    return "You have already answered this invitation."


# ---------------------------------------------------------------------------------------------
# What the invitee sees


@dataclass(frozen=True)
class InvitationView:
    """One invitation as its member sees it: the session as staff described it for invitees,
    their answer and what they can still do."""

    id: int
    status: str
    kind: EngagementKind
    engagement_status: EngagementStatus
    title: str
    description: str
    format: EngagementFormat
    venue_name: str
    venue_address: str
    venue_access: str
    joining_link: str  # only for those coming, once the session is confirmed
    starts_at: datetime
    ends_at: datetime
    support_worker_present: bool
    quiet_room: bool
    aftercare: str
    answers: tuple[Answer, ...]
    waiting_place: int | None  # their place in the queue, when waiting
    needs: tuple[str, ...]  # the labels of what they said they need for the session
    other_needs: str
    claims_travel: bool
    claims_care: bool
    recorded_needs: tuple[str, ...] = field(default=())  # codes from their profile, to start from

    @property
    def coming(self) -> bool:
        return self.status == InvitationStatus.ACCEPTED


async def invitation_view(
    invitation_id: int, member_id: int | None = None, now: datetime | None = None
) -> InvitationView:
    """Three queries. With ``member_id``, only that member's invitation."""
    now = now or datetime.now(UTC)
    row = await (
        Invitation.select(
            *Invitation.all_columns(),
            *(
                getattr(Invitation.engagement, name).as_alias(f"e_{name}")
                for name in (
                    "status",
                    "kind",
                    "title",
                    "public_description",
                    "format",
                    "venue_name",
                    "venue_address",
                    "venue_access",
                    "joining_link",
                    "starts_at",
                    "ends_at",
                    "support_worker_present",
                    "quiet_room",
                    "aftercare",
                )
            ),
        )
        .where(Invitation.id == invitation_id, Invitation.engagement.is_not_null())
        .first()
    )
    if row is None or (member_id is not None and row["member"] != member_id):
        raise NoSuchInvitation()
    engagement_status = EngagementStatus(row["e_status"])
    waiting_place = None
    if row["status"] == InvitationStatus.WAITING:
        waiting_place = 1 + await Invitation.count().where(
            Invitation.engagement == row["engagement"],
            Invitation.status == InvitationStatus.WAITING.value,
            (Invitation.responded_at < row["responded_at"])
            | ((Invitation.responded_at == row["responded_at"]) & (Invitation.id < row["id"])),
        )
    recorded = (
        await AccessNeeds.select(AccessNeeds.needs)
        .where(AccessNeeds.member == row["member"])
        .first()
    )
    labels = dict(ACCESS_NEEDS)
    needs = json.loads(row["session_needs"] or "[]")
    confirmed = engagement_status is EngagementStatus.CONFIRMED
    return InvitationView(
        id=row["id"],
        status=row["status"],
        kind=EngagementKind(row["e_kind"]),
        engagement_status=engagement_status,
        title=row["e_title"],
        description=row["e_public_description"],
        format=EngagementFormat(row["e_format"]),
        venue_name=row["e_venue_name"],
        venue_address=row["e_venue_address"],
        venue_access=row["e_venue_access"],
        joining_link=row["e_joining_link"] if confirmed and row["status"] == "accepted" else "",
        starts_at=row["e_starts_at"],
        ends_at=row["e_ends_at"],
        support_worker_present=row["e_support_worker_present"],
        quiet_room=row["e_quiet_room"],
        aftercare=row["e_aftercare"],
        answers=answers_open(row["status"], engagement_status, row["e_starts_at"], now),
        waiting_place=waiting_place,
        needs=tuple(labels[code] for code in needs if code in labels),
        other_needs=row["session_needs_other"],
        claims_travel=row["claims_travel"],
        claims_care=row["claims_care"],
        recorded_needs=tuple(json.loads(recorded["needs"] or "[]")) if recorded else (),
    )


@dataclass(frozen=True)
class InvitationLine:
    id: int
    title: str
    starts_at: datetime
    status: str
    answers: tuple[Answer, ...]


async def member_invitations(member_id: int, now: datetime | None = None) -> list[InvitationLine]:
    """The member's invitations to sessions, the soonest still to come first, then the past
    ones latest first: one query."""
    now = now or datetime.now(UTC)
    rows = await (
        Invitation.select(
            Invitation.id,
            Invitation.status,
            Invitation.engagement.title.as_alias("title"),
            Invitation.engagement.starts_at.as_alias("starts_at"),
            Invitation.engagement.status.as_alias("engagement_status"),
        )
        .where(Invitation.member == member_id, Invitation.engagement.is_not_null())
        .order_by(Invitation.engagement.starts_at, ascending=False)
    )
    lines = [
        InvitationLine(
            row["id"],
            row["title"],
            row["starts_at"],
            row["status"],
            answers_open(
                row["status"], EngagementStatus(row["engagement_status"]), row["starts_at"], now
            ),
        )
        for row in rows
    ]
    coming = sorted((line for line in lines if line.starts_at > now), key=lambda x: x.starts_at)
    return coming + [line for line in lines if line.starts_at <= now]


def calendar_file(view: InvitationView, settings: Settings) -> bytes:
    """The session as a calendar entry, holding no words that say what it is about: a calendar
    is often shared or seen on a locked phone's screen."""
    calendar = Calendar()
    calendar.add("prodid", "-//Engagement panel//Meeting//EN")
    calendar.add("version", "2.0")
    event = Event()
    # The same entry each time it is downloaded, so a calendar updates it rather than adding one;
    # the id says nothing about the member or the session.
    uid = uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.secret_key}:{view.id}")
    event.add("uid", f"{uid}@{settings.base_url.split('//')[-1].split('/')[0]}")
    event.add("summary", "Meeting")
    event.add("dtstart", view.starts_at.astimezone(UTC))
    event.add("dtend", view.ends_at.astimezone(UTC))
    event.add("dtstamp", datetime.now(UTC))
    event.add("description", "The details are in the email we sent you and in your account.")
    calendar.add_component(event)
    return calendar.to_ical()


# ---------------------------------------------------------------------------------------------
# Reminders


async def free_places_of_those_who_left(settings: Settings, now: datetime | None = None) -> int:
    """Open invitations to sessions still to come, of members who have since left the panel:
    cancelled, and each place given on as when someone cancels (the waiting list first, then
    the next chosen). Leaving erases the member at once; this, in the daily job, passes their
    place on. Returns how many invitations it cancelled."""
    now = now or datetime.now(UTC)
    rows = await Invitation.select(Invitation.id, Invitation.engagement).where(
        Invitation.status.is_in(list(OPEN_INVITATIONS)),
        Invitation.member.status == MemberStatus.ERASED,
        Invitation.engagement.starts_at > now,
    )
    by_session: dict[int, list[int]] = {}
    for row in rows:
        by_session.setdefault(row["engagement"], []).append(row["id"])
    for engagement_id, invitation_ids in sorted(by_session.items()):
        async with db.transaction():
            await locked_status(engagement_id)
            await Invitation.update(
                {
                    Invitation.status: InvitationStatus.CANCELLED.value,
                    Invitation.responded_at: now,
                }
            ).where(Invitation.id.is_in(invitation_ids))
            await fill_places(await session_of(engagement_id), settings, now)
    return sum(len(ids) for ids in by_session.values())


async def send_reminders(settings: Settings, now: datetime | None = None) -> int:
    """Remind everyone coming to a session of it, so many days before (a setting): one query to
    find them, then one email each through the gate. Returns how many were sent."""
    now = now or datetime.now(UTC)
    days_before = settings.invitation_reminder_days
    if not days_before:
        return 0
    rows = await Invitation.select(
        Invitation.id,
        Invitation.member,
        Invitation.engagement,
        Invitation.responded_at,
        Invitation.invited_at,
        Invitation.reminders_sent,
        Invitation.engagement.starts_at.as_alias("starts_at"),
    ).where(
        Invitation.status == InvitationStatus.ACCEPTED.value,
        Invitation.engagement.status.is_in([status.value for status in ANSWERS_TAKEN]),
        Invitation.engagement.starts_at > now,
    )
    sent = 0
    for row in rows:
        already = json.loads(row["reminders_sent"] or "[]")
        due = reminder_due(
            row["starts_at"], row["responded_at"] or row["invited_at"], now, days_before, already
        )
        if due is None:
            continue
        async with db.transaction():
            session = await session_of(row["engagement"])
            if await tell_with_link(
                row["id"], row["member"], messages.SESSION_REMINDER, session, settings, now
            ):
                sent += 1
            # Not sent (the member's choices changed): not tried again either.
            await Invitation.update(
                {Invitation.reminders_sent: json.dumps(reminders_covered(due, days_before))}
            ).where(Invitation.id == row["id"])
    return sent


# ---------------------------------------------------------------------------------------------
# The staff view of an engagement's invitations


@dataclass(frozen=True)
class Invitee:
    invitation_id: int
    name: str
    status: str
    invited_at: datetime
    responded_at: datetime | None
    chance: float | None  # their chance in the latest selection
    needs: tuple[str, ...]
    other_needs: str
    claims_travel: bool
    claims_care: bool
    support_arranged: bool


@dataclass(frozen=True)
class Invitations:
    invitees: list[Invitee]
    places: Places
    selection_id: int | None
    left_to_ask: int  # the chosen not yet invited


async def engagement_invitations(engagement_id: int) -> Invitations:
    """Everyone invited to an engagement with their answers and chances: a fixed number of
    queries, however many were invited."""
    session = await session_of(engagement_id)
    rows = await (
        Invitation.select(
            *Invitation.all_columns(), Invitation.member.preferred_name.as_alias("name")
        )
        .where(Invitation.engagement == engagement_id)
        .order_by(Invitation.invited_at)
        .order_by(Invitation.id)
    )
    found = await selections_of(engagement_id)
    selection_id = found[0].id if found else None
    chances: dict[int, float] = {}
    left = 0
    if selection_id is not None:
        chances = {
            entry["member"]: entry["probability"]
            for entry in await SelectionEntry.select(
                SelectionEntry.member, SelectionEntry.probability
            ).where(
                SelectionEntry.selection == selection_id,
                SelectionEntry.member.is_in([row["member"] for row in rows] or [0]),
            )
        }
        try:
            panel, reserves = await chosen_in_order(engagement_id)
        except NoSuchSelection:  # pragma: no cover - the selection was just listed
            panel, reserves = [], []
        left = len(next_to_ask(panel + reserves, {row["member"] for row in rows}))
    labels = dict(ACCESS_NEEDS)
    invitees = [
        Invitee(
            invitation_id=row["id"],
            name=name_to_show(row["name"]),
            status=row["status"],
            invited_at=row["invited_at"],
            responded_at=row["responded_at"],
            chance=chances.get(row["member"]),
            needs=tuple(
                labels[code] for code in json.loads(row["session_needs"] or "[]") if code in labels
            ),
            other_needs=row["session_needs_other"],
            claims_travel=row["claims_travel"],
            claims_care=row["claims_care"],
            support_arranged=row["support_arranged"],
        )
        for row in rows
    ]
    return Invitations(invitees, await places_of(session), selection_id, left)


async def arrange_support(
    engagement_id: int, invitation_id: int, arranged: bool, actor: Actor
) -> None:
    """Staff say they have (or have not yet) arranged what someone coming needs."""
    async with db.transaction():
        updated = (
            await Invitation.update({Invitation.support_arranged: arranged})
            .where(
                Invitation.id == invitation_id,
                Invitation.engagement == engagement_id,
                Invitation.status.is_in([*list(ON_THE_REGISTER), InvitationStatus.WAITING.value]),
            )
            .returning(Invitation.id)
        )
        if not updated:
            raise NoSuchInvitation()
        await record_event(
            "invitation_support_arranged",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={"invitation_id": invitation_id, "arranged": arranged},
        )
