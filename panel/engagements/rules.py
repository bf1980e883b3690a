"""What engagements are and how they move on: their kinds, formats and statuses, the transitions
allowed between statuses, the consent each kind needs, and how long a staff override of a contact
limit lasts. The limits themselves are applied by the contact gate (``notify.rules``), which every
invitation passes. No I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from panel.consent.rules import Purpose

OVERRIDE_VALID_FOR = timedelta(days=14)
OVERRIDE_REASON_MAX_LENGTH = 500
# A partner agency reviewer of an independent review.
PARTNER_NAME_MAX = 100
PARTNER_AGENCY_MAX = 120


class InvitationKind(enum.StrEnum):
    FOCUS_GROUP = "focus_group"
    INDEPENDENT_REVIEW = "independent_review"
    SURVEY = "survey"


class EngagementKind(enum.StrEnum):
    FOCUS_GROUP = "focus_group"
    INDEPENDENT_REVIEW = "independent_review"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def consent_words(self) -> str:
        """What the member must have agreed to, as a sentence says it."""
        return "focus groups" if self is EngagementKind.FOCUS_GROUP else "independent case reviews"

    @property
    def consent_needed(self) -> Purpose:
        """The consent a member must hold to be invited."""
        return Purpose.FOCUS_GROUPS if self is EngagementKind.FOCUS_GROUP else Purpose.CASE_REVIEWS


KIND_LABELS = {
    EngagementKind.FOCUS_GROUP: "Focus group",
    EngagementKind.INDEPENDENT_REVIEW: "Independent case review",
}


class EngagementFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return FORMAT_LABELS[self]

    @property
    def has_venue(self) -> bool:
        return self is not EngagementFormat.ONLINE

    @property
    def is_online(self) -> bool:
        return self is not EngagementFormat.IN_PERSON


FORMAT_LABELS = {
    EngagementFormat.IN_PERSON: "In person",
    EngagementFormat.ONLINE: "Online",
    EngagementFormat.HYBRID: "Hybrid (in person and online)",
}


class EngagementStatus(enum.StrEnum):
    DRAFT = "draft"
    RECRUITING = "recruiting"
    CONFIRMED = "confirmed"
    HELD = "held"
    WRITTEN_UP = "written_up"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    EngagementStatus.DRAFT: "Draft",
    EngagementStatus.RECRUITING: "Recruiting",
    EngagementStatus.CONFIRMED: "Confirmed",
    EngagementStatus.HELD: "Held",
    EngagementStatus.WRITTEN_UP: "Written up",
    EngagementStatus.CLOSED: "Closed",
    EngagementStatus.CANCELLED: "Cancelled",
}

# Each status moves on to the next one; the button that does it says what it means.
NEXT_STATUS = {
    EngagementStatus.DRAFT: EngagementStatus.RECRUITING,
    EngagementStatus.RECRUITING: EngagementStatus.CONFIRMED,
    EngagementStatus.CONFIRMED: EngagementStatus.HELD,
    EngagementStatus.HELD: EngagementStatus.WRITTEN_UP,
    EngagementStatus.WRITTEN_UP: EngagementStatus.CLOSED,
}
MOVE_ON_WORDS = {
    EngagementStatus.RECRUITING: "Start recruiting",
    EngagementStatus.CONFIRMED: "Confirm the session",
    EngagementStatus.HELD: "Mark as held",
    EngagementStatus.WRITTEN_UP: "Mark as written up",
    EngagementStatus.CLOSED: "Close",
}
# Cancelling is possible until the session has been held: after that it happened, and what is left
# is writing it up and closing it.
CANCELLABLE = frozenset(
    {EngagementStatus.DRAFT, EngagementStatus.RECRUITING, EngagementStatus.CONFIRMED}
)
# What staff may still change about the plan. Once held, the plan is a record of what happened.
EDITABLE = CANCELLABLE

# The stages of a victim's or witness's journey through the criminal justice system.
JOURNEY_STAGES = (
    ("reporting", "Reporting and first contact"),
    ("investigation", "Investigation"),
    ("updates", "Updates"),
    ("charging", "Charging decision"),
    ("court", "Court and trial"),
    ("outcome", "Outcome"),
    ("after_case", "After the case"),
    ("support", "Support services"),
)
ANYONE = "any"
INVOLVEMENT_WANTED = (
    (ANYONE, "Victims and witnesses"),
    ("victim", "Victims only"),
    ("witness", "Witnesses only"),
)

TITLE_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 4000
MAX_CAPACITY = 200
MAX_RESERVES = 50


@dataclass(frozen=True)
class EngagementPlan:
    """An engagement as staff plan it: everything but its status. What a plan may leave out
    defaults to nothing said: no topic, any crime type, anyone on the panel, no venue, no support."""

    kind: EngagementKind
    title: str
    format: EngagementFormat
    starts_at: datetime
    ends_at: datetime
    capacity: int
    reserves: int = 0
    topic: str = ""
    public_description: str = ""
    internal_notes: str = ""
    crime_focus: tuple[str, ...] = ()
    journey_stages: tuple[str, ...] = ()
    eligible_crime_types: tuple[str, ...] = ()
    eligible_districts: tuple[str, ...] = ()
    eligible_involvement: str = ANYONE
    exclude_open_court_cases: bool = False
    venue_name: str = ""
    venue_address: str = ""
    venue_access: str = ""
    joining_link: str = ""
    facilitators: tuple[int, ...] = ()
    support_worker_present: bool = False
    quiet_room: bool = False
    aftercare: str = ""


@dataclass(frozen=True)
class ListFilters:
    status: str = ""
    kind: str = ""
    month: date | None = None  # the first day of the month
    facilitator: int | None = None


class TransitionRefused(Exception):
    """The engagement cannot move to that status now; ``problems`` say why, in plain English, one
    sentence each."""

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Readiness:
    """What the checks on a transition need to know about an engagement."""

    status: EngagementStatus
    format: EngagementFormat
    starts_at: datetime
    has_facilitator: bool
    has_public_description: bool
    has_venue: bool
    has_joining_link: bool


def next_status(status: EngagementStatus) -> EngagementStatus | None:
    return NEXT_STATUS.get(status)


def check_move_on(engagement: Readiness, wanted: EngagementStatus, now: datetime) -> None:
    """Raises ``TransitionRefused`` unless ``wanted`` is the next status and the engagement is
    ready for it: people are only asked to a session that says what it is, where, and who runs it;
    the joining link must exist before a session is confirmed; only a session whose start has
    passed can have been held."""
    if next_status(engagement.status) is not wanted:
        raise TransitionRefused(
            f"A {engagement.status.label.lower()} engagement cannot become {wanted.label.lower()}."
        )
    missing = list(missing_before(engagement, wanted, now))
    if missing:
        raise TransitionRefused(*missing)


def missing_before(engagement: Readiness, wanted: EngagementStatus, now: datetime) -> Iterable[str]:
    if wanted in (EngagementStatus.RECRUITING, EngagementStatus.CONFIRMED):
        if engagement.starts_at <= now:
            yield "The session's start has passed: change its date first."
        if not engagement.has_public_description:
            yield "Write what invitees will read about the session first."
        if not engagement.has_facilitator:
            yield "Choose who will facilitate it first."
        if engagement.format.has_venue and not engagement.has_venue:
            yield "Give the venue and its address first."
    online = engagement.format.is_online
    if wanted is EngagementStatus.CONFIRMED and online and not engagement.has_joining_link:
        yield "Add the joining link first: confirmed participants are given it."
    if wanted is EngagementStatus.HELD and engagement.starts_at > now:
        yield "The session has not started yet."


def check_cancel(status: EngagementStatus) -> None:
    if status not in CANCELLABLE:
        raise TransitionRefused(
            f"A {status.label.lower()} engagement cannot be cancelled: it has already happened."
            if status in (EngagementStatus.HELD, EngagementStatus.WRITTEN_UP)
            else f"A {status.label.lower()} engagement cannot be cancelled."
        )


def may_be_changed(status: EngagementStatus) -> bool:
    return status in EDITABLE


def involvement_matches(wanted: str, involvement: str) -> bool:
    """Whether a member who answered ``involvement`` fits an engagement for ``wanted`` (``ANYONE``,
    "victim" or "witness"). Someone who was both a victim and a witness fits either; someone who preferred not to
    say fits only an engagement open to both."""
    return wanted == ANYONE or involvement in (wanted, "both")


# ---------------------------------------------------------------------------------------------
# The eligible pool: who could be invited to an engagement, and why the others cannot.


class LeftOut(enum.StrEnum):
    """Why a member of the panel is not in an engagement's pool: the first reason that applies,
    in this order (so each member is counted once). Who cannot be invited to anything comes
    first, then who this engagement does not want, then the contact limits, which pass."""

    PAUSED = "paused"
    DO_NOT_CONTACT = "do_not_contact"
    NO_CONSENT = "no_consent"
    NOT_REACHABLE = "not_reachable"
    DISTRICT = "district"
    CRIME_TYPE = "crime_type"
    INVOLVEMENT = "involvement"
    COURT_CASE = "court_case"
    SESSIONS = "sessions"
    INVITATIONS = "invitations"
    COOL_DOWN = "cool_down"

    def label(self, limits_words: dict[str, str]) -> str:
        """Who the group is, as a table's row names it: "Paused", "Invited in the last 30 days"."""
        return LEFT_OUT_LABELS[self].format(**limits_words)


LEFT_OUT_LABELS = {
    LeftOut.PAUSED: "Paused",
    LeftOut.DO_NOT_CONTACT: "Marked do not contact",
    LeftOut.NO_CONSENT: "Not agreed to {consent}",
    LeftOut.NOT_REACHABLE: "Cannot be emailed safely (invitations go by email)",
    LeftOut.DISTRICT: "Live outside the districts chosen",
    LeftOut.CRIME_TYPE: "Told us of none of the crime types chosen",
    LeftOut.INVOLVEMENT: "Not involved in the way chosen",
    LeftOut.COURT_CASE: "Court case still going on, or may be",
    LeftOut.SESSIONS: "Took part {sessions} in the last 12 months",
    LeftOut.INVITATIONS: "Invited {invitations} in the last 90 days",
    LeftOut.COOL_DOWN: "Invited in the last {cooldown}",
}
# Court case answers that leave a member out when staff exclude cases still going on: "not sure"
# too, since taking part could affect a trial that has not finished.
COURT_CASE_OPEN = ("yes", "not_sure")


def largest_groups_left_out(counts: dict[LeftOut, int]) -> list[tuple[LeftOut, int]]:
    """The groups of members left out, largest first (ties in the order of ``LeftOut``)."""
    order = list(LeftOut)
    found = [(reason, count) for reason, count in counts.items() if count > 0]
    found.sort(key=lambda item: (-item[1], order.index(item[0])))
    return found


# ---------------------------------------------------------------------------------------------
# The register on the day


class RegisterMark(enum.StrEnum):
    """What the register says of someone who accepted; it becomes their invitation's status."""

    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    CANCELLED_LATE = "cancelled_late"

    @property
    def label(self) -> str:
        return REGISTER_LABELS[self]


REGISTER_LABELS = {
    RegisterMark.ATTENDED: "Attended",
    RegisterMark.DID_NOT_ATTEND: "Did not attend",
    RegisterMark.CANCELLED_LATE: "Cancelled late",
}
# Invitations whose holders are on the register: they accepted, and may have been marked since.
ON_THE_REGISTER = ("accepted", *(mark.value for mark in RegisterMark))
# The register is taken from the session's start until it is written up.
REGISTER_OPEN = frozenset({EngagementStatus.CONFIRMED, EngagementStatus.HELD})


# Notes and findings are written from the session's start, and at any time after it (a session
# never held, or cancelled, has nothing to write up).
WRITTEN_ABOUT = frozenset(
    {
        EngagementStatus.CONFIRMED,
        EngagementStatus.HELD,
        EngagementStatus.WRITTEN_UP,
        EngagementStatus.CLOSED,
    }
)


def has_taken_place(status: EngagementStatus, starts_at: datetime, now: datetime) -> bool:
    """Whether the session has started (or been held), so what happened can be written up."""
    return status in WRITTEN_ABOUT and starts_at <= now


def register_problem(status: EngagementStatus, starts_at: datetime, now: datetime) -> str | None:
    """Why the register cannot be taken now, or None."""
    if status not in REGISTER_OPEN:
        return f"The register is taken for a confirmed or held session, not a {status.label.lower()} one."
    if starts_at > now:
        return "The register is taken once the session has started."
    return None
