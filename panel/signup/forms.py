"""Cleaning each sign-up page, and what a page's answer is kept as in the draft.

The topics shared with the member's own pages are cleaned by ``panel.members.forms``; the consents
and the sign-in choice are sign-up's own. A page's answer is kept in the draft in the form's own
shape (a multi-dict), rebuilt from the cleaned value: so going back shows the answer, only what
passed cleaning is kept, and the whole application is cleaned once more before it is sent. The
password itself is never kept: only its hash, made when the page is answered.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from panel.accounts.forms import clean_new_password
from panel.consent.rules import Purpose
from panel.members import forms as member_forms
from panel.members.reference import ReferenceData
from panel.members.rules import PHONE, POSTAL_ADDRESS, ContactChannel, usable_channels
from panel.signup.rules import SLUGS, Application, SignInChoice
from panel.web.forms import Errors, Values, many, one

Answers = Mapping[str, Mapping[str, list[str]]]  # page slug → that page's kept answer

# Equality data has its own page and its own box there, so the consents page does not ask again.
ASKED_ON_CONSENTS_PAGE = tuple(purpose for purpose in Purpose if purpose != Purpose.EQUALITY_DATA)

# Every page but the last, whose answer (the password's hash) is kept by the controller.
QUESTION_SLUGS = tuple(slug for slug in SLUGS if slug != "password")

SIGN_IN_PASSWORD = "password"  # noqa: S105 -- the name of a choice, not a password
SIGN_IN_LINK = "link"


def clean_consents(
    values: Values, offered: Collection[Purpose]
) -> tuple[tuple[Purpose, ...] | None, Errors]:
    """One box per purpose offered; being a member (and so being contacted) is needed to join."""
    ticked = many(values, "consents")
    known = {purpose.value for purpose in offered}
    if any(code not in known for code in ticked):
        return None, {"consents": "Select from the list what you agree to"}
    if Purpose.MEMBERSHIP.value not in ticked:
        return None, {
            "consents": "To join, tick the box to agree to being a member of the panel. "
            "The other boxes are up to you"
        }
    return tuple(purpose for purpose in offered if purpose.value in ticked), {}


@dataclass(frozen=True)
class SignInAnswer:
    by_link: bool
    password: str | None  # to hash at once, never to keep; None: a link, or keep the one chosen


def clean_sign_in(
    values: Values, email: str, service_name: str, has_password: bool = False
) -> tuple[SignInAnswer | None, Errors]:
    """``has_password``: a password was chosen on an earlier visit to the page; leaving both boxes
    empty keeps it (``password`` None with ``by_link`` False)."""
    choice = one(values, "sign_in")
    if choice == SIGN_IN_LINK:
        return SignInAnswer(by_link=True, password=None), {}
    if choice != SIGN_IN_PASSWORD:
        return None, {"sign_in": "Select how you would like to sign in"}
    typed = (values.get("password") or [""])[0]
    confirm = (values.get("password_confirm") or [""])[0]
    if has_password and not typed and not confirm:
        return SignInAnswer(by_link=False, password=None), {}
    password, errors = clean_new_password(
        {"password": typed, "password_confirm": confirm}, email, service_name
    )
    if password is None:
        return None, {
            field: message.replace("Enter a new password", "Enter a password")
            for field, message in errors.items()
        }
    return SignInAnswer(by_link=False, password=password), {}


def sign_in_kept(answer: SignInAnswer, password_hash: str | None) -> dict[str, list[str]]:
    if answer.by_link:
        return {"sign_in": [SIGN_IN_LINK]}
    return {"sign_in": [SIGN_IN_PASSWORD], "password_hash": [password_hash or ""]}


def sign_in_from_kept(kept: Mapping[str, list[str]]) -> SignInChoice | None:
    choice = one(kept, "sign_in")
    password_hash = one(kept, "password_hash")
    if choice == SIGN_IN_LINK:
        return SignInChoice(by_link=True, password_hash=None)
    if choice == SIGN_IN_PASSWORD and password_hash:
        return SignInChoice(by_link=False, password_hash=password_hash)
    return None


def usable_channels_given(answers: Answers) -> tuple[ContactChannel, ...]:
    """The channels the details page gave a phone number or address for: the contact page asks
    about these only."""
    given = answers.get("details", {})
    return usable_channels({detail: one(given, detail) for detail in (PHONE, POSTAL_ADDRESS)})


@dataclass(frozen=True)
class PageContext:
    """What cleaning a page needs besides the form."""

    reference: ReferenceData
    answers: Answers  # the draft so far: safe contact depends on the details given
    offered: tuple[Purpose, ...]  # the purposes with published wording on the consents page
    this_year: int | None = None


def clean_page(
    slug: str, values: Values, context: PageContext
) -> tuple[Any, dict[str, list[str]], Errors]:
    """Clean one question page (not the password page). Returns the cleaned value, the answer to
    keep in the draft, and the errors."""
    if slug == "details":
        details, errors = member_forms.clean_details(values, context.reference)
        if details is None:
            return None, {}, errors
        kept = {
            "preferred_name": [details.preferred_name],
            "email": [details.email],
            "phone": [details.phone],
            "postal_address": [details.postal_address],
            "district": [details.district],
        }
        return details, kept, {}
    if slug == "contact":
        contact, errors = member_forms.clean_safe_contact(
            values, require_safe_email=True, usable=usable_channels_given(context.answers)
        )
        if contact is None:
            return None, {}, errors
        return contact, member_forms.safe_contact_values(contact.preference_rows()), {}
    if slug == "experience":
        experience, errors = member_forms.clean_experience(
            values, context.reference, context.this_year
        )
        if experience is None:
            return None, {}, errors
        kept = member_forms.experience_values(
            {
                "involvement": experience.involvement,
                "crime_types": json.dumps(list(experience.crime_types)),
                "year": experience.year,
                "court_case": experience.court_case,
            }
        )
        return experience, kept, {}
    if slug == "access-needs":
        access, errors = member_forms.clean_access_needs(values)
        if access is None:
            return None, {}, errors
        kept = member_forms.access_needs_values(
            {
                "needs": json.dumps(list(access.needs)),
                "language": access.language,
                "other": access.other,
            }
        )
        return access, kept, {}
    if slug == "taking-part":
        taking_part, errors = member_forms.clean_taking_part(values)
        if taking_part is None:
            return None, {}, errors
        kept = {"ways": list(taking_part.ways), "formats": list(taking_part.formats)}
        return taking_part, kept, {}
    if slug == "equality":
        equality, errors = member_forms.clean_equality(values)
        if equality is None:
            return None, {}, errors
        if equality.skipped:
            return equality, {"skip": ["yes"]}, {}
        kept = {field: [answer] for field, answer in equality.answers.items()}
        if equality.consent:
            kept["equality_consent"] = ["yes"]
        return equality, kept, {}
    if slug == "consents":
        consents, errors = clean_consents(values, context.offered)
        if consents is None:
            return None, {}, errors
        return consents, {"consents": [purpose.value for purpose in consents]}, {}
    raise ValueError(f"no question page {slug}")


def clean_application(answers: Answers, context: PageContext) -> Application | str:
    """Every kept answer cleaned again. Returns the application, or the slug of the first page
    whose answer no longer passes (say the area's reference data changed meanwhile)."""
    context = replace(context, answers=answers)
    cleaned: dict[str, Any] = {}
    for slug in QUESTION_SLUGS:
        value, _, errors = clean_page(slug, answers.get(slug, {}), context)
        if value is None or errors:
            return slug
        cleaned[slug] = value
    sign_in = sign_in_from_kept(answers.get("password", {}))
    if sign_in is None:
        return "password"
    return Application(
        details=cleaned["details"],
        contact=cleaned["contact"],
        experience=cleaned["experience"],
        access=cleaned["access-needs"],
        taking_part=cleaned["taking-part"],
        equality=cleaned["equality"],
        consents=cleaned["consents"],
        sign_in=sign_in,
    )
