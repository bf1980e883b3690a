"""Validation of the form on which an admin sets the targets of one dimension: a percent share for
each group, adding up to 100, and where the figures come from."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from panel.members.reference import SHARE_TOTAL_TOLERANCE, Choice
from panel.representation.rules import plain_number

SOURCE_MAX_LENGTH = 1000
SHARES_FIELD = (
    "share"  # the group of share fields ("share-<code>"), where an error about their total goes
)
# Up to three decimal places: what ``RepresentationTarget.share`` keeps.
SHARE_PATTERN = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3})?")


def share_field(code: str) -> str:
    return f"{SHARES_FIELD}-{code}"


@dataclass(frozen=True)
class Targets:
    shares: dict[str, Decimal]
    source: str


def initial_values(shares: Mapping[str, Decimal], source: str) -> dict[str, str]:
    """The form filled in with the targets in force."""
    return {share_field(code): f"{plain_number(share)}" for code, share in shares.items()} | {
        "source": source
    }


def clean_targets(
    choices: Sequence[Choice], values: Mapping[str, str]
) -> tuple[Targets | None, dict[str, str]]:
    errors = {}
    shares = {}
    for choice in choices:
        name = share_field(choice.code)
        raw = values.get(name, "").strip().removesuffix("%").strip()
        if not raw:
            errors[name] = f"Enter the target for {choice.label}, from 0 to 100"
        elif not SHARE_PATTERN.fullmatch(raw):
            errors[name] = (
                f"The target for {choice.label} must be a number from 0 to 100, like 12.5"
            )
        elif Decimal(raw) > 100:
            errors[name] = f"The target for {choice.label} must be 100 or less"
        else:
            shares[choice.code] = Decimal(raw)
    if not errors:
        total = sum(shares.values(), Decimal(0))
        if abs(total - 100) > SHARE_TOTAL_TOLERANCE:
            errors[SHARES_FIELD] = (
                f"The targets must add up to 100%. They add up to {plain_number(total)}%"
            )
    source = values.get("source", "").strip()
    if not source:
        errors["source"] = "Enter where the figures come from"
    elif len(source) > SOURCE_MAX_LENGTH:
        errors["source"] = (
            f"Where the figures come from must be {SOURCE_MAX_LENGTH} characters or fewer"
        )
    if errors:
        return None, errors
    return Targets(shares, source), {}
