"""A member's record: pausing and resuming (the member's own choice, staff's, or the daily run at
the end of a pause), and emptying the record's personal columns when they are erased
(``panel.erasure`` calls it; what remains is the random pseudonym, dates and status).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from panel import db
from panel.audit.services import Actor, record_event, record_events
from panel.members.rules import MemberStatus
from panel.members.tables import Member
from panel.outbox.services import cancel_waiting
from panel.settings import Settings


class NoSuchMember(Exception):
    """There is no such member, or they have been erased."""


def local_midnight(day: date, settings: Settings) -> datetime:
    """The start of ``day`` in the panel's time zone, as a moment."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(settings.time_zone)).astimezone(UTC)


async def pause(
    member_id: int, until: datetime | None, actor: Actor, *, from_status: str | None = None
) -> bool:
    """Pause a membership (or change when a pause ends) until ``until``, or until they resume.

    Nothing waiting to be sent about the panel's work goes while they are paused: such messages
    are cancelled now, as a withdrawal cancels them; messages about their own account still go.
    With ``from_status``, only from that status: False when it changed meanwhile (a colleague)."""
    async with db.transaction():
        query = Member.update(
            {Member.status: MemberStatus.PAUSED, Member.paused_until: until}
        ).where(Member.id == member_id)
        if from_status is not None:
            query = query.where(Member.status == from_status)
        if not await query.returning(Member.id):
            return False
        await cancel_waiting(member_id)
        await record_event(
            "membership_paused",
            actor,
            object_type="member",
            object_id=member_id,
            detail={"until": until.isoformat() if until else "until resumed"},
        )
    return True


async def resume_memberships(member_ids: list[int], actor: Actor) -> None:
    """Back to active: by the member's own choice, staff's, or the daily run when a pause ends."""
    if not member_ids:
        return
    async with db.transaction():
        await Member.update({Member.status: MemberStatus.ACTIVE, Member.paused_until: None}).where(
            Member.id.is_in(member_ids), Member.status == MemberStatus.PAUSED
        )
        await record_events(
            "membership_resumed",
            actor,
            object_type="member",
            objects=[(member_id, None) for member_id in member_ids],
        )


async def erase_member_row(member_id: int, now: datetime) -> None:
    """Erasure's step for the member's own row: its personal columns emptied, the account let go;
    the pseudonym, dates and status stay for statistics that name no one."""
    await Member.update(
        {
            Member.user: None,
            Member.preferred_name: "",
            Member.phone: "",
            Member.postal_address: "",
            Member.district: "",
            Member.do_not_contact_reason: "",
            Member.ways_to_take_part: "[]",
            Member.formats: "[]",
            Member.status: MemberStatus.ERASED,
            Member.left_at: now,
            Member.erased_at: now,
        }
    ).where(Member.id == member_id)
