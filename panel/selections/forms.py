"""The form on which staff choose a panel: its size, how many reserves, quotas (at least and at
most so many of the panel with each answer), and a seed to repeat an earlier draw."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from panel.engagements.rules import MAX_CAPACITY, MAX_RESERVES
from panel.selection.problem import Quota
from panel.selections.rules import FEATURE_TITLES, SWAP_REASON_MAX_LENGTH
from panel.selections.services import SEED_LIMIT, SelectionRequest
from panel.web.forms import Errors, Values, one


@dataclass(frozen=True)
class QuotaField:
    """One answer's pair of boxes: ``min-<feature>-<code>`` and ``max-<feature>-<code>``."""

    feature: str
    code: str
    label: str

    @property
    def minimum_name(self) -> str:
        return f"min-{self.feature}-{self.code}"

    @property
    def maximum_name(self) -> str:
        return f"max-{self.feature}-{self.code}"


def quota_fields(labels: Mapping[str, Mapping[str, str]]) -> dict[str, list[QuotaField]]:
    """The boxes of each feature, in the order its answers are listed."""
    return {
        feature: [QuotaField(feature, code, label) for code, label in labels[feature].items()]
        for feature in FEATURE_TITLES
    }


def count_in(text: str, most: int) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 4 and int(text) <= most else None


def clean_selection(
    values: Values, fields: Mapping[str, list[QuotaField]]
) -> tuple[SelectionRequest | None, Errors]:
    """The request, or what is wrong with each field. A blank "at least" is 0 and a blank "at
    most" is the panel's size; an answer with both blank has no quota."""
    errors: Errors = {}
    size = count_in(one(values, "panel_size"), MAX_CAPACITY)
    if size is None or size < 1:
        errors["panel_size"] = f"Enter how many to choose, a whole number from 1 to {MAX_CAPACITY}"
    reserves = count_in(one(values, "reserves") or "0", MAX_RESERVES)
    if reserves is None:
        errors["reserves"] = f"Enter how many reserves, a whole number from 0 to {MAX_RESERVES}"
    seed_text, seed = one(values, "seed"), None
    if seed_text:
        if seed_text.isdigit() and len(seed_text) <= 16 and int(seed_text) < SEED_LIMIT:
            seed = int(seed_text)
        else:
            errors["seed"] = "Enter the seed as a whole number, as the earlier selection shows it"
    quotas = []
    for feature, boxes in fields.items():
        for box in boxes:
            low_text, high_text = one(values, box.minimum_name), one(values, box.maximum_name)
            if not low_text and not high_text:
                continue
            most = size or MAX_CAPACITY
            low = count_in(low_text or "0", most)
            high = count_in(high_text, most) if high_text else most
            what = f"{FEATURE_TITLES[feature]} {box.label}"
            if low is None:
                errors[box.minimum_name] = f"Enter at least how many of {what}, from 0 to {most}"
            if high is None:
                errors[box.maximum_name] = f"Enter at most how many of {what}, from 0 to {most}"
            elif low is not None and low > high:
                errors[box.maximum_name] = (
                    f"The most for {what} cannot be fewer than the least ({low})"
                )
            if low is not None and high is not None:
                quotas.append(Quota(FEATURE_TITLES[feature], box.label, low, high))
    if errors or size is None or reserves is None:
        return None, errors
    return SelectionRequest(size, reserves, quotas, seed), {}


def clean_swap(
    values: Values, reserves: Mapping[int, str]
) -> tuple[tuple[int, str] | None, Errors]:
    """The reserve to take the place (``reserves``: member id → name) and why, or the errors."""
    errors: Errors = {}
    chosen = one(values, "added")
    added = int(chosen) if chosen.isdigit() and int(chosen) in reserves else None
    if added is None:
        errors["added"] = "Choose the reserve who takes their place"
    reason = one(values, "reason")
    if not reason:
        errors["reason"] = "Say why they are taken off the panel"
    elif len(reason) > SWAP_REASON_MAX_LENGTH:
        errors["reason"] = f"The reason must be {SWAP_REASON_MAX_LENGTH} characters or fewer"
    if errors or added is None:
        return None, errors
    return (added, reason), {}
