"""Participants, known by name, become [PARTICIPANT n] wherever and however they are written;
people named after a title or a rank become [PERSON] or [OFFICER]; ordinary words stay."""

from __future__ import annotations

import pytest

from panel.redaction import Kind, redact

PARTICIPANTS = ["Robin Hart", "Ash Patel"]


def redacted(text: str, known=PARTICIPANTS) -> str:
    return redact(text, known).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Robin Hart spoke first.", "[PARTICIPANT 1] spoke first."),
        ("robin hart spoke first.", "[PARTICIPANT 1] spoke first."),
        ("ROBIN said no.", "[PARTICIPANT 1] said no."),
        ("Then Hart said no.", "Then [PARTICIPANT 1] said no."),
        ("Robin's daughter", "[PARTICIPANT 1]'s daughter"),
        ("Robin Hart's daughter", "[PARTICIPANT 1]'s daughter"),
        ("Robin Hart\u2019s daughter", "[PARTICIPANT 1]\u2019s daughter"),
        ("Ash and Robin agreed", "[PARTICIPANT 2] and [PARTICIPANT 1] agreed"),
    ],
)
def test_a_participant_whole_by_part_in_any_case_and_possessive(text, expected):
    assert redacted(text) == expected


def test_the_same_participant_has_the_same_number_through_a_note():
    found = redact("Ash spoke. Robin spoke. Then Ash Patel again.", PARTICIPANTS)
    assert found.text == "[PARTICIPANT 2] spoke. [PARTICIPANT 1] spoke. Then [PARTICIPANT 2] again."
    assert found.counts() == {Kind.PARTICIPANT: 3}


@pytest.mark.parametrize("misspelt", ["Robyn", "Rboin", "Robinn", "Patell", "Harte"])
def test_a_participant_misspelt_by_one_letter(misspelt):
    assert redacted(f"Then {misspelt} told us.").startswith("Then [PARTICIPANT ")


@pytest.mark.parametrize(
    "text",
    [
        "Her heart was not in it.",
        "It was hard to hear.",
        "We took part in the review.",
        "A robbing took place.",
    ],
)
def test_ordinary_words_near_a_name_are_kept(text):
    assert redacted(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PC Jones rang her.", "PC [OFFICER] rang her."),
        ("pc jones rang her.", "pc [OFFICER] rang her."),
        ("DS Khan's team", "DS [OFFICER]'s team"),
        ("Detective Sergeant Mary Brown", "Detective Sergeant [OFFICER]"),
        ("Inspector O'Brien", "Inspector [OFFICER]"),
        ("Mrs Smith-Jones next door", "Mrs [PERSON] next door"),
        ("Dr. Okafor at the hospital", "Dr. [PERSON] at the hospital"),
        ("The officer in charge was kind", "The officer in charge was kind"),
        ("PC and DC came together", "PC and DC came together"),
    ],
)
def test_names_after_a_title_or_rank(text, expected):
    assert redacted(text) == expected


def test_a_name_given_twice_is_one_participant():
    found = redact("Robin came.", ["Robin Hart", "robin  hart", "Ash Patel"])
    assert found.text == "[PARTICIPANT 1] came."
    assert redact("Ash came.", ["Robin Hart", "robin  hart", "Ash Patel"]).text == (
        "[PARTICIPANT 2] came."
    )


def test_a_name_written_without_its_accents_is_the_same_participant():
    found = redact("Zofia Wisniewska and zofia came.", ["Rajan Gurung", "Zofia Wiśniewska"])
    assert found.text == "[PARTICIPANT 2] and [PARTICIPANT 2] came."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Summer said last summer was hard.", "[PARTICIPANT 1] said last summer was hard."),
        ("summer said it was hard.", "[PARTICIPANT 1] said it was hard."),
        ("We met in may and May came.", "We met in may and [PARTICIPANT 2] came."),
    ],
)
def test_a_participant_named_by_an_ordinary_word_keeps_the_word(text, expected):
    assert redact(text, ["Summer Lee", "May Okoro"]).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mike said it was fine.", "[PARTICIPANT 1] said it was fine."),
        ("Biddy came late.", "[PARTICIPANT 2] came late."),
        ("Will rang, and I will ring back.", "[PARTICIPANT 3] rang, and I will ring back."),
        ("The bill came later.", "The bill came later."),
    ],
)
def test_a_participant_by_another_name_they_go_by(text, expected):
    assert redact(text, ["Michael Tse", "Bridget McDonagh", "William Ode"]).text == expected
