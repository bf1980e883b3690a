"""HiGHS (through ``highspy``) as the selection uses it: models of panels by group counts, built
row by row and solved quietly and exactly (no MIP gap), and the linear programs of the LEXIMIN
stages."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import version

import highspy
import numpy as np

from panel.selection.problem import Compiled, QuotaRow, Side

INF = highspy.kHighsInf
_banner_printed = False


def solver_version() -> str:
    return f"HiGHS {version('highspy')}"


def new_highs() -> highspy.Highs:
    """A silent HiGHS. The first one in a process prints a banner on the process's own standard
    output, from C++, before any option can stop it; ``panel select`` must print only ids there."""
    global _banner_printed
    if _banner_printed:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner_printed = True
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 1e-10)
    return highs


class LinearModel:
    """A model built column by column and row by row."""

    def __init__(self) -> None:
        self.highs = new_highs()
        self.columns = 0

    def add_columns(self, lower: Sequence[float], upper: Sequence[float], integer: bool) -> range:
        count = len(lower)
        first = self.columns
        self.highs.addVars(count, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float))
        if integer:
            self.highs.changeColsIntegrality(
                count,
                np.arange(first, first + count, dtype=np.int32),
                np.array([highspy.HighsVarType.kInteger] * count),
            )
        self.columns += count
        return range(first, first + count)

    def add_row(self, coefficients: Mapping[int, float], lower: float, upper: float) -> None:
        indices = np.fromiter(coefficients.keys(), dtype=np.int32, count=len(coefficients))
        values = np.fromiter(coefficients.values(), dtype=float, count=len(coefficients))
        self.highs.addRow(lower, upper, len(coefficients), indices, values)

    def set_objective(self, costs: Mapping[int, float], maximise: bool) -> None:
        all_costs = np.zeros(self.columns)
        for column, cost in costs.items():
            all_costs[column] = cost
        self.highs.changeColsCost(self.columns, np.arange(self.columns, dtype=np.int32), all_costs)
        sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        self.highs.changeObjectiveSense(sense)

    def solve(self) -> bool:
        """True when an optimal solution was found; False when the model has none."""
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return True
        if status in (
            highspy.HighsModelStatus.kInfeasible,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return False
        raise RuntimeError(f"HiGHS stopped with {self.highs.modelStatusToString(status)}")

    def values(self) -> list[float]:
        return list(self.highs.getSolution().col_value)

    def objective(self) -> float:
        return float(self.highs.getInfo().objective_function_value)


def panel_model(
    compiled: Compiled,
    quota_rows: Iterable[QuotaRow] | None = None,
    integer: bool = True,
    with_size: bool = True,
) -> LinearModel:
    """Columns: how many of each group's people are on the panel. Rows: the panel's size, the
    given quota rows (all of them by default), and one person at most from each household or
    "never together" pair."""
    model = LinearModel()
    sizes = [group.size for group in compiled.groups]
    model.add_columns([0.0] * len(sizes), [float(size) for size in sizes], integer)
    if with_size:
        size = float(compiled.panel_size)
        model.add_row(dict.fromkeys(range(len(sizes)), 1.0), size, size)
    for row in compiled.quota_rows if quota_rows is None else quota_rows:
        add_quota_row(model, compiled, row)
    for groups in compiled.at_most_one:
        model.add_row(dict.fromkeys(groups, 1.0), -INF, 1.0)
    return model


def add_quota_row(model: LinearModel, compiled: Compiled, row: QuotaRow) -> None:
    bound = float(compiled.problem.quotas[row.quota_index].bound(row.side))
    lower, upper = (bound, INF) if row.side is Side.MINIMUM else (-INF, bound)
    model.add_row(dict.fromkeys(row.groups, 1.0), lower, upper)


# A panel as the solver sees it: how many of each group's people are on it.
Panel = tuple[int, ...]


def counts_of(values: Iterable[float]) -> Panel:
    """Whole counts from the solver's values (which may be a hair off a whole number)."""
    counts: list[int] = np.rint(np.fromiter(values, dtype=float)).astype(int).tolist()
    return tuple(counts)
