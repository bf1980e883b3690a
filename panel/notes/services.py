"""Writing up a held session: checking the notes (a preview of every replacement), putting back
words wrongly replaced, removing more, and saving.

What the facilitator typed lives only in the request that carries it and in their own browser:
it is redacted here and only the result is stored, as a draft when they check and as the notes
when they save. Nothing typed goes to the audit log (counts only), the logs or any other table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import Column

from panel import db
from panel.audit.services import Actor, record_event
from panel.engagements.services import participants
from panel.keys import keyed_hash
from panel.notes.tables import SessionNote
from panel.redaction.engine import Redaction, redact
from panel.redaction.kinds import Kind

# Notes of a two-hour session run to a few thousand words; this is ten times that.
NOTES_MAX_LENGTH = 100_000
WORDS_MAX_LENGTH = 2_000  # the words to remove everywhere, together


@dataclass(frozen=True)
class Stretch:
    """A piece of the preview: text as it will be stored, or a label put in by the redaction."""

    text: str
    kind: Kind | None = None  # None: the writer's own words


@dataclass(frozen=True)
class Replaced:
    """A word or phrase the redaction replaced, with how often and by what. Shown only on the
    preview, to the facilitator who typed it, so they can put it back."""

    words: str
    label: str
    times: int
    can_put_back: bool  # never a participant's name


@dataclass(frozen=True)
class Preview:
    stretches: tuple[Stretch, ...]
    replaced: tuple[Replaced, ...]
    text: str  # what would be stored
    put_back: tuple[str, ...]  # the words put back that the redaction would have replaced
    checked: str  # a keyed hash of what was checked, so a save matches the preview

    @property
    def replacements(self) -> int:
        """How many stretches the labels stand in for."""
        return sum(1 for stretch in self.stretches if stretch.kind is not None)


def checked_hash(secret_key: str, engagement_id: int, text: str, removed: Sequence[str]) -> str:
    """Ties a save to the preview it follows: the same notes and the same words to remove."""
    return keyed_hash(
        secret_key, "notes-checked", f"{engagement_id}\x00{text}\x00" + "\x00".join(removed)
    )


def preview_of(
    engagement_id: int,
    text: str,
    names: Sequence[str],
    put_back: Iterable[str],
    removed: Sequence[str],
    secret_key: str,
) -> Preview:
    """What saving would store, with every replacement found. A participant's name is never put
    back, whatever is asked."""
    first = redact(text, names, (), removed)
    participant_words = {
        text[found.start : found.end].casefold()
        for found in first.found
        if found.kind is Kind.PARTICIPANT
    }
    replaced_words = {text[found.start : found.end].casefold() for found in first.found}
    kept = tuple(
        dict.fromkeys(
            word
            for word in put_back
            if word.casefold() in replaced_words and word.casefold() not in participant_words
        )
    )
    final = redact(text, names, kept, removed) if kept else first
    return Preview(
        stretches=stretches_of(text, final),
        replaced=replaced_list(text, first, participant_words),
        text=final.text,
        put_back=kept,
        checked=checked_hash(secret_key, engagement_id, text, removed),
    )


def stretches_of(text: str, redaction: Redaction) -> tuple[Stretch, ...]:
    pieces: list[Stretch] = []
    at = 0
    for found in redaction.found:
        if found.start > at:
            pieces.append(Stretch(text[at : found.start]))
        pieces.append(Stretch(found.label, found.kind))
        at = found.end
    if at < len(text):
        pieces.append(Stretch(text[at:]))
    return tuple(pieces)


def replaced_list(
    text: str, redaction: Redaction, participant_words: set[str]
) -> tuple[Replaced, ...]:
    """Each distinct word replaced, in the order it first appears."""
    seen: dict[tuple[str, str], Replaced] = {}
    for found in redaction.found:
        words = text[found.start : found.end]
        key = (words.casefold(), found.label)
        before = seen.get(key)
        seen[key] = Replaced(
            words=before.words if before else words,
            label=found.label,
            times=(before.times if before else 0) + 1,
            can_put_back=key[0] not in participant_words,
        )
    return tuple(seen.values())


async def participant_names(engagement_id: int) -> list[str]:
    """The names the session's participants go by, numbered in this order in the notes."""
    people = await participants(engagement_id)
    return [person.preferred_name for person in people if person.preferred_name]


async def note_of(engagement_id: int) -> dict | None:
    return await SessionNote.select().where(SessionNote.engagement == engagement_id).first()


async def keep_draft(engagement_id: int, preview: Preview, writer: int) -> None:
    """The checked notes, anonymised, as the draft: a reload shows them, never what was typed.
    Saved notes stay saved until the facilitator saves again."""
    existing = await note_of(engagement_id)
    if existing is not None and existing["saved"]:
        return
    await store(engagement_id, preview, writer, saved=False, existing=existing)


async def save_notes(engagement_id: int, preview: Preview, writer: int, actor: Actor) -> None:
    async with db.transaction():
        await store(
            engagement_id, preview, writer, saved=True, existing=await note_of(engagement_id)
        )
        await record_event(
            "notes_saved",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={
                "replaced": preview.replacements,
                "put_back": len(preview.put_back),
            },
        )


async def store(
    engagement_id: int, preview: Preview, writer: int, saved: bool, existing: dict | None
) -> None:
    values: dict[str, Any] = {
        "text": preview.text,
        "saved": saved,
        "replaced": preview.replacements,
        "restored": len(preview.put_back),
        "written_by": writer,
        "updated_at": datetime.now(UTC),
    }
    if existing is None:
        await SessionNote.insert(SessionNote(engagement=engagement_id, **values))
    else:
        changes: dict[Column | str, Any] = dict(values.items())
        await SessionNote.update(changes).where(SessionNote.id == existing["id"])
