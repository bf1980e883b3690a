"""Reading an uploaded spreadsheet (CSV) and cleaning every row of it, and the template staff
download to fill in. No I/O: the reference data, the date and what is published are passed in.

``clean_file`` reads the whole file and returns everyone it could clean with every problem it
found, so one report lists them all; the import goes ahead only when there are none.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from panel.accounts.forms import email_problem
from panel.consent.rules import Channel, Purpose
from panel.imports.rules import (
    COLUMN_NAMES,
    LIST_SEPARATOR,
    MAX_ROWS,
    NO,
    RECORDED_BY_MAX,
    REQUIRED_COLUMNS,
    YES,
    Problem,
    consent_date_problem,
    duplicate_emails,
    in_report_order,
    normalise_header,
)
from panel.members.forms import (
    CODE_WORD_MAX,
    LANGUAGE_MAX,
    OTHER_NEED_MAX,
    POSTAL_ADDRESS_MAX,
    PREFERRED_NAME_MAX,
    WHOLE_DAY,
    Access,
    ChannelSafety,
    Experience,
    SafeContact,
    SafeWindowAnswer,
    parse_time,
    phone_problem,
)
from panel.members.reference import Choice, ReferenceData
from panel.members.rules import (
    ACCESS_NEEDS,
    DAY_NAMES,
    INVOLVEMENT,
    PREFER_NOT,
    PREFER_NOT_LABEL,
    ContactChannel,
)

SAFE_COLUMNS = {
    "email_safe": ContactChannel.EMAIL,
    "phone_safe": ContactChannel.PHONE_CALL,
    "text_safe": ContactChannel.TEXT_MESSAGE,
    "post_safe": ContactChannel.POST,
}
ACCESS_NEED_CHOICES = tuple(Choice(code, label) for code, label in ACCESS_NEEDS)
# Safe times as people write them: the days, then (if only some hours are safe) two times.
TIME_WORD = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
SAFE_TIMES = re.compile(
    rf"^(?P<days>.*?)(?:\s+(?P<start>{TIME_WORD})\s*(?:-|\u2013|to)\s*(?P<end>{TIME_WORD}))?$",
    re.IGNORECASE,
)
DAY_GROUPS = {
    "every day": range(7),
    "everyday": range(7),
    "daily": range(7),
    "any day": range(7),
    "weekdays": range(5),
    "weekends": range(5, 7),
}
DAY_SEPARATORS = re.compile(r"\s*(?:,|;|/|\band\b)\s*", re.IGNORECASE)
DAY_RANGE = re.compile(r"^(\w+)\s*(?:-|\u2013|\bto\b)\s*(\w+)$", re.IGNORECASE)
CONSENT_CHANNELS = (Channel.PAPER, Channel.PHONE, Channel.EMAIL, Channel.WEB)
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
LOST_FIRST_ZERO = re.compile(r"^[1-9]\d{9}$")  # 7700900982: a mobile number a spreadsheet ate
INVOLVEMENT_CHOICES = tuple(Choice(code, label) for code, label in INVOLVEMENT)
ECHO_MAX = 40  # how much of a cell a problem repeats
SAVE_AS_CSV = (
    "In your spreadsheet choose 'Save as' and 'CSV UTF-8 (comma delimited)', then upload that file"
)


@dataclass(frozen=True)
class RowContext:
    """What cleaning a row needs to know besides the row."""

    reference: ReferenceData
    today: date  # in the panel's time zone: what the file's dates mean
    now: datetime
    renewal: timedelta
    renewal_months: int
    published: frozenset[Purpose]  # the purposes with published wording: consent can be given


@dataclass(frozen=True)
class ImportedPerson:
    """One row, cleaned."""

    row: int
    preferred_name: str
    email: str
    phone: str
    postal_address: str
    district: str  # a reference-data code, ``PREFER_NOT`` or ""
    experience: Experience | None  # None when the row says nothing about what happened
    contact: SafeContact  # every channel: safe or not, when, voicemail; the code word
    access: Access | None  # None when the row says nothing about what they need
    consent_date: date
    consent_channel: Channel
    purposes: tuple[Purpose, ...]
    consent_recorded_by: str

    @property
    def safe_channels(self) -> frozenset[ContactChannel]:
        return frozenset(choice.channel for choice in self.contact.channels if choice.safe)


@dataclass(frozen=True)
class CleanedFile:
    people: list[ImportedPerson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Every well-formed email address with its row, whatever else is wrong with the row, so one
    # report can also say which of them already have an account.
    emails: list[tuple[int, str]] = field(default_factory=list)


def clean_file(data: bytes, context: RowContext) -> CleanedFile:
    """Every row of the file cleaned, with every problem found (in the order of the file)."""
    text = decode(data)
    if isinstance(text, Problem):
        return CleanedFile(problems=[text])
    sheet = read_sheet(text)
    if isinstance(sheet, Problem):
        return CleanedFile(problems=[sheet])
    people = []
    problems = list(sheet.problems)
    for row, cells in sheet.rows:
        person, row_problems = clean_row(row, cells, context)
        problems += row_problems
        if person is not None:
            people.append(person)
    emails = [(row, cells.get("email", "").lower()) for row, cells in sheet.rows]
    problems += duplicate_emails((row, email) for row, email in emails if email)
    well_formed = [(row, email) for row, email in emails if email and not email_problem(email)]
    return CleanedFile(people, in_report_order(problems), well_formed)


# ---------------------------------------------------------------------------------------------
# Reading the file


def decode(data: bytes) -> str | Problem:
    """The file's text: UTF-8, with or without the byte order mark Excel writes."""
    if data.startswith(b"PK\x03\x04"):
        return Problem(0, "", f"looks like a spreadsheet workbook, not a CSV file. {SAVE_AS_CSV}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(0, "", f"is saved as UTF-16 ('Unicode text'), not UTF-8. {SAVE_AS_CSV}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Problem(
            0,
            "",
            "is not saved as UTF-8 text: the first character that cannot be read is on line "
            f"{line}. {SAVE_AS_CSV}",
        )
    return text.replace("\x00", "")  # no one types NUL, and PostgreSQL cannot store it


@dataclass(frozen=True)
class Sheet:
    rows: list[tuple[int, dict[str, str]]]  # each row's number and its cells by column name
    problems: list[Problem]  # rows with something in a cell that has no column


def read_sheet(text: str) -> Sheet | Problem:
    """The rows under the header, each as its cells by column name; or the one problem that
    stops the file being read. Rows with nothing in them are skipped."""
    if not text.strip():
        return Problem(0, "", "is empty")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    reading = 1  # the row being read: the one named when it cannot be
    rows: list[tuple[int, dict[str, str]]] = []
    problems = []
    try:
        columns = [normalise_header(cell) for cell in next(reader)]
        reading = 2
        if header_problem := check_header(columns):
            return header_problem
        for row, cells in enumerate(reader, start=2):
            reading = row + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                return Problem(
                    0,
                    "",
                    f"has more than {MAX_ROWS:,} people in it. Split it into files of "
                    f"{MAX_ROWS:,} or fewer and import each one",
                )
            named, stray = cells_by_column(columns, cells)
            if stray:
                problems.append(
                    Problem(row, "", "there is something in a column with no name in row 1")
                )
            rows.append((row, named))
    except csv.Error:
        return Problem(
            reading,
            "",
            "this row cannot be read: check its quotation marks match, and that no cell is very "
            "long",
        )
    if not rows:
        return Problem(0, "", "has nobody in it: there are no rows under the header row")
    return Sheet(rows, problems)


def cells_by_column(columns: list[str], cells: list[str]) -> tuple[dict[str, str], bool]:
    """A row's cells by column name, and whether it has anything in a column with no name."""
    named = {}
    stray = False
    for position, cell in enumerate(cells):
        name = columns[position] if position < len(columns) else ""
        if name:
            named[name] = cell.strip()
        elif cell.strip():
            stray = True
    return named, stray


def check_header(columns: list[str]) -> Problem | None:
    """The one problem of a header row that is not the template's, or None."""
    if len(columns) == 1 and any(separator in columns[0] for separator in (";", "\t")):
        return Problem(0, "", f"does not separate its columns with commas. {SAVE_AS_CSV}")
    named = [name for name in columns if name]
    missing = [name for name in REQUIRED_COLUMNS if name not in named]
    unknown = [name for name in named if name not in COLUMN_NAMES]
    repeated = sorted({name for name in named if named.count(name) > 1})
    parts = []
    if missing:
        parts.append(f"has no {' or '.join(missing)} column in its header row (row 1)")
    if unknown:
        parts.append(f"has columns this page does not list: {', '.join(unknown)}")
    if repeated:
        parts.append(f"has more than one {' or '.join(repeated)} column")
    if not parts:
        return None
    return Problem(0, "", ", and ".join(parts) + ". Name the columns as the template does")


# ---------------------------------------------------------------------------------------------
# Cleaning one row


def echo(value: str) -> str:
    """A cell as a problem repeats it: short enough to read, long enough to find."""
    return value if len(value) <= ECHO_MAX else value[: ECHO_MAX - 1] + "…"


def words(value: str) -> str:
    return " ".join(value.lower().replace("_", " ").split())


def choose(value: str, choices: Sequence[Choice]) -> str | None:
    """The code of the choice ``value`` names, by its code or its label, in any case."""
    wanted = words(value)
    for choice in choices:
        if wanted in {words(choice.code), words(choice.label)}:
            return choice.code
    if wanted in {words(PREFER_NOT), words(PREFER_NOT_LABEL)}:
        return PREFER_NOT
    return None


def split_list(value: str) -> list[str]:
    """The items of a ";"-separated cell, once each, in order."""
    return list(dict.fromkeys(item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()))


def parse_date(value: str) -> date | str:
    """A date as 2025-03-31 or, as spreadsheets often rewrite it, 31/03/2025; or why not."""
    if iso := ISO_DATE.match(value):
        year, month, day = (int(part) for part in iso.groups())
    elif uk := UK_DATE.match(value):
        day, month, year = (int(part) for part in uk.groups())
    else:
        return "enter the date like 2025-03-31"
    try:
        return date(year, month, day)
    except ValueError:
        return "this is not a real date"


def clean_row(
    row: int, cells: dict[str, str], context: RowContext
) -> tuple[ImportedPerson | None, list[Problem]]:
    """One row: the person it describes, or every problem with it."""
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(row, column, message))

    name = cells.get("preferred_name", "")
    if not name:
        problem("preferred_name", "enter what to call them")
    elif len(name) > PREFERRED_NAME_MAX:
        problem("preferred_name", f"this must be {PREFERRED_NAME_MAX} characters or fewer")

    email = cells.get("email", "").lower()
    if not email:
        problem("email", "enter their email address")
    elif email_problem(email):
        problem("email", "this is not an email address")

    phone = cells.get("phone", "")
    if phone and phone_problem(phone):
        if LOST_FIRST_ZERO.match(phone):
            problem(
                "phone",
                "this looks like a phone number that has lost its first 0, as spreadsheets do: "
                "add the 0 back and format the column as text",
            )
        else:
            problem("phone", "this is not a UK phone number, like 01632 960001 or 07700 900982")

    address = cells.get("postal_address", "")
    if len(address) > POSTAL_ADDRESS_MAX:
        problem("postal_address", f"this must be {POSTAL_ADDRESS_MAX} characters or fewer")

    district = ""
    if district_cell := cells.get("district", ""):
        district = choose(district_cell, context.reference.districts) or ""
        if not district:
            problem(
                "district",
                f"'{echo(district_cell)}' is not one of the districts on this page: use its code "
                "or name, prefer_not, or leave it blank",
            )

    experience, experience_problems = clean_experience(cells, context.reference)
    problems += [Problem(row, column, message) for column, message in experience_problems]

    contact, contact_problems = clean_safe_contact(
        cells, has_phone=bool(phone), has_address=bool(address)
    )
    problems += [Problem(row, column, message) for column, message in contact_problems]

    access, access_problems = clean_access_needs(cells)
    problems += [Problem(row, column, message) for column, message in access_problems]

    consent_date, date_problem = clean_consent_date(cells.get("consent_date", ""), context)
    if date_problem:
        problem("consent_date", date_problem)

    channel_cell = cells.get("consent_channel", "").lower()
    consent_channel = next((c for c in CONSENT_CHANNELS if c.value == channel_cell), None)
    if consent_channel is None:
        problem("consent_channel", "enter paper, phone, email or web")

    purposes, purposes_problem = clean_purposes(cells.get("consent_purposes", ""), context)
    if purposes_problem:
        problem("consent_purposes", purposes_problem)

    recorded_by = cells.get("consent_recorded_by", "")
    if not recorded_by:
        problem(
            "consent_recorded_by",
            "say who took their consent and how, like: Signed paper form, kept in the office",
        )
    elif len(recorded_by) > RECORDED_BY_MAX:
        problem("consent_recorded_by", f"this must be {RECORDED_BY_MAX:,} characters or fewer")

    if (
        problems
        or contact is None
        or consent_date is None
        or consent_channel is None
        or purposes is None
    ):
        return None, problems
    return ImportedPerson(
        row=row,
        preferred_name=name,
        email=email,
        phone=phone,
        postal_address=address,
        district=district,
        experience=experience,
        contact=contact,
        access=access,
        consent_date=consent_date,
        consent_channel=consent_channel,
        purposes=purposes,
        consent_recorded_by=recorded_by,
    ), []


def clean_experience(
    cells: dict[str, str], reference: ReferenceData
) -> tuple[Experience | None, list[tuple[str, str]]]:
    """What happened, when the row says: how they were involved and what it was about."""
    problems = []
    involvement = ""
    if involvement_cell := cells.get("involvement", ""):
        involvement = choose(involvement_cell, INVOLVEMENT_CHOICES) or ""
        if not involvement:
            problems.append(
                ("involvement", "enter victim, witness, both or prefer_not, or leave it blank")
            )
    crime_types = []
    for item in split_list(cells.get("crime_types", "")):
        code = choose(item, reference.crime_types)
        if code is None:
            problems.append(
                (
                    "crime_types",
                    f"'{echo(item)}' is not one of the crime types on this page: use its code or "
                    "name, or prefer_not",
                )
            )
        else:
            crime_types.append(code)
    if PREFER_NOT in crime_types and len(crime_types) > 1:
        problems.append(("crime_types", "use prefer_not on its own, not with crime types"))
    if problems:
        return None, problems
    if not involvement and not crime_types:
        return None, []
    return Experience(involvement=involvement, crime_types=tuple(crime_types)), []


def parse_day(word: str) -> int | None:
    """A day of the week from its name or the start of it (Mon, Tues, Thursday), 0 for Monday."""
    word = word.strip().lower().rstrip(".")
    if word == "weds":
        return 2
    if len(word) < 3:
        return None
    return next(
        (number for number, name in enumerate(DAY_NAMES) if name.lower().startswith(word)), None
    )


def parse_days(text: str) -> tuple[int, ...] | None:
    """The days of a safe times cell: every day, weekdays, weekends, Mon-Fri, Mon;Wed;Fri, or a mix
    (Mon-Wed;Sat). A range may run over the weekend (Fri-Mon). None when a day cannot be read."""
    text = " ".join(text.split()).lower()
    if text in DAY_GROUPS:
        return tuple(DAY_GROUPS[text])
    days: set[int] = set()
    for item in DAY_SEPARATORS.split(text):
        if not item:
            continue
        if item in DAY_GROUPS:
            days.update(DAY_GROUPS[item])
        elif span := DAY_RANGE.match(item):
            first, last = parse_day(span.group(1)), parse_day(span.group(2))
            if first is None or last is None:
                return None
            days.update((first + step) % 7 for step in range((last - first) % 7 + 1))
        elif (day := parse_day(item)) is not None:
            days.add(day)
        else:
            return None
    return tuple(sorted(days)) or None


def parse_safe_times(value: str) -> SafeWindowAnswer | str:
    """A safe times cell as the window it describes (days, and start and end of the day's safe
    hours), or why it cannot be read. The member's own form asks for one window a channel, so a
    cell holds one."""
    match = SAFE_TIMES.match(" ".join(value.split()))
    if match is None:  # cannot happen: every part of the pattern is optional
        return "write the days, then the times, like Mon-Fri 09:00-17:00"
    days = parse_days(match.group("days"))
    if days is None:
        return "write the days like Mon-Fri, Sat;Sun or weekdays, then any times like 09:00-17:00"
    if match.group("start") is None:
        return SafeWindowAnswer(days, *WHOLE_DAY)
    start, end = parse_time(match.group("start")), parse_time(match.group("end"))
    if start is None or end is None:
        return "write the times like 09:00-17:00 or 9am-5pm"
    if start >= end:
        return "the time it stops being safe must be after the time it starts, like 09:00-17:00"
    return SafeWindowAnswer(days, start, end)


def clean_safe_contact(
    cells: dict[str, str], *, has_phone: bool, has_address: bool
) -> tuple[SafeContact | None, list[tuple[str, str]]]:
    """Each channel's yes or no, and when (its safe times column); voicemail; the code word."""
    problems = []
    channels = []
    for column, channel in SAFE_COLUMNS.items():
        answer = cells.get(column, "").lower()
        times = cells.get(f"{column}_times", "")
        safe = False
        if answer not in {YES, NO}:
            problems.append((column, "enter yes or no"))
        elif answer == YES:
            if (
                channel in {ContactChannel.PHONE_CALL, ContactChannel.TEXT_MESSAGE}
                and not has_phone
            ):
                problems.append(
                    (column, "this cannot be yes without a phone number: add one, or enter no")
                )
            elif channel is ContactChannel.POST and not has_address:
                problems.append(
                    (column, "this cannot be yes without a postal address: add one, or enter no")
                )
            else:
                safe = True
        windows: tuple[SafeWindowAnswer, ...] = ()
        if times and answer == NO:
            problems.append((f"{column}_times", f"leave this blank when {column} is no"))
        elif times:
            window = parse_safe_times(times)
            if isinstance(window, str):
                problems.append((f"{column}_times", window))
            else:
                windows = (window,)
        channels.append(ChannelSafety(channel, safe, windows if safe else ()))
    voicemail = cells.get("phone_voicemail", "").lower()
    if voicemail not in {"", YES, NO}:
        problems.append(("phone_voicemail", "enter yes or no, or leave it blank"))
    elif voicemail == YES and cells.get("phone_safe", "").lower() != YES:
        problems.append(("phone_voicemail", "this can only be yes when phone_safe is yes"))
    elif voicemail == YES:
        channels[1] = ChannelSafety(ContactChannel.PHONE_CALL, True, channels[1].windows, True)
    code_word = cells.get("code_word", "")
    if len(code_word) > CODE_WORD_MAX:
        problems.append(("code_word", f"this must be {CODE_WORD_MAX} characters or fewer"))
    if problems:
        return None, problems
    return SafeContact(tuple(channels), code_word), []


def clean_access_needs(cells: dict[str, str]) -> tuple[Access | None, list[tuple[str, str]]]:
    """What they need to take part, when the row says: the needs, an interpreter's language and
    anything else, each needed exactly when its need is listed."""
    problems = []
    needs = []
    for item in split_list(cells.get("access_needs", "")):
        code = choose(item, ACCESS_NEED_CHOICES)
        if code is None or code == PREFER_NOT:
            problems.append(
                (
                    "access_needs",
                    f"'{echo(item)}' is not one of the access needs on this page: use its code or "
                    "name",
                )
            )
        else:
            needs.append(code)
    language = cells.get("interpreter_language", "")
    if "interpreter" in needs and not language:
        problems.append(("interpreter_language", "enter the language they need an interpreter for"))
    elif language and "interpreter" not in needs:
        problems.append(
            ("interpreter_language", "add interpreter to access_needs, or leave this blank")
        )
    elif len(language) > LANGUAGE_MAX:
        problems.append(
            ("interpreter_language", f"this must be {LANGUAGE_MAX} characters or fewer")
        )
    other = cells.get("other_access_need", "")
    if "other" in needs and not other:
        problems.append(("other_access_need", "say what else they need"))
    elif other and "other" not in needs:
        problems.append(("other_access_need", "add other to access_needs, or leave this blank"))
    elif len(other) > OTHER_NEED_MAX:
        problems.append(("other_access_need", f"this must be {OTHER_NEED_MAX} characters or fewer"))
    if problems:
        return None, problems
    if not needs:
        return None, []
    return Access(tuple(needs), language, other), []


def clean_consent_date(value: str, context: RowContext) -> tuple[date | None, str | None]:
    if not value:
        return None, "enter the day they gave their consent, like 2025-03-31"
    parsed = parse_date(value)
    if isinstance(parsed, str):
        return None, parsed
    if problem := consent_date_problem(
        parsed, context.today, context.now, context.renewal, context.renewal_months
    ):
        return None, problem
    return parsed, None


def clean_purposes(
    value: str, context: RowContext
) -> tuple[tuple[Purpose, ...] | None, str | None]:
    """What they agreed to: purposes separated by ";", membership among them."""
    items = split_list(value)
    if not items:
        return None, "enter what they agreed to, like membership;surveys"
    by_words = {words(purpose.value): purpose for purpose in Purpose}
    unknown = [item for item in items if words(item) not in by_words]
    if unknown:
        return None, (
            f"'{echo(unknown[0])}' is not something they can agree to: use the purposes this "
            "page lists"
        )
    purposes = tuple(dict.fromkeys(by_words[words(item)] for item in items))
    unpublished = [purpose for purpose in purposes if purpose not in context.published]
    if unpublished:
        return None, f"{unpublished[0].value} has no published wording yet, so it cannot be given"
    if Purpose.MEMBERSHIP not in purposes:
        return None, (
            "include membership: everyone on the panel has agreed to be a member and to be "
            "contacted about it"
        )
    return purposes, None


# ---------------------------------------------------------------------------------------------
# The template


def template_csv(reference: ReferenceData, today: date) -> str:
    """The header row and one example row of invented details, as Excel reads it (UTF-8 with a
    byte order mark, CRLF line ends). The example imports as it is, so it shows the format."""
    example = {
        "preferred_name": "Alex Example",
        "email": "alex.example@example.org",
        "phone": "07700 900982",
        "postal_address": "1 Example Street, Exampletown",
        "district": reference.districts[0].code,
        "involvement": "victim",
        "crime_types": LIST_SEPARATOR.join(choice.code for choice in reference.crime_types[:2]),
        "email_safe": YES,
        "phone_safe": NO,
        "text_safe": YES,
        "post_safe": NO,
        "email_safe_times": "",
        "phone_safe_times": "",
        "text_safe_times": "Mon-Fri 09:00-17:00",
        "post_safe_times": "",
        "phone_voicemail": "",
        "code_word": "",
        "access_needs": "large_print",
        "interpreter_language": "",
        "other_access_need": "",
        "consent_date": (today - timedelta(days=7)).isoformat(),
        "consent_channel": Channel.PAPER.value,
        "consent_purposes": LIST_SEPARATOR.join((Purpose.MEMBERSHIP.value, Purpose.SURVEYS.value)),
        "consent_recorded_by": "Signed paper form, kept in the office",
    }
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow([example[name] for name in COLUMN_NAMES])
    return "\ufeff" + output.getvalue()
