"""Validation of the action form, a progress update, and a new agency."""

from __future__ import annotations

from collections.abc import Collection

from panel.actions.rules import (
    AGENCY_NAME_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    EVIDENCE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ActionStatus,
)
from panel.actions.services import ActionSent, UpdateSent
from panel.findings.rules import PRIORITIES
from panel.web.forms import Errors, Values, codes, date_from_fields, one, plain_text


def text_of(values: Values, name: str) -> str:
    return plain_text(one(values, name)).replace("\r\n", "\n").strip()


def too_long(errors: Errors, name: str, text: str, most: int, words: str) -> None:
    if len(text) > most:
        errors[name] = f"{words} must be {most:,} characters or fewer"


def clean_action(values: Values, agency_ids: Collection[int]) -> tuple[ActionSent | None, Errors]:
    errors: Errors = {}
    title = text_of(values, "title")
    if not title:
        errors["title"] = "Enter what will be done"
    too_long(errors, "title", title, TITLE_MAX_LENGTH, "The title")
    description = text_of(values, "description")
    too_long(errors, "description", description, DESCRIPTION_MAX_LENGTH, "The description")
    agency = one(values, "agency")
    if not agency.isdigit() or int(agency) not in agency_ids:
        errors["agency"] = "Choose the agency that owns it"
    owner = text_of(values, "owner")
    if not owner:
        errors["owner"] = "Enter the role that owns it, such as Head of Victim Services"
    too_long(errors, "owner", owner, OWNER_MAX_LENGTH, "The owner")
    due = date_from_fields(values, "due")
    if due is None:
        errors["due"] = "Enter the date it is due, such as 31 3 2027"
    priority = one(values, "priority")
    if priority not in codes(PRIORITIES):
        errors["priority"] = "Choose a priority"
    if errors or due is None:
        return None, errors
    return ActionSent(title, description, int(agency), owner, due, priority), {}


def clean_update(
    values: Values, allowed: Collection[ActionStatus]
) -> tuple[UpdateSent | None, Errors]:
    """A note of progress, a change of status (one of ``allowed``, or none), and evidence."""
    errors: Errors = {}
    note = text_of(values, "note")
    too_long(errors, "note", note, NOTE_MAX_LENGTH, "The update")
    chosen = one(values, "status")
    status = None
    if chosen:
        if chosen in {status.value for status in allowed}:
            status = ActionStatus(chosen)
        else:
            errors["status"] = "Choose what the action's status is now"
    reason = text_of(values, "reason")
    if status is ActionStatus.NOT_TAKEN_FORWARD and not reason:
        errors["reason"] = "Say why it is not taken forward"
    too_long(errors, "reason", reason, NOTE_MAX_LENGTH, "The reason")
    evidence = text_of(values, "evidence")
    too_long(errors, "evidence", evidence, EVIDENCE_MAX_LENGTH, "The evidence")
    if not note and status is None and not evidence and "note" not in errors:
        errors["note"] = "Enter what has happened, or choose a new status"
    if errors:
        return None, errors
    return UpdateSent(note, status, reason, evidence), {}


def clean_agency_name(values: Values) -> tuple[str | None, Errors]:
    name = text_of(values, "name")
    if not name:
        return None, {"name": "Enter the agency's name"}
    if len(name) > AGENCY_NAME_MAX_LENGTH:
        return None, {"name": f"The name must be {AGENCY_NAME_MAX_LENGTH} characters or fewer"}
    return name, {}
