"""The override form: a reason is required and has a length limit."""

from __future__ import annotations

from panel.engagements.forms import clean_override


def test_a_reason_is_kept_without_surrounding_space():
    assert clean_override({"reason": "  They asked to join this group  "}) == (
        "They asked to join this group",
        {},
    )


def test_a_blank_reason_is_refused():
    reason, errors = clean_override({"reason": "   "})
    assert reason is None and "why" in errors["reason"]


def test_a_reason_of_500_characters_is_accepted_and_501_refused():
    assert clean_override({"reason": "x" * 500})[0] == "x" * 500
    reason, errors = clean_override({"reason": "x" * 501})
    assert reason is None and "500 characters" in errors["reason"]
