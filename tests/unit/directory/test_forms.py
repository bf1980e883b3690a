"""Validation of the directory's filters and of the staff actions on a member's record."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from panel.consent.rules import Purpose
from panel.directory.forms import (
    clean_do_not_contact,
    clean_filters,
    clean_leave_confirmation,
    clean_log_entry,
    clean_status_change,
    log_entry_values,
)
from panel.directory.rules import DirectoryFilter, Sort, SortField, StatusChange
from panel.members.reference import load_reference_data
from panel.members.rules import MemberStatus

REFERENCE = load_reference_data()
TODAY = date(2026, 11, 26)


def test_no_filters_lists_everyone_by_name():
    assert clean_filters({}, REFERENCE) == (DirectoryFilter(), {})


def test_every_filter_is_read():
    wanted, errors = clean_filters(
        {
            "q": ["  Sam   Jones "],
            "status": ["active", "paused", "active"],
            "district": ["maidstone"],
            "crime_type": ["burglary_home"],
            "involvement": ["witness"],
            "consent": ["focus_groups"],
            "invited": ["90"],
            "took_part": ["never"],
            "paused": ["no"],
            "access_need": ["bsl"],
            "sort": ["-last_invited"],
            "page": ["4"],
        },
        REFERENCE,
    )
    assert errors == {}
    assert wanted == DirectoryFilter(
        q="Sam Jones",
        statuses=(MemberStatus.ACTIVE, MemberStatus.PAUSED),
        district="maidstone",
        crime_type="burglary_home",
        involvement="witness",
        consent=Purpose.FOCUS_GROUPS,
        invited="90",
        took_part="never",
        paused="no",
        access_need="bsl",
        sort=Sort(SortField.LAST_INVITED, descending=True),
        page=4,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("q", "x" * 101),
        ("status", "erased"),
        ("district", "narnia"),
        ("crime_type", "piracy"),
        ("involvement", "prefer_not"),
        ("consent", "everything"),
        ("invited", "7"),
        ("took_part", "30"),
        ("paused", "maybe"),
        ("access_need", "jetpack"),
        ("sort", "-colour"),
    ],
)
def test_a_value_not_on_offer_is_refused_and_nothing_is_filtered(field, value):
    wanted, errors = clean_filters({field: [value]}, REFERENCE)
    assert list(errors) == [field]
    assert wanted == DirectoryFilter()


def test_any_access_need_and_prefer_not_district_are_on_offer():
    wanted, errors = clean_filters({"access_need": ["any"], "district": ["prefer_not"]}, REFERENCE)
    assert errors == {}
    assert (wanted.access_need, wanted.district) == ("any", "prefer_not")


@pytest.mark.parametrize("page", ["", "0", "-1", "two", "9999999999"])
def test_a_page_number_that_makes_no_sense_shows_the_first_page(page):
    wanted, errors = clean_filters({"page": [page]}, REFERENCE)
    assert errors == {} and wanted.page == 1


def test_a_pause_until_a_date_or_until_further_notice():
    cleaned, errors = clean_status_change(
        {
            "status": ["paused"],
            "pause": ["date"],
            "until-day": ["1"],
            "until-month": ["3"],
            "until-year": ["2027"],
        },
        TODAY,
    )
    assert errors == {} and cleaned.pause_ends_on == date(2027, 3, 1)
    cleaned, errors = clean_status_change({"status": ["paused"], "pause": ["until_resumed"]}, TODAY)
    assert errors == {} and cleaned.change is StatusChange.PAUSE and cleaned.pause_ends_on is None


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"status": ["erased"]}, "status", "Choose a status change"),
        ({"status": ["paused"]}, "pause", "Select how long the pause lasts"),
        ({"status": ["paused"], "pause": ["date"]}, "until", "real date"),
        (
            {
                "status": ["paused"],
                "pause": ["date"],
                "until-day": ["31"],
                "until-month": ["2"],
                "until-year": ["2027"],
            },
            "until",
            "real date",
        ),
        (
            {
                "status": ["paused"],
                "pause": ["date"],
                "until-day": ["26"],
                "until-month": ["11"],
                "until-year": ["2026"],
            },
            "until",
            "must be in the future",
        ),
        (
            {
                "status": ["paused"],
                "pause": ["date"],
                "until-day": ["1"],
                "until-month": ["1"],
                "until-year": ["2029"],
            },
            "until",
            "up to 2 years",
        ),
    ],
)
def test_a_status_change_that_makes_no_sense_is_refused(values, field, message):
    cleaned, errors = clean_status_change(values, TODAY)
    assert cleaned is None
    assert message in errors[field]


def test_resume_and_leave_need_nothing_more():
    assert clean_status_change({"status": ["active"]}, TODAY)[0].change is StatusChange.RESUME
    assert clean_status_change({"status": ["left"]}, TODAY)[0].change is StatusChange.LEAVE


def test_do_not_contact_needs_a_reason_either_way():
    assert clean_do_not_contact({"do_not_contact": ["yes"]})[1] == {
        "reason": "Enter why they must not be contacted"
    }
    assert clean_do_not_contact({"do_not_contact": ["no"], "reason": [" "]})[1] == {
        "reason": "Enter why they can be contacted again"
    }
    cleaned, errors = clean_do_not_contact(
        {"do_not_contact": ["yes"], "reason": ["Asked us on the phone to stop "]}
    )
    assert errors == {} and cleaned.marked and cleaned.reason == "Asked us on the phone to stop"
    assert (
        "1000 characters"
        in clean_do_not_contact({"do_not_contact": ["no"], "reason": ["x" * 1001]})[1]["reason"]
    )
    assert "reason" in clean_do_not_contact({"do_not_contact": ["perhaps"], "reason": ["x"]})[1]


def test_leaving_must_be_confirmed():
    assert clean_leave_confirmation({}) == {
        "confirm": "Confirm they asked to leave and to have their details deleted"
    }
    assert clean_leave_confirmation({"confirm": ["yes"]}) == {}


# ---------------------------------------------------------------------------------------------
# The contact log

LONDON = ZoneInfo("Europe/London")
NOW_IN_LONDON = datetime(2026, 7, 1, 15, 45, tzinfo=LONDON)


def log_form(**changes: str) -> dict[str, list[str]]:
    values = {
        **log_entry_values(NOW_IN_LONDON),
        "channel": ["phone_call"],
        "reason": ["welfare_check"],
        "note": ["  Feeling better.  "],
    }
    return values | {name: [value] for name, value in changes.items()}


def test_the_log_form_starts_at_now_and_reads_the_time_where_the_panel_is():
    assert log_entry_values(NOW_IN_LONDON) == {
        "when-day": ["1"],
        "when-month": ["7"],
        "when-year": ["2026"],
        "when_time": ["15:45"],
    }
    entry, errors = clean_log_entry(log_form(when_time="2:30pm"), NOW_IN_LONDON)
    assert errors == {} and entry is not None
    assert entry.at == datetime(2026, 7, 1, 14, 30, tzinfo=LONDON)
    assert entry.at.utcoffset() == timedelta(hours=1)  # summer time
    assert (entry.channel, entry.reason, entry.note) == (
        "phone_call",
        "welfare_check",
        "Feeling better.",
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"when-day": "31", "when-month": "2"},
            {"when": "Enter the date of the contact as a real date, like 27 3 2026"},
        ),
        (
            {"when_time": "half past"},
            {"when_time": "Enter the time of the contact, like 14:30 or 2:30pm"},
        ),
        ({"when_time": "16:00"}, {"when": "The date and time must not be in the future"}),
        (
            {"when-year": "2025", "when-month": "6"},
            {"when": "The date must be within the last year"},
        ),
        ({"channel": "carrier pigeon"}, {"channel": "Select how you were in contact"}),
        ({"reason": ""}, {"reason": "Select what the contact was about"}),
        (
            {"reason": "other", "note": " "},
            {"note": "Say in a few words what the contact was about"},
        ),
        ({"note": "x" * 301}, {"note": "The note must be 300 characters or fewer"}),
    ],
)
def test_what_a_contact_log_entry_needs(changes, errors):
    assert clean_log_entry(log_form(**changes), NOW_IN_LONDON) == (None, errors)


def test_a_note_of_300_characters_and_no_note_are_both_fine():
    assert clean_log_entry(log_form(note="x" * 300), NOW_IN_LONDON)[1] == {}
    entry, _ = clean_log_entry(log_form(note=""), NOW_IN_LONDON)
    assert entry is not None and entry.note == ""
    entry, _ = clean_log_entry(log_form(reason="other", note="Wrong number"), NOW_IN_LONDON)
    assert entry is not None and entry.reason == "other"
