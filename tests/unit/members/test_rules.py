"""How members' answers read back: stored codes as their labels, "Prefer not to say" everywhere,
and safe times in words."""

from __future__ import annotations

from datetime import time

import pytest

from panel.members.rules import (
    ACCESS_NEEDS,
    FORMATS,
    INVOLVEMENT,
    PREFER_NOT,
    SafeWindow,
    describe_days,
    describe_safe_times,
    label_of,
    name_to_show,
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


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (range(7), "Every day"),
        (range(5), "Monday to Friday"),
        ([5, 6], "Saturday and Sunday"),
        ([0, 2, 4], "Monday, Wednesday and Friday"),
        ([3], "Thursday"),
        ([0, 1, 2], "Monday to Wednesday"),
        ([1, 2, 3, 4], "Tuesday to Friday"),
        ([0, 1, 3], "Monday, Tuesday and Thursday"),
    ],
)
def test_safe_days_read_as_a_person_would_say_them(days, words):
    assert describe_days(days) == words


def test_safe_times_read_with_their_hours():
    window = SafeWindow(days=frozenset(range(5)), start=time(9), end=time(17, 30))
    assert describe_safe_times([window]) == ["Monday to Friday, 09:00 to 17:30"]
    assert describe_safe_times([]) == []


def test_staff_pages_name_a_member_by_their_preferred_name_or_say_there_is_none():
    assert name_to_show("Robin") == "Robin"
    assert name_to_show("  Robin Doe ") == "Robin Doe"
    assert name_to_show("") == "No name given"
    assert name_to_show("   ") == "No name given"
    assert name_to_show(None) == "No name given"
