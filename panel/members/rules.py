"""A member's statuses, the channels they may be contacted by and the times it is safe, and the
fixed answer lists of their profile: how they were involved, what they need to take part, how they
would like to take part, the equality questions, and how long a pause lasts. No I/O.

Codes are what is stored; labels are what people read. Area-specific lists (districts, crime types)
are reference data instead (``reference.py``). ``PREFER_NOT`` is an answer to every sensitive question.
"""

from __future__ import annotations

import calendar
import enum
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


class MemberStatus(enum.StrEnum):
    APPLIED = "applied"
    VERIFIED = "verified"
    ACTIVE = "active"
    PAUSED = "paused"
    # Screening said no. Like an applicant: told about their application, nothing else.
    DECLINED = "declined"
    LEFT = "left"
    ERASED = "erased"


class ContactChannel(enum.StrEnum):
    EMAIL = "email"
    PHONE_CALL = "phone_call"
    TEXT_MESSAGE = "text_message"
    POST = "post"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    ContactChannel.EMAIL: "Email",
    ContactChannel.PHONE_CALL: "Phone call",
    ContactChannel.TEXT_MESSAGE: "Text message",
    ContactChannel.POST: "Post",
}

# The detail a channel cannot be used without: a number to call or text, an address to write to.
# Email needs none here (the account's address is always there). Safety is only asked, and a channel
# only marked safe, while the member has given that detail.
PHONE = "phone"
POSTAL_ADDRESS = "postal_address"
CHANNEL_NEEDS = {
    ContactChannel.PHONE_CALL: PHONE,
    ContactChannel.TEXT_MESSAGE: PHONE,
    ContactChannel.POST: POSTAL_ADDRESS,
}


def usable_channels(given: Mapping[str, str]) -> tuple[ContactChannel, ...]:
    """The channels whose detail is in ``given`` (``phone`` and ``postal_address``), in order."""
    return tuple(
        channel
        for channel in ContactChannel
        if channel not in CHANNEL_NEEDS or given.get(CHANNEL_NEEDS[channel])
    )


@dataclass(frozen=True)
class DetailsChange:
    """What a change of phone number or address does to the channels that use them."""

    stopped: tuple[ContactChannel, ...] = ()  # were safe; their detail was removed, so not now
    now_usable: tuple[ContactChannel, ...] = ()  # a detail was added: not safe until they say so
    moved: tuple[ContactChannel, ...] = ()  # safe, and their detail changed: safe at the new one

    @property
    def removed(self) -> tuple[str, ...]:
        """The details whose removal stopped a channel: ``phone``, ``postal_address``."""
        return tuple(dict.fromkeys(CHANNEL_NEEDS[channel] for channel in self.stopped))


def details_change(
    before: Mapping[str, str], after: Mapping[str, str], safe: Collection[ContactChannel]
) -> DetailsChange:
    """Compare the phone number and address before and after a change. Only removing a detail
    changes a channel's safety (it cannot be used any more); changing any other detail changes
    nothing, and a detail added or changed leaves the member's answers as they were."""
    stopped, now_usable, moved = [], [], []
    for channel, detail in CHANNEL_NEEDS.items():
        old, new = before.get(detail, ""), after.get(detail, "")
        if old == new:
            continue
        if not new:
            if channel in safe:
                stopped.append(channel)
        elif channel in safe:
            moved.append(channel)
        elif not old:
            now_usable.append(channel)
    return DetailsChange(tuple(stopped), tuple(now_usable), tuple(moved))


@dataclass(frozen=True)
class SafeWindow:
    """Days (0 is Monday) and a time of day, local time, when contact is safe. Start before end."""

    days: frozenset[int]
    start: time
    end: time

    def contains(self, moment: datetime) -> bool:
        return moment.weekday() in self.days and self.start <= moment.time() < self.end

    def next_opening(self, after: datetime) -> datetime | None:
        for offset in range(8):
            day = after.date() + timedelta(days=offset)
            opening = datetime.combine(day, self.start, tzinfo=after.tzinfo)
            if day.weekday() in self.days and opening > after:
                return opening
        return None


@dataclass(frozen=True)
class ChannelPreference:
    channel: ContactChannel
    safe: bool
    windows: tuple[SafeWindow, ...] = ()  # none: any time is safe


def safe_windows_from_json(text: str) -> tuple[SafeWindow, ...]:
    """Safe times as stored: a JSON list of {"days": [0-6], "start": "HH:MM", "end": "HH:MM"}."""
    return tuple(
        SafeWindow(
            days=frozenset(int(day) for day in item["days"]),
            start=time.fromisoformat(item["start"]),
            end=time.fromisoformat(item["end"]),
        )
        for item in json.loads(text or "[]")
    )


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def describe_days(days: Iterable[int]) -> str:
    """ "Every day", "Monday to Friday", or "Monday, Wednesday and Friday"."""
    chosen = sorted(set(days))
    if len(chosen) == 7:
        return "Every day"
    if len(chosen) > 2 and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return f"{DAY_NAMES[chosen[0]]} to {DAY_NAMES[chosen[-1]]}"
    names = [DAY_NAMES[day] for day in chosen]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_safe_times(windows: Iterable[SafeWindow]) -> list[str]:
    """Safe times as a screener reads them; an empty list means any time is safe."""
    return [
        f"{describe_days(window.days)}, {window.start:%H:%M} to {window.end:%H:%M}"
        for window in windows
    ]


PREFER_NOT = "prefer_not"
PREFER_NOT_LABEL = "Prefer not to say"

# What staff read in place of a name when a member gave none: never a number or a reference.
NO_NAME = "No name given"


def name_to_show(preferred_name: str | None) -> str:
    """The member's preferred name as staff pages title them, or the words for no name."""
    return (preferred_name or "").strip() or NO_NAME


Options = tuple[tuple[str, str], ...]

INVOLVEMENT: Options = (
    ("victim", "Something happened to me"),
    ("witness", "I saw or heard something happen to someone else"),
    ("both", "Both"),
    (PREFER_NOT, PREFER_NOT_LABEL),
)

COURT_CASE: Options = (
    ("yes", "Yes, it is still going on"),
    ("no", "No"),
    ("not_sure", "I'm not sure"),
    (PREFER_NOT, PREFER_NOT_LABEL),
)

ACCESS_NEEDS: Options = (
    ("bsl", "A British Sign Language (BSL) interpreter"),
    ("interpreter", "An interpreter for another language"),
    ("step_free", "Step-free access"),
    ("hearing_loop", "A hearing loop"),
    ("large_print", "Large print"),
    ("easy_read", "Easy read documents"),
    ("carer_childcare", "Help with a carer or childcare"),
    ("other", "Something else"),
)

WAYS_TO_TAKE_PART: Options = (
    ("focus_groups", "Focus groups: small group discussions"),
    ("surveys", "Surveys"),
    ("case_reviews", "Independent case reviews: looking at how cases were handled, without names"),
)

FORMATS: Options = (
    ("online", "Online"),
    ("in_person", "In person"),
)


@dataclass(frozen=True)
class EqualityQuestion:
    field: str  # the column of ``EqualityData``
    question: str
    why: str
    options: Options


EQUALITY_QUESTIONS: tuple[EqualityQuestion, ...] = (
    EqualityQuestion(
        "age_band",
        "What is your age?",
        "So we can check the panel hears from people of every age.",
        (
            ("18_24", "18 to 24"),
            ("25_34", "25 to 34"),
            ("35_44", "35 to 44"),
            ("45_54", "45 to 54"),
            ("55_64", "55 to 64"),
            ("65_74", "65 to 74"),
            ("75_over", "75 or over"),
        ),
    ),
    EqualityQuestion(
        "sex",
        "What is your sex?",
        "Some crimes affect women and men differently, so we check both are heard.",
        (("female", "Female"), ("male", "Male")),
    ),
    EqualityQuestion(
        "gender_identity",
        "Is the gender you identify with the same as your sex registered at birth?",
        "So we can check that trans people's experiences are heard.",
        (("yes", "Yes"), ("no", "No")),
    ),
    EqualityQuestion(
        "ethnicity",
        "What is your ethnic group?",
        "So we can check the panel reflects the communities of the area. These are the groups "
        "used in the 2021 Census.",
        (
            ("asian_bangladeshi", "Asian or Asian British: Bangladeshi"),
            ("asian_chinese", "Asian or Asian British: Chinese"),
            ("asian_indian", "Asian or Asian British: Indian"),
            ("asian_pakistani", "Asian or Asian British: Pakistani"),
            ("asian_other", "Asian or Asian British: any other Asian background"),
            ("black_african", "Black, Black British, Caribbean or African: African"),
            ("black_caribbean", "Black, Black British, Caribbean or African: Caribbean"),
            ("black_other", "Black, Black British, Caribbean or African: any other background"),
            ("mixed_white_asian", "Mixed or multiple ethnic groups: White and Asian"),
            (
                "mixed_white_black_african",
                "Mixed or multiple ethnic groups: White and Black African",
            ),
            (
                "mixed_white_black_caribbean",
                "Mixed or multiple ethnic groups: White and Black Caribbean",
            ),
            ("mixed_other", "Mixed or multiple ethnic groups: any other background"),
            ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
            ("white_irish", "White: Irish"),
            ("white_gypsy_traveller", "White: Gypsy or Irish Traveller"),
            ("white_roma", "White: Roma"),
            ("white_other", "White: any other White background"),
            ("other_arab", "Other ethnic group: Arab"),
            ("other_any", "Other ethnic group: any other ethnic group"),
        ),
    ),
    EqualityQuestion(
        "disability",
        "Do you have a physical or mental health condition or illness that has lasted, or is "
        "expected to last, 12 months or more, and that reduces your ability to do everyday things?",
        "Disabled people can face extra barriers after a crime, so we check they are heard.",
        (("yes_a_lot", "Yes, a lot"), ("yes_a_little", "Yes, a little"), ("no", "No")),
    ),
    EqualityQuestion(
        "religion",
        "What is your religion?",
        "Some crimes target people because of their faith, so we check people of every faith "
        "and none are heard.",
        (
            ("none", "No religion"),
            ("christian", "Christian"),
            ("buddhist", "Buddhist"),
            ("hindu", "Hindu"),
            ("jewish", "Jewish"),
            ("muslim", "Muslim"),
            ("sikh", "Sikh"),
            ("other", "Any other religion"),
        ),
    ),
    EqualityQuestion(
        "sexual_orientation",
        "Which of these best describes your sexual orientation?",
        "Some crimes target people because of who they love, so we check lesbian, gay and "
        "bisexual people are heard.",
        (
            ("straight", "Straight or heterosexual"),
            ("gay_lesbian", "Gay or lesbian"),
            ("bisexual", "Bisexual"),
            ("other", "Another sexual orientation"),
        ),
    ),
)


def label_of(options: Options, code: str) -> str:
    """What a stored code reads as; ``PREFER_NOT`` reads the same everywhere."""
    if code == PREFER_NOT:
        return PREFER_NOT_LABEL
    return next((label for option, label in options if option == code), code)


def with_prefer_not(options: Options) -> Options:
    return (*options, (PREFER_NOT, PREFER_NOT_LABEL))


# ---------------------------------------------------------------------------------------------
# Pausing membership: no invitations or surveys for a while, then back without asking anyone.

UNTIL_RESUMED = "until_resumed"

PAUSE_LENGTHS: Options = (
    ("1", "1 month"),
    ("3", "3 months"),
    ("6", "6 months"),
    (UNTIL_RESUMED, "Until I choose to come back"),
)


def pause_ends_on(length: str, today: date) -> date | None:
    """The day a pause of ``length`` months ends: the same day of the month, or the month's last
    day when it has no such day. None for a pause that lasts until the member resumes."""
    if length == UNTIL_RESUMED:
        return None
    month_index = today.month - 1 + int(length)
    year, month = today.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def pause_has_ended(status: str, paused_until: datetime | None, now: datetime) -> bool:
    """A pause with an end date is over once the date comes, even before the daily job notices."""
    return status == "paused" and paused_until is not None and paused_until <= now
