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


def test_words_the_writer_removes_go_everywhere_as_whole_words_in_any_case():
    text = "The Blue Anchor shut. Blue anchor regulars, blueanchor fans and Blue Anchorage stayed."
    result = redact(text, removed=["blue anchor", "  ", "Blue  Anchor"])
    assert result.text == (
        "The [REMOVED] shut. [REMOVED] regulars, blueanchor fans and Blue Anchorage stayed."
    )
    assert {found.kind for found in result.found} == {Kind.REMOVED}


def test_a_removed_phrase_across_other_finds_uncovers_nothing_of_them():
    result = redact("Call Sam Jones on 07700 900461.", ["Sam Jones"], removed=["Jones on 07700"])
    assert result.text == "Call [PARTICIPANT 1] [REMOVED] [PHONE]."


def test_the_labels_of_anonymised_notes_survive_being_checked_again():
    text = "[PARTICIPANT 1] told [OFFICER] about [PHONE] and [DATE OF BIRTH] at [ADDRESS]."
    assert redact(text, ["Sam Jones"]).text == text


def test_an_initial_beside_a_name_goes_with_it():
    text = "Sarah C said no one rang. Mark D. agreed. B. Hathaway and Paul Ogundipe R came too."
    assert redact(text, ["Sarah Cole", "Mark Dunn", "Bea Hathaway"]).text == (
        "[PARTICIPANT 1] said no one rang. [PARTICIPANT 2]. agreed. [PARTICIPANT 3] and "
        "[PERSON] came too."
    )


def test_i_and_a_beside_a_name_are_words_not_initials():
    assert redact("Then Kowalczyk A took it and Ogundipe I think left.").text == (
        "Then [PERSON] A took it and [PERSON] I think left."
    )
