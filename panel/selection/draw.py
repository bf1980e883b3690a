"""The seeded draw: a panel from the LEXIMIN distribution, then its reserves, and ``select``,
which does the whole selection and says how to repeat it.

Only ``random.Random(seed).random()`` is used (the Mersenne Twister's floats are the same on
every Python version), walking lists in a fixed order, so a stored seed repeats the draw exactly.

Reserves are drawn one at a time from the people not chosen, each with a chance in proportion to
their LEXIMIN chance, so the people the quotas favour least are not pushed to the back; people no
quota-meeting panel can hold (chance 0) are never reserves. When someone drops out, the
engagement takes the first reserve whose place on the panel keeps the quotas.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from panel.selection.conflicts import explain_infeasible
from panel.selection.leximin import Distribution, NoPanelPossible, leximin
from panel.selection.problem import SelectionProblem, compile_problem
from panel.selection.solver import solver_version

ALGORITHM = "leximin-1"


@dataclass(frozen=True)
class Selection:
    probabilities: dict[str, float]  # every person in the pool
    panel: tuple[str, ...]
    reserves: tuple[str, ...]  # in the order they are to be asked
    seed: int
    algorithm: str
    solver: str
    distribution: Distribution


def select(problem: SelectionProblem, seed: int, reserves: int = 0) -> Selection:
    """Raises ``SelectionInputError`` for unusable input and ``QuotaInfeasible`` (with the
    conflicting quotas) when no panel meets them."""
    compiled = compile_problem(problem)
    try:
        distribution = leximin(compiled)
    except NoPanelPossible:
        raise explain_infeasible(compiled) from None
    probabilities = distribution.probabilities()
    panel, reserve_list = draw(distribution, probabilities, seed, reserves)
    return Selection(
        probabilities=probabilities,
        panel=panel,
        reserves=reserve_list,
        seed=seed,
        algorithm=ALGORITHM,
        solver=solver_version(),
        distribution=distribution,
    )


def draw(
    distribution: Distribution, probabilities: dict[str, float], seed: int, reserves: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw, not a secret
    counts = distribution.panels[pick(rng, distribution.weights)]
    chosen: list[str] = []
    for group, count in zip(distribution.compiled.groups, counts, strict=True):
        if count:
            chosen.extend(shuffled(rng, group.members)[:count])
    chosen.sort()
    taken = set(chosen)
    rest = [person_id for person_id in sorted(probabilities) if person_id not in taken]
    ordered: list[str] = []
    while len(ordered) < reserves:
        candidates = [person_id for person_id in rest if probabilities[person_id] > 0]
        if not candidates:
            break
        person_id = candidates[pick(rng, [probabilities[person_id] for person_id in candidates])]
        ordered.append(person_id)
        rest.remove(person_id)
    return tuple(chosen), tuple(ordered)


def pick(rng: random.Random, weights: Sequence[float]) -> int:
    """An index, with chance in proportion to its weight."""
    point = rng.random() * sum(weights)
    running = 0.0
    for index, weight in enumerate(weights):
        running += weight
        if point < running:
            return index
    return max(index for index, weight in enumerate(weights) if weight > 0)


def shuffled(rng: random.Random, items: Sequence[str]) -> list[str]:
    """Fisher-Yates with the generator's floats only (``random.shuffle``'s integer method has
    changed between Python versions)."""
    result = list(items)
    for index in range(len(result) - 1, 0, -1):
        other = int(rng.random() * (index + 1))
        result[index], result[other] = result[other], result[index]
    return result
