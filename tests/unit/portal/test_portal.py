"""Pure decisions and form cleaning of the member's own pages: how long a pause lasts, and the
answers to "what I have agreed to", changed wording and pausing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from panel.consent.rules import Purpose
from panel.members.rules import UNTIL_RESUMED, pause_ends_on, pause_has_ended
from panel.portal.forms import (
    clean_consent_decision,
    clean_pause,
    clean_reconfirmation,
)
from panel.portal.services import describe_safe_times, detail_in_words
from panel.web.templating import local_formats


@pytest.mark.parametrize(
    ("length", "today", "ends"),
    [
        ("1", date(2026, 3, 15), date(2026, 4, 15)),
        ("3", date(2026, 11, 20), date(2027, 2, 20)),
        ("6", date(2026, 7, 1), date(2027, 1, 1)),
        ("1", date(2026, 1, 31), date(2026, 2, 28)),  # February has no 31st
        ("1", date(2028, 1, 31), date(2028, 2, 29)),  # nor a leap year's
        ("3", date(2026, 5, 31), date(2026, 8, 31)),
    ],
)
def test_a_pause_ends_on_the_same_day_months_later_or_the_months_last_day(length, today, ends):
    assert pause_ends_on(length, today) == ends


def test_a_pause_until_resumed_has_no_end():
    assert pause_ends_on(UNTIL_RESUMED, date(2026, 1, 1)) is None


def test_a_pause_is_over_once_its_end_comes_and_only_then():
    end = datetime(2026, 4, 15, tzinfo=UTC)
    assert not pause_has_ended("paused", end, end - timedelta(seconds=1))
    assert pause_has_ended("paused", end, end)
    assert not pause_has_ended("paused", None, end + timedelta(days=999))
    assert not pause_has_ended("active", end, end + timedelta(days=1))


@pytest.mark.parametrize(
    ("sent", "length"),
    [("1", "1"), ("3", "3"), ("6", "6"), (UNTIL_RESUMED, UNTIL_RESUMED)],
)
def test_each_pause_length_is_accepted(sent, length):
    assert clean_pause({"length": [sent]}) == (length, {})


@pytest.mark.parametrize("sent", [[], [""], ["2"], ["forever"]])
def test_no_or_another_pause_length_is_refused(sent):
    cleaned, errors = clean_pause({"length": sent})
    assert cleaned is None and errors == {"length": "Select how long you want to pause for"}


def test_the_consent_buttons_give_or_withdraw_and_nothing_else():
    assert clean_consent_decision({"decision": ["give"]}) is True
    assert clean_consent_decision({"decision": ["withdraw"]}) is False
    assert clean_consent_decision({"decision": ["maybe"]}) is None
    assert clean_consent_decision({}) is None


def test_changed_wording_needs_an_answer_for_each_purpose():
    titles = {Purpose.SURVEYS: "Surveys", Purpose.FOCUS_GROUPS: "Focus groups"}
    cleaned, errors = clean_reconfirmation({"confirm_surveys": ["give"]}, titles)
    assert cleaned is None
    assert (
        list(errors) == ["confirm_focus_groups"]
        and "Focus groups" in errors["confirm_focus_groups"]
    )
    cleaned, errors = clean_reconfirmation(
        {"confirm_surveys": ["give"], "confirm_focus_groups": ["withdraw"]}, titles
    )
    assert cleaned == {Purpose.SURVEYS: True, Purpose.FOCUS_GROUPS: False} and errors == {}


def test_safe_times_read_as_words():
    assert describe_safe_times([]) == "at any time"
    assert (
        describe_safe_times([{"days": [0, 4], "start": "09:00", "end": "17:00"}])
        == "Monday and Friday, 09:00 to 17:00"
    )
    assert (
        describe_safe_times([{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}])
        == "Monday to Friday, 09:00 to 17:00"
    )
    assert describe_safe_times([{"days": [5], "start": "00:00", "end": "23:59"}]) == "Saturday"


def test_the_details_of_a_member_s_own_events_read_as_words_not_codes():
    formats = local_formats("Europe/London")
    titles = {"surveys": "Surveys"}
    assert detail_in_words({"purpose": "surveys", "channel": "web"}, titles, formats) == [
        "Surveys",
        "Online, by the member",
    ]
    assert detail_in_words({"format": "json"}, titles, formats) == ["As a file"]
    assert detail_in_words({"format": "page"}, titles, formats) == ["On screen"]
    assert detail_in_words({"until": "until resumed"}, titles, formats) == ["Until you resume it"]
    assert detail_in_words({"until": "2027-03-27T00:00:00+00:00"}, titles, formats) == [
        "Until 27 March 2027"
    ]
    assert detail_in_words({"topic": "safe contact"}, titles, formats) == [
        "How it is safe to contact you"
    ]
    assert detail_in_words({"role": "member"}, titles, formats) == ["Panel member"]
    assert detail_in_words({"told": "hold", "reason": 4}, titles, formats) == [
        "We will email you at a time you said is safe"
    ]
    assert detail_in_words(
        {"override_id": 3, "expires_at": "2027-07-01T09:00:00+00:00"}, titles, formats
    ) == ["Until 1 July 2027, 10:00 (UK time)"]
    assert detail_in_words({"new_thing": "x"}, titles, formats) == ["New thing: x"]
    assert detail_in_words(
        {"channel": "phone_call", "reason": "returning_call"}, titles, formats
    ) == ["Phone call", "Returning call"]
