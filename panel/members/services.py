"""A member's record: what they told us as staff read it; pausing and resuming (the member's own
choice, staff's, or the daily run at the end of a pause); and emptying the record's personal
columns when they are erased (``panel.erasure`` calls it; the random pseudonym, dates and status
remain).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from panel import db
from panel.audit.services import Actor, record_event, record_events
from panel.members.reference import ReferenceData
from panel.members.rules import (
    ACCESS_NEEDS,
    COURT_CASE,
    FORMATS,
    INVOLVEMENT,
    PREFER_NOT,
    PREFER_NOT_LABEL,
    WAYS_TO_TAKE_PART,
    ContactChannel,
    MemberStatus,
    describe_safe_times,
    label_of,
    safe_windows_from_json,
)
from panel.members.tables import AccessNeeds, ContactPreference, ExperienceProfile, Member
from panel.outbox.services import cancel_waiting
from panel.settings import Settings


class NoSuchMember(Exception):
    """There is no such member, or they have been erased."""


# ---------------------------------------------------------------------------------------------
# What a member told us, as staff read it


@dataclass(frozen=True)
class ChannelDetails:
    label: str
    safe: bool
    safe_times: list[str]  # empty: any time
    voicemail_allowed: bool
    code_word: str


def answer(code: str, options: tuple[tuple[str, str], ...] = ()) -> str:
    """One stored answer as a screener reads it; blank when they did not answer."""
    if not code:
        return ""
    return (
        label_of(options, code) if options else (PREFER_NOT_LABEL if code == PREFER_NOT else code)
    )


def codes_in(text: str) -> list[str]:
    value = json.loads(text or "[]")
    return [str(code) for code in value] if isinstance(value, list) else []


@dataclass(frozen=True)
class MemberProfile:
    """What a member told us, as staff read it (screening their application, opening their
    record). Not their equality answers: those are special category data, for reports only."""

    member_id: int
    status: str
    preferred_name: str
    email: str
    phone: str
    postal_address: str
    district: str
    applied_at: datetime
    verified_at: datetime | None
    involvement: str
    crime_types: list[str]
    year: str
    court_case: str
    access_needs: list[str]
    language: str
    other_needs: str
    ways_to_take_part: list[str]
    formats: list[str]
    channels: list[ChannelDetails]


async def load_profile(member_id: int, reference: ReferenceData) -> MemberProfile:
    """Four queries. Raises ``NoSuchMember`` for one erased: only a pseudonym is left of them."""
    member = await (
        Member.select(
            *Member.all_columns(exclude=[Member.user]), Member.user.email.as_alias("email")
        )
        .where(Member.id == member_id, Member.status != MemberStatus.ERASED.value)
        .first()
    )
    if member is None:
        raise NoSuchMember()
    experience = (
        await ExperienceProfile.select().where(ExperienceProfile.member == member_id).first() or {}
    )
    needs = await AccessNeeds.select().where(AccessNeeds.member == member_id).first() or {}
    preferences = {
        row["channel"]: row
        for row in await ContactPreference.select().where(ContactPreference.member == member_id)
    }
    crime_types = codes_in(experience.get("crime_types", "[]"))
    return MemberProfile(
        member_id=member_id,
        status=member["status"],
        preferred_name=member["preferred_name"],
        email=member["email"] or "",
        phone=member["phone"],
        postal_address=member["postal_address"],
        district=reference.district_label(member["district"]) or member["district"],
        applied_at=member["created_at"],
        verified_at=member["verified_at"],
        involvement=answer(experience.get("involvement", ""), INVOLVEMENT),
        crime_types=[
            PREFER_NOT_LABEL if code == PREFER_NOT else reference.crime_type_label(code) or code
            for code in crime_types
        ],
        year=answer(experience.get("year", "")),
        court_case=answer(experience.get("court_case", ""), COURT_CASE),
        access_needs=[label_of(ACCESS_NEEDS, code) for code in codes_in(needs.get("needs", "[]"))],
        language=needs.get("language", ""),
        other_needs=needs.get("other", ""),
        ways_to_take_part=[
            label_of(WAYS_TO_TAKE_PART, code) for code in codes_in(member["ways_to_take_part"])
        ],
        formats=[label_of(FORMATS, code) for code in codes_in(member["formats"])],
        channels=[
            ChannelDetails(
                label=channel.label,
                safe=bool(row and row["safe"]),
                safe_times=describe_safe_times(safe_windows_from_json(row["safe_times"]))
                if row
                else [],
                voicemail_allowed=bool(row and row["voicemail_allowed"]),
                code_word=row["code_word"] if row else "",
            )
            for channel in ContactChannel
            for row in [preferences.get(channel.value)]
        ],
    )


# ---------------------------------------------------------------------------------------------
# Pausing and resuming


async def members_named(member_ids: set[int], user_ids: set[int]) -> list[dict[str, Any]]:
    """The name, status and account of each of these members, and of the members whose accounts
    these are: one query."""
    if not member_ids and not user_ids:
        return []
    return await Member.select(
        Member.id, Member.preferred_name, Member.status, Member.user.as_alias("user_id")
    ).where(Member.id.is_in(list(member_ids) or [-1]) | Member.user.is_in(list(user_ids) or [-1]))


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
