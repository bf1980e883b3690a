"""Validation of the screening forms: a decision on an application, and the decline reasons list."""

from __future__ import annotations

from dataclasses import dataclass

from panel.screening.rules import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from panel.settings import revealing_words

# Which decision the screener saw as the latest when they opened the page (0: none yet). A decision
# made since then (a second click, or a colleague) refuses this one instead of repeating it.
SEEN_FIELD = "seen"


def revealing_problem(text: str, what: str) -> str | None:
    """Text staff write that is emailed to an applicant must not say what the panel is about."""
    if words := revealing_words(text):
        return (
            f"{what} is emailed to the applicant, and someone else may read their email. "
            f"Leave out words that say what the panel is about: {', '.join(words)}"
        )
    return None


def seen_decision(values: dict[str, str]) -> int:
    """The hidden field as sent; anything but a whole number can never match, so it is refused."""
    value = values.get(SEEN_FIELD, "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else -1


@dataclass(frozen=True)
class Decline:
    reason_id: int
    note: str
    seen: int


def clean_decline(values: dict[str, str]) -> tuple[Decline | None, dict[str, str]]:
    reason = values.get("reason", "").strip()
    note = values.get("note", "").strip()
    errors = {}
    if not (reason.isdigit() and len(reason) < 10):  # a database integer, never an overflow
        errors["reason"] = "Select the reason for declining the application"
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"The note must be {NOTE_MAX_LENGTH} characters or fewer"
    elif problem := revealing_problem(note, "The note"):
        errors["note"] = problem
    if errors:
        return None, errors
    return Decline(reason_id=int(reason), note=note, seen=seen_decision(values)), {}


@dataclass(frozen=True)
class MoreInformation:
    message: str
    seen: int


def clean_more_information(
    values: dict[str, str],
) -> tuple[MoreInformation | None, dict[str, str]]:
    message = values.get("message", "").strip()
    if not message:
        return None, {"message": "Enter what you need to know and how they can reply"}
    if len(message) > NOTE_MAX_LENGTH:
        return None, {"message": f"The message must be {NOTE_MAX_LENGTH} characters or fewer"}
    if problem := revealing_problem(message, "The message"):
        return None, {"message": problem}
    return MoreInformation(message=message, seen=seen_decision(values)), {}


def clean_reason_text(values: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    text = " ".join(values.get("text", "").split())
    if not text:
        return None, {"text": "Enter the reason, as the applicant will read it"}
    if len(text) > REASON_MAX_LENGTH:
        return None, {"text": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"}
    if problem := revealing_problem(text, "The reason"):
        return None, {"text": problem}
    return text, {}
