"""The signed-in member's own pages: what is next for them, what they have agreed to, pausing,
their data, and leaving.

Every function starts from the signed-in user's id and finds the member from it, never from an id
a request names, so a member can only ever see or change their own record. Each read is a fixed
number of queries, however long the member's history is.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from panel import db
from panel.accounts.rules import ROLE_LABELS, Role
from panel.accounts.tables import User
from panel.audit.services import ACTIONS, Actor, record_event
from panel.audit.tables import AuditEvent
from panel.consent.rules import (
    CHANNEL_LABELS,
    REMINDER_DAYS_BEFORE_LAPSE,
    TAKING_PART,
    Channel,
    Consent,
    ConsentState,
    Purpose,
    on_hold,
    purposes_ended_by_withdrawal,
    ways_after_decision,
)
from panel.consent.services import (
    HISTORY_COLUMNS,
    Published,
    Wording,
    consents_from_history,
    consents_of,
    history_of,
    newest_wording,
    published,
    published_wordings,
    record_consent,
    wording_titles,
)
from panel.erasure import leave_and_erase
from panel.members import services as members
from panel.members.forms import (
    WHOLE_DAY,
    Access,
    Details,
    Equality,
    Experience,
    SafeContact,
    TakingPart,
)
from panel.members.reference import ReferenceData
from panel.members.rules import (
    ACCESS_NEEDS,
    CHANNEL_NEEDS,
    COURT_CASE,
    EQUALITY_QUESTIONS,
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
    describe_days,
    label_of,
    pause_ends_on,
    pause_has_ended,
    usable_channels,
)
from panel.members.services import NoSuchMember, local_midnight, pause, resume_memberships
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.settings import Settings
from panel.web.templating import TIME_ZONE_LABEL, local_formats

RENEWAL_OPENS = timedelta(days=max(REMINDER_DAYS_BEFORE_LAPSE))
STATUS_LABELS = {
    MemberStatus.APPLIED: "Applied: email address not yet confirmed",
    MemberStatus.VERIFIED: "Applied: we are checking your application",
    MemberStatus.ACTIVE: "Member",
    MemberStatus.PAUSED: "Member, paused",
    MemberStatus.DECLINED: "Application not accepted",
}


class PortalError(Exception):
    """Something a member asked for that cannot be done now; the message says why, to them."""


@dataclass(frozen=True)
class Membership:
    member_id: int
    user_id: int
    preferred_name: str
    status: MemberStatus  # as it is now: a pause whose end date has come is over
    paused_until: datetime | None

    @property
    def is_applicant(self) -> bool:
        return self.status in {MemberStatus.APPLIED, MemberStatus.VERIFIED}


async def membership_of(user_id: int, now: datetime | None = None) -> Membership:
    """The signed-in person's own membership. Raises ``NoSuchMember`` when they have none."""
    # Read on every page of the portal: straight to the driver (db.fetch_small).
    rows = await db.fetch_small(
        "SELECT id AS member_id, preferred_name, status, paused_until FROM member"
        ' WHERE "user" = {} LIMIT 1',
        user_id,
    )
    return membership_from(rows[0] if rows else None, user_id, now)


# Their membership on each row, with one consent event (as ``history_of`` reads them, newest
# first), or with none when they have no history.
MEMBERSHIP_AND_HISTORY_SQL = (  # built from fixed column names: nothing from outside
    "SELECT m.id AS member_id, m.preferred_name, m.status, m.paused_until, "  # noqa: S608
    + ", ".join(f"e.{column}" for column in HISTORY_COLUMNS)
    + ' FROM member m LEFT JOIN consent_event e ON e.member = m.id WHERE m."user" = {}'
    " ORDER BY e.at DESC, e.id DESC"
)


async def membership_and_history(
    user_id: int, now: datetime | None = None
) -> tuple[Membership, list[dict[str, Any]]]:
    """``membership_of`` and ``history_of`` in one read, for the pages that show both."""
    rows = await db.fetch_small(MEMBERSHIP_AND_HISTORY_SQL, user_id)
    membership = membership_from(rows[0] if rows else None, user_id, now)
    history = [
        {column: row[column] for column in HISTORY_COLUMNS} for row in rows if row["id"] is not None
    ]
    return membership, history


def membership_from(row: dict[str, Any] | None, user_id: int, now: datetime | None) -> Membership:
    if row is None or row["status"] in {MemberStatus.LEFT, MemberStatus.ERASED}:
        raise NoSuchMember()
    status = MemberStatus(row["status"])
    paused_until = row["paused_until"]
    if pause_has_ended(status, paused_until, now or datetime.now(UTC)):
        status, paused_until = MemberStatus.ACTIVE, None
    return Membership(row["member_id"], user_id, row["preferred_name"], status, paused_until)


# ---------------------------------------------------------------------------------------------
# What they have agreed to


# The states a consent can be withdrawn from: given, or given to wording that has since changed.
WITHDRAWABLE = frozenset({ConsentState.GIVEN, ConsentState.NEEDS_RECONFIRMATION})


@dataclass(frozen=True)
class PurposeConsent:
    """One purpose as the member sees it: its state, and the wording that applies to it (the
    version they agreed to while it counts; otherwise the one they would agree to now)."""

    consent: Consent
    wording: Wording
    renewal_open: bool  # close enough to lapsing that renewing makes sense
    # Given, but a way of taking part while the membership consent is not held: nothing is sent
    # for it, so the pages say "On hold" rather than "Agreed".
    on_hold: bool = False

    @property
    def purpose(self) -> Purpose:
        return self.consent.purpose

    @property
    def state(self) -> ConsentState:
        return self.consent.state

    @property
    def can_give(self) -> bool:
        return self.state is not ConsentState.GIVEN

    @property
    def can_withdraw(self) -> bool:
        return self.state in WITHDRAWABLE

    @property
    def shown_state(self) -> str:
        """The state as the member's pages show it: a ``ConsentState`` value, or ``on_hold``."""
        return ON_HOLD if self.on_hold else self.state.value

    @property
    def shown_label(self) -> str:
        return SHOWN_STATES[self.shown_state][0]

    @property
    def tag_colour(self) -> str:
        return SHOWN_STATES[self.shown_state][1]


ON_HOLD = "on_hold"
# How a consent's state reads on the member's pages and in their data, and its tag's colour.
SHOWN_STATES = {
    ConsentState.GIVEN.value: ("Agreed", "green"),
    ON_HOLD: ("On hold", "purple"),
    ConsentState.WITHDRAWN.value: ("Withdrawn", "grey"),
    ConsentState.LAPSED.value: ("Ended: needs renewing", "orange"),
    ConsentState.NEEDS_RECONFIRMATION.value: ("Wording changed: needs your answer", "yellow"),
    ConsentState.NEVER_ASKED.value: ("Not agreed", "grey"),
}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    purpose: Purpose
    title: str
    given: bool
    wording_version: int
    notice_version: int
    channel: str
    recorded_by_staff: bool


@dataclass(frozen=True)
class MyConsents:
    membership: Membership
    consents: list[PurposeConsent]
    history: list[HistoryEntry]

    @property
    def needing_confirmation(self) -> list[PurposeConsent]:
        return [c for c in self.consents if c.state is ConsentState.NEEDS_RECONFIRMATION]

    def of(self, purpose: Purpose | str) -> PurposeConsent:
        return next(consent for consent in self.consents if consent.purpose == purpose)

    @property
    def membership_consent(self) -> PurposeConsent:
        """The consent to be a member of the panel, and so to be contacted about it at all."""
        return self.of(Purpose.MEMBERSHIP)

    @property
    def membership_held(self) -> bool:
        return self.membership_consent.state is ConsentState.GIVEN

    @property
    def on_hold(self) -> list[PurposeConsent]:
        return [consent for consent in self.consents if consent.on_hold]

    @property
    def taking_part_given(self) -> list[PurposeConsent]:
        """The ways of taking part they agreed to: on hold while membership is withdrawn."""
        return [
            consent
            for consent in self.consents
            if consent.purpose in TAKING_PART and consent.state is ConsentState.GIVEN
        ]


async def my_consents(
    user_id: int, settings: Settings, now: datetime | None = None, with_history: bool = True
) -> MyConsents:
    now = now or datetime.now(UTC)
    membership, rows = await membership_and_history(user_id, now)
    now_published = await published()
    wordings = now_published.wordings
    shown = shown_consents(rows, now_published, now, settings)
    history = [
        HistoryEntry(
            at=row["at"],
            purpose=Purpose(row["purpose"]),
            title=newest_wording(wordings, Purpose(row["purpose"])).title,
            given=row["given"],
            wording_version=row["wording_version"],
            notice_version=row["notice_version"],
            channel=CHANNEL_LABELS[Channel(row["channel"])],
            recorded_by_staff=row["recorded_by"] is not None,
        )
        for row in (rows if with_history else [])
    ]
    return MyConsents(membership, shown, history)


def shown_consents(
    rows: list[dict[str, Any]], now_published: Published, now: datetime, settings: Settings
) -> list[PurposeConsent]:
    """Every purpose as the member's pages show it, from their history (``history_of``) and what
    is published (``published``)."""
    wordings = now_published.wordings
    consents = consents_from_history(rows, now_published.versions, now, settings.consent_renewal)
    latest_version = {}
    for row in reversed(rows):  # oldest first, so the newest event of each purpose wins
        latest_version[Purpose(row["purpose"])] = row["wording_version"]
    membership_consent = next(c for c in consents if c.purpose is Purpose.MEMBERSHIP)
    shown = []
    for consent in consents:
        newest = newest_wording(wordings, consent.purpose)
        wording = newest
        if consent.state is ConsentState.GIVEN:
            agreed = (consent.purpose, latest_version[consent.purpose])
            wording = wordings.get(agreed, newest)
        renewal_open = (
            consent.state is ConsentState.GIVEN
            and consent.lapses_at is not None
            and consent.lapses_at - now <= RENEWAL_OPENS
        )
        shown.append(
            PurposeConsent(consent, wording, renewal_open, on_hold(consent, membership_consent))
        )
    return shown


async def decide_consents(user_id: int, decisions: dict[Purpose, bool], actor: Actor) -> bool:
    """Give (or renew) and withdraw consents: one button on "What I have agreed to", or every
    answer on the page about changed wording. A withdrawal takes effect at once: messages waiting
    for the purpose are cancelled, and withdrawing the equality consent deletes the answers.

    "How I would like to take part" is changed to match, rather than asked about: withdrawing a
    way of taking part (focus groups, surveys, case reviews) takes it off the list and giving it
    adds it (``consent.rules.ways_after_decision``), so the member's pages never say they would
    like to take part in something they have withdrawn from. The page says so after the change.
    Returns whether the list changed. Withdrawing membership leaves the list alone: it is kept,
    with everything else, until they agree again or leave.
    """
    membership = await membership_of(user_id)
    member_id = membership.member_id
    async with db.transaction():
        row = await Member.select(Member.ways_to_take_part).where(Member.id == member_id).first()
        ways = before = tuple(json.loads((row or {}).get("ways_to_take_part") or "[]"))
        for purpose, given in decisions.items():
            # Withdrawing the equality consent deletes the answers (their table's declaration).
            await record_consent(member_id, purpose, given, actor)
            ways = ways_after_decision(ways, purpose, given)
        if ways != before:
            await Member.update({Member.ways_to_take_part: json.dumps(list(ways))}).where(
                Member.id == member_id
            )
    return ways != before


async def withdraw_membership(user_id: int, settings: Settings, actor: Actor) -> bool:
    """The membership consent withdrawn, once the member has confirmed it on its own page: no
    contact about the panel at all from now, and messages waiting to be sent are cancelled
    (``consent.services.record_consent``). Returns False, recording nothing, when there is
    nothing to withdraw (say the button was pressed twice)."""
    membership = await membership_of(user_id)
    consents = await consents_of(membership.member_id, renewal=settings.consent_renewal)
    state = next(c.state for c in consents if c.purpose is Purpose.MEMBERSHIP)
    if state not in WITHDRAWABLE:
        return False
    await decide_consents(user_id, {Purpose.MEMBERSHIP: False}, actor)
    return True


def ends_all_contact(purpose: Purpose) -> bool:
    return purposes_ended_by_withdrawal(purpose) == frozenset(Purpose)


# ---------------------------------------------------------------------------------------------
# Pausing


async def pause_membership(
    user_id: int, length: str, settings: Settings, actor: Actor, now: datetime | None = None
) -> datetime | None:
    """Pause for ``length`` months (or until they resume). Returns when the pause ends.

    Nothing waiting to be sent about the panel's work goes while they are paused: such messages
    are cancelled now, as a withdrawal cancels them. Messages about their own account still go.
    """
    now = now or datetime.now(UTC)
    membership = await membership_of(user_id, now)
    if membership.status not in {MemberStatus.ACTIVE, MemberStatus.PAUSED}:
        raise PortalError("You can pause your membership once your application has been approved")
    today = now.astimezone(ZoneInfo(settings.time_zone)).date()
    ends_on = pause_ends_on(length, today)
    until = local_midnight(ends_on, settings) if ends_on else None
    await pause(membership.member_id, until, actor)
    return until


async def resume_membership(user_id: int, actor: Actor) -> bool:
    """Whether it was paused and now is not (a second press of the button changes nothing)."""
    membership = await membership_of(user_id)
    if membership.status is not MemberStatus.PAUSED:
        return False
    await resume_memberships([membership.member_id], actor)
    return True


# ---------------------------------------------------------------------------------------------
# Their data, to download


def coded(code: str, label: str | None) -> dict[str, str] | None:
    """A stored code with the words it stands for; None when there is no answer."""
    if not code:
        return None
    return {"code": code, "label": PREFER_NOT_LABEL if code == PREFER_NOT else label or code}


def as_json(data: dict[str, Any]) -> bytes:
    """The data as a file: times in UTC, ISO 8601."""

    def encode(value: Any) -> str:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return json.dumps(data, indent=2, ensure_ascii=False, default=encode).encode()


def describe_safe_times(windows: list[dict[str, Any]]) -> str:
    """Safe times as stored (``ContactPreference.safe_times``), in words."""
    if not windows:
        return "at any time"
    return "; ".join(
        describe_days(int(day) for day in window["days"])
        + (
            ""
            if (window["start"], window["end"]) == WHOLE_DAY
            else f", {window['start']} to {window['end']}"
        )
        for window in windows
    )


async def my_data(
    membership: Membership, reference: ReferenceData, settings: Settings
) -> dict[str, Any]:
    """Everything we hold about the member, as plain JSON-ready values with codes and their words,
    read as their own pages show it: the consents as "What I have agreed to" shows them (``on
    hold`` included), and a channel's times and voicemail only while it is safe."""
    member_id, user_id = membership.member_id, membership.user_id
    user = await (
        User.select(User.email, User.created_at, User.last_sign_in_at, User.sign_in_by_link)
        .where(User.id == user_id)
        .first()
    )
    member = await Member.select().where(Member.id == member_id).first()
    if user is None or member is None:
        raise NoSuchMember()
    preferences = await ContactPreference.select().where(ContactPreference.member == member_id)
    experience = (
        await ExperienceProfile.select().where(ExperienceProfile.member == member_id).first()
    )
    access = await AccessNeeds.select().where(AccessNeeds.member == member_id).first()
    equality = await EqualityData.select().where(EqualityData.member == member_id).first()
    history = await history_of(member_id)
    now_published = await published()
    wordings = now_published.wordings
    consents = shown_consents(history, now_published, datetime.now(UTC), settings)
    events = await (
        AuditEvent.select()
        .where(
            ((AuditEvent.object_type == "member") & (AuditEvent.object_id == str(member_id)))
            | ((AuditEvent.object_type == "user") & (AuditEvent.object_id == str(user_id)))
            | (AuditEvent.actor_id == user_id)
        )
        .order_by(AuditEvent.id, ascending=False)
    )
    return {
        "account": {
            "email": user["email"],
            "signs_in_with": "an emailed link" if user["sign_in_by_link"] else "a password",
            "created_at": user["created_at"],
            "last_signed_in_at": user["last_sign_in_at"],
        },
        "member": {
            "preferred_name": member["preferred_name"],
            "phone": member["phone"],
            "postal_address": member["postal_address"],
            "district": coded(member["district"], reference.district_label(member["district"])),
            "status": coded(member["status"], STATUS_LABELS.get(member["status"])),
            "paused_until": member["paused_until"],
            "applied_at": member["created_at"],
            "email_confirmed_at": member["verified_at"],
            "do_not_contact": member["do_not_contact"],
            "do_not_contact_reason": member["do_not_contact_reason"],
            "pseudonym": member["pseudonym"],
        },
        "ways_to_take_part": [
            coded(code, label_of(WAYS_TO_TAKE_PART, code))
            for code in json.loads(member["ways_to_take_part"] or "[]")
        ],
        "formats": [
            coded(code, label_of(FORMATS, code)) for code in json.loads(member["formats"] or "[]")
        ],
        "contact_preferences": [
            contact_preference(row, usable_channels(member)) for row in preferences
        ],
        "experience": experience
        and {
            "involvement": coded(
                experience["involvement"], label_of(INVOLVEMENT, experience["involvement"])
            ),
            "crime_types": [
                coded(code, reference.crime_type_label(code))
                for code in json.loads(experience["crime_types"] or "[]")
            ],
            "year": coded(experience["year"], experience["year"]),
            "court_case": coded(
                experience["court_case"], label_of(COURT_CASE, experience["court_case"])
            ),
        },
        "access_needs": access
        and {
            "needs": [
                coded(code, label_of(ACCESS_NEEDS, code))
                for code in json.loads(access["needs"] or "[]")
            ],
            "interpreter_language": access["language"],
            "other": access["other"],
        },
        "equality": equality
        and {
            question.field: coded(
                equality[question.field], label_of(question.options, equality[question.field])
            )
            for question in EQUALITY_QUESTIONS
        },
        "consents": [
            {
                "purpose": coded(consent.purpose.value, consent.wording.title),
                "state": coded(consent.shown_state, consent.shown_label),
                "since": consent.consent.since,
                "lasts_until": consent.consent.lapses_at
                if consent.state is ConsentState.GIVEN
                else None,
            }
            for consent in consents
        ],
        "consent_history": [
            {
                "at": row["at"],
                "purpose": coded(
                    row["purpose"], newest_wording(wordings, Purpose(row["purpose"])).title
                ),
                "given": row["given"],
                "wording_version": row["wording_version"],
                "notice_version": row["notice_version"],
                "channel": coded(row["channel"], CHANNEL_LABELS[Channel(row["channel"])]),
                "recorded_by_staff": row["recorded_by"] is not None,
            }
            for row in history
        ],
        "invitations": [],
        "audit_events": [
            {
                "at": row["at"],
                "action": coded(row["action"], ACTIONS.get(row["action"], row["action"])),
                "by": "you"
                if row["actor_id"] == user_id
                else "the service"
                if row["actor_id"] is None
                else "staff",
                "detail": json.loads(row["detail"]) if row["detail"] else {},
            }
            for row in events
        ],
    }


def contact_preference(row: dict[str, Any], usable: Collection[ContactChannel]) -> dict[str, Any]:
    """One channel's answers as the contact page shows them: times and voicemail (asked for
    phone calls only) count only while the channel is safe, and a channel without its phone
    number or address is not used (the page says so rather than asking)."""
    channel = ContactChannel(row["channel"])
    safe = row["safe"] and channel in usable
    windows = json.loads(row["safe_times"] or "[]") if safe else []
    when = describe_safe_times(windows) if safe else "not safe"
    if channel not in usable:
        when = f"not used: we have no {CHANNEL_NEEDS_WORDS[CHANNEL_NEEDS[channel]]} for you"
    return {
        "channel": coded(row["channel"], channel.label),
        "safe": safe,
        "safe_times": windows,
        "when_safe": when,
        "voicemail_allowed": bool(
            safe and row["channel"] == ContactChannel.PHONE_CALL and row["voicemail_allowed"]
        ),
        "code_word": row["code_word"],
    }


CHANNEL_NEEDS_WORDS = {PHONE: "phone number", POSTAL_ADDRESS: "postal address"}


# What a member changed on their own pages (``record_profile_change``), as they read it.
MY_TOPICS = {
    "details": "Your name or contact details",
    "safe contact": "How it is safe to contact you",
    "experience": "What you told us happened",
    "access needs": "What you need to take part",
    "ways to take part": "How you would like to take part",
    "equality": "Your equality answers",
}
# What the contact gate did with an email an action sent them.
MY_EMAILS = {
    "send": "We emailed you",
    "hold": "We will email you at a time you said is safe",
    "refuse": "We did not email you",
}


# The order details read in: what it was about first, then how, then what followed.
DETAIL_ORDER = {key: order for order, key in enumerate(("purpose", "channel", "topic", "format"))}


def detail_in_words(
    detail: dict[str, Any], titles: dict[str, str], formats: dict[str, Any]
) -> list[str]:
    """An event's details as the member's data page shows them: words, not codes. Numbers that
    only the service uses (an override's or a reason's) are left out."""
    words = []
    for key, value in sorted(detail.items(), key=lambda item: DETAIL_ORDER.get(item[0], 99)):
        if key == "purpose":
            words.append(titles.get(str(value), str(value)))
        elif key == "channel" and str(value) in CHANNEL_LABELS:
            words.append(CHANNEL_LABELS[Channel(str(value))])
        elif key in {"channel", "reason"} and not str(value).isdigit():
            # A contact logged by staff: how, and why, as words (a decline reason is a number).
            words.append(str(value).replace("_", " ").capitalize())
        elif key in {"role", "from", "to"} and str(value) in ROLE_LABELS:
            before = {"role": "", "from": "Was: ", "to": "Now: "}[key]
            words.append(before + ROLE_LABELS[Role(str(value))])
        elif key == "format":
            words.append("As a file" if value == "json" else "On screen")
        elif key == "until":
            ends = moment_or_none(value)
            words.append(f"Until {formats['local_date'](ends)}" if ends else "Until you resume it")
        elif key == "expires_at" and (ends := moment_or_none(value)):
            words.append(f"Until {formats['local_datetime'](ends)} ({TIME_ZONE_LABEL})")
        elif key == "told":
            words.append(MY_EMAILS.get(str(value), ""))
        elif key == "topic":
            words.append(MY_TOPICS.get(str(value), "Your details"))
        elif key not in {"reason", "override_id"}:
            words.append(f"{key.replace('_', ' ').capitalize()}: {value}")
    return [word for word in words if word]


def moment_or_none(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


async def my_events_in_words(data: dict[str, Any], time_zone: str) -> list[list[str]]:
    """The details of each event of ``my_data``'s audit trail, in words, in the same order."""
    titles = {purpose.value: title for purpose, title in (await wording_titles()).items()}
    formats = local_formats(time_zone)
    return [detail_in_words(event["detail"], titles, formats) for event in data["audit_events"]]


async def download_my_data(
    user_id: int, reference: ReferenceData, settings: Settings, actor: Actor, as_file: bool
) -> dict[str, Any]:
    """``my_data``, with the download recorded in the audit log."""
    membership = await membership_of(user_id)
    data = await my_data(membership, reference, settings)
    await record_event(
        "member_data_downloaded",
        actor,
        object_type="member",
        object_id=membership.member_id,
        detail={"format": "json" if as_file else "page"},
    )
    return {"generated_at": datetime.now(UTC), **data}


# ---------------------------------------------------------------------------------------------
# Leaving


async def leave_panel(user_id: int, settings: Settings, actor: Actor) -> None:
    """Everything erased at once; only a pseudonym is kept for anonymous statistics."""
    membership = await membership_of(user_id)
    await leave_and_erase(membership.member_id, settings, actor)


# ---------------------------------------------------------------------------------------------
# Their details and choices: the answers sign-up asked, changed


async def my_member_row(user_id: int) -> dict[str, Any]:
    """Their own member row and email (one read), or ``NoSuchMember`` once they have left."""
    return await members.changeable_member_of_user(user_id)


async def my_contact_preferences(user_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The member row (whether they gave a phone number and address) and their safe contact rows."""
    member = await my_member_row(user_id)
    return member, await members.contact_preference_rows(member["id"])


async def my_experience(user_id: int) -> dict[str, Any]:
    membership = await membership_of(user_id)
    return await members.experience_row(membership.member_id)


async def my_access_needs(user_id: int) -> dict[str, Any]:
    membership = await membership_of(user_id)
    return await members.access_needs_row(membership.member_id)


# Each change is the members area's, the same service staff use on a member's behalf.


async def save_details(user_id: int, details: Details, actor: Actor) -> DetailsChange:
    """Their name, phone number, address and area; returns what the change did to their channels,
    for the page to tell them (``members.services.save_details``)."""
    membership = await membership_of(user_id)
    return await members.save_details(membership.member_id, details, actor)


async def save_safe_contact(user_id: int, contact: SafeContact, actor: Actor) -> None:
    membership = await membership_of(user_id)
    await members.save_safe_contact(membership.member_id, contact, actor)


async def save_experience(user_id: int, experience: Experience, actor: Actor) -> None:
    membership = await membership_of(user_id)
    await members.save_experience(membership.member_id, experience, actor)


async def save_access_needs(user_id: int, access: Access, actor: Actor) -> None:
    membership = await membership_of(user_id)
    await members.save_access_needs(membership.member_id, access, actor)


async def save_taking_part(user_id: int, taking_part: TakingPart, actor: Actor) -> None:
    membership = await membership_of(user_id)
    await members.save_taking_part(membership.member_id, taking_part, actor)


async def my_equality(user_id: int) -> tuple[dict[str, Any] | None, Wording]:
    """Their equality answers (None when we keep none) and the wording of the consent to keep them."""
    membership = await membership_of(user_id)
    row = await EqualityData.select().where(EqualityData.member == membership.member_id).first()
    return row, newest_wording(await published_wordings(), Purpose.EQUALITY_DATA)


async def save_equality(user_id: int, equality: Equality, actor: Actor) -> None:
    """Answers are kept only with the equality consent: ticking the box gives it, unticking it
    withdraws it and deletes the answers."""
    membership = await membership_of(user_id)
    member_id = membership.member_id
    consents = await consents_of(member_id)
    state = next(c.state for c in consents if c.purpose is Purpose.EQUALITY_DATA)
    async with db.transaction():
        await EqualityData.delete().where(EqualityData.member == member_id)
        if equality.keep:
            if state is not ConsentState.GIVEN:
                await record_consent(member_id, Purpose.EQUALITY_DATA, True, actor)
            answers = EqualityData(member=member_id)
            for column, answer in equality.answers.items():
                setattr(answers, column, answer)
            await EqualityData.insert(answers)
        elif state in {ConsentState.GIVEN, ConsentState.NEEDS_RECONFIRMATION}:
            await record_consent(member_id, Purpose.EQUALITY_DATA, False, actor)
        await members.record_profile_change(member_id, "equality", actor, by_staff=False)
