"""People's names: the session's participants, known by name, and anyone named after a title
("Mrs Patel") or a police rank ("PC Jones", "DS Khan").

A participant's name is found whole ("Robin Hart"), by first name or surname alone, with "'s",
in any case, and misspelt by one letter (left out, added, changed, or two swapped) when the
misspelling keeps its capital and first letter and is at least four letters long, so that a
short or lower-case ordinary word one letter from a name ("heart", "hard") is left alone; by a
shortening ("Meg" of Megan) and by the other names people go by ("Mike" for Michael, "Biddy"
for Bridget)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache

from nicknames import NickNamer

from panel.redaction.kinds import Found, Kind
from panel.redaction.words import split_words, vocabulary

# A word in any alphabet, with its apostrophes and hyphens ("O'Brien", "Smith-Jones").
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-])*[^\W\d_]|[^\W\d_]")
SHORTEST_MISSPELT = 4
SHORTEST_SHORTENED = 3

TITLES = r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Reverend|Judge|Father"
# Ranks that never stand for anything else; written in lower case, the name after them may be too.
SURE_RANKS = r"PCSO|PC|WPC|DC|DS|DI|DCI|DSI|DSU|DCS|Sgt"
LOWER_CASE_RANKS = r"pcso|pc|wpc|dc|ds|di|dci|sgt"
RANKS = (
    rf"{SURE_RANKS}|Sergeant|Inspector|Constable|Superintendent|Chief Inspector"
    r"|Chief Superintendent|Detective(?: Constable| Sergeant| Inspector| Chief Inspector)?|Officer"
)
# "Jones", "O'Brien", "Smith-Jones"; an "'s" after it is not part of it.
NAME = r"(?:[A-Z]['\u2019])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
# Words that follow a rank without being a name ("the officer in charge", "pc and dc").
FOLLOWS_A_RANK = frozenset(
    split_words(
        """
    a an and as at but by for from had has he her him his in into is it of on or she so that the
    their them then there they this to told was were who with would
    """
    )
)
# The name only: a possessive "'s" after it stays, after the label.
TITLED = re.compile(rf"\b(?:{TITLES})\.? (?P<it>{NAME}(?: {NAME})?)")
RANKED = re.compile(rf"\b(?:{RANKS})\.? (?P<it>{NAME}(?: {NAME})?)")
LOWER_CASE_RANKED = re.compile(rf"\b(?:{LOWER_CASE_RANKS}) (?P<it>[a-z]+(?:-[a-z]+)?)\b")


def titled_people(text: str) -> Iterator[Found]:
    for pattern, kind in ((RANKED, Kind.OFFICER), (TITLED, Kind.PERSON)):
        for match in pattern.finditer(text):
            yield Found(*match.span("it"), kind)
    for match in LOWER_CASE_RANKED.finditer(text):
        if match.group("it") not in FOLLOWS_A_RANK:
            yield Found(*match.span("it"), Kind.OFFICER)


def bare(word: str) -> str:
    """Without a possessive "'s"."""
    return re.sub(r"['\u2019]s?$", "", word) or word


def participants(text: str, known_names: Sequence[str]) -> Iterator[Found]:
    """Each known name's parts and near misses, numbered in the order given; a whole name (its
    parts with only spaces between) is one find."""
    parts_of: dict[str, int] = {}
    for number, name in enumerate(numbered(known_names), start=1):
        for word in WORD.findall(name):
            parts_of.setdefault(folded(word), number)
    if not parts_of:
        return
    short_forms = nicknames_of(parts_of)
    finds: list[Found] = []
    for match in WORD.finditer(text):
        word = bare(match.group())
        number = (
            parts_of.get(folded(word))
            or misspelt(word, parts_of)
            or shortened(word, parts_of)
            or nickname(word, short_forms)
        )
        if number and not used_as_a_word(text, match.start(), word):
            finds.append(Found(match.start(), match.start() + len(word), Kind.PARTICIPANT, number))
    yield from joined(text, finds)


# A participant's name that is also an ordinary word is the word after an article ("the Rose
# garden"), and, written in lower case, after these too ("last summer", "in may", "was frank",
# "he will"); anywhere else it is theirs.
ARTICLES = frozenset({"a", "an", "the", "this", "that", "last", "next", "every", "our", "your"})
BEFORE_A_WORD = ARTICLES | frozenset(
    split_words(
        """
    in of by with for was is were be been being so very too quite more most not i you we he she
    they it
    """
    )
)


# How far back to look for the word before another: a word and its spaces and punctuation. A
# fixed window, so that a long note is not read again from its start for every word.
LOOK_BACK = 60


def used_as_a_word(text: str, start: int, word: str) -> bool:
    if folded(word) not in vocabulary().ordinary:
        return False
    before = re.search(r"([^\W\d_]+)\W*$", text[max(0, start - LOOK_BACK) : start])
    if before is None:
        return False
    previous = before.group(1).casefold()
    return previous in (BEFORE_A_WORD if word.islower() else ARTICLES)


def joined(text: str, finds: list[Found]) -> Iterator[Found]:
    """Neighbouring finds of the same participant with only spaces between, as one."""
    current: Found | None = None
    for found in finds:
        if (
            current is not None
            and current.number == found.number
            and text[current.end : found.start].isspace()
        ):
            current = Found(current.start, found.end, Kind.PARTICIPANT, found.number)
            continue
        if current is not None:
            yield current
        current = found
    if current is not None:
        yield current


def folded(word: str) -> str:
    """A word as names are compared: without accents, in any case ("Wiśniewska", "wisniewska")."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def numbered(known_names: Sequence[str]) -> list[str]:
    """The names once each, in the order given (the session's participants)."""
    seen: dict[str, str] = {}
    for name in known_names:
        key = " ".join(folded(word) for word in WORD.findall(name))
        if key and key not in seen:
            seen[key] = name
    return list(seen.values())


@cache
def nick_namer() -> NickNamer:
    return NickNamer()


def nicknames_of(parts_of: dict[str, int]) -> dict[str, int]:
    """Each participant's names by the other names they go by, both ways ("Mike" for Michael,
    "Michael" for Mike), from the ``nicknames`` package's hand-curated list; a name that is a
    participant's own is theirs, not another's nickname."""
    namer = nick_namer()
    found: dict[str, int] = {}
    for part, number in parts_of.items():
        for other in namer.nicknames_of(part) | namer.canonicals_of(part):
            if other not in parts_of:
                found.setdefault(other, number)
    return found


def nickname(word: str, short_forms: dict[str, int]) -> int:
    """The participant a word is another name of; an ordinary word ("will", "bill", "rob") only
    when written with its capital."""
    plain = folded(word)
    number = short_forms.get(plain, 0)
    if number and plain in vocabulary().ordinary and not word[0].isupper():
        return 0
    return number


def shortened(word: str, parts_of: dict[str, int]) -> int:
    """The participant a capitalised word is the start of, "Meg" of Megan, unless it is an
    ordinary word ("Will" of William stays a word), or 0."""
    if len(word) < SHORTEST_SHORTENED or not word[0].isupper() or word.isupper():
        return 0
    plain = folded(word)
    if plain in vocabulary().ordinary:
        return 0
    for part, number in parts_of.items():
        if len(part) > len(plain) and part.startswith(plain):
            return number
    return 0


def misspelt(word: str, parts_of: dict[str, int]) -> int:
    """The participant a capitalised word is one slip away from, or 0. Not a word in capitals:
    that is initials ("ISVA" is not Isla)."""
    if len(word) < SHORTEST_MISSPELT or not word[0].isupper() or word.isupper():
        return 0
    plain = folded(word)
    for part, number in parts_of.items():
        if len(part) >= SHORTEST_MISSPELT and part[0] == plain[0] and one_slip(plain, part):
            return number
    return 0


def one_slip(word: str, name: str) -> bool:
    """One letter left out, added or changed, or two neighbours swapped."""
    if word == name or abs(len(word) - len(name)) > 1:
        return False
    if len(word) == len(name):
        differ = [index for index, (a, b) in enumerate(zip(word, name, strict=True)) if a != b]
        if len(differ) == 1:
            return True
        return (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and word[differ[0]] == name[differ[1]]
            and word[differ[1]] == name[differ[0]]
        )
    shorter, longer = (word, name) if len(word) < len(name) else (name, word)
    return any(longer[:index] + longer[index + 1 :] == shorter for index in range(len(longer)))
