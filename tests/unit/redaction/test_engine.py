"""The whole: overlaps settled so nothing is half replaced, words the writer restored kept, and
what is kept in the text (agencies, places, the Victims' Code) left as written."""

from __future__ import annotations

from panel.redaction import Kind, redact


def test_an_identifier_holding_a_name_is_replaced_once_as_the_more_specific_kind():
    found = redact("Email robin.hart@example.org or ring 07700 900123.", ["Robin Hart"])
    assert found.text == "Email [EMAIL] or ring [PHONE]."
    assert found.counts() == {Kind.EMAIL: 1, Kind.PHONE: 1}


def test_a_reference_is_not_taken_for_a_phone_number():
    assert redact("URN 46AB1234524").text == "URN [REFERENCE]"


def test_a_word_the_writer_restored_is_kept_everywhere():
    text = "Robin said PC Jones and PC Hope helped."
    found = redact(text, ["Robin Hart"], kept=["hope"])
    assert found.text == "[PARTICIPANT 1] said PC [OFFICER] and PC Hope helped."


def test_the_finds_point_into_the_text_as_written():
    text = "Call Robin on 07700 900123."
    found = redact(text, ["Robin Hart"])
    assert [(text[f.start : f.end], f.label) for f in found.found] == [
        ("Robin", "[PARTICIPANT 1]"),
        ("07700 900123", "[PHONE]"),
    ]


def test_agencies_places_and_the_victims_code_are_kept():
    text = (
        "Kent Police, the CPS and the Witness Care Unit never told her about the Victim Personal "
        "Statement. Victim Support and the ISVA in Canterbury were good; the IDVA in Medway too. "
        "She was not referred under the Victims' Code."
    )
    assert redact(text, ["Robin Hart"]).text == text


def test_text_with_nothing_to_find_comes_back_as_it_was():
    text = "Nothing here identifies anyone.\n\nSecond paragraph, with   spaces."
    found = redact(text)
    assert found.text == text and found.found == ()
