"""Validation of the action form, a progress update, a new agency, and horizon items."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from panel.actions.horizon import ItemSent
from panel.actions.rules import (
    AGENCY_NAME_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    EVIDENCE_MAX_LENGTH,
    HORIZON_LINK_MAX_LENGTH,
    HORIZON_SOURCES,
    HORIZON_TITLE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ActionStatus,
    HorizonStatus,
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


# ---------------------------------------------------------------------------------------------
# Horizon scanning


def clean_item(values: Values) -> tuple[ItemSent | None, Errors]:
    errors: Errors = {}
    source = one(values, "source")
    if source not in codes(HORIZON_SOURCES):
        errors["source"] = "Choose where it comes from"
    title = text_of(values, "title")
    if not title:
        errors["title"] = "Enter its title"
    too_long(errors, "title", title, HORIZON_TITLE_MAX_LENGTH, "The title")
    link = text_of(values, "link")
    if link and not re.fullmatch(r"https?://[^\s<>\"]+\.[^\s<>\"]+", link):
        errors["link"] = "Enter a web address starting with https://, or leave it empty"
    too_long(errors, "link", link, HORIZON_LINK_MAX_LENGTH, "The web address")
    published = date_from_fields(values, "published")
    if published is None:
        errors["published"] = "Enter the date it was published, such as 14 10 2026"
    summary = text_of(values, "summary")
    too_long(errors, "summary", summary, DESCRIPTION_MAX_LENGTH, "The summary")
    relevance = text_of(values, "relevance")
    too_long(errors, "relevance", relevance, NOTE_MAX_LENGTH, "Why it matters")
    review_by = date_from_fields(values, "review_by")
    if review_by is None:
        errors["review_by"] = "Enter the date to review it by, such as 31 1 2027"
    if errors or published is None or review_by is None:
        return None, errors
    return ItemSent(source, title, link, published, summary, relevance, review_by), {}


def clean_decision(
    values: Values, allowed: Collection[HorizonStatus]
) -> tuple[tuple[HorizonStatus, str, date | None] | None, Errors]:
    """What staff decided of an item: assessed (with why it matters) or not applicable (with
    why not), and, if they give one, a new date to review it by."""
    errors: Errors = {}
    chosen = one(values, "status")
    status = next((status for status in allowed if status.value == chosen), None)
    if status is None:
        errors["status"] = "Choose what you decided"
    note = text_of(values, "note")
    if status is HorizonStatus.NOT_APPLICABLE and not note:
        errors["note"] = "Say why it does not apply"
    too_long(errors, "note", note, NOTE_MAX_LENGTH, "What you write")
    given = any(one(values, f"review_by-{part}") for part in ("day", "month", "year"))
    review_by = date_from_fields(values, "review_by") if given else None
    if given and review_by is None:
        errors["review_by"] = "Enter a real date, such as 31 1 2027, or leave it empty"
    if errors or status is None:
        return None, errors
    return (status, note, review_by), {}
