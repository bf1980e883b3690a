"""Validation of the screening forms: every refusal has a message for the field."""

from __future__ import annotations

import pytest

from panel.screening.forms import (
    clean_decline,
    clean_more_information,
    clean_reason_text,
    seen_decision,
)


@pytest.mark.parametrize("reason", ["", "  ", "first", "-1", "1.5", "9" * 10])
def test_a_decline_needs_a_reason_from_the_list(reason):
    cleaned, errors = clean_decline({"reason": reason, "note": "Kind words"})
    assert cleaned is None and errors == {
        "reason": "Select the reason for declining the application"
    }


def test_a_decline_note_is_optional_but_not_endless():
    cleaned, errors = clean_decline({"reason": "3", "seen": "7"})
    assert cleaned is not None and (cleaned.reason_id, cleaned.note, cleaned.seen) == (3, "", 7)
    cleaned, errors = clean_decline({"reason": "3", "note": "x" * 2001})
    assert cleaned is None and "2000 characters" in errors["note"]


def test_asking_for_more_information_needs_a_message():
    assert clean_more_information({"message": "   "}) == (
        None,
        {"message": "Enter what you need to know and how they can reply"},
    )
    cleaned, _ = clean_more_information(
        {"message": " Which district do you live in? ", "seen": "0"}
    )
    assert cleaned is not None and cleaned.message == "Which district do you live in?"
    assert clean_more_information({"message": "x" * 2001})[0] is None


@pytest.mark.parametrize(("sent", "seen"), [("0", 0), ("12", 12), ("", -1), ("x", -1), ("-3", -1)])
def test_the_decision_seen_is_a_number_or_can_never_match(sent, seen):
    assert seen_decision({"seen": sent}) == seen


def test_a_reason_is_required_and_kept_to_one_line_of_reasonable_length():
    assert clean_reason_text({"text": "  "})[0] is None
    assert clean_reason_text({"text": "You live outside\n the area."}) == (
        "You live outside the area.",
        {},
    )
    text, errors = clean_reason_text({"text": "x" * 501})
    assert text is None and "500 characters" in errors["text"]


@pytest.mark.parametrize(
    ("clean", "field", "values"),
    [
        (clean_decline, "note", {"reason": "1", "note": "Sorry, the court case must end first."}),
        (clean_more_information, "message", {"message": "Did you report the crime?"}),
        (clean_reason_text, "text", {"text": "The panel is for victims who live in Kent."}),
    ],
)
def test_words_that_say_what_the_panel_is_about_are_refused_in_what_is_emailed(
    clean, field, values
):
    cleaned, errors = clean(values)
    assert cleaned is None
    assert errors[field].endswith(("court", "crime", "victims"))
    assert "someone else may read their email" in errors[field]
