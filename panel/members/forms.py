"""Cleaning a member's answers, topic by topic. Sign-up and the member's own pages share these, so a
field is checked the same way wherever it is asked.

Every function takes the submitted form as a multi-dict (``panel.web.forms.form_multi_values``:
each field name with the list of every value sent, so a checkbox group arrives whole) and returns
``(cleaned, {})`` or ``(None, {field: message})``. The field names are those the macros in
``templates/members/questions/`` render, and each message is linked from the error summary to the
field's id. No I/O: anything from the database (reference data, what else the member told us) is
passed in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from panel.accounts.forms import email_problem
from panel.members.reference import ReferenceData
from panel.members.rules import (
    ACCESS_NEEDS,
    CHANNEL_LABELS,
    COURT_CASE,
    EQUALITY_QUESTIONS,
    FORMATS,
    INVOLVEMENT,
    PREFER_NOT,
    WAYS_TO_TAKE_PART,
    ContactChannel,
    Options,
)
from panel.web.forms import Errors, Values, codes, many, one

PREFERRED_NAME_MAX = 100
POSTAL_ADDRESS_MAX = 500
LANGUAGE_MAX = 100
OTHER_NEED_MAX = 500
CODE_WORD_MAX = 100
EARLIEST_YEAR = 1950


# ---------------------------------------------------------------------------------------------
# About you: what to call them, how to reach them, where they live


UK_PHONE = re.compile(r"^0\d{9,10}$")


def phone_problem(phone: str) -> str | None:
    digits = re.sub(r"[\s\-().]", "", phone)
    if digits.startswith("+44"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("0044"):
        digits = "0" + digits[4:].removeprefix("0")
    if len(phone) > 40 or not UK_PHONE.match(digits):
        return "Enter a UK phone number, like 01632 960 001 or 07700 900 982"
    return None


@dataclass(frozen=True)
class Details:
    preferred_name: str
    email: str  # "" when the form did not ask for it (``with_email=False``)
    phone: str
    postal_address: str
    district: str  # a reference-data code, or ``PREFER_NOT``


def clean_details(
    values: Values, reference: ReferenceData, *, with_email: bool = True
) -> tuple[Details | None, Errors]:
    name = one(values, "preferred_name")
    email = one(values, "email")
    phone = one(values, "phone")
    address = one(values, "postal_address")
    district = one(values, "district")
    errors: Errors = {}
    if not name:
        errors["preferred_name"] = "Enter what you would like us to call you"
    elif len(name) > PREFERRED_NAME_MAX:
        errors["preferred_name"] = (
            f"What we should call you must be {PREFERRED_NAME_MAX} characters or fewer"
        )
    if with_email and (problem := email_problem(email)):
        errors["email"] = problem
    if phone and (problem := phone_problem(phone)):
        errors["phone"] = problem
    if len(address) > POSTAL_ADDRESS_MAX:
        errors["postal_address"] = f"The address must be {POSTAL_ADDRESS_MAX} characters or fewer"
    if district != PREFER_NOT and reference.district_label(district) is None:
        errors["district"] = "Select the area you live in, or 'Prefer not to say'"
    if errors:
        return None, errors
    return Details(name, email.lower() if with_email else "", phone, address, district), {}


def details_values(member: Mapping[str, Any]) -> dict[str, list[str]]:
    """Form values for changing their details from the stored ``Member`` row (the email address
    is not asked: it belongs to their account)."""
    return {
        name: [member[name]] for name in ("preferred_name", "phone", "postal_address", "district")
    }


# ---------------------------------------------------------------------------------------------
# What happened: every answer optional, every question with "Prefer not to say"


@dataclass(frozen=True)
class Experience:
    involvement: str = ""  # a code of ``INVOLVEMENT`` (``PREFER_NOT`` among them) or ""
    crime_types: tuple[str, ...] = ()  # reference-data codes, or (``PREFER_NOT``,)
    year: str = ""  # "2019", ``PREFER_NOT`` or ""
    court_case: str = ""  # a code of ``COURT_CASE`` or ""

    def columns(self) -> dict[str, Any]:
        """The columns of its ``ExperienceProfile`` row (all but ``member``)."""
        return {
            "involvement": self.involvement,
            "crime_types": json.dumps(list(self.crime_types)),
            "year": self.year,
            "court_case": self.court_case,
        }


def clean_experience(
    values: Values, reference: ReferenceData, this_year: int | None = None
) -> tuple[Experience | None, Errors]:
    this_year = this_year or datetime.now(UTC).year
    involvement = one(values, "involvement")
    crime_types = many(values, "crime_types")
    when = one(values, "when")
    year_text = one(values, "year")
    court_case = one(values, "court_case")
    errors: Errors = {}
    if involvement and involvement not in codes(INVOLVEMENT):
        errors["involvement"] = "Select what happened, or 'Prefer not to say'"
    known = {choice.code for choice in reference.crime_types}
    if any(code not in known and code != PREFER_NOT for code in crime_types):
        errors["crime_types"] = "Select what it was about from the list, or 'Prefer not to say'"
    elif PREFER_NOT in crime_types and len(crime_types) > 1:
        errors["crime_types"] = "Select what it was about, or 'Prefer not to say', not both"
    year = ""
    if when == "year":
        if not year_text:
            errors["year"] = "Enter roughly what year it was, or select 'Prefer not to say'"
        elif not (year_text.isdigit() and EARLIEST_YEAR <= int(year_text) <= this_year):
            errors["year"] = f"Enter a year between {EARLIEST_YEAR} and {this_year}, like 2019"
        else:
            year = str(int(year_text))
    elif when == PREFER_NOT:
        year = PREFER_NOT
    elif when:
        errors["when"] = "Select whether you want to tell us the year"
    if court_case and court_case not in codes(COURT_CASE):
        errors["court_case"] = (
            "Select whether a court case is still going on, or 'Prefer not to say'"
        )
    if errors:
        return None, errors
    return Experience(involvement, tuple(crime_types), year, court_case), {}


def experience_values(row: Mapping[str, Any]) -> dict[str, list[str]]:
    """Form values from a stored ``ExperienceProfile`` row (``crime_types`` as its JSON text)."""
    year = row.get("year", "")
    return {
        "involvement": [row.get("involvement", "")],
        "crime_types": list(json.loads(row.get("crime_types") or "[]")),
        "when": ["" if not year else PREFER_NOT if year == PREFER_NOT else "year"],
        "year": [year if year != PREFER_NOT else ""],
        "court_case": [row.get("court_case", "")],
    }


# ---------------------------------------------------------------------------------------------
# How to contact them safely, one channel at a time

DAYS: Options = (
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
)


CHANNEL_QUESTIONS: dict[ContactChannel, tuple[str, str]] = {
    ContactChannel.EMAIL: (
        "Is it safe for us to email you?",
        "Think about whether anyone else can read your emails. Our emails come from a neutral "
        "name and never say what the panel is about in the subject line.",
    ),
    ContactChannel.PHONE_CALL: (
        "Is it safe for us to phone you?",
        "Think about who else might answer or see your phone.",
    ),
    ContactChannel.TEXT_MESSAGE: (
        "Is it safe for us to send you text messages?",
        "Think about who else might see messages on your phone.",
    ),
    ContactChannel.POST: (
        "Is it safe for us to send you letters?",
        "Think about who else might open your post.",
    ),
}

# The answers to "Is it safe to contact you by …?"
SAFE_ANY_TIME = "any"
SAFE_SOME_TIMES = "some"
NOT_SAFE = "no"
SAFETY: Options = (
    (SAFE_ANY_TIME, "Yes, at any time"),
    (SAFE_SOME_TIMES, "Yes, but only on some days or at some times"),
    (NOT_SAFE, "No"),
)
# A letter arrives when the post comes, so post is safe or not, with no times.
SAFETY_WITHOUT_TIMES: Options = ((SAFE_ANY_TIME, "Yes"), (NOT_SAFE, "No"))
CHANNELS_WITHOUT_TIMES = frozenset({ContactChannel.POST})


def safety_options(channel: ContactChannel) -> Options:
    return SAFETY_WITHOUT_TIMES if channel in CHANNELS_WITHOUT_TIMES else SAFETY


WHOLE_DAY = ("00:00", "23:59")
TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def parse_time(text: str) -> str | None:
    """A time of day as "HH:MM" from what people type: 9:30, 09.30, 17:00, 5pm, 5:30pm."""
    match = TIME_PATTERN.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


@dataclass(frozen=True)
class SafeWindowAnswer:
    days: tuple[int, ...]  # 0 is Monday
    start: str  # "HH:MM", local time
    end: str


@dataclass(frozen=True)
class ChannelSafety:
    channel: ContactChannel
    safe: bool
    windows: tuple[SafeWindowAnswer, ...] = ()  # none: any time
    voicemail_allowed: bool = False


@dataclass(frozen=True)
class SafeContact:
    channels: tuple[ChannelSafety, ...]  # one for each ``ContactChannel``, in its order
    code_word: str = ""

    def channel(self, channel: ContactChannel) -> ChannelSafety:
        return next(choice for choice in self.channels if choice.channel is channel)

    def preference_rows(self) -> list[dict[str, Any]]:
        """The columns of one ``ContactPreference`` row per channel (all but ``member``). Every
        channel gets a row, so "not safe" is recorded as an answer rather than left unknown."""
        return [
            {
                "channel": choice.channel.value,
                "safe": choice.safe,
                "safe_times": json.dumps(
                    [
                        {"days": list(window.days), "start": window.start, "end": window.end}
                        for window in choice.windows
                    ]
                ),
                "voicemail_allowed": choice.voicemail_allowed,
                "code_word": self.code_word,
            }
            for choice in self.channels
        ]


def clean_channel(values: Values, channel: ContactChannel, errors: Errors) -> ChannelSafety:
    """One channel's answers; adds any problems to ``errors``. Every message names the channel,
    so no two channels' problems read the same in the error summary."""
    name = channel.value
    label = CHANNEL_LABELS[channel].lower()
    answer = one(values, f"{name}_safe")
    voicemail_answer = one(values, f"{name}_voicemail")
    voicemail = voicemail_answer == "yes"
    if voicemail_answer not in {"", "yes", "no"}:
        errors[f"{name}_voicemail"] = "Select whether we can leave a voicemail message"
    if answer not in codes(safety_options(channel)):
        errors[f"{name}_safe"] = f"Select whether it is safe to contact you by {label}"
        return ChannelSafety(channel, False)
    if answer == NOT_SAFE:
        return ChannelSafety(channel, False)
    if answer == SAFE_ANY_TIME:
        return ChannelSafety(channel, True, (), voicemail)
    days = many(values, f"{name}_days")
    start_text, end_text = one(values, f"{name}_from"), one(values, f"{name}_to")
    if not days:
        errors[f"{name}_days"] = f"Select the days it is safe to contact you by {label}"
    elif any(day not in codes(DAYS) for day in days):
        errors[f"{name}_days"] = f"Select only days on the list for {label}"
    start, end = WHOLE_DAY
    if start_text or end_text:
        parsed_start, parsed_end = parse_time(start_text), parse_time(end_text)
        if parsed_start is None:
            errors[f"{name}_from"] = (
                f"Enter the time it becomes safe to contact you by {label}, like 09:30 or 5pm"
            )
        elif parsed_end is None:
            errors[f"{name}_to"] = (
                f"Enter the time it stops being safe to contact you by {label}, like 17:00 or 8pm"
            )
        elif parsed_start >= parsed_end:
            errors[f"{name}_to"] = (
                f"The time it stops being safe to contact you by {label} must be after "
                "the time it starts"
            )
        else:
            start, end = parsed_start, parsed_end
    window = SafeWindowAnswer(tuple(sorted(int(day) for day in days if day.isdigit())), start, end)
    return ChannelSafety(channel, True, (window,), voicemail)


def clean_safe_contact(
    values: Values,
    *,
    require_safe_email: bool = True,
    usable: Collection[ContactChannel] = tuple(ContactChannel),
) -> tuple[SafeContact | None, Errors]:
    """``require_safe_email``: joining online needs email marked safe, because the link that
    confirms the address is emailed. ``usable``: the channels whose phone number or address the
    member gave (``members.rules.usable_channels``). Any other channel is not asked about (the
    page does not show its question) and is not safe, whatever was sent for it."""
    errors: Errors = {}
    channels = tuple(
        clean_channel(values, channel, errors)
        if channel in usable
        else ChannelSafety(channel, False)
        for channel in ContactChannel
    )
    if require_safe_email and "email_safe" not in errors and not channels[0].safe:
        errors["email_safe"] = (
            "To join online, email must be safe at least some of the time: we email you a link "
            "to confirm your address. If email is not safe, ask us to help you join another way"
        )
    code_word = one(values, "code_word")
    if len(code_word) > CODE_WORD_MAX:
        errors["code_word"] = f"The code word must be {CODE_WORD_MAX} characters or fewer"
    if errors:
        return None, errors
    return SafeContact(channels, code_word), {}


def safe_contact_values(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Form values from a member's stored ``ContactPreference`` rows. A channel with no row reads
    as "not safe"; a channel with several windows shows the first (the form asks for one)."""
    values: dict[str, list[str]] = {}
    code_word = ""
    by_channel = {row["channel"]: row for row in rows}
    for channel in ContactChannel:
        name = channel.value
        row = by_channel.get(name)
        if row is None or not row["safe"]:
            values[f"{name}_safe"] = [NOT_SAFE]
        else:
            windows = json.loads(row["safe_times"] or "[]")
            values[f"{name}_safe"] = [SAFE_SOME_TIMES if windows else SAFE_ANY_TIME]
            if windows:
                first = windows[0]
                values[f"{name}_days"] = [str(day) for day in first["days"]]
                if (first["start"], first["end"]) != WHOLE_DAY:
                    values[f"{name}_from"] = [first["start"]]
                    values[f"{name}_to"] = [first["end"]]
        if row is not None:
            values[f"{name}_voicemail"] = ["yes" if row["voicemail_allowed"] else "no"]
            code_word = code_word or row["code_word"]
    values["code_word"] = [code_word]
    return values


# ---------------------------------------------------------------------------------------------
# What they need to take part


@dataclass(frozen=True)
class Access:
    needs: tuple[str, ...] = ()  # codes of ``ACCESS_NEEDS``; none ticked: nothing needed
    language: str = ""  # when an interpreter is needed
    other: str = ""  # when "Something else" is ticked

    def columns(self) -> dict[str, Any]:
        """The columns of its ``AccessNeeds`` row (all but ``member``)."""
        return {
            "needs": json.dumps(list(self.needs)),
            "language": self.language,
            "other": self.other,
        }


def clean_access_needs(values: Values) -> tuple[Access | None, Errors]:
    needs = many(values, "needs")
    language = one(values, "language")
    other = one(values, "other_need")
    errors: Errors = {}
    if any(need not in codes(ACCESS_NEEDS) for need in needs):
        errors["needs"] = "Select what you need from the list"
    if "interpreter" in needs:
        if not language:
            errors["language"] = "Enter the language you need an interpreter for"
        elif len(language) > LANGUAGE_MAX:
            errors["language"] = f"The language must be {LANGUAGE_MAX} characters or fewer"
    if "other" in needs:
        if not other:
            errors["other_need"] = "Tell us what else you need"
        elif len(other) > OTHER_NEED_MAX:
            errors["other_need"] = (
                f"What else you need must be {OTHER_NEED_MAX} characters or fewer"
            )
    if errors:
        return None, errors
    return Access(
        tuple(needs),
        language if "interpreter" in needs else "",
        other if "other" in needs else "",
    ), {}


def access_needs_values(row: Mapping[str, Any]) -> dict[str, list[str]]:
    """Form values from a stored ``AccessNeeds`` row (``needs`` as its JSON text)."""
    return {
        "needs": list(json.loads(row.get("needs") or "[]")),
        "language": [row.get("language", "")],
        "other_need": [row.get("other", "")],
    }


# ---------------------------------------------------------------------------------------------
# How they would like to take part


@dataclass(frozen=True)
class TakingPart:
    ways: tuple[str, ...]  # codes of ``WAYS_TO_TAKE_PART``, at least one
    formats: tuple[str, ...]  # codes of ``FORMATS``, at least one


def clean_taking_part(values: Values) -> tuple[TakingPart | None, Errors]:
    ways = many(values, "ways")
    formats = many(values, "formats")
    errors: Errors = {}
    if not ways or any(way not in codes(WAYS_TO_TAKE_PART) for way in ways):
        errors["ways"] = "Select at least one way you would like to take part"
    if not formats or any(item not in codes(FORMATS) for item in formats):
        errors["formats"] = "Select online, in person, or both"
    if errors:
        return None, errors
    return TakingPart(tuple(ways), tuple(formats)), {}


def taking_part_values(ways_json: str, formats_json: str) -> dict[str, list[str]]:
    """Form values from a member's stored ``ways_to_take_part`` and ``formats`` (JSON text)."""
    return {
        "ways": list(json.loads(ways_json or "[]")),
        "formats": list(json.loads(formats_json or "[]")),
    }


# ---------------------------------------------------------------------------------------------
# Equality questions: special category data, kept only with their own consent


@dataclass(frozen=True)
class Equality:
    consent: bool  # the equality consent box was ticked
    answers: dict[str, str] = field(default_factory=dict)  # only when ``consent``; may be empty
    skipped: bool = False  # "Skip these questions"

    @property
    def keep(self) -> bool:
        """Whether anything is stored: an ``EqualityData`` row is written only with consent."""
        return self.consent


def clean_equality(values: Values) -> tuple[Equality | None, Errors]:
    """The "Skip these questions" button (``skip``) skips the whole page, whatever was chosen."""
    if one(values, "skip"):
        return Equality(consent=False, skipped=True), {}
    errors: Errors = {}
    answers: dict[str, str] = {}
    for question in EQUALITY_QUESTIONS:
        answer = one(values, question.field)
        if answer and answer != PREFER_NOT and answer not in codes(question.options):
            # Named, so that two questions' problems never read the same in the error summary.
            errors[question.field] = (
                f"Select an answer to '{question.question}' that is on the list, "
                "or 'Prefer not to say'"
            )
        elif answer:
            answers[question.field] = answer
    consent = one(values, "equality_consent") == "yes"
    if answers and not consent and not errors:
        errors["equality_consent"] = (
            "Tick the box to agree to us keeping your answers, or select 'Skip these questions'"
        )
    if errors:
        return None, errors
    return Equality(consent=consent, answers=answers if consent else {}), {}


def equality_values(row: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """Form values from a stored ``EqualityData`` row (None: never answered, or no consent)."""
    if row is None:
        return {}
    values = {question.field: [row.get(question.field, "")] for question in EQUALITY_QUESTIONS}
    values["equality_consent"] = ["yes"]
    return values


# ---------------------------------------------------------------------------------------------
# What the question macros (``templates/members/questions/``) need, as one Jinja global.

QUESTION_OPTIONS: dict[str, Any] = {
    "prefer_not": PREFER_NOT,
    "involvement": INVOLVEMENT,
    "court_case": COURT_CASE,
    "access_needs": ACCESS_NEEDS,
    "ways_to_take_part": WAYS_TO_TAKE_PART,
    "formats": FORMATS,
    "equality_questions": EQUALITY_QUESTIONS,
    "days": DAYS,
    # Each channel's field name, question, hint and answers, in order.
    "channels": tuple(
        (channel.value, *CHANNEL_QUESTIONS[channel], safety_options(channel))
        for channel in ContactChannel
    ),
}
