"""Validation of the case summary form and the assessment form."""

from __future__ import annotations

from collections.abc import Collection

from panel.engagements.rules import JOURNEY_STAGES
from panel.justice import AGENCIES, VICTIMS_CODE_RIGHTS
from panel.notes.services import WORDS_MAX_LENGTH
from panel.reviews.rules import (
    COMMENT_MAX_LENGTH,
    DISSATISFACTION_MAX_LENGTH,
    LEARNING_MAX_LENGTH,
    RATINGS,
    SUMMARY_MAX_LENGTH,
)
from panel.reviews.services import SHOULD_CHANGE, WENT_WELL, AssessmentSent, CaseSent
from panel.web.forms import Errors, Values, codes, many, one, plain_text

CHECK, SAVE = "check", "save"


def long_text(values: Values, name: str) -> str:
    return plain_text(one(values, name)).replace("\r\n", "\n").strip()


def clean_case(values: Values, crime_types: Collection[str]) -> tuple[CaseSent | None, Errors]:
    errors: Errors = {}
    crime_type = one(values, "crime_type")
    if crime_type not in crime_types:
        errors["crime_type"] = "Choose the type of crime"
    stage = one(values, "stage")
    if stage not in codes(JOURNEY_STAGES):
        errors["stage"] = "Choose how far the case got"
    agencies = tuple(code for code in many(values, "agencies") if code in codes(AGENCIES))
    if not agencies:
        errors["agencies"] = "Choose at least one agency involved"
    dissatisfaction = long_text(values, "dissatisfaction")
    if not dissatisfaction:
        errors["dissatisfaction"] = "Enter what the victim was unhappy about"
    elif len(dissatisfaction) > DISSATISFACTION_MAX_LENGTH:
        errors["dissatisfaction"] = (
            f"What they were unhappy about must be {DISSATISFACTION_MAX_LENGTH:,} characters or fewer"
        )
    summary = long_text(values, "summary")
    if not summary:
        errors["summary"] = "Enter how the case was handled"
    elif len(summary) > SUMMARY_MAX_LENGTH:
        errors["summary"] = f"The summary must be {SUMMARY_MAX_LENGTH:,} characters or fewer"
    remove = plain_text(one(values, "remove"))
    if len(remove) > WORDS_MAX_LENGTH:
        errors["remove"] = f"The words to remove must be {WORDS_MAX_LENGTH:,} characters or fewer"
    if errors:
        return None, errors
    removed = tuple(dict.fromkeys(line.strip() for line in remove.splitlines() if line.strip()))
    return CaseSent(crime_type, stage, agencies, dissatisfaction, summary, removed), {}


def clean_assessment(values: Values) -> tuple[AssessmentSent | None, Errors]:
    """A rating for every right (not applicable and cannot tell are ratings too); comments and
    what went well or should change are optional."""
    errors: Errors = {}
    ratings: dict[str, str] = {}
    comments: dict[str, str] = {}
    allowed = codes(RATINGS)
    for right, words in VICTIMS_CODE_RIGHTS:
        rating = one(values, f"rating_{right}")
        if rating in allowed:
            ratings[right] = rating
        else:
            number = words.split(":")[0]
            errors[f"rating_{right}"] = f"Choose how well {number.lower()} was met"
        comment = long_text(values, f"comment_{right}")
        if len(comment) > COMMENT_MAX_LENGTH:
            errors[f"comment_{right}"] = (
                f"A comment must be {COMMENT_MAX_LENGTH:,} characters or fewer"
            )
        elif comment:
            comments[right] = comment
    learning = {}
    for name, words in ((WENT_WELL, "What went well"), (SHOULD_CHANGE, "What should change")):
        learning[name] = long_text(values, name)
        if len(learning[name]) > LEARNING_MAX_LENGTH:
            errors[name] = f"{words} must be {LEARNING_MAX_LENGTH:,} characters or fewer"
    if errors:
        return None, errors
    return AssessmentSent(ratings, comments, learning[WENT_WELL], learning[SHOULD_CHANGE]), {}
