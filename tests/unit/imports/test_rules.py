"""The import's decisions about a file: duplicates, consent dates, what the report says."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from panel.consent.rules import Purpose
from panel.imports.rules import (
    Problem,
    already_registered,
    attestation,
    consent_date_problem,
    consent_time,
    duplicate_emails,
    in_report_order,
    normalise_header,
    safe_file_name,
    size_label,
    ways_to_take_part,
)

NOW = datetime(2025, 6, 10, 15, 30, tzinfo=UTC)
RENEWAL = timedelta(days=730)


def test_a_problem_reads_as_row_and_column():
    assert Problem(7, "email", "this is not an email address").text == (
        "Row 7, email: this is not an email address"
    )
    assert Problem(4, "", "this row cannot be read").text == "Row 4: this row cannot be read"
    assert Problem(0, "", "is empty").text == "The file is empty"


def test_the_report_lists_the_file_then_each_row_in_column_order():
    problems = [
        Problem(3, "email", "b"),
        Problem(2, "consent_date", "c"),
        Problem(2, "preferred_name", "d"),
        Problem(0, "", "e"),
        Problem(2, "", "f"),
    ]
    assert [problem.message for problem in in_report_order(problems)] == ["e", "f", "d", "c", "b"]


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("preferred_name", "preferred_name"),
        (" Preferred Name ", "preferred_name"),
        ("consent-date", "consent_date"),
        ("EMAIL", "email"),
        ("", ""),
    ],
)
def test_header_cells_are_read_whatever_their_case_and_spacing(cell, name):
    assert normalise_header(cell) == name


def test_a_repeated_email_is_reported_on_every_later_row_with_the_first():
    problems = duplicate_emails(
        [(2, "a@example.org"), (3, "b@example.org"), (4, "a@example.org"), (9, "a@example.org")]
    )
    assert [problem.text for problem in problems] == [
        "Row 4, email: this email address is also on row 2",
        "Row 9, email: this email address is also on row 2",
    ]


def test_emails_with_an_account_already_are_reported():
    problems = already_registered(
        [(2, "new@example.org"), (3, "taken@example.org")], {"taken@example.org"}
    )
    assert [problem.text for problem in problems] == [
        "Row 3, email: someone already has an account with this email address"
    ]


def test_a_consent_is_recorded_at_midday_utc_on_its_day():
    assert consent_time(date(2025, 3, 5), NOW) == datetime(2025, 3, 5, 12, tzinfo=UTC)
    # Midday UTC is the same date in the UK in summer and winter.
    london = ZoneInfo("Europe/London")
    for day in (date(2025, 1, 5), date(2024, 7, 5)):
        assert consent_time(day, NOW).astimezone(london).date() == day


def test_a_consent_given_this_morning_is_not_recorded_in_the_future():
    morning = datetime(2025, 6, 10, 9, 0, tzinfo=UTC)
    assert consent_time(date(2025, 6, 10), morning) == morning


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (date(2025, 6, 10), None),
        (date(2025, 6, 11), "this date is in the future"),
        (date(2023, 6, 12), None),  # lapses tomorrow at midday: still counts today
        (date(2023, 6, 11), "this is more than 24 months ago"),  # lapsed at midday today
        (date(2019, 1, 1), "this is more than 24 months ago"),
    ],
)
def test_a_consent_date_must_not_be_in_the_future_or_lapsed(day, problem):
    found = consent_date_problem(day, NOW.date(), NOW, RENEWAL, 24)
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem)


def test_a_consent_lapses_at_the_very_moment_its_renewal_period_ends():
    day = date(2023, 6, 11)  # recorded at midday, so it lapses at midday on 10 June 2025
    lapse = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
    assert (
        consent_date_problem(day, lapse.date(), lapse - timedelta(seconds=1), RENEWAL, 24) is None
    )
    assert consent_date_problem(day, lapse.date(), lapse, RENEWAL, 24) is not None


def test_the_lapsed_consent_message_says_what_to_do():
    assert consent_date_problem(date(2019, 1, 1), NOW.date(), NOW, RENEWAL, 24) == (
        "this is more than 24 months ago, so the consent has lapsed: ask them to give it again, "
        "and use the date they do"
    )


def test_today_is_the_panels_date_not_utcs():
    """Just after midnight in the UK in summer it is still yesterday in UTC."""
    late = datetime(2025, 6, 10, 23, 30, tzinfo=UTC)  # 00:30 on 11 June in London
    assert consent_date_problem(date(2025, 6, 11), date(2025, 6, 11), late, RENEWAL, 24) is None


def test_the_attestation_names_the_file_and_row():
    assert attestation("panel.csv", 7, "Signed paper form") == (
        "Imported from panel.csv, row 7: Signed paper form"
    )


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("panel.csv", "panel.csv"),
        ("C:\\Users\\jo\\Desktop\\panel.csv", "panel.csv"),
        ("/home/jo/panel.csv", "panel.csv"),
        ("pa\x00ne\x1bl.csv", "panel.csv"),
        ("", "the spreadsheet"),
        ("\x07", "the spreadsheet"),
        ("x" * 300 + ".csv", "x" * 100),
    ],
)
def test_the_file_name_is_repeated_without_folders_or_control_characters(name, kept):
    assert safe_file_name(name) == kept


@pytest.mark.parametrize(
    ("size", "label"),
    [
        (2 * 1024 * 1024, "2 MB"),
        (1536 * 1024, "1.5 MB"),
        (100 * 1024 * 1024, "100 MB"),
        (1024 * 1024, "1 MB"),
        (1000 * 1024, "1000 KB"),
        (2048, "2 KB"),
        (100, "1 KB"),
    ],
)
def test_sizes_read_as_people_say_them(size, label):
    assert size_label(size) == label


def test_how_they_would_like_to_take_part_follows_what_they_agreed_to():
    assert ways_to_take_part([Purpose.MEMBERSHIP, Purpose.SURVEYS, Purpose.FOCUS_GROUPS]) == [
        "focus_groups",
        "surveys",
    ]
    assert ways_to_take_part([Purpose.MEMBERSHIP, Purpose.EQUALITY_DATA]) == []
