"""The LEXIMIN distribution over panels, by column generation (after Flanigan et al., 2021).

Stage by stage: with some groups' chances already fixed, find the largest chance ``z`` that every
other group can have at once. That is a linear program over all quota-meeting panels, far too
many to list, so it is solved in its dual form over the panels found so far, and a panel that
would improve it is looked for with an integer program (the best panel for the dual's weights).
When no better panel exists, every group with a positive dual weight has chance ``z`` in every
optimal distribution (complementary slackness): they are fixed, and the next stage starts. When
all are fixed, one more linear program finds weights on the panels found that give those chances.

Everything is in groups (``problem.Compiled``): a group's chance is the expected number of its
people on the panel divided by its size; within a group the draw is uniform.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from panel.selection.greedy import GreedyPanel
from panel.selection.problem import Compiled
from panel.selection.solver import INF, LinearModel, counts_of, panel_model

# A panel improves the stage only if it beats the current bound by more than this (a chance).
IMPROVEMENT = 1e-9
# A dual weight above this marks a group whose chance is fixed at the stage's value.
POSITIVE_WEIGHT = 1e-7
# Panels looked for by the greedy search per linear program solve, and how much it damps the
# weight of a group it has just used.
BATCH = 50
DAMPING = 0.5


class NoPanelPossible(Exception):
    """No panel meets the quotas (``conflicts`` says why)."""


@dataclass(frozen=True)
class Distribution:
    """Panels as counts per group, and the chance of drawing each."""

    compiled: Compiled
    panels: tuple[tuple[int, ...], ...]
    weights: tuple[float, ...]

    def group_chances(self) -> list[float]:
        chances = [0.0] * len(self.compiled.groups)
        for panel, weight in zip(self.panels, self.weights, strict=True):
            for group, count in enumerate(panel):
                if count:
                    chances[group] += weight * count
        return [
            min(1.0, chance / group.size)
            for chance, group in zip(chances, self.compiled.groups, strict=True)
        ]

    def probabilities(self) -> dict[str, float]:
        """Each person's chance of selection."""
        return {
            person_id: chance
            for group, chance in zip(self.compiled.groups, self.group_chances(), strict=True)
            for person_id in group.members
        }


class BestPanel:
    """The integer program that finds the quota-meeting panel of greatest weight, and its
    relaxation (fractions of people allowed), whose optimum bounds it from above at a fraction of
    the cost: when even that bound cannot beat a stage, no panel can."""

    def __init__(self, compiled: Compiled) -> None:
        self.model = panel_model(compiled)
        # Measured: on these small models presolve costs more than it saves.
        self.model.highs.setOptionValue("presolve", "off")
        self.relaxation = panel_model(compiled, integer=False)
        self.relaxation.highs.setOptionValue("presolve", "off")

    def bound(self, weights: list[float]) -> float:
        self.relaxation.set_objective(dict(enumerate(weights)), maximise=True)
        if not self.relaxation.solve():
            raise NoPanelPossible()
        return self.relaxation.objective()

    def exists(self) -> bool:
        self.model.set_objective({}, maximise=True)
        return self.model.solve()

    def find(self, weights: list[float]) -> tuple[tuple[int, ...], float]:
        self.model.set_objective(dict(enumerate(weights)), maximise=True)
        if not self.model.solve():
            raise NoPanelPossible()
        return counts_of(self.model.values()), self.model.objective()


def leximin(compiled: Compiled) -> Distribution:
    best = BestPanel(compiled)
    if not best.exists():
        raise NoPanelPossible()
    quick = GreedyPanel(compiled)
    panels, unreachable = first_panels(compiled, best, quick)
    sizes = [group.size for group in compiled.groups]
    stage = Stages(compiled, list(panels), unreachable)
    while stage.open_groups():
        while True:
            chance, weights, cap = stage.solve()
            per_person = [weight / size for weight, size in zip(weights, sizes, strict=True)]
            found = quick_panels(quick, per_person, cap, panels)
            if not found:
                if best.bound(per_person) <= cap + IMPROVEMENT:
                    break
                panel, worth = best.find(per_person)
                if worth <= cap + IMPROVEMENT or panel in panels:
                    break
                found = [panel]
            for panel in found:
                panels[panel] = None
                stage.add_panel(panel)
        open_groups = stage.open_groups()
        newly = [group for group in open_groups if weights[group] > POSITIVE_WEIGHT]
        if not newly:  # cannot happen in exact arithmetic: the open weights sum to 1
            newly = [max(open_groups, key=lambda group: weights[group])]
        stage.fix(newly, min(1.0, max(0.0, chance)))
    return stage.distribution()


def quick_panels(
    quick: GreedyPanel, per_person: list[float], cap: float, known: dict[tuple[int, ...], None]
) -> list[tuple[int, ...]]:
    """Up to ``BATCH`` new panels that each improve the stage, from the greedy search with the
    weights of the groups already used damped each time, so the panels differ. Adding several at
    once saves a linear program solve for each."""
    found: list[tuple[int, ...]] = []
    weights = list(per_person)
    for _ in range(BATCH):
        panel = quick.find(weights)
        if panel is None:
            break
        if (
            panel not in known
            and panel not in found
            and worth_of(panel, per_person) > cap + IMPROVEMENT
        ):
            found.append(panel)
        weights = [
            weight * DAMPING if count else weight
            for weight, count in zip(weights, panel, strict=True)
        ]
    return found


def worth_of(panel: tuple[int, ...], per_person: list[float]) -> float:
    return sum(count * weight for count, weight in zip(panel, per_person, strict=True) if count)


def first_panels(
    compiled: Compiled, best: BestPanel, quick: GreedyPanel
) -> tuple[dict[tuple[int, ...], None], list[int]]:
    """A first set of panels that between them include every group that any panel can include
    (the greedy search first, the exact one when it finds nothing new), and the groups no panel
    can include: their chance is 0."""
    sizes = [group.size for group in compiled.groups]
    panels: dict[tuple[int, ...], None] = {}
    uncovered = set(range(len(sizes)))
    unreachable: list[int] = []
    while uncovered:
        weights = [1.0 / sizes[group] if group in uncovered else 0.0 for group in range(len(sizes))]
        panel = quick.find(weights)
        if panel is None or not any(panel[group] for group in uncovered):
            panel, worth = best.find(weights)
            if worth <= 0.5 / max(sizes):
                unreachable = sorted(uncovered)
                break
        panels[panel] = None
        uncovered -= {group for group in uncovered if panel[group]}
    return panels, unreachable


class Stages:
    """The linear program of every stage, kept from one stage to the next so that each solve
    starts from the last basis: maximise ``z`` over weights on the known panels summing to 1,
    with each open group's chance at least ``z`` and each fixed group's at least its chance.
    The rows' duals are the groups' weights for the search for a better panel."""

    def __init__(
        self, compiled: Compiled, panels: list[tuple[int, ...]], unreachable: list[int]
    ) -> None:
        self.compiled = compiled
        self.sizes = [group.size for group in compiled.groups]
        self.fixed: dict[int, float] = {}
        self.panels: list[tuple[int, ...]] = []
        self.model = LinearModel()
        # Each solve starts from the last basis (presolve would discard it), and after new panels
        # (columns) that basis is still feasible, so the primal simplex method carries on from it.
        self.model.highs.setOptionValue("presolve", "off")
        self.model.highs.setOptionValue("simplex_strategy", 4)
        self.model.add_columns([0.0], [1.0], integer=False)  # z
        self.model.add_row({}, 1.0, 1.0)  # the panels' weights sum to 1
        for _ in self.sizes:
            self.model.add_row({0: -1.0}, 0.0, INF)
        self.model.set_objective({0: 1.0}, maximise=True)
        self.fix(unreachable, 0.0)
        for panel in panels:
            self.add_panel(panel)

    def open_groups(self) -> list[int]:
        return [group for group in range(len(self.sizes)) if group not in self.fixed]

    def add_panel(self, panel: tuple[int, ...]) -> None:
        column = {0: 1.0}
        column.update(
            {group + 1: count / self.sizes[group] for group, count in enumerate(panel) if count}
        )
        indices = np.fromiter(column.keys(), dtype=np.int32, count=len(column))
        values = np.fromiter(column.values(), dtype=float, count=len(column))
        self.model.highs.addCol(0.0, 0.0, INF, len(column), indices, values)
        self.model.columns += 1
        self.panels.append(panel)

    def fix(self, groups: list[int], chance: float) -> None:
        for group in groups:
            self.fixed[group] = chance
            self.model.highs.changeCoeff(group + 1, 0, 0.0)
            self.model.highs.changeRowBounds(group + 1, chance, INF)

    def solve(self) -> tuple[float, list[float], float]:
        """The stage's chance ``z``, the groups' weights (summing to 1 over the open groups), and
        the bound no known panel's weighted share exceeds."""
        if not self.model.solve():
            raise RuntimeError("a LEXIMIN stage had no solution")
        duals = self.model.highs.getSolution().row_dual
        weights = [abs(value) for value in duals[1:]]
        chance = self.model.values()[0]
        cap = chance + sum(self.fixed[group] * weights[group] for group in self.fixed)
        return chance, weights, cap

    def distribution(self) -> Distribution:
        """The last stage's weights: every group has at least its fixed chance."""
        weights = [max(0.0, weight) for weight in self.model.values()[1:]]
        kept = sorted(
            (panel, weight)
            for panel, weight in zip(self.panels, weights, strict=True)
            if weight > 1e-12
        )
        total = sum(weight for _, weight in kept)
        return Distribution(
            self.compiled,
            tuple(panel for panel, _ in kept),
            tuple(weight / total for _, weight in kept),
        )
