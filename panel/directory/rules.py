"""Pure decisions of the member directory: what each filter means, which status changes staff may
make, which fields each role may export, how a spreadsheet cell is kept from running as a
formula, what the contact log records, what a member is told when staff change their answers for
them, and which consents are due for renewal. No I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from panel.accounts.rules import Role
from panel.consent.rules import Purpose
from panel.members.rules import MemberStatus, pause_has_ended

PAGE_SIZE = 50
SEARCH_MAX_LENGTH = 100
VIEWERS_SHOWN = 20
HISTORY_SHOWN = 20  # invitations and attendance: the newest this many of each
DO_NOT_CONTACT_REASON_MAX_LENGTH = 1000
LONGEST_PAUSE_DAYS = 2 * 366

Options = tuple[tuple[str, str], ...]

# The statuses the directory shows (erased members never appear: only a pseudonym is left).
STATUS_LABELS = {
    MemberStatus.APPLIED: "Applied: email not confirmed",
    MemberStatus.VERIFIED: "Waiting for screening",
    MemberStatus.ACTIVE: "Active",
    MemberStatus.PAUSED: "Paused",
    MemberStatus.DECLINED: "Declined",
    MemberStatus.LEFT: "Left",
}
# The colour of each status's badge (the MoJ Design System's badge colours).
STATUS_BADGE_COLOURS = {
    MemberStatus.APPLIED: "grey",
    MemberStatus.VERIFIED: "blue",
    MemberStatus.ACTIVE: "green",
    MemberStatus.PAUSED: "bright-purple",
    MemberStatus.DECLINED: "red",
    MemberStatus.LEFT: "black",
}
# What the list and its export show for a district not given, and for a date that never came.
NOT_GIVEN = "Not given"
NO_DATE = "Never"

STATUS_OPTIONS: Options = tuple((status.value, label) for status, label in STATUS_LABELS.items())

# "victim" and "witness" include members who answered "both": a filter asks who was involved that way.
INVOLVEMENT_OPTIONS: Options = (
    ("victim", "Something happened to them (includes both)"),
    ("witness", "They saw or heard it happen to someone else (includes both)"),
    ("both", "Both"),
)
INVOLVEMENT_MATCHES = {
    "victim": ("victim", "both"),
    "witness": ("witness", "both"),
    "both": ("both",),
}

NEVER = "never"
# Not invited in the last N days (never invited included), or never invited at all.
INVITED_OPTIONS: Options = (
    (NEVER, "Never invited"),
    ("30", "Not invited in the last 30 days"),
    ("90", "Not invited in the last 90 days"),
    ("365", "Not invited in the last year"),
)
TOOK_PART_OPTIONS: Options = (
    (NEVER, "Never taken part"),
    ("365", "Not taken part in the last year"),
)
PAUSED_OPTIONS: Options = (("yes", "Paused now"), ("no", "Not paused"))
ANY_ACCESS_NEED = "any"


class SortField(enum.StrEnum):
    NAME = "name"
    JOINED = "joined"
    LAST_INVITED = "last_invited"
    LAST_TOOK_PART = "last_took_part"


SORT_LABELS = {
    SortField.NAME: "Name",
    SortField.JOINED: "Joined",
    SortField.LAST_INVITED: "Last invited",
    SortField.LAST_TOOK_PART: "Last took part",
}
SORT_OPTIONS: Options = (
    ("name", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("-joined", "Joined, newest first"),
    ("joined", "Joined, oldest first"),
    ("last_invited", "Last invited, longest ago first (never invited first)"),
    ("-last_invited", "Last invited, most recent first"),
    ("last_took_part", "Last took part, longest ago first (never first)"),
    ("-last_took_part", "Last took part, most recent first"),
)


@dataclass(frozen=True)
class Sort:
    field: SortField = SortField.NAME
    descending: bool = False

    @property
    def value(self) -> str:
        return ("-" if self.descending else "") + self.field.value

    def toggled_for(self, field: SortField) -> Sort:
        """The sort a column heading's link asks for: the other direction when the list is
        already sorted by that column."""
        return Sort(field, not self.descending if field is self.field else False)


def parse_sort(value: str) -> Sort | None:
    descending = value.startswith("-")
    try:
        return Sort(SortField(value.removeprefix("-")), descending)
    except ValueError:
        return None


@dataclass(frozen=True)
class DirectoryFilter:
    """What staff asked the directory for. Every part is optional; they combine with AND."""

    q: str = ""
    statuses: tuple[MemberStatus, ...] = ()
    district: str = ""
    crime_type: str = ""
    involvement: str = ""
    consent: Purpose | None = None
    invited: str = ""  # "", never, or a number of days
    took_part: str = ""  # "", never, or a number of days
    paused: str = ""  # "", yes, no
    access_need: str = ""  # "", a code from members.rules.ACCESS_NEEDS, or "any"
    sort: Sort = Sort()
    page: int = 1

    def as_query(self) -> dict[str, str | list[str]]:
        """The filter as query parameters (empty ones left out, page too), for links and the audit."""
        query: dict[str, str | list[str]] = {}
        if self.q:
            query["q"] = self.q
        if self.statuses:
            query["status"] = [status.value for status in self.statuses]
        for name in ("district", "crime_type", "involvement", "invited", "took_part", "paused"):
            if value := getattr(self, name):
                query[name] = value
        if self.consent is not None:
            query["consent"] = self.consent.value
        if self.access_need:
            query["access_need"] = self.access_need
        if self.sort != Sort():
            query["sort"] = self.sort.value
        return query

    def as_audit(self) -> dict[str, object]:
        """The filter as the audit log keeps it: that there was a search, never what was searched
        for (a member's name or email, which must go when they are erased; the log stays)."""
        audited: dict[str, object] = dict(self.as_query())
        if audited.pop("q", None):
            audited["searched"] = True
        return audited


def pages_to_show(current: int, pages: int) -> list[int | None]:
    """The page numbers a pagination bar offers: the first, the last, and those next to the
    current one; None stands for a gap ("…")."""
    wanted = sorted({1, pages, current - 1, current, current + 1} & set(range(1, pages + 1)))
    shown: list[int | None] = []
    for number in wanted:
        if shown and number - (shown[-1] or 0) > 1:
            shown.append(None)
        shown.append(number)
    return shown


def effective_status(status: str, paused_until: datetime | None, now: datetime) -> MemberStatus:
    """The status as it is now: a pause whose end date has come is over, even before the daily
    job notices (as the member's own pages show it)."""
    if pause_has_ended(status, paused_until, now):
        return MemberStatus.ACTIVE
    return MemberStatus(status)


# ---------------------------------------------------------------------------------------------
# Status changes staff may make on a member's record


class StatusChange(enum.StrEnum):
    PAUSE = "paused"  # pause, or change when a pause ends
    RESUME = "active"
    LEAVE = "left"  # leave the panel: everything about them is erased


STATUS_CHANGES: dict[MemberStatus, frozenset[StatusChange]] = {
    MemberStatus.APPLIED: frozenset({StatusChange.LEAVE}),
    MemberStatus.VERIFIED: frozenset({StatusChange.LEAVE}),
    MemberStatus.ACTIVE: frozenset({StatusChange.PAUSE, StatusChange.LEAVE}),
    MemberStatus.PAUSED: frozenset({StatusChange.PAUSE, StatusChange.RESUME, StatusChange.LEAVE}),
    MemberStatus.DECLINED: frozenset({StatusChange.LEAVE}),
    MemberStatus.LEFT: frozenset(),
    MemberStatus.ERASED: frozenset(),
}

WHY_NOT = {
    StatusChange.PAUSE: "Only an approved member can be paused. Applicants are screened first.",
    StatusChange.RESUME: "Only a paused membership can be resumed.",
    StatusChange.LEAVE: "They have already left the panel.",
}


def status_change_refusal(current: MemberStatus, change: StatusChange) -> str | None:
    """Why staff cannot make this change now (in words for them), or None when they can.

    Screening decides whether an applicant becomes a member, so an applicant cannot be made
    active here; leaving is open to everyone still on the panel, since it is what erasure needs.
    """
    if change in STATUS_CHANGES.get(current, frozenset()):
        return None
    return WHY_NOT[change]


# ---------------------------------------------------------------------------------------------
# Exporting the list


@dataclass(frozen=True)
class ExportField:
    key: str
    heading: str


EXPORT_FIELDS = {
    field.key: field
    for field in (
        ExportField("pseudonym", "Pseudonym"),
        ExportField("preferred_name", "Preferred name"),
        ExportField("email", "Email address"),
        ExportField("phone", "Phone number"),
        ExportField("district", "District"),
        ExportField("status", "Status"),
        ExportField("joined", "Joined"),
        ExportField("last_invited", "Last invited"),
        ExportField("last_took_part", "Last took part"),
        ExportField("consents_held", "Consents held"),
    )
}

# What each role may take away in a spreadsheet. Never equality answers (special category data,
# for reports only), never what happened to them, never access needs written in their own words.
EXPORTABLE_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.STAFF: tuple(EXPORT_FIELDS),
    Role.ADMIN: tuple(EXPORT_FIELDS),
}


def export_fields_for(role: Role) -> tuple[ExportField, ...]:
    """The columns a role's export holds; none for a role that may not export."""
    return tuple(EXPORT_FIELDS[key] for key in EXPORTABLE_BY_ROLE.get(role, ()))


# ---------------------------------------------------------------------------------------------
# Changing a member's answers on their behalf (on the phone, by letter, in person)


class ChangeTopic(enum.StrEnum):
    """What staff can change for a member: the answers of the member's own pages of the same name."""

    DETAILS = "details"
    SAFE_CONTACT = "safe_contact"
    ACCESS_NEEDS = "access_needs"


class Told(enum.StrEnum):
    """Whether the member was emailed that their answers were changed, as the record says it."""

    SENT = "sent"
    HELD = "held"  # waiting in the outbox for their next safe time
    NOT_SENT = "not_sent"  # the contact gate refused it: email is not safe, do not contact, …
    ALREADY = "already"  # a notice sent or waiting already covers this change


# One notice covers every change made in one phone call: no second email while one is still
# waiting for a safe time, or within this long of the last.
ONE_NOTICE_COVERS = timedelta(hours=1)


def notice_needed(last_notice_at: datetime | None, notice_waiting: bool, now: datetime) -> bool:
    """Whether a change should be followed by an email telling the member. ``last_notice_at``:
    when the newest notice not cancelled was written; ``notice_waiting``: one has not gone yet."""
    if notice_waiting:
        return False
    return last_notice_at is None or now - last_notice_at >= ONE_NOTICE_COVERS


# ---------------------------------------------------------------------------------------------
# The contact log: staff's own contact with a member, outside the service's emails

LOG_CHANNELS: Options = (
    ("phone_call", "Phone call"),
    ("text_message", "Text message"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("in_person", "In person"),
)
LOG_REASONS: Options = (
    ("returning_call", "Returning their call"),
    ("consent_by_phone", "Consent by phone"),
    ("changing_details", "Changing their details"),
    ("welfare_check", "Support or welfare check"),
    ("invitation_follow_up", "Following up an invitation"),
    ("other", "Something else"),
)
OTHER_REASON = "other"
LOG_NOTE_MAX_LENGTH = 300
LOG_SHOWN = 20  # the record shows the newest this many entries
# How far back an entry may be dated: a log is written at the time, not reconstructed later.
LOG_LOOK_BACK = timedelta(days=366)


def log_time_problem(at: datetime, now: datetime) -> str | None:
    """Why a contact cannot have happened at ``at`` (both in the panel's time zone), or None."""
    if at > now:
        return "The date and time must not be in the future"
    if now - at > LOG_LOOK_BACK:
        return "The date must be within the last year"
    return None


# ---------------------------------------------------------------------------------------------
# Consents due for renewal

RENEWALS_WITHIN = timedelta(days=60)
