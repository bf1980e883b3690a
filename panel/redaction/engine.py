"""Finding and replacing: every finder's stretches, overlaps settled (the more specific kind
first, then the longer stretch), words the writer restored left alone, then the labels put in."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from panel.redaction.identifiers import shaped_identifiers
from panel.redaction.kinds import Found, Kind
from panel.redaction.names import other_people
from panel.redaction.people import participants, titled_people

# When two finds overlap, the kind earlier here wins: an email address holds what looks like a
# name, a reference what looks like a phone number, an address what looks like a surname.
PRIORITY = (
    Kind.EMAIL,
    Kind.LINK,
    Kind.HANDLE,
    Kind.NI_NUMBER,
    Kind.REFERENCE,
    Kind.POSTCODE,
    Kind.VEHICLE,
    Kind.DATE_OF_BIRTH,
    Kind.PHONE,
    Kind.COLLAR_NUMBER,
    Kind.ADDRESS,
    Kind.PARTICIPANT,
    Kind.OFFICER,
    Kind.PERSON,
    Kind.AGE,
    Kind.REMOVED,  # what the writer removes never uncovers part of another find
)
RANK = {kind: index for index, kind in enumerate(PRIORITY)}


@dataclass(frozen=True)
class Redaction:
    """The text with every find replaced by its label, and the finds (positions in the text as
    written, for the preview; the words found are never kept)."""

    text: str
    found: tuple[Found, ...]

    def counts(self) -> dict[Kind, int]:
        return dict(Counter(found.kind for found in self.found))


def redact(
    text: str,
    known_names: Sequence[str] = (),
    kept: Iterable[str] = (),
    removed: Iterable[str] = (),
) -> Redaction:
    """``known_names``: the session's participants, numbered in that order. ``kept``: words the
    writer has said are not identifying; a find that is exactly one of them stays as written.
    ``removed``: words the writer asked to remove everywhere, in any case, as whole words."""
    keep = {word.casefold() for word in kept}
    candidates = [
        found
        for found in (
            *removed_words(text, removed),
            *shaped_identifiers(text),
            *participants(text, known_names),
            *titled_people(text),
            *other_people(text),
        )
        if found.end > found.start and text[found.start : found.end].casefold() not in keep
    ]
    chosen = with_initials(text, settle(text, candidates))
    return Redaction(replaced(text, chosen), tuple(chosen))


# A single capital beside a name is its initial: "Sarah C", "Mark D.", "B. Hathaway". Not "I" or
# "A", which are words far more often.
INITIAL_AFTER = re.compile(r" ([B-HJ-Z])(?![\w'\u2019&-])")
INITIAL_BEFORE = re.compile(r"(?<![\w.'\u2019&-])([B-HJ-Z])\.? $")
NAMES = frozenset({Kind.PARTICIPANT, Kind.OFFICER, Kind.PERSON})


def with_initials(text: str, chosen: list[Found]) -> list[Found]:
    """Each name with the initial written beside it, where nothing else was found there."""
    widened = []
    for at, found in enumerate(chosen):
        start, end = found.start, found.end
        if found.kind in NAMES:
            after = INITIAL_AFTER.match(text, end)
            if after and (at + 1 == len(chosen) or chosen[at + 1].start >= after.end()):
                end = after.end()
            before = INITIAL_BEFORE.search(text, max(0, start - 4), start)
            if before and (at == 0 or chosen[at - 1].end <= before.start()):
                start = before.start()
        widened.append(replace(found, start=start, end=end))
    return widened


def removed_words(text: str, removed: Iterable[str]) -> list[Found]:
    """Every whole-word occurrence of each word or phrase the writer asked to remove."""
    terms = sorted({" ".join(term.split()) for term in removed if term.strip()}, key=len)
    if not terms:
        return []
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(term) for term in reversed(terms)) + r")(?!\w)",
        re.IGNORECASE,
    )
    return [Found(match.start(), match.end(), Kind.REMOVED) for match in pattern.finditer(text)]


# A name that runs into a more specific find keeps the rest of itself: "Simon Ashdown" where
# Ashdown is a participant's surname is "[PERSON] [PARTICIPANT 1]". So does a phrase the writer
# removed that runs into another find.
TRIMMED = frozenset({Kind.PERSON, Kind.OFFICER, Kind.REMOVED})


def settle(text: str, candidates: list[Found]) -> list[Found]:
    """The finds that do not overlap, by kind, then length, then position; in text order. The
    finds taken are kept in order of position, so each overlap is looked up, not searched for."""
    starts: list[int] = []
    taken: list[Found] = []
    for found in sorted(candidates, key=lambda f: (RANK[f.kind], f.start - f.end, f.start)):
        overlaps = overlapping(found, starts, taken)
        pieces = [found] if not overlaps else []
        if overlaps and found.kind in TRIMMED:
            pieces = rest_of(text, found, overlaps)
        for piece in pieces:
            at = bisect.bisect_left(starts, piece.start)
            starts.insert(at, piece.start)
            taken.insert(at, piece)
    return taken


def overlapping(found: Found, starts: list[int], taken: list[Found]) -> list[Found]:
    """The finds already taken (none overlapping each other) that overlap ``found``."""
    at = bisect.bisect_left(starts, found.start)
    first = at - 1 if at > 0 and taken[at - 1].end > found.start else at
    last = bisect.bisect_left(starts, found.end)
    return taken[first:last]


def rest_of(text: str, found: Found, overlaps: list[Found]) -> list[Found]:
    """What is left of a find outside the others, without the spaces at its ends."""
    pieces = [(found.start, found.end)]
    for other in overlaps:
        pieces = [
            piece
            for start, end in pieces
            for piece in ((start, min(end, other.start)), (max(start, other.end), end))
            if piece[0] < piece[1]
        ]
    rest = []
    for start, end in pieces:
        words = text[start:end]
        stripped = words.strip(" ,.;:-\u2013()\n\t")
        if any(character.isalnum() for character in stripped):
            begin = start + words.index(stripped)
            rest.append(Found(begin, begin + len(stripped), found.kind))
    return rest


def replaced(text: str, chosen: list[Found]) -> str:
    pieces: list[str] = []
    at = 0
    for found in chosen:
        pieces.append(text[at : found.start])
        pieces.append(found.label)
        at = found.end
    pieces.append(text[at:])
    return "".join(pieces)
