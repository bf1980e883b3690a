"""The directory's pure decisions: status changes staff may make, what each role may export, cells
a spreadsheet would run as formulas, the status shown for a pause that has ended, and paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from panel.accounts.rules import Role
from panel.consent.rules import Purpose
from panel.directory.rules import (
    ONE_NOTICE_COVERS,
    DirectoryFilter,
    Sort,
    SortField,
    StatusChange,
    effective_status,
    export_fields_for,
    log_time_problem,
    notice_needed,
    pages_to_show,
    parse_sort,
    status_change_refusal,
)
from panel.members.rules import MemberStatus
from panel.spreadsheets import spreadsheet_safe

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "change"),
    [
        (MemberStatus.ACTIVE, StatusChange.PAUSE),
        (MemberStatus.ACTIVE, StatusChange.LEAVE),
        (MemberStatus.PAUSED, StatusChange.RESUME),
        (MemberStatus.PAUSED, StatusChange.PAUSE),  # a new end to the pause
        (MemberStatus.PAUSED, StatusChange.LEAVE),
        (MemberStatus.APPLIED, StatusChange.LEAVE),
        (MemberStatus.VERIFIED, StatusChange.LEAVE),
        (MemberStatus.DECLINED, StatusChange.LEAVE),
    ],
)
def test_sensible_status_changes_are_allowed(current, change):
    assert status_change_refusal(current, change) is None


@pytest.mark.parametrize(
    ("current", "change", "why"),
    [
        (MemberStatus.ACTIVE, StatusChange.RESUME, "Only a paused membership can be resumed."),
        (MemberStatus.VERIFIED, StatusChange.PAUSE, "Applicants are screened first"),
        (MemberStatus.APPLIED, StatusChange.RESUME, "Only a paused membership"),
        (MemberStatus.DECLINED, StatusChange.PAUSE, "Only an approved member can be paused"),
        (MemberStatus.LEFT, StatusChange.LEAVE, "already left"),
        (MemberStatus.LEFT, StatusChange.RESUME, "Only a paused membership"),
        (MemberStatus.ERASED, StatusChange.LEAVE, "already left"),
    ],
)
def test_other_status_changes_are_refused_with_a_reason(current, change, why):
    assert why in (status_change_refusal(current, change) or "")


def test_a_pause_whose_end_has_come_shows_as_active():
    assert effective_status("paused", NOW - timedelta(minutes=1), NOW) is MemberStatus.ACTIVE
    assert effective_status("paused", NOW + timedelta(days=1), NOW) is MemberStatus.PAUSED
    assert effective_status("paused", None, NOW) is MemberStatus.PAUSED
    assert effective_status("verified", None, NOW) is MemberStatus.VERIFIED


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_export_contact_details_and_never_special_category_data(role):
    keys = [field.key for field in export_fields_for(role)]
    assert keys == [
        "pseudonym",
        "preferred_name",
        "email",
        "phone",
        "district",
        "status",
        "joined",
        "last_invited",
        "last_took_part",
        "consents_held",
    ]
    for never in ("ethnicity", "disability", "crime_types", "involvement", "access_needs", "other"):
        assert never not in keys


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.BOARD, Role.MEMBER])
def test_other_roles_may_export_nothing(role):
    assert export_fields_for(role) == ()


@pytest.mark.parametrize(
    ("typed", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1622 000000", "'+44 1622 000000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Sam", "Sam"),
        ("Sam = Alex", "Sam = Alex"),
        ("", ""),
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_made_text(typed, cell):
    assert spreadsheet_safe(typed) == cell


def test_the_pages_offered_are_the_ends_and_the_neighbours():
    assert pages_to_show(1, 1) == [1]
    assert pages_to_show(1, 3) == [1, 2, 3]
    assert pages_to_show(5, 10) == [1, None, 4, 5, 6, None, 10]
    assert pages_to_show(1, 10) == [1, 2, None, 10]
    assert pages_to_show(10, 10) == [1, None, 9, 10]


def test_a_single_page_left_out_of_the_bar_still_shows_a_gap():
    assert pages_to_show(4, 10) == [1, None, 3, 4, 5, None, 10]
    assert pages_to_show(3, 10) == [1, 2, 3, 4, None, 10]


def test_a_sort_reads_with_a_minus_for_descending_and_a_heading_link_turns_it_round():
    assert parse_sort("-joined") == Sort(SortField.JOINED, descending=True)
    assert parse_sort("name") == Sort()
    assert parse_sort("colour") is None
    assert Sort().toggled_for(SortField.NAME) == Sort(SortField.NAME, descending=True)
    assert Sort(SortField.NAME, True).toggled_for(SortField.NAME) == Sort()
    assert Sort().toggled_for(SortField.JOINED) == Sort(SortField.JOINED)


def test_the_audit_keeps_that_there_was_a_search_but_not_what_was_searched_for():
    assert DirectoryFilter(page=3).as_audit() == {}
    wanted = DirectoryFilter(q="sam@example.org", district="dover", crime_type="burglary")
    assert wanted.as_audit() == {"searched": True, "district": "dover", "crime_type": "burglary"}
    assert DirectoryFilter(statuses=(MemberStatus.LEFT,)).as_audit() == {"status": ["left"]}


def test_a_filter_as_query_leaves_out_what_was_not_asked_for():
    assert DirectoryFilter(page=3).as_query() == {}
    wanted = DirectoryFilter(
        q="sam",
        statuses=(MemberStatus.ACTIVE, MemberStatus.PAUSED),
        consent=Purpose.SURVEYS,
        invited="30",
        access_need="any",
        sort=Sort(SortField.JOINED, True),
    )
    assert wanted.as_query() == {
        "q": "sam",
        "status": ["active", "paused"],
        "consent": "surveys",
        "invited": "30",
        "access_need": "any",
        "sort": "-joined",
    }


# ---------------------------------------------------------------------------------------------
# Telling a member their answers were changed for them; the contact log


def test_a_change_is_told_unless_a_notice_waits_or_went_within_the_hour():
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert notice_needed(None, False, now)
    assert not notice_needed(None, True, now)
    assert not notice_needed(now - ONE_NOTICE_COVERS + timedelta(seconds=1), False, now)
    assert notice_needed(now - ONE_NOTICE_COVERS, False, now)
    assert not notice_needed(now - timedelta(days=3), True, now)  # held for a safe time


def test_a_contact_is_logged_from_the_last_year_up_to_now():
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert log_time_problem(now, now) is None
    assert log_time_problem(now + timedelta(minutes=1), now) == (
        "The date and time must not be in the future"
    )
    assert log_time_problem(now - timedelta(days=366), now) is None
    assert log_time_problem(now - timedelta(days=366, seconds=1), now) == (
        "The date must be within the last year"
    )
