"""Validation of the admin's forms: the audit log's filters (a day to start from, a day to end on,
an action), and adding a staff account or changing its role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from panel.accounts.forms import email_problem
from panel.accounts.rules import STAFF_ROLES, Role
from panel.admin.services import AuditFilter
from panel.audit.services import ACTIONS


def parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def start_of(day: date, zone: ZoneInfo) -> datetime:
    """The start of a day where the panel is (the log's times are shown in UK time), in UTC."""
    try:
        return datetime.combine(day, time(), zone).astimezone(UTC)
    except OverflowError:  # the first day of the calendar, in a zone ahead of UTC
        return datetime.min.replace(tzinfo=UTC)


def clean_filters(
    values: Mapping[str, str], page: int, time_zone: str
) -> tuple[AuditFilter, dict[str, str]]:
    """The filter asked for and a message for each field that is wrong; a wrong field filters
    nothing. Days are the panel's (``time_zone``), as the log's times are shown; the last day is
    included, so the filter runs to the start of the day after it."""
    zone = ZoneInfo(time_zone)
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
        since=start_of(since_day, zone) if since_day else None,
        until=start_of(until_day + timedelta(days=1), zone) if until_day else None,
        page=page,
    )
    return wanted, errors


def clean_role(values: dict[str, str]) -> tuple[Role | None, dict[str, str]]:
    try:
        return Role(values.get("role", "")), {}
    except ValueError:
        return None, {"role": "Select a role"}


@dataclass(frozen=True)
class NewUserForm:
    email: str
    role: Role


def clean_new_user(values: dict[str, str]) -> tuple[NewUserForm | None, dict[str, str]]:
    email = values.get("email", "").strip()
    errors = {}
    if problem := email_problem(email):
        errors["email"] = problem.replace("Enter your email address", "Enter their email address")
    role, _ = clean_role(values)
    if role is None or role not in STAFF_ROLES:
        errors["role"] = "Select a role"
    if errors or role is None:
        return None, errors
    return NewUserForm(email=email, role=role), {}
