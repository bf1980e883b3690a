"""Statistical disclosure control: which counts of a table to hide so that no one can be picked
out. Every page and report that shows counts of people or of what they said uses it (the
representativeness board view, the insight library's board view)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Suppression:
    hidden: frozenset[str]  # the codes whose counts are not published
    total_hidden: bool


def suppress_small_counts(counts: Mapping[str, int], threshold: int) -> Suppression:
    """Which counts of one dimension to hide so that no count from 1 to ``threshold`` - 1 is
    published or can be worked out from the total and the counts shown."""
    total = sum(counts.values())
    if 0 < total < threshold:
        return Suppression(frozenset(counts), total_hidden=True)
    hidden = {code for code, count in counts.items() if 0 < count < threshold}
    # The hidden counts add up to the total minus the counts shown, and each is at least 1 (a zero
    # is shown), so one hidden count alone, or k of them adding up to k, would be known. Hide the
    # next smallest count until neither is so.
    while hidden and (len(hidden) == 1 or sum(counts[code] for code in hidden) == len(hidden)):
        others = [(count, code) for code, count in counts.items() if code not in hidden and count]
        if not others:  # every count is a hidden 1: only hiding the total protects them
            return Suppression(frozenset(counts), total_hidden=True)
        hidden.add(min(others)[1])
    return Suppression(frozenset(hidden), total_hidden=False)
