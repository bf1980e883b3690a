"""Other people's names: family, neighbours, offenders, agency staff, anyone not known by name
beforehand. There is no list of everyone, so a name is told by its shape and its company:

- a capitalised word that is neither an ordinary English word nor a place or other word that
  names no one ("Kowalczyk", "Gurung") is a name, and so is one British English knows only as a
  proper noun ("Dave", "Patel"), with the capitalised words next to it ("Grace Whitman");
- a capitalised ordinary word ("Faith", "Joy", "Frank") is a name only in a person's company:
  after "my sister", "her ex", "called" and the like, or before "said", "told", "rang" and the
  like; otherwise ("Faith in the police", "Frank about it") it stays;
- a word in lower case is a name only after such words ("her son dave"), when it is not an
  ordinary word.

Words in capitals (CPS, ISVA) are initials of services, not names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum, auto

from panel.redaction.kinds import Found, Kind
from panel.redaction.people import LOOK_BACK, bare
from panel.redaction.words import NOT_NAMES, PLACES, Vocabulary, split_words, vocabulary

TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-](?=[^\W\d_]))*")
LONGEST_NAME = 4  # words in one name: "Mary Anne de Souza" is as long as they come

# Before a person's name.
PERSON_BEFORE = frozenset(
    split_words(
        """
    sister brother son daughter mum mother mam dad father husband wife partner ex boyfriend
    girlfriend friend friends neighbour neighbours colleague cousin aunt auntie uncle nan nana
    gran granny grandad grandson granddaughter niece nephew stepson stepdaughter stepdad stepmum
    child children baby named called caseworker worker advocate manager landlord landlady
    tenant teacher carer lodger flatmate housemate mate boss stalker attacker abuser offender
    suspect perpetrator defendant told asked rang phoned texted messaged emailed thanked met
    contacted
    """
    )
)
# After a person's name.
PERSON_AFTER = frozenset(
    split_words(
        """
    said says told tells asked asks rang phoned called texted messaged emailed explained felt
    feels thought thinks wanted wants added agreed described mentioned reported shared spoke
    speaks replied answered admitted confirmed cried shouted screamed threatened hit attacked
    followed kept refused denied arrived left lives lived
    """
    )
)
# Ordinary words that begin sentences far more often than they name anyone.
SENTENCE_STARTS = frozenset(
    split_words(
        """
    a an the then when after but and so if this that these those there here she he they we you
    it its on in at as because while during before since yesterday today later also however
    although though one two some many most all both each every no not nothing everyone someone
    what why how where who which once still even just only again first next last finally
    overall our their his her my your contact ask tell call ring email thank see meet invite send
    book chase check follow offer refer speak write update share agree dear hi
    """
    )
)


class Evidence(Enum):
    NONE = auto()  # not a name: a place, a month, initials, a word that names no one
    UNKNOWN = auto()  # not a word British English knows: a name
    PROPER = auto()  # known only as a proper noun: a name, unless a place we keep
    ORDINARY = auto()  # an ordinary word, capitalised: a name only in a person's company


STRENGTH = [Evidence.UNKNOWN, Evidence.PROPER, Evidence.ORDINARY, Evidence.NONE]


def other_people(text: str) -> Iterator[Found]:
    """Names by shape and company, then every other mention of the same name in the note: once
    "her sister Joy" has shown Joy is a person, "Joy said" and "Joy is" are her too."""
    found = list(names_in_context(text))
    yield from found
    words = vocabulary()
    named = {
        word
        for name in found
        for word in TOKEN.findall(text[name.start : name.end])
        if word.casefold() not in words.ordinary or word[0].isupper()
    }
    if not named:
        return
    folded_names = {name.casefold() for name in named}
    taken = bytearray(len(text))
    for name in found:
        taken[name.start : name.end] = b"\x01" * (name.end - name.start)
    for token in TOKEN.finditer(text):
        word = bare(token.group())
        ordinary = word.casefold() in words.ordinary
        same = word in named or (not ordinary and word.casefold() in folded_names)
        start, end = token.start(), token.start() + len(word)
        if not same or any(taken[start:end]):
            continue
        # "the Grace period" is not Grace, even in a note where Grace has spoken.
        if ordinary and ARTICLE_BEFORE.search(text, max(0, start - LOOK_BACK), start):
            continue
        yield Found(start, end, Kind.PERSON)


ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an)\s+$", re.IGNORECASE)


def names_in_context(text: str) -> Iterator[Found]:
    words = vocabulary()
    tokens = list(TOKEN.finditer(text))
    all_lower_case = typed_in_lower_case(tokens)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        word = bare(token.group())
        if not word[0].isupper():
            if lower_case_name(text, tokens, index, words) or (
                all_lower_case and unknown_word(word, words)
            ):
                yield Found(token.start(), token.start() + len(word), Kind.PERSON)
            index += 1
            continue
        run = [index]
        while (
            run[-1] + 1 < len(tokens)
            and len(run) < LONGEST_NAME
            and text[tokens[run[-1]].end() : tokens[run[-1] + 1].start()] == " "
            and tokens[run[-1]].group() == bare(tokens[run[-1]].group())  # no "'s" inside
            and tokens[run[-1] + 1].group()[0].isupper()
        ):
            run.append(run[-1] + 1)
        found = name_in(text, tokens, run, words)
        if found is not None:
            yield found
        index = run[-1] + 1


def name_in(
    text: str, tokens: list[re.Match[str]], run: list[int], words: Vocabulary
) -> Found | None:
    """The name in a run of capitalised words, if there is one."""
    evidence = [evidence_of(bare(tokens[index].group()), words) for index in run]
    starts_sentence = sentence_start(text, tokens[run[0]].start())
    # Leading words that are the sentence's own ("Then Damian", "The Witness Care Unit").
    led_by_a_non_name = evidence[0] is Evidence.NONE
    while run and (
        evidence[0] is Evidence.NONE
        or (
            evidence[0] is Evidence.ORDINARY
            and starts_sentence
            and bare(tokens[run[0]].group()).casefold() in SENTENCE_STARTS
        )
    ):
        run, evidence, starts_sentence = run[1:], evidence[1:], False
    # Trailing words that name no one ("Dave Kent" is unlikely; "Patel Monday" is a date).
    while run and evidence[-1] is Evidence.NONE:
        run, evidence = run[:-1], evidence[:-1]
    if not run:
        return None
    if Evidence.NONE in evidence:
        # A name does not have a place or a month in the middle of it: the first part only.
        cut = evidence.index(Evidence.NONE)
        run, evidence = run[:cut], evidence[:cut]
    strong = any(item in (Evidence.UNKNOWN, Evidence.PROPER) for item in evidence)
    # Ordinary words after one that names no one are a title ("Victim Personal Statement"); so
    # are three or more, or any after "the" ("the Witness Care Unit told her").
    if not strong and (
        led_by_a_non_name
        or len(run) > 2
        or (run[0] > 0 and tokens[run[0] - 1].group().casefold() in ("the", "a", "an"))
        or not in_a_persons_company(text, tokens, run)
    ):
        return None
    first, last = tokens[run[0]], tokens[run[-1]]
    return Found(first.start(), last.start() + len(bare(last.group())), Kind.PERSON)


def evidence_of(word: str, words: Vocabulary) -> Evidence:
    if "-" in word:
        # "Smith-Jones" is as strong as its strongest part; "ISVA-style" is no one.
        parts = [part for part in word.split("-") if part]
        if not all(part[0].isupper() and not part.isupper() for part in parts):
            return Evidence.NONE
        return min((evidence_of(part, words) for part in parts), key=STRENGTH.index)
    folded = word.casefold()
    if re.search(r"['\u2019](?:t|re|ve|ll|d|m)$", folded) or (
        folded.endswith("ing") and len(folded) >= 5 and folded in words.ordinary
    ):
        return Evidence.NONE  # "Don't", "We're"; "Being told", "Following that"
    if (
        len(word) == 1
        or (word.isupper() and len(word) > 1)
        or folded in NOT_NAMES
        or folded in PLACES
        or folded.startswith(("i'", "i\u2019"))
    ):
        return Evidence.NONE
    if folded in words.ordinary:
        return Evidence.ORDINARY
    if folded in words.proper:
        return Evidence.PROPER
    return Evidence.UNKNOWN


# "a man she knows as Terry", "identified as Lee Carver".
AS_WHO = frozenset(split_words("known knows knew identified named introduced described"))


def in_a_persons_company(text: str, tokens: list[re.Match[str]], run: list[int]) -> bool:
    """Whether the words just before or after the run, in the same sentence, are a person's."""
    if tokens[run[-1]].group() != bare(tokens[run[-1]].group()):
        return True  # "Tanner's offender": a capitalised word that owns something
    before = ""
    if run[0] > 0 and same_sentence(text, tokens[run[0] - 1].end(), tokens[run[0]].start()):
        before = tokens[run[0] - 1].group().casefold()
    if before == "as" and run[0] > 1 and tokens[run[0] - 2].group().casefold() in AS_WHO:
        return True
    after = tokens[run[-1] + 1].group().casefold() if run[-1] + 1 < len(tokens) else ""
    between_after = text[tokens[run[-1]].end() : tokens[run[-1] + 1].start()] if after else ""
    return before in PERSON_BEFORE or (after in PERSON_AFTER and between_after.strip() in ("", ","))


def same_sentence(text: str, end: int, start: int) -> bool:
    return not re.search(r"[.!?:;\n]", text[end:start])


def lower_case_name(text: str, tokens: list[re.Match[str]], index: int, words: Vocabulary) -> bool:
    word = bare(tokens[index].group()).casefold()
    if len(word) < 3 or word in words.ordinary or index == 0:
        return False
    return tokens[index - 1].group().casefold() in PERSON_BEFORE


# A note with fewer capitals than this share of its words was typed in lower case, where a name
# has no capital to show it: there a word British English does not know is taken for one.
FEWEST_CAPITALS = 0.03
SHORTEST_LOWER_CASE_NOTE = 30  # words


def typed_in_lower_case(tokens: list[re.Match[str]]) -> bool:
    if len(tokens) < SHORTEST_LOWER_CASE_NOTE:
        return False
    capitals = sum(1 for token in tokens if token.group()[0].isupper() and token.group() != "I")
    return capitals / len(tokens) < FEWEST_CAPITALS


def unknown_word(word: str, words: Vocabulary) -> bool:
    folded = word.casefold()
    return (
        len(folded) >= 3
        and "-" not in folded
        and folded not in words.ordinary
        and folded not in PLACES
        and folded not in NOT_NAMES
    )


def sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - LOOK_BACK) : start].rstrip(" \t\"'\u201c\u2018(*-\u2022")
    return not before or before[-1] in ".!?:;\n"
