"""The admin's forms: the audit log's filters, and a staff account's role."""

from datetime import UTC, datetime

from panel.admin import forms
from panel.admin.forms import clean_filters


def filters(**values: str) -> dict[str, str]:
    return {"action": "", "actor": "", "since": "", "until": ""} | values


def test_the_last_day_is_included():
    wanted, errors = clean_filters(
        filters(since="2026-11-01", until="2026-11-30"), page=1, time_zone="Europe/London"
    )
    assert errors == {}
    assert wanted.since == datetime(2026, 11, 1, tzinfo=UTC)
    assert wanted.until == datetime(2026, 12, 1, tzinfo=UTC)


def test_days_are_the_panel_s_as_the_log_s_times_are_shown():
    """In summer a UK day starts an hour before midnight UTC."""
    wanted, _ = clean_filters(
        filters(since="2026-07-01", until="2026-07-01"), page=1, time_zone="Europe/London"
    )
    assert wanted.since == datetime(2026, 6, 30, 23, tzinfo=UTC)
    assert wanted.until == datetime(2026, 7, 1, 23, tzinfo=UTC)


def test_the_first_day_of_the_calendar_in_a_zone_ahead_of_utc_is_not_an_overflow():
    wanted, errors = clean_filters(filters(since="0001-01-01"), page=1, time_zone="Asia/Tokyo")
    assert errors == {} and wanted.since == datetime.min.replace(tzinfo=UTC)


def test_the_last_day_of_the_calendar_is_a_message_not_an_overflow():
    wanted, errors = clean_filters(filters(until="9999-12-31"), page=1, time_zone="Europe/London")
    assert errors == {"until": "Enter a date before 9999-12-31"}
    assert wanted.until is None
    wanted, errors = clean_filters(
        filters(since="0001-01-01", until="9999-12-30"), page=1, time_zone="Europe/London"
    )
    assert errors == {} and wanted.until == datetime(9999, 12, 31, tzinfo=UTC)


def test_a_date_that_is_not_one_and_an_unknown_action_are_refused():
    wanted, errors = clean_filters(
        filters(since="yesterday", until="2026-02-30", action="nope"),
        page=1,
        time_zone="Europe/London",
    )
    assert set(errors) == {"since", "until", "action"}
    assert wanted.since is None and wanted.until is None and wanted.action == ""


def test_role_form():
    assert forms.clean_role({"role": "staff"})[0] == "staff"
    assert forms.clean_role({"role": "king"})[1] == {"role": "Select a role"}
