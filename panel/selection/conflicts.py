"""When no panel meets the quotas: which quotas conflict, why, in plain English with the pool's
counts behind them, and the smallest change to the quotas that makes a panel possible.

The conflicting set starts from HiGHS's irreducible infeasible subset of the linear relaxation
(``getIis``), when the relaxation is itself infeasible, and is then made irreducible for whole
numbers of people by dropping each quota bound in turn while the rest still conflict (a deletion
filter): the set names bounds that cannot all hold, and without any one of them the rest can.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import highspy

from panel.selection.problem import Compiled, Quota, QuotaRow, Side
from panel.selection.solver import INF, add_quota_row, counts_of, panel_model

MOST_FACTS = 8


@dataclass(frozen=True)
class QuotaBound:
    quota: Quota
    side: Side

    def describe(self) -> str:
        return self.quota.describe(self.side)


@dataclass(frozen=True)
class QuotaChange:
    bound: QuotaBound
    new_limit: int

    def describe(self) -> str:
        words = "at least" if self.bound.side is Side.MINIMUM else "at most"
        return f"change {self.bound.describe()} to {words} {self.new_limit}"


class QuotaInfeasible(Exception):
    """No panel meets the quotas. ``bounds`` conflict (empty when the pool cannot give a panel of
    this size even without quotas); ``facts`` say why; ``changes`` is the smallest change."""

    def __init__(
        self,
        panel_size: int,
        bounds: Sequence[QuotaBound],
        facts: Sequence[str],
        changes: Sequence[QuotaChange],
    ) -> None:
        self.panel_size = panel_size
        self.bounds = tuple(bounds)
        self.facts = tuple(facts)
        self.changes = tuple(changes)
        super().__init__(self.explanation())

    def explanation(self) -> str:
        lines: list[str] = []
        if self.bounds:
            if len(self.bounds) == 1:
                lines.append(f"This quota cannot be met in a panel of {self.panel_size}:")
            else:
                lines.append(f"These quotas cannot all be met in a panel of {self.panel_size}:")
            lines += [f"  - {bound.describe()}" for bound in self.bounds]
        lines += self.facts
        if self.changes:
            lines.append(
                "The smallest change that makes a panel possible: "
                + "; ".join(change.describe() for change in self.changes)
                + "."
            )
        return "\n".join(lines)


def explain_infeasible(compiled: Compiled) -> QuotaInfeasible:
    """Why no panel meets the quotas (call only when none does)."""
    problem = compiled.problem
    if not feasible(compiled, []):
        most = largest_panel(compiled)
        return QuotaInfeasible(
            problem.panel_size,
            [],
            [
                f"A panel of {problem.panel_size} cannot be chosen from this pool even without "
                f"quotas: with at most one person from each household and the people who must "
                f"not be chosen together kept apart, at most {most} people can be chosen."
            ],
            [],
        )
    rows = conflicting_rows(compiled)
    bounds = [QuotaBound(problem.quotas[row.quota_index], row.side) for row in rows]
    return QuotaInfeasible(
        problem.panel_size, bounds, facts_about(compiled, bounds), smallest_change(compiled)
    )


def feasible(compiled: Compiled, rows: Sequence[QuotaRow]) -> bool:
    model = panel_model(compiled, rows)
    model.highs.setOptionValue("presolve", "off")
    return model.solve()


def largest_panel(compiled: Compiled) -> int:
    model = panel_model(compiled, [], with_size=False)
    model.set_objective(dict.fromkeys(range(len(compiled.groups)), 1.0), maximise=True)
    model.solve()
    return sum(counts_of(model.values()))


def conflicting_rows(compiled: Compiled) -> list[QuotaRow]:
    """An irreducible set of quota bounds that cannot all hold (see the module's docstring)."""
    rows = [row for row in compiled.quota_rows if row_binds(compiled, row)]
    candidates = rows_in_relaxed_iis(compiled, rows) or rows
    kept = list(candidates)
    for row in candidates:
        trial = [other for other in kept if other != row]
        if not feasible(compiled, trial):
            kept = trial
    return kept


def row_binds(compiled: Compiled, row: QuotaRow) -> bool:
    """False for bounds that hold of every panel (a minimum of 0, a maximum of the panel size)."""
    quota = compiled.problem.quotas[row.quota_index]
    if row.side is Side.MINIMUM:
        return quota.minimum > 0
    return quota.maximum < compiled.panel_size


def rows_in_relaxed_iis(compiled: Compiled, rows: list[QuotaRow]) -> list[QuotaRow]:
    """The quota bounds in HiGHS's irreducible infeasible subset of the relaxation with fractions
    of people allowed, or [] when that relaxation has a solution (then only whole numbers conflict)."""
    model = panel_model(compiled, [], integer=False)
    first = model.highs.getNumRow()
    for row in rows:
        add_quota_row(model, compiled, row)
    model.highs.setOptionValue("iis_strategy", 2)  # from the linear program, row by row
    if model.solve():
        return []
    status, iis = model.highs.getIis()
    if status != highspy.HighsStatus.kOk or not iis.valid_:
        return []
    return [rows[index - first] for index in iis.row_index_ if index >= first]


def smallest_change(compiled: Compiled) -> list[QuotaChange]:
    """The change to the quotas' bounds, in fewest people in all, after which a panel exists."""
    problem = compiled.problem
    model = panel_model(compiled, [])
    rows = [row for row in compiled.quota_rows if row_binds(compiled, row)]
    slacks = model.add_columns([0.0] * len(rows), [INF] * len(rows), integer=True)
    for row, slack in zip(rows, slacks, strict=True):
        bound = float(problem.quotas[row.quota_index].bound(row.side))
        coefficients = dict.fromkeys(row.groups, 1.0)
        if row.side is Side.MINIMUM:
            coefficients[slack] = 1.0
            model.add_row(coefficients, bound, INF)
        else:
            coefficients[slack] = -1.0
            model.add_row(coefficients, -INF, bound)
    model.set_objective(dict.fromkeys(slacks, 1.0), maximise=False)
    if not model.solve():
        return []
    values = counts_of(model.values())
    changes = []
    for row, slack in zip(rows, slacks, strict=True):
        if values[slack]:
            quota = problem.quotas[row.quota_index]
            change = -values[slack] if row.side is Side.MINIMUM else values[slack]
            changes.append(QuotaChange(QuotaBound(quota, row.side), quota.bound(row.side) + change))
    return changes


def facts_about(compiled: Compiled, bounds: Sequence[QuotaBound]) -> list[str]:
    """What in the pool makes the bounds conflict: how many people each quota counts, how the
    quotas' groups overlap, and what each feature's minimums or maximums add up to."""
    people = compiled.problem.people
    size = compiled.panel_size
    quotas = list(dict.fromkeys(bound.quota for bound in bounds))
    members = {
        quota: {person.id for person in people if quota.includes(person)} for quota in quotas
    }
    facts: list[str] = []
    for quota in quotas:
        facts.append(
            f"{count_words(len(members[quota]))} in the pool {have(len(members[quota]))} {quota.label}."
        )
    for first, second in combinations(quotas, 2):
        if first.feature == second.feature:
            continue
        both = len(members[first] & members[second])
        smaller, larger = sorted((first, second), key=lambda quota: len(members[quota]))
        count = len(members[smaller])
        if count == 0:
            continue
        if both == count:
            facts.append(f"All {count} with {smaller.label} also have {larger.label}.")
        elif both == 0:
            facts.append(f"No one with {smaller.label} has {larger.label}.")
        else:
            facts.append(f"{both} of the {count} with {smaller.label} also have {larger.label}.")
    by_feature: dict[tuple[str, Side], list[QuotaBound]] = {}
    for bound in bounds:
        by_feature.setdefault((bound.quota.feature, bound.side), []).append(bound)
    for (feature, side), same in by_feature.items():
        if len(same) < 2:
            continue
        total = sum(bound.quota.bound(side) for bound in same)
        if side is Side.MINIMUM:
            facts.append(
                f"These minimums for {feature} add up to {total}; the panel has {size} places."
            )
        else:
            facts.append(
                f"These maximums for {feature} add up to {total}; the panel has {size} places."
            )
    for bound in bounds:
        others = len(people) - len(members[bound.quota])
        if bound.side is Side.MAXIMUM and bound.quota.maximum + others < size:
            facts.append(
                f"{count_words(others)} in the pool {have(others)} some other {bound.quota.feature} "
                f"than {bound.quota.value}."
            )
    return facts[:MOST_FACTS]


def count_words(count: int) -> str:
    if count == 0:
        return "No one"
    return "1 person" if count == 1 else f"{count} people"


def have(count: int) -> str:
    return "has" if count <= 1 else "have"  # "No one has", "1 person has", "4 people have"
