"""How members' answers read back: stored codes as their labels, "Prefer not to say" everywhere."""

from __future__ import annotations

from panel.members.rules import (
    ACCESS_NEEDS,
    FORMATS,
    INVOLVEMENT,
    PREFER_NOT,
    label_of,
    with_prefer_not,
)


def test_a_stored_answer_reads_as_its_label():
    assert label_of(INVOLVEMENT, "victim") == "Something happened to me"
    assert label_of(ACCESS_NEEDS, "step_free") == "Step-free access"


def test_prefer_not_to_say_reads_the_same_whatever_the_question():
    assert label_of(FORMATS, PREFER_NOT) == "Prefer not to say"
    assert label_of((), PREFER_NOT) == "Prefer not to say"


def test_an_answer_no_longer_offered_still_shows_as_it_was_stored():
    assert label_of(INVOLVEMENT, "bystander") == "bystander"


def test_prefer_not_to_say_is_offered_last():
    assert with_prefer_not(FORMATS) == (*FORMATS, ("prefer_not", "Prefer not to say"))
