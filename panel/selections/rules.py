"""Turning an engagement's pool into a selection problem, and checking a stored selection: what
was chosen can be re-run from what was stored. No I/O.

A stored selection holds, for each member of the pool, the answers it balanced as the problem
saw them (a category's title and a value's label, "Not stated" for no answer), so the problem
can be rebuilt exactly whatever happens to the reference data later; the quotas as given; the
distribution over panels drawn from; and the seed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from panel.engagements.rules import EngagementStatus
from panel.members.reference import DIMENSION_TITLES, ReferenceData
from panel.members.rules import INVOLVEMENT
from panel.selection.draw import draw
from panel.selection.leximin import Distribution, leximin
from panel.selection.problem import (
    Compiled,
    Group,
    Person,
    Quota,
    SelectionProblem,
    compile_problem,
)

NOT_STATED = "Not stated"
# What a selection can balance, by the code of the pool's answer, with the title pages use.
FEATURE_TITLES = {
    "district": DIMENSION_TITLES["district"],
    "involvement": "How they were involved",
    "age_band": DIMENSION_TITLES["age_band"],
    "sex": DIMENSION_TITLES["sex"],
    "ethnicity": DIMENSION_TITLES["ethnicity"],
    "disability": DIMENSION_TITLES["disability"],
}
# What staff pages show of a chosen member's answers: not their equality answers, which are used
# only in numbers.
SHOWN_FEATURES = ("district", "involvement")
# Participants are chosen while an engagement is being planned or recruited for: once it is
# confirmed, those who accepted are its participants.
SELECTABLE = frozenset({EngagementStatus.DRAFT, EngagementStatus.RECRUITING})


def selection_closed(status: EngagementStatus) -> str | None:
    """Why participants cannot be chosen for an engagement in ``status`` now, or None."""
    if status in SELECTABLE:
        return None
    return (
        "Participants are chosen while an engagement is a draft or recruiting; "
        f"this one is {status.label.lower()}."
    )


# Two probabilities are the same when they differ by less than this (the solver's tolerance).
SAME_CHANCE = 1e-6


def value_labels(reference: ReferenceData) -> dict[str, dict[str, str]]:
    """For each feature, each answer's code and the label the problem uses."""
    labels = {
        feature: {choice.code: choice.label for choice in reference.choices_of(feature)}
        for feature in FEATURE_TITLES
        if feature != "involvement"
    }
    labels["involvement"] = dict(INVOLVEMENT)
    return labels


def labelled(
    features: Mapping[str, str], labels: Mapping[str, Mapping[str, str]]
) -> dict[str, str]:
    """A member's answers as the problem sees them: {"District": "Maidstone", ...}. No answer, an
    equality question they preferred not to answer, or a code the reference data no longer has,
    are all "Not stated": the selection knows nothing of them."""
    return {
        FEATURE_TITLES[feature]: labels[feature].get(code, NOT_STATED) if code else NOT_STATED
        for feature, code in features.items()
        if feature in FEATURE_TITLES
    }


def problem_of(
    entries: Sequence[tuple[str, Mapping[str, str]]], panel_size: int, quotas: Sequence[Quota]
) -> SelectionProblem:
    """The selection problem of a pool: each entry is a member's key and labelled answers."""
    return SelectionProblem(
        people=[Person(key, dict(features)) for key, features in entries],
        panel_size=panel_size,
        quotas=tuple(quotas),
    )


def quotas_to_json(quotas: Sequence[Quota]) -> str:
    return json.dumps(
        [
            {"feature": q.feature, "value": q.value, "minimum": q.minimum, "maximum": q.maximum}
            for q in quotas
        ]
    )


def quotas_from_json(text: str) -> list[Quota]:
    return [
        Quota(item["feature"], item["value"], int(item["minimum"]), int(item["maximum"]))
        for item in json.loads(text)
    ]


def distribution_to_json(distribution: Distribution) -> str:
    return json.dumps(
        {
            "groups": [list(group.members) for group in distribution.compiled.groups],
            "panels": [list(panel) for panel in distribution.panels],
            "weights": list(distribution.weights),
        }
    )


def distribution_from_json(text: str, compiled: Compiled) -> Distribution:
    """The stored distribution, over the stored groups (in their stored order, which the draw
    walks), with the problem ``compiled`` from the stored pool and quotas."""
    stored = json.loads(text)
    groups = tuple(Group(tuple(members)) for members in stored["groups"])
    over = Compiled(compiled.problem, groups, compiled.quota_rows, compiled.at_most_one)
    return Distribution(
        over,
        tuple(tuple(int(count) for count in panel) for panel in stored["panels"]),
        tuple(float(weight) for weight in stored["weights"]),
    )


@dataclass(frozen=True)
class StoredSelection:
    entries: Sequence[tuple[str, Mapping[str, str] | None]]  # None: erased since
    probabilities: Mapping[str, float]
    panel: Sequence[str]
    reserves: Sequence[str]  # in order
    panel_size: int
    quotas: Sequence[Quota]
    seed: int
    distribution: str  # as stored (JSON)


def differences(stored: StoredSelection) -> list[str]:
    """What does not match when the stored selection is run again, in plain English; nothing
    when all of it does. Checks that the stored distribution is one over quota-meeting panels
    whose chances are the stored probabilities, that LEXIMIN worked out afresh gives the same
    probabilities, and that the seed draws the same panel and reserves from it."""
    erased = sum(1 for _, features in stored.entries if features is None)
    if erased:
        people = "member's answers were" if erased == 1 else "members' answers were"
        return [f"It cannot be run again: {erased} {people} erased since it was made."]
    entries = [(key, features) for key, features in stored.entries if features is not None]
    compiled = compile_problem(problem_of(entries, stored.panel_size, stored.quotas))
    distribution = distribution_from_json(stored.distribution, compiled)
    found = [*grouping_differences(compiled, distribution)]
    if found:
        return found
    found += panel_differences(distribution)
    drawn = distribution.probabilities()
    if not same_chances(drawn, stored.probabilities):
        found.append("The stored chances are not those of the stored distribution.")
    afresh = leximin(compiled).probabilities()
    if not same_chances(afresh, stored.probabilities):
        found.append("LEXIMIN worked out again gives other chances than the stored ones.")
    panel, reserves = draw(distribution, drawn, stored.seed, len(stored.reserves))
    if sorted(panel) != sorted(stored.panel):
        found.append("The seed draws another panel from the stored distribution.")
    if list(reserves) != list(stored.reserves):
        found.append("The seed draws other reserves, or in another order.")
    return found


def grouping_differences(compiled: Compiled, distribution: Distribution) -> list[str]:
    if {group.members for group in compiled.groups} != {
        group.members for group in distribution.compiled.groups
    }:
        return ["The stored groups of interchangeable members do not match the pool's answers."]
    return []


def panel_differences(distribution: Distribution) -> list[str]:
    found = []
    if any(weight < -SAME_CHANCE for weight in distribution.weights) or not math.isclose(
        sum(distribution.weights), 1.0, abs_tol=SAME_CHANCE
    ):
        found.append("The stored panels' chances do not add up to one.")
    compiled = distribution.compiled
    problem = compiled.problem
    person = {p.id: p for p in problem.people}
    for panel in distribution.panels:
        sizes = dict(zip((group.members for group in compiled.groups), panel, strict=True))
        if sum(panel) != problem.panel_size or any(
            count < 0 or count > len(group) for group, count in sizes.items()
        ):
            found.append("A stored panel is not of the panel's size.")
            break
        for quota in problem.quotas:
            counted = sum(
                count for group, count in sizes.items() if quota.includes(person[group[0]])
            )
            if not quota.minimum <= counted <= quota.maximum:
                found.append(
                    f"A stored panel breaks the quota '{quota.label}: "
                    f"{quota.minimum} to {quota.maximum}'."
                )
                return found
    return found


def same_chances(first: Mapping[str, float], second: Mapping[str, float]) -> bool:
    return first.keys() == second.keys() and all(
        abs(first[key] - second[key]) <= SAME_CHANCE for key in first
    )


# ---------------------------------------------------------------------------------------------
# Swaps: a chosen member replaced by a reserve, for a reason. The drawn selection is untouched.

SWAP_REASON_MAX_LENGTH = 500


def swap_problem(
    panel: Sequence[int], reserves: Sequence[int], removed: int, added: int
) -> str | None:
    """Why this swap cannot be made on the panel as it stands, or None."""
    if removed not in panel:
        return "They are not on the panel now."
    if added not in reserves:
        return "Choose a reserve to take their place."
    return None


def apply_swaps(
    panel: Sequence[int], reserves: Sequence[int], swaps: Sequence[tuple[int, int]]
) -> tuple[list[int], list[int], list[int]]:
    """The panel, the reserves left (in order) and who was taken off, after ``swaps`` (removed,
    added), in the order they were made; a swap that no longer applies is passed over."""
    current, waiting, taken_off = list(panel), list(reserves), []
    for removed, added in swaps:
        if swap_problem(current, waiting, removed, added) is None:
            current[current.index(removed)] = added
            waiting.remove(added)
            taken_off.append(removed)
    return current, waiting, taken_off
