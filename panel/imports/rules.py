"""Importing an existing panel from a spreadsheet: the columns of the file, its limits, and the
decisions about its rows that need more than one cell (duplicates, consent dates). No I/O.

A row number is the row the spreadsheet shows: the header is row 1, the first person row 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import PureWindowsPath

from panel.consent.rules import Purpose

MAX_ROWS = 5000  # people in one file; a larger panel is imported a file at a time
PROBLEMS_SHOWN = 200  # the report lists this many, then says how many more there are
RECORDED_BY_MAX = 1000
FILE_NAME_MAX = 100
LIST_SEPARATOR = ";"
YES, NO = "yes", "no"


@dataclass(frozen=True)
class ImportColumn:
    name: str
    required: bool
    what: str  # what to put in it, as the import page explains it


COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("preferred_name", True, "What to call them, up to 100 characters."),
    ImportColumn(
        "email",
        True,
        "Their email address. They sign in with a link we email to it, so each person needs "
        "their own: no two rows may have the same one, and nobody may already have an account "
        "with it.",
    ),
    ImportColumn(
        "phone", False, "A UK phone number, like 07700 900982. Leave it blank if you have none."
    ),
    ImportColumn("postal_address", False, "Their postal address, up to 500 characters."),
    ImportColumn(
        "district",
        False,
        "The district they live in: its code or its name from the list below, prefer_not, or "
        "blank.",
    ),
    ImportColumn(
        "involvement",
        False,
        "victim (it happened to them), witness, both, prefer_not, or blank.",
    ),
    ImportColumn(
        "crime_types",
        False,
        "What it was about: codes or names from the list below, separated by ; (like "
        "burglary_home;theft), prefer_not on its own, or blank.",
    ),
    ImportColumn(
        "email_safe",
        True,
        "yes or no: is it safe to email them? yes is at any time, unless email_safe_times says "
        "when.",
    ),
    ImportColumn(
        "phone_safe",
        True,
        "yes or no: is it safe to phone them? yes needs a phone, and is at any time unless "
        "phone_safe_times says when.",
    ),
    ImportColumn(
        "text_safe",
        True,
        "yes or no: is it safe to send them text messages? yes needs a phone, and is at any time "
        "unless text_safe_times says when.",
    ),
    ImportColumn(
        "post_safe",
        True,
        "yes or no: is it safe to send them letters? yes needs a postal address.",
    ),
    ImportColumn(
        "email_safe_times",
        False,
        "When email is safe, if not at any time: the days, then the times if only some hours "
        "are safe, like Mon-Fri 09:00-17:00, Sat;Sun or weekdays 6pm-9pm. Blank: any time. Only "
        "when email_safe is yes.",
    ),
    ImportColumn(
        "phone_safe_times",
        False,
        "When phoning is safe, written as for email_safe_times. Only when phone_safe is yes.",
    ),
    ImportColumn(
        "text_safe_times",
        False,
        "When text messages are safe, written as for email_safe_times. Only when text_safe is yes.",
    ),
    ImportColumn(
        "post_safe_times",
        False,
        "When letters are safe to arrive, written as for email_safe_times. Only when post_safe "
        "is yes.",
    ),
    ImportColumn(
        "phone_voicemail",
        False,
        "yes or no: may we leave a voicemail message if they do not answer? Blank is no. yes "
        "needs phone_safe to be yes.",
    ),
    ImportColumn(
        "code_word",
        False,
        "A word staff say when they contact them, so they know it is really us. Up to 100 "
        "characters.",
    ),
    ImportColumn(
        "access_needs",
        False,
        "What they need to take part: codes or names from the list below, separated by ; (like "
        "step_free;large_print), or blank for none.",
    ),
    ImportColumn(
        "interpreter_language",
        False,
        "The language they need an interpreter for, up to 100 characters. Needed when "
        "access_needs has interpreter; blank otherwise.",
    ),
    ImportColumn(
        "other_access_need",
        False,
        "What else they need, in a few words, up to 500 characters. Needed when access_needs "
        "has other; blank otherwise.",
    ),
    ImportColumn(
        "consent_date",
        True,
        "The day they gave their consent, like 2025-03-31 (31/03/2025 works too). Not in the "
        "future, and recent enough that it has not lapsed.",
    ),
    ImportColumn("consent_channel", True, "How they gave it: paper, phone, email or web."),
    ImportColumn(
        "consent_purposes",
        True,
        "What they agreed to, separated by ; (like membership;surveys). Everyone must have "
        "agreed to membership.",
    ),
    ImportColumn(
        "consent_recorded_by",
        True,
        "Who took their consent and how, in your words, like: Signed paper form, kept in the "
        "office. Up to 1,000 characters.",
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
COLUMN_ORDER = {name: position for position, name in enumerate(COLUMN_NAMES)}

# The purposes whose consent also says how someone would like to take part.
WAYS_FROM_PURPOSES = (Purpose.FOCUS_GROUPS, Purpose.SURVEYS, Purpose.CASE_REVIEWS)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file. ``row`` 0 is the file as a whole, and its message follows
    "The file" ("is empty"); ``column`` "" is the whole row."""

    row: int
    column: str
    message: str

    @property
    def text(self) -> str:
        """As the report lists it: "Row 7, email: this is not an email address"."""
        if self.row == 0:
            return f"The file {self.message}"
        where = f"Row {self.row}, {self.column}" if self.column else f"Row {self.row}"
        return f"{where}: {self.message}"


def in_report_order(problems: Iterable[Problem]) -> list[Problem]:
    """The file first, then row by row, each row's columns in the order of the file's columns."""
    return sorted(
        problems,
        key=lambda problem: (problem.row, COLUMN_ORDER.get(problem.column, -1), problem.message),
    )


def normalise_header(name: str) -> str:
    """A header cell as a column name: "Preferred name " reads as ``preferred_name``."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def duplicate_emails(emails: Iterable[tuple[int, str]]) -> list[Problem]:
    """Each row whose email address an earlier row of the file already has."""
    first_row: dict[str, int] = {}
    problems = []
    for row, email in emails:
        if email in first_row:
            problems.append(
                Problem(row, "email", f"this email address is also on row {first_row[email]}")
            )
        else:
            first_row[email] = row
    return problems


def already_registered(emails: Iterable[tuple[int, str]], registered: set[str]) -> list[Problem]:
    """Each row whose email address already has an account here (a member's or staff's)."""
    return [
        Problem(row, "email", "someone already has an account with this email address")
        for row, email in emails
        if email in registered
    ]


def consent_time(day: date, now: datetime) -> datetime:
    """When a consent given on ``day`` is recorded as given: midday UTC, which is the same day in
    the UK whatever the season, or now for a consent given today before midday."""
    return min(datetime.combine(day, time(12), tzinfo=UTC), now)


def consent_date_problem(
    day: date, today: date, now: datetime, renewal: timedelta, renewal_months: int
) -> str | None:
    """Why a consent given on ``day`` cannot be imported now, or None. ``today`` is the date where
    the panel is (its time zone), which is what the spreadsheet's dates mean."""
    if day > today:
        return "this date is in the future"
    if consent_time(day, now) + renewal <= now:
        return (
            f"this is more than {renewal_months} months ago, so the consent has lapsed: ask them "
            "to give it again, and use the date they do"
        )
    return None


def attestation(file_name: str, row: int, recorded_by: str) -> str:
    """What the history says about an imported consent: where it came from and who took it."""
    return f"Imported from {file_name}, row {row}: {recorded_by}"


def safe_file_name(name: str) -> str:
    """The uploaded file's name as we repeat it: no folders, no control characters, not too long."""
    base = PureWindowsPath(name or "").name  # also drops a POSIX path: "/" is a separator here
    printable = "".join(character for character in base if character.isprintable()).strip()
    return printable[:FILE_NAME_MAX] or "the spreadsheet"


def size_label(size: int) -> str:
    """A number of bytes as people read it: 2 MB, 1.5 MB, 512 KB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def ways_to_take_part(purposes: Iterable[Purpose]) -> list[str]:
    """How someone would like to take part, from what they agreed to: the focus groups, surveys
    or case reviews they consented to (``members.rules.WAYS_TO_TAKE_PART`` codes)."""
    agreed = set(purposes)
    return [purpose.value for purpose in WAYS_FROM_PURPOSES if purpose in agreed]
