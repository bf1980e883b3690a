"""Validation of the finding form, the review of a finding, and the library's filters."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from panel.engagements.rules import JOURNEY_STAGES, EngagementKind
from panel.findings.rules import (
    PRIORITIES,
    QUOTE_MAX_LENGTH,
    QUOTES_AT_MOST,
    REASON_MAX_LENGTH,
    SENTIMENTS,
    STATEMENT_MAX_LENGTH,
)
from panel.findings.services import FindingSent, LibraryFilters, QuoteSent
from panel.justice import AGENCIES, VICTIMS_CODE_RIGHTS
from panel.web.forms import Errors, Values, codes, date_from_fields, many, one, plain_text

QUOTE_FIELDS = tuple((f"quote_{n}", f"quote_by_{n}") for n in range(1, QUOTES_AT_MOST + 1))


def chosen(values: Values, name: str, allowed: Collection[str]) -> tuple[str, ...]:
    return tuple(code for code in many(values, name) if code in allowed)


def clean_finding(
    values: Values, participants: Mapping[int, str], crime_types: Collection[str]
) -> tuple[FindingSent | None, Errors]:
    """``participants``: invitation id to name, the people a quote can be from."""
    errors: Errors = {}
    statement = plain_text(one(values, "statement"))
    if not statement:
        errors["statement"] = "Enter what was learnt"
    elif len(statement) > STATEMENT_MAX_LENGTH:
        errors["statement"] = f"The finding must be {STATEMENT_MAX_LENGTH:,} characters or fewer"
    sentiment = one(values, "sentiment")
    if sentiment not in codes(SENTIMENTS):
        errors["sentiment"] = "Say whether it is positive, negative or mixed"
    priority = one(values, "priority")
    if priority not in codes(PRIORITIES):
        errors["priority"] = "Choose a priority"
    quotes = []
    for text_field, by_field in QUOTE_FIELDS:
        text = plain_text(one(values, text_field))
        by = one(values, by_field)
        if not text and not by:
            continue
        if not text:
            errors[text_field] = "Enter the quote, or choose no one for who said it"
        elif len(text) > QUOTE_MAX_LENGTH:
            errors[text_field] = f"A quote must be {QUOTE_MAX_LENGTH:,} characters or fewer"
        elif not by.isdigit() or int(by) not in participants:
            errors[by_field] = "Choose who said it"
        else:
            quotes.append(QuoteSent(text_field, text, int(by)))
    if errors:
        return None, errors
    return (
        FindingSent(
            statement=statement,
            sentiment=sentiment,
            priority=priority,
            rights=chosen(values, "rights", codes(VICTIMS_CODE_RIGHTS)),
            stages=chosen(values, "stages", codes(JOURNEY_STAGES)),
            agencies=chosen(values, "agencies", codes(AGENCIES)),
            crime_types=chosen(values, "crime_types", crime_types),
            quotes=tuple(quotes),
        ),
        {},
    )


def clean_review(values: Values) -> tuple[tuple[bool, str] | None, Errors]:
    decision = one(values, "decision")
    reason = plain_text(one(values, "reason"))
    if decision not in {"approve", "not_approve"}:
        return None, {"decision": "Choose whether to approve it"}
    if decision == "not_approve" and not reason:
        return None, {"reason": "Say why it is not approved"}
    if len(reason) > REASON_MAX_LENGTH:
        return None, {"reason": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"}
    return (decision == "approve", reason), {}


def clean_library_filters(
    values: Values, crime_types: Collection[str]
) -> tuple[LibraryFilters, Errors]:
    """The filters as given; a code not offered is ignored, a date that is not one is an error."""
    errors: Errors = {}
    since = date_from_fields(values, "since")
    until = date_from_fields(values, "until")
    for name, found in (("since", since), ("until", until)):
        if found is None and any(
            one(values, f"{name}-{part}") for part in ("day", "month", "year")
        ):
            errors[name] = "Enter a real date, for example 27 3 2026"
    if since and until and since > until:
        errors["until"] = "The end date must be on or after the start date"

    def code(name: str, allowed: Collection[str]) -> str:
        value = one(values, name)
        return value if value in allowed else ""

    return (
        LibraryFilters(
            text=one(values, "text")[:200],
            right=code("right", codes(VICTIMS_CODE_RIGHTS)),
            stage=code("stage", codes(JOURNEY_STAGES)),
            agency=code("agency", codes(AGENCIES)),
            crime_type=code("crime_type", crime_types),
            kind=code("kind", {kind.value for kind in EngagementKind}),
            since=since if not errors else None,
            until=until if not errors else None,
        ),
        errors,
    )
