"""The order of the sign-up question pages, where each leads, and what the check-your-answers page
says. No I/O.

Pages are answered in order. A page can be opened once every page before it has an answer, so
following a link to a later page sends someone to the first question they have not answered.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta

from panel.consent.rules import Purpose
from panel.members.forms import (
    DAYS,
    Access,
    Details,
    Equality,
    Experience,
    SafeContact,
    TakingPart,
)
from panel.members.reference import ReferenceData
from panel.members.rules import (
    ACCESS_NEEDS,
    CHANNEL_LABELS,
    COURT_CASE,
    EQUALITY_QUESTIONS,
    FORMATS,
    INVOLVEMENT,
    PHONE,
    POSTAL_ADDRESS,
    PREFER_NOT,
    PREFER_NOT_LABEL,
    WAYS_TO_TAKE_PART,
    label_of,
    usable_channels,
)

DRAFT_LIFETIME = timedelta(hours=24)
VERIFICATION_HOURS = 48
VERIFICATION_LIFETIME = timedelta(hours=VERIFICATION_HOURS)
# What the confirmation page promises about screening.
SCREENING_TAKES = "10 working days"


@dataclass(frozen=True)
class Page:
    slug: str  # its address under /join/ and its key in the draft's answers
    title: str  # the page's question, also its section on check-your-answers


PAGES: tuple[Page, ...] = (
    Page("details", "About you"),
    Page("contact", "How to contact you safely"),
    Page("experience", "What happened"),
    Page("access-needs", "What you need to take part"),
    Page("taking-part", "How you would like to take part"),
    Page("equality", "Equality questions"),
    Page("consents", "What you agree to"),
    Page("password", "How you will sign in"),
)
SLUGS = tuple(page.slug for page in PAGES)
PAGE_BY_SLUG = {page.slug: page for page in PAGES}


@dataclass(frozen=True)
class Place:
    """A sign-up page to go to, by its route's name (the controller makes it a link): a question
    page with its slug, and ``change`` when it is answered again from check-your-answers."""

    route: str
    slug: str = ""
    change: bool = False


START = Place("signup:start")
CHECK = Place("signup:check")


def page_at(slug: str, change: bool = False) -> Place:
    return Place("signup:question", slug, change)


def first_unanswered(answered: Collection[str]) -> str | None:
    return next((slug for slug in SLUGS if slug not in answered), None)


def may_open(slug: str, answered: Collection[str]) -> bool:
    """Every page before this one has an answer."""
    return all(earlier in answered for earlier in SLUGS[: SLUGS.index(slug)])


def where_to_start(answered: Collection[str]) -> Place:
    """The first page without an answer, or check-your-answers when all have one."""
    slug = first_unanswered(answered)
    return page_at(slug) if slug else CHECK


def to_answer_again(slug: str, answered: Collection[str]) -> Place:
    """Where check-your-answers sends someone whose answers are not all usable: the first page
    without an answer, or the first whose answer no longer passes (the pages before it do),
    to change it and come back."""
    if slug in answered:
        return page_at(slug, change=True)
    return where_to_start(answered)


def back_link(slug: str, changing: bool) -> Place:
    if changing:
        return CHECK
    index = SLUGS.index(slug)
    return page_at(SLUGS[index - 1]) if index else START


def after_answer(
    slug: str, answered: Collection[str], changing: bool, new_channels: bool = False
) -> Place:
    """Where a page goes once answered: the next page; or, when the answer was changed from
    check-your-answers, back there (or to any page still unanswered). ``new_channels``: the
    details now give a phone number or address the contact page has not asked about, so a change
    of details goes on to that page, to ask whether those ways are safe."""
    if changing:
        if new_channels and "contact" in answered:
            return page_at("contact", change=True)
        return where_to_start(answered)
    index = SLUGS.index(slug)
    return page_at(SLUGS[index + 1]) if index + 1 < len(SLUGS) else CHECK


# ---------------------------------------------------------------------------------------------
# Everything answered, cleaned


@dataclass(frozen=True)
class SignInChoice:
    by_link: bool  # "email me a sign-in link each time"
    password_hash: str | None  # only the hash is ever kept


@dataclass(frozen=True)
class Application:
    details: Details
    contact: SafeContact
    experience: Experience
    access: Access
    taking_part: TakingPart
    equality: Equality
    consents: tuple[Purpose, ...]  # the boxes ticked on the consents page
    sign_in: SignInChoice

    @property
    def purposes_given(self) -> tuple[Purpose, ...]:
        """Every consent to record: the boxes ticked, and equality data if agreed on its page."""
        if self.equality.consent:
            return (*self.consents, Purpose.EQUALITY_DATA)
        return self.consents


# ---------------------------------------------------------------------------------------------
# Check your answers


@dataclass(frozen=True)
class SummaryRow:
    key: str
    value: str  # lines separated by "\n"


@dataclass(frozen=True)
class SummarySection:
    slug: str
    title: str
    rows: tuple[SummaryRow, ...]


NOT_ANSWERED = "Not answered"


def _answer(options: tuple[tuple[str, str], ...], code: str) -> str:
    return label_of(options, code) if code else NOT_ANSWERED


def _channel_line(contact: SafeContact, details: Details) -> list[SummaryRow]:
    """A row for each channel that was asked about (email, and those the details give a phone
    number or address for), then the code word."""
    rows = []
    day_names = dict(DAYS)
    asked = usable_channels({PHONE: details.phone, POSTAL_ADDRESS: details.postal_address})
    for choice in contact.channels:
        if choice.channel not in asked:
            continue
        if not choice.safe:
            text = "Not safe"
        elif not choice.windows:
            text = "Safe at any time"
        else:
            window = choice.windows[0]
            days = ", ".join(day_names[str(day)] for day in window.days)
            hours = (
                "any time"
                if (window.start, window.end) == ("00:00", "23:59")
                else f"{window.start} to {window.end}"
            )
            text = f"Safe on {days}, {hours}"
        if choice.safe and choice.channel.value == "phone_call":
            text += "\nVoicemail: " + ("yes" if choice.voicemail_allowed else "no")
        rows.append(SummaryRow(CHANNEL_LABELS[choice.channel], text))
    rows.append(SummaryRow("Code word", contact.code_word or "None"))
    return rows


def summary(
    application: Application, reference: ReferenceData, titles: Mapping[Purpose, str]
) -> tuple[SummarySection, ...]:
    """What check-your-answers shows, section by section, in words rather than codes."""
    details, experience, access = application.details, application.experience, application.access
    district = (
        PREFER_NOT_LABEL
        if details.district == PREFER_NOT
        else reference.district_label(details.district) or details.district
    )
    crime_types = (
        [PREFER_NOT_LABEL]
        if experience.crime_types == (PREFER_NOT,)
        else [reference.crime_type_label(code) or code for code in experience.crime_types]
    )
    year = PREFER_NOT_LABEL if experience.year == PREFER_NOT else experience.year or NOT_ANSWERED
    needs = [label_of(ACCESS_NEEDS, code) for code in access.needs]
    if access.language:
        needs.append(f"Interpreter language: {access.language}")
    if access.other:
        needs.append(f"Something else: {access.other}")
    if application.equality.keep:
        answers = application.equality.answers
        equality_rows: tuple[SummaryRow, ...] = (
            *(
                SummaryRow(
                    question.question, _answer(question.options, answers.get(question.field, ""))
                )
                for question in EQUALITY_QUESTIONS
            ),
            SummaryRow("Keeping your answers", "You agreed"),
        )
    else:
        equality_rows = (SummaryRow("Your answers", "Skipped: we keep no equality answers"),)
    sections = {
        "details": (
            SummaryRow("What we call you", details.preferred_name),
            SummaryRow("Email address", details.email),
            SummaryRow("Phone number", details.phone or "None given"),
            SummaryRow("Postal address", details.postal_address or "None given"),
            SummaryRow("Area you live in", district),
        ),
        "contact": tuple(_channel_line(application.contact, details)),
        "experience": (
            SummaryRow("What happened", _answer(INVOLVEMENT, experience.involvement)),
            SummaryRow("What it was about", "\n".join(crime_types) or NOT_ANSWERED),
            SummaryRow("Roughly when", year),
            SummaryRow("Court case still going on", _answer(COURT_CASE, experience.court_case)),
        ),
        "access-needs": (SummaryRow("What you need", "\n".join(needs) or "Nothing"),),
        "taking-part": (
            SummaryRow(
                "Ways to take part",
                "\n".join(
                    label_of(WAYS_TO_TAKE_PART, code) for code in application.taking_part.ways
                ),
            ),
            SummaryRow(
                "Online or in person",
                "\n".join(label_of(FORMATS, code) for code in application.taking_part.formats),
            ),
        ),
        "equality": equality_rows,
        "consents": (
            SummaryRow(
                "You agree to",
                "\n".join(titles.get(purpose, purpose.value) for purpose in application.consents),
            ),
        ),
        "password": (
            SummaryRow(
                "How you will sign in",
                "We email you a link each time"
                if application.sign_in.by_link
                else "With your email address and a password",
            ),
        ),
    }
    return tuple(SummarySection(page.slug, page.title, sections[page.slug]) for page in PAGES)
