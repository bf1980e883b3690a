"""The labelled corpus of session notes (``tests/unit/redaction/corpus/``): reading it, and
scoring a redaction of it. Written for this project; every name and number in it is made up.

A file's first line is ``known: `` and the session's participants, separated by "; "; then an
empty line; then the note, with each identifying stretch written ``[[kind|text]]`` and each
phrase that must stay ``[[keep|text]]``."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "unit" / "redaction" / "corpus"
MARK = re.compile(r"\[\[([a-z_]+)\|([^\]|]+)\]\]")
KEEP = "keep"
NAMES = ("participant", "officer", "person")
# The kinds that have a shape: every one of them must be caught.
SHAPED = ("phone", "email", "postcode", "reference", "ni_number", "vehicle", "date_of_birth")


@dataclass(frozen=True)
class Stretch:
    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True)
class LabelledNote:
    name: str
    known: tuple[str, ...]
    text: str  # as written, without the marks
    stretches: tuple[Stretch, ...]

    @property
    def identifying(self) -> list[Stretch]:
        return [stretch for stretch in self.stretches if stretch.kind != KEEP]

    @property
    def kept(self) -> list[Stretch]:
        return [stretch for stretch in self.stretches if stretch.kind == KEEP]


def read_note(path: Path) -> LabelledNote:
    first, blank, *rest = path.read_text(encoding="utf-8").split("\n")
    if not first.startswith("known:") or blank.strip():
        raise ValueError(f"{path.name}: the first line must be 'known: …' and the second empty")
    known = tuple(name.strip() for name in first.removeprefix("known:").split(";") if name.strip())
    marked = "\n".join(rest)
    pieces: list[str] = []
    stretches: list[Stretch] = []
    at = 0
    length = 0
    for match in MARK.finditer(marked):
        before = marked[at : match.start()]
        pieces.append(before)
        length += len(before)
        kind, words = match.groups()
        stretches.append(Stretch(length, length + len(words), kind, words))
        pieces.append(words)
        length += len(words)
        at = match.end()
    pieces.append(marked[at:])
    text = "".join(pieces)
    if "[[" in text or "]]" in text:
        raise ValueError(f"{path.name}: a mark is not closed")
    return LabelledNote(path.name, known, text, tuple(stretches))


def read_corpus(folder: Path = CORPUS) -> list[LabelledNote]:
    return [read_note(path) for path in sorted(folder.glob("*.txt"))]


@dataclass
class Score:
    """What a redaction of the corpus caught and kept, by kind."""

    caught: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    kept: int = 0
    lost: int = 0  # phrases that had to stay and were replaced
    finds: int = 0
    wrong_finds: int = 0  # finds that touch nothing identifying
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # file, kind, text
    losses: list[tuple[str, str]] = field(default_factory=list)  # file, text

    def recall(self, kinds: Iterable[str]) -> float:
        kinds = list(kinds)
        caught = sum(self.caught[kind] for kind in kinds)
        total = caught + sum(self.missed[kind] for kind in kinds)
        return caught / total if total else 1.0

    @property
    def kept_share(self) -> float:
        total = self.kept + self.lost
        return self.kept / total if total else 1.0

    @property
    def precision(self) -> float:
        return (self.finds - self.wrong_finds) / self.finds if self.finds else 1.0


def score(
    notes: Iterable[LabelledNote], finds_of: Callable[[LabelledNote], list[tuple[int, int]]]
) -> Score:
    """``finds_of`` gives the stretches (start, end) a redactor replaces in a note's text. An
    identifying stretch is caught when the finds cover every letter and digit of it; a phrase to
    keep is lost when any find touches it."""
    result = Score()
    for note in notes:
        finds = finds_of(note)
        covered = [False] * len(note.text)
        for start, end in finds:
            for index in range(start, end):
                covered[index] = True
        for stretch in note.identifying:
            if all(
                covered[index]
                for index in range(stretch.start, stretch.end)
                if note.text[index].isalnum()
            ):
                result.caught[stretch.kind] += 1
            else:
                result.missed[stretch.kind] += 1
                result.misses.append((note.name, stretch.kind, stretch.text))
        for stretch in note.kept:
            if any(covered[index] for index in range(stretch.start, stretch.end)):
                result.lost += 1
                result.losses.append((note.name, stretch.text))
            else:
                result.kept += 1
        identifying = note.identifying
        for start, end in finds:
            result.finds += 1
            if not any(start < other.end and other.start < end for other in identifying):
                result.wrong_finds += 1
    return result
