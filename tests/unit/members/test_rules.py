"""How members' answers read back: stored codes as their labels, "Prefer not to say" everywhere,
and safe times in words."""

from __future__ import annotations

from datetime import time

import pytest

from panel.members.rules import (
    ACCESS_NEEDS,
    FORMATS,
    INVOLVEMENT,
    PHONE,
    PREFER_NOT,
    ContactChannel,
    DetailsChange,
    SafeWindow,
    describe_days,
    describe_safe_times,
    details_change,
    label_of,
    name_to_show,
    usable_channels,
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


PHONE_ONLY = {"phone": "07700 900982", "postal_address": ""}
EVERYTHING = {"phone": "07700 900982", "postal_address": "1 High Street"}
CALLS, TEXTS, POST = ContactChannel.PHONE_CALL, ContactChannel.TEXT_MESSAGE, ContactChannel.POST


def test_a_way_to_contact_can_be_used_only_with_its_number_or_address():
    assert usable_channels({}) == (ContactChannel.EMAIL,)
    assert usable_channels(PHONE_ONLY) == (ContactChannel.EMAIL, CALLS, TEXTS)
    assert usable_channels({"postal_address": "1 High Street"}) == (ContactChannel.EMAIL, POST)
    assert usable_channels(EVERYTHING) == tuple(ContactChannel)


def test_changing_nothing_that_a_channel_needs_changes_no_channel():
    assert details_change(EVERYTHING, dict(EVERYTHING), {CALLS, POST}) == DetailsChange()
    assert details_change({}, {}, set()) == DetailsChange()


def test_removing_a_number_stops_only_the_channels_that_were_safe():
    change = details_change(EVERYTHING, {"postal_address": "1 High Street"}, {CALLS, POST})
    assert change == DetailsChange(stopped=(CALLS,))
    assert change.removed == ("phone",)
    change = details_change(EVERYTHING, {}, {CALLS, TEXTS, POST})
    assert change.stopped == (CALLS, TEXTS, POST)
    assert change.removed == ("phone", "postal_address")
    assert details_change(EVERYTHING, {}, set()) == DetailsChange()


def test_a_number_added_is_not_safe_until_the_member_says_so():
    change = details_change({}, PHONE_ONLY, set())
    assert change == DetailsChange(now_usable=(CALLS, TEXTS))
    assert change.removed == ()


def test_a_changed_number_keeps_the_answers_and_says_so():
    changed = {"phone": "01632 960001", "postal_address": "1 High Street"}
    assert details_change(EVERYTHING, changed, {TEXTS, POST}) == DetailsChange(moved=(TEXTS,))
    assert details_change(EVERYTHING, changed, set()) == DetailsChange()
    # Marked safe with no number (from an older record): a number given now is used, and it says so.
    assert details_change({}, PHONE_ONLY, {CALLS}) == DetailsChange(
        moved=(CALLS,), now_usable=(TEXTS,)
    )


def test_a_detail_left_out_reads_as_not_given():
    assert details_change({}, {PHONE: ""}, {CALLS}) == DetailsChange()
    assert details_change({PHONE: ""}, {}, {CALLS}) == DetailsChange()


def test_an_unchanged_number_does_not_hide_a_removed_address():
    assert details_change(EVERYTHING, PHONE_ONLY, {CALLS, POST}) == DetailsChange(stopped=(POST,))


def test_staff_pages_name_a_member_by_their_preferred_name_or_say_there_is_none():
    assert name_to_show("Robin") == "Robin"
    assert name_to_show("  Robin Doe ") == "Robin Doe"
    assert name_to_show("") == "No name given"
    assert name_to_show("   ") == "No name given"
    assert name_to_show(None) == "No name given"
