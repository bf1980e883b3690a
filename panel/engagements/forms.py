"""Validation of the engagements' forms: an engagement's plan, a cancellation's reason, the list's
filters, and the override staff grant of a member's contact limits."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime, time, tzinfo
from typing import TypeVar

from panel.engagements.rules import (
    INVOLVEMENT_WANTED,
    JOURNEY_STAGES,
    MAX_CAPACITY,
    MAX_RESERVES,
    OVERRIDE_REASON_MAX_LENGTH,
    PARTNER_AGENCY_MAX,
    PARTNER_NAME_MAX,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    EngagementFormat,
    EngagementKind,
    EngagementPlan,
    EngagementStatus,
    ListFilters,
    RegisterMark,
)
from panel.members.forms import parse_time
from panel.members.reference import ReferenceData
from panel.web.forms import Errors, Values, codes, date_from_fields, many, one

# A joining link is a web address people click: https only, no spaces.
WEB_ADDRESS = re.compile(r"https://[^\s/$.?#][^\s]*\Z", re.IGNORECASE)
YES = "yes"


def given_reason(sent: str, missing: str, most: int) -> tuple[str | None, Errors]:
    """A reason someone must give, trimmed: ``missing`` when there is none, or a word on length."""
    reason = sent.strip()
    if not reason:
        return None, {"reason": missing}
    if len(reason) > most:
        return None, {"reason": f"The reason must be {most} characters or fewer"}
    return reason, {}


def clean_override(values: dict[str, str]) -> tuple[str | None, Errors]:
    """The reason for the override, or an error: a reason is required."""
    return given_reason(
        values.get("reason", ""),
        "Say why they should be invited despite the limits",
        OVERRIDE_REASON_MAX_LENGTH,
    )


Choice = TypeVar("Choice", EngagementKind, EngagementFormat)


def chosen_enum(values: Values, name: str, kind: type[Choice]) -> Choice | None:
    return next((member for member in kind if member.value == one(values, name)), None)


def whole_number(text: str, least: int, most: int) -> int | None:
    if not text.isdigit() or len(text) > 4:
        return None
    number = int(text)
    return number if least <= number <= most else None


def text_within(values: Values, name: str, most: int, errors: Errors, what: str) -> str:
    text = one(values, name)
    if len(text) > most:
        errors[name] = f"{what} must be {most:,} characters or fewer"
    return text


def clean_engagement(
    values: Values,
    reference: ReferenceData,
    facilitator_ids: Collection[int],
    now: datetime,
    zone: tzinfo,
) -> tuple[EngagementPlan | None, Errors]:
    """An engagement's plan from its form. The date and times typed are in the panel's time zone
    (``zone``); ``now`` is when it is checked, as the session must start after it."""
    errors: Errors = {}
    kind = chosen_enum(values, "kind", EngagementKind)
    if kind is None:
        errors["kind"] = "Select whether it is a focus group or an independent case review"
    title = text_within(values, "title", TITLE_MAX_LENGTH, errors, "The title")
    if not title:
        errors["title"] = "Enter a title for the engagement"
    topic = text_within(values, "topic", TITLE_MAX_LENGTH, errors, "The topic")
    public_description = text_within(
        values, "public_description", TEXT_MAX_LENGTH, errors, "What invitees read"
    )
    internal_notes = text_within(values, "internal_notes", TEXT_MAX_LENGTH, errors, "The notes")
    crime_codes = codes((choice.code, choice.label) for choice in reference.crime_types)
    district_codes = codes((choice.code, choice.label) for choice in reference.districts)
    crime_focus = listed(values, "crime_focus", crime_codes, errors, "crime types")
    stages = listed(values, "journey_stages", codes(JOURNEY_STAGES), errors, "stages")
    eligible_crimes = listed(values, "eligible_crime_types", crime_codes, errors, "crime types")
    eligible_districts = listed(values, "eligible_districts", district_codes, errors, "districts")
    involvement = one(values, "eligible_involvement")
    if involvement not in codes(INVOLVEMENT_WANTED):
        errors["eligible_involvement"] = "Select who may be invited from the list"
    form_ = chosen_enum(values, "format", EngagementFormat)
    if form_ is None:
        errors["format"] = "Select whether it is in person, online or both"
    venue_name = text_within(values, "venue_name", TITLE_MAX_LENGTH, errors, "The venue's name")
    venue_address = text_within(values, "venue_address", TEXT_MAX_LENGTH, errors, "The address")
    venue_access = text_within(
        values, "venue_access", TEXT_MAX_LENGTH, errors, "The venue's access information"
    )
    joining_link = text_within(values, "joining_link", TEXT_MAX_LENGTH, errors, "The link")
    if joining_link and not WEB_ADDRESS.match(joining_link):
        errors["joining_link"] = "Enter the joining link as a web address starting https://"
    if form_ is EngagementFormat.ONLINE and (venue_name or venue_address):
        errors["venue_name"] = "An online session has no venue: choose hybrid, or clear the venue"
    starts_at, ends_at = session_times(values, now, zone, errors)
    capacity = whole_number(one(values, "capacity"), 1, MAX_CAPACITY)
    if capacity is None:
        errors["capacity"] = (
            f"Enter how many can take part, a whole number from 1 to {MAX_CAPACITY}"
        )
    reserves = whole_number(one(values, "reserves") or "0", 0, MAX_RESERVES)
    if reserves is None:
        errors["reserves"] = f"Enter how many reserves, a whole number from 0 to {MAX_RESERVES}"
    facilitators = tuple(int(v) for v in many(values, "facilitators") if v.isdigit())
    if len(facilitators) != len(many(values, "facilitators")) or not set(facilitators) <= set(
        facilitator_ids
    ):
        errors["facilitators"] = "Select facilitators from the list"
    aftercare = text_within(values, "aftercare", TEXT_MAX_LENGTH, errors, "Who to contact")
    if (
        errors
        or kind is None
        or form_ is None
        or starts_at is None
        or ends_at is None
        or capacity is None
        or reserves is None
    ):
        return None, errors
    return EngagementPlan(
        kind=kind,
        title=title,
        topic=topic,
        public_description=public_description,
        internal_notes=internal_notes,
        crime_focus=crime_focus,
        journey_stages=stages,
        eligible_crime_types=eligible_crimes,
        eligible_districts=eligible_districts,
        eligible_involvement=involvement,
        exclude_open_court_cases=one(values, "exclude_open_court_cases") == YES,
        format=form_,
        venue_name=venue_name,
        venue_address=venue_address,
        venue_access=venue_access,
        joining_link=joining_link,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        reserves=reserves,
        facilitators=facilitators,
        support_worker_present=one(values, "support_worker_present") == YES,
        quiet_room=one(values, "quiet_room") == YES,
        aftercare=aftercare,
    ), {}


def listed(
    values: Values, name: str, allowed: Collection[str], errors: Errors, what: str
) -> tuple[str, ...]:
    chosen = many(values, name)
    if not set(chosen) <= set(allowed):
        errors[name] = f"Choose {what} from the list"
    return tuple(chosen)


def session_times(
    values: Values, now: datetime, zone: tzinfo, errors: Errors
) -> tuple[datetime | None, datetime | None]:
    """The start and end of a session on one day, from its date and two times of day."""
    day = date_from_fields(values, "date")
    if day is None:
        errors["date"] = "Enter the date of the session as a real date, like 27 3 2027"
    start, end = parse_time(one(values, "starts")), parse_time(one(values, "ends"))
    if start is None:
        errors["starts"] = "Enter the time it starts, like 10:00 or 2:30pm"
    if end is None:
        errors["ends"] = "Enter the time it ends, like 12:00 or 4pm"
    if day is None or start is None or end is None:
        return None, None
    starts_at, ends_at = at_local(day, start, zone), at_local(day, end, zone)
    if ends_at <= starts_at:
        errors["ends"] = "The session must end after it starts"
    if starts_at <= now:
        errors["date"] = "The session must start in the future"
    return starts_at, ends_at


def at_local(day: date, hour: str, zone: tzinfo) -> datetime:
    return datetime.combine(day, time.fromisoformat(hour), tzinfo=zone)


def plan_values(plan: EngagementPlan, zone: tzinfo) -> dict[str, list[str]]:
    """The form filled in with a plan, to change it."""
    starts, ends = plan.starts_at.astimezone(zone), plan.ends_at.astimezone(zone)
    ticked = {
        "exclude_open_court_cases": plan.exclude_open_court_cases,
        "support_worker_present": plan.support_worker_present,
        "quiet_room": plan.quiet_room,
    }
    return {
        "kind": [plan.kind.value],
        "title": [plan.title],
        "topic": [plan.topic],
        "public_description": [plan.public_description],
        "internal_notes": [plan.internal_notes],
        "crime_focus": list(plan.crime_focus),
        "journey_stages": list(plan.journey_stages),
        "eligible_crime_types": list(plan.eligible_crime_types),
        "eligible_districts": list(plan.eligible_districts),
        "eligible_involvement": [plan.eligible_involvement],
        "format": [plan.format.value],
        "venue_name": [plan.venue_name],
        "venue_address": [plan.venue_address],
        "venue_access": [plan.venue_access],
        "joining_link": [plan.joining_link],
        "date-day": [str(starts.day)],
        "date-month": [str(starts.month)],
        "date-year": [str(starts.year)],
        "starts": [f"{starts:%H:%M}"],
        "ends": [f"{ends:%H:%M}"],
        "capacity": [str(plan.capacity)],
        "reserves": [str(plan.reserves)],
        "facilitators": [str(user_id) for user_id in plan.facilitators],
        "aftercare": [plan.aftercare],
        **{name: [YES] for name, on in ticked.items() if on},
    }


CANCEL_REASON_MAX_LENGTH = 500


def clean_cancellation(values: Values) -> tuple[str | None, Errors]:
    """Why the engagement is cancelled: staff read it; invitees are told only that it is."""
    return given_reason(
        one(values, "reason"), "Say why the engagement is cancelled", CANCEL_REASON_MAX_LENGTH
    )


MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})\Z")


def clean_list_filters(
    values: Values, facilitator_ids: Collection[int]
) -> tuple[ListFilters | None, Errors]:
    """The list's filters from its query: each one empty, or one of the page's choices."""
    errors: Errors = {}
    status = one(values, "status")
    if status and status not in set(EngagementStatus):
        errors["status"] = "Select a status from the list"
    kind = one(values, "kind")
    if kind and kind not in set(EngagementKind):
        errors["kind"] = "Select a kind from the list"
    month_text, month = one(values, "month"), None
    if month_text:
        match = MONTH_PATTERN.match(month_text)
        if match and 1 <= int(match.group(2)) <= 12 and int(match.group(1)) >= 2000:
            month = date(int(match.group(1)), int(match.group(2)), 1)
        else:
            errors["month"] = "Select a month from the list"
    facilitator_text, facilitator = one(values, "facilitator"), None
    if facilitator_text:
        if facilitator_text.isdigit() and int(facilitator_text) in facilitator_ids:
            facilitator = int(facilitator_text)
        else:
            errors["facilitator"] = "Select a facilitator from the list"
    if errors:
        return None, errors
    return ListFilters(status, kind, month, facilitator), {}


def clean_register(
    values: Values, participants: Mapping[int, str]
) -> tuple[dict[int, RegisterMark] | None, Errors]:
    """A mark for every participant (``participants``: invitation id → name), each from the
    register's choices: ``register-<invitation id>``."""
    marks: dict[int, RegisterMark] = {}
    errors: Errors = {}
    for invitation_id, name in participants.items():
        field = f"register-{invitation_id}"
        mark = next((m for m in RegisterMark if m.value == one(values, field)), None)
        if mark is None:
            errors[field] = f"Say whether {name} attended"
        else:
            marks[invitation_id] = mark
    return (None, errors) if errors else (marks, {})


def clean_partner(values: dict[str, str]) -> tuple[tuple[str, str] | None, dict[str, str]]:
    """A partner agency reviewer's name and agency, or what is wrong."""
    name = values.get("partner_name", "").strip()
    agency = values.get("partner_agency", "").strip()
    errors = {}
    if not name:
        errors["partner_name"] = "Enter the reviewer's name"
    elif len(name) > PARTNER_NAME_MAX:
        errors["partner_name"] = f"The name must be {PARTNER_NAME_MAX} characters or fewer"
    if not agency:
        errors["partner_agency"] = "Enter the agency they work for"
    elif len(agency) > PARTNER_AGENCY_MAX:
        errors["partner_agency"] = f"The agency must be {PARTNER_AGENCY_MAX} characters or fewer"
    if errors:
        return None, errors
    return (name, agency), {}
