"""A member's record: what they told us as staff read it; changing it (the member on their own
pages, or staff on their behalf: one service for both, so a change is stored and audited the same
way whoever makes it); pausing and resuming (the member's own choice, staff's, or the daily run at
the end of a pause); and emptying the record's personal columns when they are erased
(``panel.erasure`` calls it; the random pseudonym, dates and status remain).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from panel import db
from panel.audit.services import Actor, record_event, record_events
from panel.members.forms import Access, Details, Experience, SafeContact, TakingPart
from panel.members.reference import ReferenceData
from panel.members.rules import (
    ACCESS_NEEDS,
    COURT_CASE,
    FORMATS,
    INVOLVEMENT,
    PHONE,
    POSTAL_ADDRESS,
    PREFER_NOT,
    PREFER_NOT_LABEL,
    WAYS_TO_TAKE_PART,
    ContactChannel,
    DetailsChange,
    MemberStatus,
    describe_safe_times,
    details_change,
    label_of,
    safe_windows_from_json,
)
from panel.members.tables import AccessNeeds, ContactPreference, ExperienceProfile, Member
from panel.outbox.services import cancel_all_waiting, cancel_waiting
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
# Changing what they told us: the member on their own pages (``panel.portal``), or staff on their
# behalf (``panel.directory``). Each change is one transaction with its audit event, which names
# the topic changed and never a value.

# A member who has left is erased (at once, or by the daily run): nothing of theirs changes now.
UNCHANGEABLE = frozenset({MemberStatus.LEFT.value, MemberStatus.ERASED.value})


CHANGEABLE_MEMBER_SQL = (
    'SELECT m.*, u.email AS email FROM member m LEFT JOIN panel_user u ON u.id = m."user" WHERE '
)


async def changeable_member(member_id: int) -> dict[str, Any]:
    """The member row with their account's ``email``, to show in a form or to change. Raises
    ``NoSuchMember`` for no such member, or one who has left or been erased."""
    return changeable(await db.fetch_small(CHANGEABLE_MEMBER_SQL + "m.id = {}", member_id))


async def changeable_member_of_user(user_id: int) -> dict[str, Any]:
    """As ``changeable_member``, for the member whose account is ``user_id`` (their own pages)."""
    rows = await db.fetch_small(CHANGEABLE_MEMBER_SQL + 'm."user" = {} LIMIT 1', user_id)
    return changeable(rows)


def changeable(rows: list[dict[str, Any]]) -> dict[str, Any]:
    row = rows[0] if rows else None
    if row is None or row["status"] in UNCHANGEABLE:
        raise NoSuchMember()
    return row


async def contact_preference_rows(member_id: int) -> list[dict[str, Any]]:
    return await ContactPreference.select().where(ContactPreference.member == member_id)


async def access_needs_row(member_id: int) -> dict[str, Any]:
    """Their ``AccessNeeds`` row, or {} when they have told us none."""
    return await AccessNeeds.select().where(AccessNeeds.member == member_id).first() or {}


async def experience_row(member_id: int) -> dict[str, Any]:
    """Their ``ExperienceProfile`` row, or {} when they have told us nothing of it."""
    row = await ExperienceProfile.select().where(ExperienceProfile.member == member_id).first()
    return row or {}


async def record_profile_change(member_id: int, topic: str, actor: Actor, by_staff: bool) -> None:
    await record_event(
        "member_profile_changed_by_staff" if by_staff else "member_profile_changed",
        actor,
        object_type="member",
        object_id=member_id,
        detail={"topic": topic},
    )


# Without a number or an address there is no safe way to call, text or write: those channels are
# marked not safe when the number or address is removed, so the contact gate never uses a stale
# answer.
CHANNELS_NEEDING_PHONE = [ContactChannel.PHONE_CALL.value, ContactChannel.TEXT_MESSAGE.value]
CHANNELS_NEEDING_ADDRESS = [ContactChannel.POST.value]


async def save_details(
    member_id: int, details: Details, actor: Actor, *, by_staff: bool = False
) -> DetailsChange:
    """What to call them, their phone number, address and district (not their email address:
    that is their account's, changed only once the new one is confirmed).

    Changing one never changes another: a channel's safety changes only when its phone number or
    address is removed (it cannot be used without one, so it is marked not safe, as the contact
    page would write it). Returns what the change did to their channels, for the page to say."""
    async with db.transaction():
        await changeable_member(member_id)
        before = await (
            Member.select(Member.phone, Member.postal_address).where(Member.id == member_id).first()
        )
        safe_rows = await ContactPreference.select(ContactPreference.channel).where(
            ContactPreference.member == member_id, ContactPreference.safe.eq(True)
        )
        change = details_change(
            before or {},
            {PHONE: details.phone, POSTAL_ADDRESS: details.postal_address},
            {ContactChannel(row["channel"]) for row in safe_rows},
        )
        await Member.update(
            {
                Member.preferred_name: details.preferred_name,
                Member.phone: details.phone,
                Member.postal_address: details.postal_address,
                Member.district: details.district,
            }
        ).where(Member.id == member_id)
        if change.stopped:
            await ContactPreference.update(
                {
                    ContactPreference.safe: False,
                    ContactPreference.safe_times: "[]",
                    ContactPreference.voicemail_allowed: False,
                }
            ).where(
                ContactPreference.member == member_id,
                ContactPreference.channel.is_in([channel.value for channel in change.stopped]),
            )
        await record_profile_change(member_id, "details", actor, by_staff)
    return change


async def save_safe_contact(
    member_id: int, contact: SafeContact, actor: Actor, *, by_staff: bool = False
) -> None:
    """Every channel's answer replaced at once: a row per channel, as sign-up writes them.

    When email is no longer safe, nothing waiting in the outbox for them goes: the gate let it
    in when email was safe, and it must not leave now that it is not.
    """
    async with db.transaction():
        await changeable_member(member_id)
        await ContactPreference.delete().where(ContactPreference.member == member_id)
        await ContactPreference.insert(
            *(
                ContactPreference(member=member_id, **columns)
                for columns in contact.preference_rows()
            )
        )
        if not contact.channel(ContactChannel.EMAIL).safe:
            await cancel_all_waiting(member_id)
        await record_profile_change(member_id, "safe contact", actor, by_staff)


async def save_access_needs(
    member_id: int, access: Access, actor: Actor, *, by_staff: bool = False
) -> None:
    async with db.transaction():
        await changeable_member(member_id)
        await AccessNeeds.delete().where(AccessNeeds.member == member_id)
        await AccessNeeds.insert(AccessNeeds(member=member_id, **access.columns()))
        await record_profile_change(member_id, "access needs", actor, by_staff)


async def save_experience(member_id: int, experience: Experience, actor: Actor) -> None:
    async with db.transaction():
        await changeable_member(member_id)
        await ExperienceProfile.delete().where(ExperienceProfile.member == member_id)
        await ExperienceProfile.insert(ExperienceProfile(member=member_id, **experience.columns()))
        await record_profile_change(member_id, "experience", actor, by_staff=False)


async def save_taking_part(member_id: int, taking_part: TakingPart, actor: Actor) -> None:
    async with db.transaction():
        await changeable_member(member_id)
        await Member.update(
            {
                Member.ways_to_take_part: json.dumps(list(taking_part.ways)),
                Member.formats: json.dumps(list(taking_part.formats)),
            }
        ).where(Member.id == member_id)
        await record_profile_change(member_id, "ways to take part", actor, by_staff=False)


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
