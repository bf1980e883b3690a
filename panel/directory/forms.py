"""Validation of the directory's filters and of the staff actions on a member's record (the
answers staff change for a member are cleaned by ``panel.members.forms``, as on the member's own
pages).

A filter value that is not one of those offered is refused with a message next to the field (the
page answers 400 and lists no one) rather than ignored, so staff never read a list they think is
filtered when it is not. Only the page number is lenient: anything but a page that exists shows
the nearest one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from panel.consent.rules import Purpose
from panel.directory.rules import (
    ANY_ACCESS_NEED,
    DO_NOT_CONTACT_REASON_MAX_LENGTH,
    INVITED_OPTIONS,
    INVOLVEMENT_OPTIONS,
    LOG_CHANNELS,
    LOG_NOTE_MAX_LENGTH,
    LOG_REASONS,
    LONGEST_PAUSE_DAYS,
    OTHER_REASON,
    PAUSED_OPTIONS,
    SEARCH_MAX_LENGTH,
    STATUS_LABELS,
    TOOK_PART_OPTIONS,
    DirectoryFilter,
    Options,
    Sort,
    StatusChange,
    log_time_problem,
    parse_sort,
)
from panel.members.forms import parse_time
from panel.members.reference import ReferenceData
from panel.members.rules import ACCESS_NEEDS, PREFER_NOT, MemberStatus
from panel.web.forms import Errors, Values, date_from_fields, many, one, page_number


def chosen(values: Values, name: str, options: Options | set[str]) -> str | None:
    """The value sent if it is one of the options ("" when none was chosen), else None."""
    value = one(values, name)
    offered = {code for code, _ in options} if isinstance(options, tuple) else options
    return value if value == "" or value in offered else None


def clean_filters(values: Values, reference: ReferenceData) -> tuple[DirectoryFilter, Errors]:
    """The filter asked for, and a message for each value that is not one on offer. With errors
    the filter returned is empty: nothing is listed until the request makes sense."""
    errors: Errors = {}
    q = " ".join(one(values, "q").split())
    if len(q) > SEARCH_MAX_LENGTH:
        errors["q"] = f"Search for {SEARCH_MAX_LENGTH} characters or fewer"
    statuses = many(values, "status")
    if any(status not in STATUS_LABELS for status in statuses):
        errors["status"] = "Select statuses from the list"
    district = chosen(values, "district", {c.code for c in reference.districts} | {PREFER_NOT})
    if district is None:
        errors["district"] = "Select a district from the list"
    crime_type = chosen(values, "crime_type", {c.code for c in reference.crime_types})
    if crime_type is None:
        errors["crime_type"] = "Select what it was about from the list"
    involvement = chosen(values, "involvement", INVOLVEMENT_OPTIONS)
    if involvement is None:
        errors["involvement"] = "Select how they were involved from the list"
    consent = chosen(values, "consent", {purpose.value for purpose in Purpose})
    if consent is None:
        errors["consent"] = "Select a consent from the list"
    invited = chosen(values, "invited", INVITED_OPTIONS)
    if invited is None:
        errors["invited"] = "Select when they were last invited from the list"
    took_part = chosen(values, "took_part", TOOK_PART_OPTIONS)
    if took_part is None:
        errors["took_part"] = "Select when they last took part from the list"
    paused = chosen(values, "paused", PAUSED_OPTIONS)
    if paused is None:
        errors["paused"] = "Select paused or not paused"
    access_need = chosen(values, "access_need", {*(c for c, _ in ACCESS_NEEDS), ANY_ACCESS_NEED})
    if access_need is None:
        errors["access_need"] = "Select an access need from the list"
    sort_value = one(values, "sort")
    sort = parse_sort(sort_value) if sort_value else Sort()
    if sort is None:
        errors["sort"] = "Select an order from the list"
    if errors:
        return DirectoryFilter(), errors
    return DirectoryFilter(
        q=q,
        statuses=tuple(MemberStatus(status) for status in statuses),
        district=district or "",
        crime_type=crime_type or "",
        involvement=involvement or "",
        consent=Purpose(consent) if consent else None,
        invited=invited or "",
        took_part=took_part or "",
        paused=paused or "",
        access_need=access_need or "",
        sort=sort or Sort(),
        page=page_number(one(values, "page")),
    ), {}


# ---------------------------------------------------------------------------------------------
# Staff actions on a record

UNTIL_A_DATE = "date"
UNTIL_FURTHER_NOTICE = "until_resumed"
PAUSE_OPTIONS: Options = (
    (UNTIL_A_DATE, "Until a date"),
    (UNTIL_FURTHER_NOTICE, "Until further notice"),
)


@dataclass(frozen=True)
class StatusRequest:
    change: StatusChange
    pause_ends_on: date | None = None  # a pause: the day it ends; None until further notice


def clean_status_change(values: Values, today: date) -> tuple[StatusRequest | None, Errors]:
    """A status change; a pause says until when (a day after today, within two years) or until
    further notice. Leaving is confirmed on a page of its own, so it needs nothing more here."""
    change = next((c for c in StatusChange if c.value == one(values, "status")), None)
    if change is None:
        return None, {"status": "Choose a status change from the page"}
    if change is not StatusChange.PAUSE:
        return StatusRequest(change), {}
    until = one(values, "pause")
    if until == UNTIL_FURTHER_NOTICE:
        return StatusRequest(change), {}
    if until != UNTIL_A_DATE:
        return None, {"pause": "Select how long the pause lasts"}
    ends_on = date_from_fields(values, "until")
    if ends_on is None:
        return None, {"until": "Enter the day the pause ends as a real date, like 27 3 2027"}
    if ends_on <= today:
        return None, {"until": "The day the pause ends must be in the future"}
    if ends_on > today + timedelta(days=LONGEST_PAUSE_DAYS):
        return None, {
            "until": "A pause can last up to 2 years. For longer, pause until further notice"
        }
    return StatusRequest(change, ends_on), {}


@dataclass(frozen=True)
class DoNotContactRequest:
    marked: bool  # True: mark them do not contact; False: clear the mark
    reason: str


def clean_do_not_contact(values: Values) -> tuple[DoNotContactRequest | None, Errors]:
    wanted = one(values, "do_not_contact")
    if wanted not in {"yes", "no"}:
        return None, {"reason": "Choose to mark or clear do not contact from the page"}
    reason = one(values, "reason")
    if not reason:
        if wanted == "yes":
            return None, {"reason": "Enter why they must not be contacted"}
        return None, {"reason": "Enter why they can be contacted again"}
    if len(reason) > DO_NOT_CONTACT_REASON_MAX_LENGTH:
        return None, {
            "reason": f"The reason must be {DO_NOT_CONTACT_REASON_MAX_LENGTH} characters or fewer"
        }
    return DoNotContactRequest(wanted == "yes", reason), {}


def clean_leave_confirmation(values: Values) -> Errors:
    if one(values, "confirm") != "yes":
        return {"confirm": "Confirm they asked to leave and to have their details deleted"}
    return {}


# ---------------------------------------------------------------------------------------------
# The contact log


@dataclass(frozen=True)
class LogEntryRequest:
    at: datetime  # in the panel's time zone
    channel: str  # a code of ``LOG_CHANNELS``
    reason: str  # a code of ``LOG_REASONS``
    note: str


def log_entry_values(now: datetime) -> dict[str, list[str]]:
    """The form as it first shows: the contact is now (in the panel's time zone)."""
    return {
        "when-day": [str(now.day)],
        "when-month": [str(now.month)],
        "when-year": [str(now.year)],
        "when_time": [f"{now:%H:%M}"],
    }


def clean_log_entry(values: Values, now: datetime) -> tuple[LogEntryRequest | None, Errors]:
    """A contact to log. ``now`` is in the panel's time zone, which is what the date and time
    typed mean. A note is needed only when the reason is "Something else"."""
    errors: Errors = {}
    day = date_from_fields(values, "when")
    if day is None:
        errors["when"] = "Enter the date of the contact as a real date, like 27 3 2026"
    hour = parse_time(one(values, "when_time"))
    if hour is None:
        errors["when_time"] = "Enter the time of the contact, like 14:30 or 2:30pm"
    channel = chosen(values, "channel", LOG_CHANNELS)
    if not channel:
        errors["channel"] = "Select how you were in contact"
    reason = chosen(values, "reason", LOG_REASONS)
    if not reason:
        errors["reason"] = "Select what the contact was about"
    note = one(values, "note")
    if len(note) > LOG_NOTE_MAX_LENGTH:
        errors["note"] = f"The note must be {LOG_NOTE_MAX_LENGTH} characters or fewer"
    elif reason == OTHER_REASON and not note:
        errors["note"] = "Say in a few words what the contact was about"
    at = None
    if day is not None and hour is not None:
        at = datetime.combine(day, time.fromisoformat(hour), tzinfo=now.tzinfo)
        if problem := log_time_problem(at, now):
            errors["when"] = problem
    if errors or at is None or not channel or not reason:
        return None, errors
    return LogEntryRequest(at, channel, reason, note), {}
