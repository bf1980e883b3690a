"""Other people's names, told by their shape and their company: a word British English does not
know, or knows only as a name, is a name; an ordinary word is a name only beside a person's
words; places, services and initials stay."""

from __future__ import annotations

import pytest

from panel.redaction import redact
from panel.redaction.words import WORD_LIST, WordListMissing, vocabulary


def redacted(text: str) -> str:
    return redact(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her ex, Damian Kowalczyk, kept calling.", "Her ex, [PERSON], kept calling."),
        ("She told Dave about it.", "She told [PERSON] about it."),
        ("Glenys from next door saw him.", "[PERSON] from next door saw him."),
        ("a man she knows as Terry", "a man she knows as [PERSON]"),
        ("Then Damian left.", "Then [PERSON] left."),
        ("Tanner's offender is out", "[PERSON]'s offender is out"),
        ("her son dave rang", "her son [PERSON] rang"),
        (
            "She told Karen Ashford Borough Council's housing team.",
            "She told [PERSON] Ashford Borough Council's housing team.",
        ),
    ],
)
def test_names_are_found_by_shape_and_company(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my sister Joy came too", "my sister [PERSON] came too"),
        ("Faith told me it was fine.", "[PERSON] told me it was fine."),
        ("Will said he would ring.", "[PERSON] said he would ring."),
    ],
)
def test_an_ordinary_word_is_a_name_beside_a_persons_words(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Faith in the police was low.",
        "Frank about it, she said the letters were late.",
        "We met in May, with Joy and Hope in short supply.",
        "Summer was the worst time.",
        "The Witness Care Unit told her nothing.",
        "Victim Support and the ISVA-style service in Maidstone helped.",
        "She made a Victim Personal Statement at Canterbury Crown Court.",
        "Kent Police and the CPS wrote on Monday; she is Polish and speaks Romanian too.",
        "I'm sure Facebook and WhatsApp were used.",
    ],
)
def test_ordinary_words_places_services_and_initials_stay(text):
    assert redacted(text) == text


def test_a_name_beside_a_participants_surname_keeps_its_own_label():
    assert redact("Her nephew Simon Ashdown rang.", ["Beryl Ashdown"]).text == (
        "Her nephew [PERSON] [PARTICIPANT 1] rang."
    )


def test_without_the_word_list_nothing_is_redacted(monkeypatch, tmp_path):
    vocabulary.cache_clear()
    monkeypatch.setattr("panel.redaction.words.WORD_LIST", tmp_path / "missing")
    try:
        with pytest.raises(WordListMissing, match="install Debian's wbritish"):
            redact("Dave rang.")
    finally:
        vocabulary.cache_clear()
    assert WORD_LIST.exists()


def test_in_a_note_typed_in_lower_case_a_word_english_does_not_know_is_a_name():
    note = (
        "met with the group at the hall. raj said the cps never rang him back and darren "
        "hollis kept texting him after the court date. we talked about the idva and what the "
        "opcc could do. raj wants an update by mon, tbh he dont trust anyone now."
    )
    assert redact(note).text == (
        "met with the group at the hall. [PERSON] said the cps never rang him back and [PERSON] "
        "[PERSON] kept texting him after the court date. we talked about the idva and what the "
        "opcc could do. [PERSON] wants an update by mon, tbh he dont trust anyone now."
    )


@pytest.mark.parametrize(
    "text",
    [
        "She was helped by a friend. Crime was not mentioned again.",
        "Being kept informed mattered most.",
        "We're told it's fine and don't worry.",
        "Contact the Witness Service first.",
    ],
)
def test_a_persons_words_count_only_in_the_same_sentence(text):
    assert redacted(text) == text
