"""Reading an uploaded file and cleaning each row: what is accepted, and what each problem says."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest

from panel.consent.rules import Channel, Purpose
from panel.imports.forms import (
    RowContext,
    clean_file,
    clean_row,
    decode,
    read_sheet,
    template_csv,
)
from panel.imports.rules import COLUMN_NAMES, MAX_ROWS, REQUIRED_COLUMNS, Problem
from panel.members.reference import load_reference_data
from panel.members.rules import ContactChannel
from panel.settings import Settings
from tests.support.spreadsheets import csv_of

REFERENCE = load_reference_data()
NOW = datetime(2025, 6, 10, 15, 30, tzinfo=UTC)
CONTEXT = RowContext(
    reference=REFERENCE,
    today=NOW.date(),
    now=NOW,
    renewal=Settings().consent_renewal,
    renewal_months=24,
    published=frozenset(Purpose),
)
ROW = {
    "preferred_name": "Sam",
    "email": "Sam@Example.org",
    "phone": "07700 900982",
    "postal_address": "1 Example Street",
    "district": "maidstone",
    "involvement": "victim",
    "crime_types": "burglary_home;theft",
    "email_safe": "yes",
    "phone_safe": "no",
    "text_safe": "yes",
    "post_safe": "no",
    "consent_date": "2025-03-05",
    "consent_channel": "paper",
    "consent_purposes": "membership;surveys",
    "consent_recorded_by": "Signed paper form, kept in the office",
}


def problems_of(**changes: str) -> list[str]:
    person, problems = clean_row(7, {**ROW, **changes}, CONTEXT)
    assert (person is None) == bool(problems)
    return [problem.text for problem in problems]


# ---------------------------------------------------------------------------------------------
# One row


def test_a_complete_row_is_cleaned():
    person, problems = clean_row(7, ROW, CONTEXT)
    assert problems == []
    assert person is not None
    assert (person.row, person.preferred_name, person.email) == (7, "Sam", "sam@example.org")
    assert (person.district, person.phone) == ("maidstone", "07700 900982")
    assert person.experience is not None
    assert person.experience.involvement == "victim"
    assert person.experience.crime_types == ("burglary_home", "theft")
    assert person.safe_channels == {ContactChannel.EMAIL, ContactChannel.TEXT_MESSAGE}
    assert person.consent_date == date(2025, 3, 5)
    assert person.consent_channel is Channel.PAPER
    assert person.purposes == (Purpose.MEMBERSHIP, Purpose.SURVEYS)
    assert person.consent_recorded_by == "Signed paper form, kept in the office"


def test_only_the_needed_columns_need_anything_in_them():
    needed = {name: ROW[name] for name in REQUIRED_COLUMNS}
    person, problems = clean_row(2, {**needed, "text_safe": "no"}, CONTEXT)
    assert problems == [] and person is not None
    assert (person.phone, person.postal_address, person.district) == ("", "", "")
    assert person.experience is None  # nothing said about what happened: no profile


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"preferred_name": ""}, "Row 7, preferred_name: enter what to call them"),
        ({"preferred_name": "x" * 101}, "Row 7, preferred_name: this must be 100 characters"),
        ({"email": ""}, "Row 7, email: enter their email address"),
        ({"email": "sam.example.org"}, "Row 7, email: this is not an email address"),
        ({"email": "sam@example"}, "Row 7, email: this is not an email address"),
        ({"phone": "12345"}, "Row 7, phone: this is not a UK phone number"),
        ({"phone": "7700900982"}, "Row 7, phone: this looks like a phone number that has lost"),
        ({"postal_address": "x" * 501}, "Row 7, postal_address: this must be 500 characters"),
        ({"district": "Atlantis"}, "Row 7, district: 'Atlantis' is not one of the districts"),
        ({"involvement": "bystander"}, "Row 7, involvement: enter victim, witness, both"),
        ({"crime_types": "theft;piracy"}, "Row 7, crime_types: 'piracy' is not one of the crime"),
        ({"crime_types": "theft;prefer_not"}, "Row 7, crime_types: use prefer_not on its own"),
        ({"email_safe": ""}, "Row 7, email_safe: enter yes or no"),
        ({"post_safe": "maybe"}, "Row 7, post_safe: enter yes or no"),
        ({"phone": "", "text_safe": "yes"}, "Row 7, text_safe: this cannot be yes without a phone"),
        ({"phone": "", "phone_safe": "yes", "text_safe": "no"}, "Row 7, phone_safe: this cannot"),
        (
            {"postal_address": "", "post_safe": "yes"},
            "Row 7, post_safe: this cannot be yes without a postal address",
        ),
        ({"consent_date": ""}, "Row 7, consent_date: enter the day they gave their consent"),
        ({"consent_date": "March 2025"}, "Row 7, consent_date: enter the date like 2025-03-31"),
        ({"consent_date": "2025-02-30"}, "Row 7, consent_date: this is not a real date"),
        ({"consent_date": "2025-06-11"}, "Row 7, consent_date: this date is in the future"),
        ({"consent_date": "2020-01-01"}, "Row 7, consent_date: this is more than 24 months ago"),
        ({"consent_channel": ""}, "Row 7, consent_channel: enter paper, phone, email or web"),
        ({"consent_channel": "fax"}, "Row 7, consent_channel: enter paper, phone, email or web"),
        ({"consent_purposes": ""}, "Row 7, consent_purposes: enter what they agreed to"),
        ({"consent_purposes": "surveys"}, "Row 7, consent_purposes: include membership"),
        (
            {"consent_purposes": "membership;lottery"},
            "Row 7, consent_purposes: 'lottery' is not something they can agree to",
        ),
        ({"consent_recorded_by": ""}, "Row 7, consent_recorded_by: say who took their consent"),
        ({"consent_recorded_by": "x" * 1001}, "Row 7, consent_recorded_by: this must be 1,000"),
    ],
)
def test_each_rule_names_the_row_and_column(changes, problem):
    found = problems_of(**changes)
    assert len(found) == 1, found
    assert found[0].startswith(problem), found[0]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"email_safe_times": "Funday"}, "Row 7, email_safe_times: write the days like Mon-Fri"),
        ({"email_safe_times": "9am-5pm"}, "Row 7, email_safe_times: write the days like Mon-Fri"),
        ({"text_safe_times": "Mon 25:00-26:00"}, "Row 7, text_safe_times: write the times like"),
        (
            {"text_safe_times": "Mon-Fri 17:00-09:00"},
            "Row 7, text_safe_times: the time it stops being safe must be after the time it starts",
        ),
        (
            {"phone_safe_times": "Mon-Fri"},
            "Row 7, phone_safe_times: leave this blank when phone_safe is no",
        ),
        ({"phone_voicemail": "maybe"}, "Row 7, phone_voicemail: enter yes or no, or leave it"),
        (
            {"phone_voicemail": "yes"},
            "Row 7, phone_voicemail: this can only be yes when phone_safe",
        ),
        ({"code_word": "x" * 101}, "Row 7, code_word: this must be 100 characters or fewer"),
        (
            {"access_needs": "step_free;a pony"},
            "Row 7, access_needs: 'a pony' is not one of the access needs on this page",
        ),
        ({"access_needs": "prefer_not"}, "Row 7, access_needs: 'prefer_not' is not one of the"),
        (
            {"access_needs": "interpreter"},
            "Row 7, interpreter_language: enter the language they need an interpreter for",
        ),
        (
            {"interpreter_language": "Polish"},
            "Row 7, interpreter_language: add interpreter to access_needs, or leave this blank",
        ),
        (
            {"access_needs": "interpreter", "interpreter_language": "x" * 101},
            "Row 7, interpreter_language: this must be 100 characters or fewer",
        ),
        ({"access_needs": "other"}, "Row 7, other_access_need: say what else they need"),
        (
            {"other_access_need": "A quiet room"},
            "Row 7, other_access_need: add other to access_needs, or leave this blank",
        ),
        (
            {"access_needs": "other", "other_access_need": "x" * 501},
            "Row 7, other_access_need: this must be 500 characters or fewer",
        ),
    ],
)
def test_each_rule_of_the_optional_contact_and_access_columns(changes, problem):
    found = problems_of(**changes)
    assert len(found) == 1, found
    assert found[0].startswith(problem), found[0]


@pytest.mark.parametrize(
    ("cell", "days", "start", "end"),
    [
        ("Mon-Fri 09:00-17:00", [0, 1, 2, 3, 4], "09:00", "17:00"),
        ("Monday to Friday 9am to 5pm", [0, 1, 2, 3, 4], "09:00", "17:00"),
        ("weekdays 6pm-9pm", [0, 1, 2, 3, 4], "18:00", "21:00"),
        ("Sat;Sun", [5, 6], "00:00", "23:59"),
        ("WEEKENDS", [5, 6], "00:00", "23:59"),
        ("every day 10.30-12:00", [0, 1, 2, 3, 4, 5, 6], "10:30", "12:00"),
        ("Mon, Wed and Fri 18:00\u201320:00", [0, 2, 4], "18:00", "20:00"),
        ("Tues;Thurs 7.30pm-9pm", [1, 3], "19:30", "21:00"),
        ("Fri-Mon", [0, 4, 5, 6], "00:00", "23:59"),
        ("Weds", [2], "00:00", "23:59"),
    ],
)
def test_safe_times_as_people_write_them(cell, days, start, end):
    person, problems = clean_row(7, {**ROW, "text_safe_times": cell}, CONTEXT)
    assert problems == [] and person is not None
    (row,) = [row for row in person.contact.preference_rows() if row["channel"] == "text_message"]
    assert json.loads(row["safe_times"]) == [{"days": days, "start": start, "end": end}]


def test_the_optional_columns_are_kept_as_the_member_s_own_pages_keep_them():
    person, problems = clean_row(
        7,
        {
            **ROW,
            "phone_safe": "yes",
            "phone_safe_times": "Mon-Fri 09:00-17:00",
            "phone_voicemail": "Yes",
            "code_word": "bluebell",
            "access_needs": "Step-free access;interpreter",
            "interpreter_language": "Polish",
        },
        CONTEXT,
    )
    assert problems == [] and person is not None
    rows = {row["channel"]: row for row in person.contact.preference_rows()}
    assert [channel for channel, row in rows.items() if row["safe"]] == [
        "email",
        "phone_call",
        "text_message",
    ]
    assert json.loads(rows["phone_call"]["safe_times"]) == [
        {"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}
    ]
    assert json.loads(rows["email"]["safe_times"]) == []  # any time
    assert rows["phone_call"]["voicemail_allowed"] is True
    assert not rows["text_message"]["voicemail_allowed"]
    assert {row["code_word"] for row in rows.values()} == {"bluebell"}
    assert person.access is not None
    assert person.access.columns() == {
        "needs": '["step_free", "interpreter"]',
        "language": "Polish",
        "other": "",
    }


def test_no_access_needs_and_no_safe_times_mean_none_and_any_time():
    person, _ = clean_row(7, ROW, CONTEXT)
    assert person is not None and person.access is None
    assert all(json.loads(row["safe_times"]) == [] for row in person.contact.preference_rows())
    assert {row["code_word"] for row in person.contact.preference_rows()} == {""}


def test_every_problem_in_a_row_is_reported_at_once():
    found = problems_of(email="nope", email_safe="", consent_purposes="surveys")
    assert [text.split(":")[0] for text in found] == [
        "Row 7, email",
        "Row 7, email_safe",
        "Row 7, consent_purposes",
    ]


def test_no_personal_detail_is_repeated_in_a_problem():
    for changes in ({"email": "secret.person@nowhere"}, {"phone": "0123 secret"}):
        (found,) = problems_of(**changes)
        assert "secret" not in found


@pytest.mark.parametrize(
    ("changes", "cleaned"),
    [
        ({"district": "Tunbridge Wells"}, ("district", "tunbridge_wells")),
        ({"district": "TUNBRIDGE_WELLS"}, ("district", "tunbridge_wells")),
        ({"district": "Prefer not to say"}, ("district", "prefer_not")),
        ({"consent_date": "05/03/2025"}, ("consent_date", date(2025, 3, 5))),
        ({"consent_date": "2025-3-5"}, ("consent_date", date(2025, 3, 5))),
        ({"consent_channel": "WEB"}, ("consent_channel", Channel.WEB)),
        ({"email_safe": "Yes", "text_safe": "NO"}, ("safe_channels", {ContactChannel.EMAIL})),
        (
            {"consent_purposes": "Membership; focus groups ;membership"},
            ("purposes", (Purpose.MEMBERSHIP, Purpose.FOCUS_GROUPS)),
        ),
        ({"phone": "+44 7700 900982"}, ("phone", "+44 7700 900982")),
    ],
)
def test_codes_names_and_spreadsheet_habits_are_understood(changes, cleaned):
    person, problems = clean_row(7, {**ROW, **changes}, CONTEXT)
    assert problems == [] and person is not None
    field, value = cleaned
    assert getattr(person, field) == value


def test_crime_types_by_name_and_prefer_not():
    person, _ = clean_row(7, {**ROW, "crime_types": "Burglary of a home; THEFT"}, CONTEXT)
    assert person is not None and person.experience is not None
    assert person.experience.crime_types == ("burglary_home", "theft")
    person, _ = clean_row(7, {**ROW, "involvement": "", "crime_types": "prefer_not"}, CONTEXT)
    assert person is not None and person.experience is not None
    assert json.loads(person.experience.columns()["crime_types"]) == ["prefer_not"]


def test_a_purpose_with_no_published_wording_cannot_be_given():
    context = RowContext(**{**CONTEXT.__dict__, "published": frozenset({Purpose.MEMBERSHIP})})
    _, problems = clean_row(7, ROW, context)
    assert [problem.text for problem in problems] == [
        "Row 7, consent_purposes: surveys has no published wording yet, so it cannot be given"
    ]


# ---------------------------------------------------------------------------------------------
# The file


def test_utf8_with_or_without_a_byte_order_mark_is_read():
    assert decode("preferred_name\nSíân".encode()) == "preferred_name\nSíân"
    assert decode("\ufeffpreferred_name\nSíân".encode()) == "preferred_name\nSíân"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("preferred_name\nSíân\n".encode("cp1252"), "The file is not saved as UTF-8 text"),
        ("preferred_name\nSíân".encode("utf-16"), "The file is saved as UTF-16"),
        (b"PK\x03\x04\x14\x00\x06\x00", "The file looks like a spreadsheet workbook"),
    ],
)
def test_other_encodings_get_one_clear_problem(data, problem):
    found = decode(data)
    assert isinstance(found, Problem)
    assert found.text.startswith(problem)
    assert "CSV UTF-8 (comma delimited)" in found.text


def test_the_line_of_the_first_unreadable_character_is_given():
    found = decode(b"a\nb\nc\xe9\n")
    assert isinstance(found, Problem) and "on line 3" in found.text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "The file is empty"),
        ("  \r\n\r\n", "The file is empty"),
        (",".join(COLUMN_NAMES) + "\r\n", "The file has nobody in it"),
        (",".join(COLUMN_NAMES) + "\r\n,,,\r\n", "The file has nobody in it"),
        (";".join(COLUMN_NAMES) + "\r\n", "The file does not separate its columns with commas"),
    ],
)
def test_a_file_with_nothing_to_import_gets_one_problem(text, problem):
    found = read_sheet(text)
    assert isinstance(found, Problem) and found.text.startswith(problem)


def test_missing_unknown_and_repeated_columns_are_one_problem():
    columns = [name for name in COLUMN_NAMES if name not in {"email", "consent_date"}]
    found = read_sheet(",".join([*columns, "Emial_Safe", "phone"]) + "\n")
    assert isinstance(found, Problem)
    assert found.text == (
        "The file has no email or consent_date column in its header row (row 1), and has "
        "columns this page does not list: emial_safe, and has more than one phone column. Name "
        "the columns as the template does"
    )


def test_headers_in_any_case_and_order_with_optional_columns_left_out():
    columns = tuple(reversed(REQUIRED_COLUMNS))
    row = {name: ROW[name] for name in columns}
    text = csv_of(row, columns=columns).decode()
    header, rest = text.split("\r\n", 1)
    sheet = read_sheet(header.upper().replace("_", " ") + "\r\n" + rest)
    assert not isinstance(sheet, Problem)
    assert sheet.rows == [(2, row)]


def test_row_numbers_are_the_spreadsheets_blank_rows_skipped():
    data = csv_of(ROW, {}, {**ROW, "email": "other@example.org"})
    cleaned = clean_file(data, CONTEXT)
    assert cleaned.problems == []
    assert [person.row for person in cleaned.people] == [2, 4]


def test_a_cell_with_a_line_break_is_one_row():
    data = csv_of(
        {**ROW, "postal_address": "1 Example Street\nExampletown"},
        {**ROW, "email": "b@example.org", "email_safe": "maybe"},
    )
    cleaned = clean_file(data, CONTEXT)
    assert [problem.text for problem in cleaned.problems] == ["Row 3, email_safe: enter yes or no"]


def test_something_in_a_column_with_no_name_is_reported():
    unnamed = (*COLUMN_NAMES, "", "")
    data = csv_of(ROW, {**ROW, "email": "b@example.org", "": "surprise"}, columns=unnamed)
    cleaned = clean_file(data, CONTEXT)
    assert [problem.text for problem in cleaned.problems] == [
        "Row 3: there is something in a column with no name in row 1"
    ]
    assert clean_file(csv_of(ROW, columns=unnamed), CONTEXT).problems == []


def test_a_row_that_cannot_be_read_is_named():
    text = ",".join(COLUMN_NAMES) + "\r\n" + ",".join(ROW.values()) + '\r\n"Sam"x,b\r\n'
    found = read_sheet(text)
    assert isinstance(found, Problem)
    assert found.text.startswith("Row 3: this row cannot be read: check its quotation marks")


def test_more_than_the_row_limit_is_refused_whole():
    rows = [{**ROW, "email": f"p{number}@example.org"} for number in range(MAX_ROWS + 1)]
    cleaned = clean_file(csv_of(*rows), CONTEXT)
    assert cleaned.people == []
    assert [problem.text for problem in cleaned.problems] == [
        "The file has more than 5,000 people in it. Split it into files of 5,000 or fewer and "
        "import each one"
    ]
    assert clean_file(csv_of(*rows[:MAX_ROWS]), CONTEXT).problems == []


def test_duplicate_emails_in_the_file_are_reported_whatever_their_case():
    cleaned = clean_file(csv_of(ROW, {**ROW, "email": "SAM@example.org"}), CONTEXT)
    assert [problem.text for problem in cleaned.problems] == [
        "Row 3, email: this email address is also on row 2"
    ]


def test_every_problem_of_every_row_is_reported_in_order():
    data = csv_of(
        {**ROW, "consent_date": "tomorrow"},
        {**ROW, "email": "b@example.org"},
        {**ROW, "email": "not an email", "district": "Atlantis"},
    )
    cleaned = clean_file(data, CONTEXT)
    assert [problem.text.split(":")[0] for problem in cleaned.problems] == [
        "Row 2, consent_date",
        "Row 4, email",
        "Row 4, district",
    ]
    assert [person.row for person in cleaned.people] == [3]


def test_nul_characters_are_dropped():
    cleaned = clean_file(csv_of({**ROW, "preferred_name": "S\x00am"}), CONTEXT)
    assert cleaned.problems == [] and cleaned.people[0].preferred_name == "Sam"


# ---------------------------------------------------------------------------------------------
# The template


def test_the_template_has_every_column_and_an_example_that_imports():
    text = template_csv(REFERENCE, NOW.date())
    assert text.startswith("\ufeff")  # so Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == list(COLUMN_NAMES)
    assert len(rows) == 2
    cleaned = clean_file(text.encode(), CONTEXT)
    assert cleaned.problems == []
    (person,) = cleaned.people
    assert person.consent_date == date(2025, 6, 3)
