"""Validation of the audit log's filters: a day to start from, a day to end on, an action."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from panel.audit.services import ACTIONS, AuditFilter


def parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def clean_filters(values: Mapping[str, str], page: int) -> tuple[AuditFilter, dict[str, str]]:
    """The filter asked for and a message for each field that is wrong; a wrong field filters
    nothing. The last day is included, so the filter runs to the start of the day after it."""
    errors = {}
    since_day, until_day = parse_day(values["since"]), parse_day(values["until"])
    if values["since"] and since_day is None:
        errors["since"] = "Enter the date as year-month-day, like 2026-11-01"
    if values["until"] and until_day is None:
        errors["until"] = "Enter the date as year-month-day, like 2026-11-30"
    elif until_day == date.max:  # the calendar has no day after it
        errors["until"] = "Enter a date before 9999-12-31"
        until_day = None
    if values["action"] and values["action"] not in ACTIONS:
        errors["action"] = "Select an action from the list"
    wanted = AuditFilter(
        action=values["action"] if "action" not in errors else "",
        actor_email=values["actor"].strip(),
        since=start_of(since_day) if since_day else None,
        until=start_of(until_day + timedelta(days=1)) if until_day else None,
        page=page,
    )
    return wanted, errors
