"""The LEXIMIN distribution over panels, by column generation (after Flanigan et al., 2021).

Stage by stage: with some groups' chances already fixed, find the largest chance ``z`` that every
other group can have at once. That is a linear program over all quota-meeting panels, far too
many to list, so it is solved over the panels found so far, and panels that would improve it are
looked for with the duals of its rows as the groups' weights: first by swapping people in and out
of the best known panels (``swaps``), then, when the swaps find nothing or fall well short of
what the relaxation allows, with the integer program for the best panel. Only that integer
program decides that no better panel exists; then every group with a positive dual weight has
chance ``z`` in every optimal distribution (complementary slackness): they are fixed, and the
next stage starts. When all are fixed, the last stage's weights on the panels give those chances.

Everything is in groups (``problem.Compiled``): a group's chance is the expected number of its
people on the panel divided by its size; within a group the draw is uniform.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from panel.selection.problem import Compiled
from panel.selection.solver import INF, LinearModel, Panel, counts_of, panel_model
from panel.selection.swaps import SwapSearch

# A panel improves the stage only if it beats the current bound by more than this (a chance).
IMPROVEMENT = 1e-9
# A dual weight above this marks a group whose chance is fixed at the stage's value.
POSITIVE_WEIGHT = 1e-7
# Swap searches per linear program solve, and how much each damps the weights of the groups on the
# panel it found, so that the next one finds a different panel (measured on the bench's pools).
SEARCHES = 10
DAMPING = 0.8
# When the best swapped panel gains less than this share of the gain the relaxation allows, the
# integer program's best panel is added too: swaps stall where the quotas are tight, and a few
# exact panels then save many rounds (measured: 1,000 / 12 tight went from 512 rounds to 211).
EXACT_SHARE = 0.3
# The stage's linear program slows with every panel in it: past MOST_PANELS per row, the unused
# panels that would lose the most are dropped, down to KEPT_PANELS per row (a dropped panel is
# found again if it is ever needed).
MOST_PANELS = 2.0
KEPT_PANELS = 1.5
# A warm solve takes a few hundred pivots (at most 751 on the bench's largest pool, 480 rows); one
# that takes more than this many per row has stalled on the degenerate rows, and the program is
# solved again from scratch with the dual simplex method (which takes well under a second there).
# A pivot count, not a time, so that a stored selection re-runs the same way on any machine.
STALL_PIVOTS_PER_ROW = 10


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

    def bound(self, weights: np.ndarray) -> float:
        self.relaxation.set_objective(dict(enumerate(weights)), maximise=True)
        if not self.relaxation.solve():
            raise NoPanelPossible()
        return self.relaxation.objective()

    def any_panel(self) -> Panel | None:
        self.model.set_objective({}, maximise=True)
        return counts_of(self.model.values()) if self.model.solve() else None

    def exists(self) -> bool:
        return self.any_panel() is not None

    def find(self, weights: np.ndarray) -> tuple[Panel, float]:
        self.model.set_objective(dict(enumerate(weights)), maximise=True)
        if not self.model.solve():
            raise NoPanelPossible()
        return counts_of(self.model.values()), self.model.objective()


def leximin(compiled: Compiled) -> Distribution:
    best = BestPanel(compiled)
    first = best.any_panel()
    if first is None:
        raise NoPanelPossible()
    search = SwapSearch(compiled)
    panels, unreachable = first_panels(compiled, best, search, first)
    sizes = np.array([group.size for group in compiled.groups], dtype=float)
    stage = Stages(compiled, panels, unreachable)
    while stage.open_groups():
        while True:
            chance, weights, cap = stage.solve()
            found = better_panels(stage, search, best, weights / sizes, cap)
            if not found:
                break
            stage.drop_unused_panels()  # while the last solve describes every panel
            for panel in found:
                stage.add_panel(panel)
        open_groups = stage.open_groups()
        newly = [group for group in open_groups if weights[group] > POSITIVE_WEIGHT]
        if not newly:  # cannot happen in exact arithmetic: the open weights sum to 1
            newly = [max(open_groups, key=lambda group: weights[group])]
        stage.fix(newly, min(1.0, max(0.0, chance)))
    return stage.distribution()


def better_panels(
    stage: Stages, search: SwapSearch, best: BestPanel, per_person: np.ndarray, cap: float
) -> list[Panel]:
    """New panels whose weight (``per_person``) exceeds ``cap``, so that each improves the stage;
    none only when the integer program proves that no panel does."""
    found = swapped_panels(stage, search, per_person, cap)
    bound = best.bound(per_person)
    if bound <= cap + IMPROVEMENT:
        return found
    top = max((float(np.asarray(panel) @ per_person) for panel in found), default=cap)
    if top - cap >= EXACT_SHARE * (bound - cap):
        return found
    panel, worth = best.find(per_person)
    if worth > top + IMPROVEMENT and panel not in stage.columns:
        found.append(panel)
    return found


def swapped_panels(
    stage: Stages, search: SwapSearch, per_person: np.ndarray, cap: float
) -> list[Panel]:
    """Up to ``SEARCHES`` new panels that each improve the stage, each from the stage's panel of
    most weight improved by swaps, with the weights of the groups on the panels already found
    damped, so that the panels differ. Adding several at once saves a linear program solve for
    each."""
    known = stage.known_panels()
    weights = per_person.copy()
    found: dict[Panel, None] = {}
    for _ in range(SEARCHES):
        start = known[int(np.argmax(known @ weights))]
        better = search.improve(start, weights)
        panel = counts_of(better)
        if (
            panel not in stage.columns
            and panel not in found
            and float(better @ per_person) > cap + IMPROVEMENT
        ):
            found[panel] = None
        weights = np.where(better > 0, weights * DAMPING, weights)
    return list(found)


def first_panels(
    compiled: Compiled, best: BestPanel, search: SwapSearch, first: Panel
) -> tuple[list[Panel], list[int]]:
    """A first set of panels that between them include every group that any panel can include
    (by swaps into the panel of most weight first, the exact search when they bring in no one
    new), and the groups no panel can include: their chance is 0."""
    sizes = np.array([group.size for group in compiled.groups], dtype=float)
    panels = [first]
    uncovered = np.array(first) == 0
    unreachable: list[int] = []
    while uncovered.any():
        weights = np.where(uncovered, 1.0 / sizes, 0.0)
        start = max(panels, key=lambda panel: float(np.asarray(panel) @ weights))
        panel = counts_of(search.improve(np.asarray(start), weights))
        if not (np.asarray(panel) > 0)[uncovered].any():
            panel, worth = best.find(weights)
            if worth <= 0.5 / max(sizes):
                unreachable = [int(group) for group in np.flatnonzero(uncovered)]
                break
        panels.append(panel)
        uncovered &= np.asarray(panel) == 0
    return panels, unreachable


class Stages:
    """The linear program of every stage, kept from one stage to the next so that each solve
    starts from the last basis: maximise ``z`` over weights on the known panels summing to 1,
    with each open group's chance at least ``z`` and each fixed group's at least its chance.
    The rows' duals are the groups' weights for the search for a better panel."""

    def __init__(self, compiled: Compiled, panels: list[Panel], unreachable: list[int]) -> None:
        self.compiled = compiled
        self.sizes = [group.size for group in compiled.groups]
        self.fixed: dict[int, float] = {}
        # The panels in the linear program, in the order of its columns after ``z``.
        self.panels: list[Panel] = []
        self.columns: dict[Panel, None] = {}
        self.matrix = np.zeros((max(16, len(panels)), len(self.sizes)))  # first rows: the panels
        self.model = LinearModel()
        # Each solve starts from the last basis (presolve would discard it), and after new panels
        # (columns) that basis is still feasible, so the primal simplex method carries on from it.
        self.model.highs.setOptionValue("presolve", "off")
        self.model.highs.setOptionValue("simplex_strategy", 4)
        # Measured: these programs are very degenerate (many groups at the same chance), and
        # the primal simplex method's random perturbation of bounds, meant to help there, made
        # a warm solve take 400 pivots where 300 do, and once stall past 100,000.
        self.model.highs.setOptionValue("primal_simplex_bound_perturbation_multiplier", 0.0)
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

    def known_panels(self) -> np.ndarray:
        return self.matrix[: len(self.panels)]

    def add_panel(self, panel: Panel) -> None:
        column = {0: 1.0}
        column.update(
            {group + 1: count / self.sizes[group] for group, count in enumerate(panel) if count}
        )
        indices = np.fromiter(column.keys(), dtype=np.int32, count=len(column))
        values = np.fromiter(column.values(), dtype=float, count=len(column))
        self.model.highs.addCol(0.0, 0.0, INF, len(column), indices, values)
        self.model.columns += 1
        if len(self.panels) == len(self.matrix):
            self.matrix = np.vstack([self.matrix, np.zeros_like(self.matrix)])
        self.matrix[len(self.panels)] = panel
        self.panels.append(panel)
        self.columns[panel] = None

    def drop_unused_panels(self) -> None:
        """Past ``MOST_PANELS`` per row, drop the panels out of the basis whose reduced cost is
        lowest (those furthest from being used) until ``KEPT_PANELS`` per row are left."""
        rows = len(self.sizes) + 1
        excess = len(self.panels) - int(KEPT_PANELS * rows)
        if len(self.panels) < MOST_PANELS * rows or excess <= 0:
            return
        status = self.model.highs.getBasis().col_status
        reduced = self.model.highs.getSolution().col_dual
        unused = [
            index
            for index in range(len(self.panels))
            if status[index + 1] != highspy.HighsBasisStatus.kBasic
        ]
        dropped = sorted(sorted(unused, key=lambda index: reduced[index + 1])[:excess])
        self.model.highs.deleteCols(
            len(dropped), np.array([index + 1 for index in dropped], dtype=np.int32)
        )
        self.model.columns -= len(dropped)
        kept = sorted(set(range(len(self.panels))) - set(dropped))
        self.panels = [self.panels[index] for index in kept]
        self.columns = dict.fromkeys(self.panels)
        self.matrix[: len(kept)] = self.matrix[kept]

    def fix(self, groups: list[int], chance: float) -> None:
        for group in groups:
            self.fixed[group] = chance
            self.model.highs.changeCoeff(group + 1, 0, 0.0)
            self.model.highs.changeRowBounds(group + 1, chance, INF)

    def solve(self) -> tuple[float, np.ndarray, float]:
        """The stage's chance ``z``, the groups' weights (summing to 1 over the open groups), and
        the bound no known panel's weighted share exceeds."""
        highs = self.model.highs
        highs.setOptionValue(
            "simplex_iteration_limit", STALL_PIVOTS_PER_ROW * (len(self.sizes) + 1)
        )
        highs.run()
        if highs.getModelStatus() == highspy.HighsModelStatus.kIterationLimit:
            highs.clearSolver()
            highs.setOptionValue("simplex_strategy", 1)
            highs.setOptionValue("simplex_iteration_limit", highspy.kHighsIInf)
            highs.run()
            highs.setOptionValue("simplex_strategy", 4)
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError("a LEXIMIN stage had no solution")
        weights = np.abs(np.asarray(self.model.highs.getSolution().row_dual)[1:])
        chance = self.model.values()[0]
        cap = chance + sum(self.fixed[group] * weights[group] for group in self.fixed)
        return chance, weights, float(cap)

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
