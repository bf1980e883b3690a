"""Validation of the write-up form: the notes, the words to remove everywhere, and the words to
put back."""

from __future__ import annotations

from dataclasses import dataclass

from panel.notes.services import NOTES_MAX_LENGTH, WORDS_MAX_LENGTH
from panel.web.forms import Errors, Values, many, one, plain_text

CHECK, SAVE = "check", "save"


@dataclass(frozen=True)
class NotesForm:
    text: str
    removed: tuple[str, ...]  # one word or phrase a line
    put_back: tuple[str, ...]
    action: str  # CHECK or SAVE
    checked: str  # the preview's keyed hash, sent back with a save


def clean_notes(values: Values) -> tuple[NotesForm | None, Errors]:
    text = plain_text(one(values, "notes")).replace("\r\n", "\n").strip()
    remove = plain_text(one(values, "remove"))
    errors: Errors = {}
    if not text:
        errors["notes"] = "Enter the notes of the session"
    elif len(text) > NOTES_MAX_LENGTH:
        errors["notes"] = f"The notes must be {NOTES_MAX_LENGTH:,} characters or fewer"
    if len(remove) > WORDS_MAX_LENGTH:
        errors["remove"] = f"The words to remove must be {WORDS_MAX_LENGTH:,} characters or fewer"
    if errors:
        return None, errors
    removed = tuple(dict.fromkeys(line.strip() for line in remove.splitlines() if line.strip()))
    put_back = tuple(plain_text(word) for word in many(values, "put_back") if word.strip())
    action = SAVE if one(values, "action") == SAVE else CHECK
    return NotesForm(text, removed, put_back, action, one(values, "checked")), {}
