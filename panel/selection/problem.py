"""What a selection starts from: the pool, the panel size, quotas and exclusions.

Values are matched ignoring case and surrounding spaces, as organisers' spreadsheets differ.
People who are interchangeable (the same value for every feature a quota mentions, and in no
household or "never together" pair) form one group: in a LEXIMIN distribution they all have the
same chance, so the solver works with groups and counts instead of people, which keeps the
problem small. People in a household or pair are a group of their own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class SelectionInputError(ValueError):
    """The pool, quotas or panel size cannot be used as given; the message says why, in one line."""


def matching_form(value: str) -> str:
    """How a feature's value is compared: ignoring case and surrounding spaces."""
    return value.strip().casefold()


@dataclass(frozen=True)
class Person:
    id: str
    features: Mapping[str, str]

    def value(self, feature: str) -> str:
        return matching_form(self.features.get(feature, ""))


class Side(StrEnum):
    MINIMUM = "minimum"
    MAXIMUM = "maximum"


@dataclass(frozen=True)
class Quota:
    """At least ``minimum`` and at most ``maximum`` of the panel with ``feature`` equal to ``value``."""

    feature: str
    value: str
    minimum: int
    maximum: int

    @property
    def label(self) -> str:
        return f"{self.feature} {self.value}"

    def bound(self, side: Side) -> int:
        return self.minimum if side is Side.MINIMUM else self.maximum

    def describe(self, side: Side, bound: int | None = None) -> str:
        """'district Swale: at least 2', as written in the quotas."""
        limit = self.bound(side) if bound is None else bound
        words = "at least" if side is Side.MINIMUM else "at most"
        return f"'{self.label}: {words} {limit}'"

    def includes(self, person: Person) -> bool:
        return person.value(self.feature) == matching_form(self.value)


@dataclass(frozen=True)
class SelectionProblem:
    people: Sequence[Person]
    panel_size: int
    quotas: Sequence[Quota] = ()
    # Pairs of person ids who must never be chosen together.
    never_together: Sequence[tuple[str, str]] = ()
    # Person id -> household: at most one person from each household is chosen.
    households: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    """People the quotas cannot tell apart; ``members`` sorted, so that draws repeat exactly."""

    members: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class QuotaRow:
    quota_index: int
    side: Side
    groups: tuple[int, ...]  # the groups whose people count towards the quota


@dataclass(frozen=True)
class Compiled:
    """The problem in groups: the solver chooses how many of each group's people to take."""

    problem: SelectionProblem
    groups: tuple[Group, ...]
    quota_rows: tuple[QuotaRow, ...]
    at_most_one: tuple[tuple[int, ...], ...]  # sets of groups (each of one person): one at most

    @property
    def panel_size(self) -> int:
        return self.problem.panel_size


def check(problem: SelectionProblem) -> None:
    """Raise ``SelectionInputError`` for anything the selection cannot work with."""
    ids = [person.id for person in problem.people]
    seen: set[str] = set()
    for person_id in ids:
        if person_id in seen:
            raise SelectionInputError(f"the pool lists the id {person_id!r} more than once")
        seen.add(person_id)
    if problem.panel_size < 1:
        raise SelectionInputError("the panel needs at least one place")
    if problem.panel_size > len(ids):
        raise SelectionInputError(
            f"the panel has {problem.panel_size} places but the pool has only {len(ids)} people"
        )
    features = {feature for person in problem.people for feature in person.features}
    for quota in problem.quotas:
        if quota.feature not in features:
            raise SelectionInputError(f"no one in the pool has a value for {quota.feature!r}")
        if quota.minimum < 0 or quota.maximum < 0:
            raise SelectionInputError(f"the quota for {quota.label!r} has a negative number")
        if quota.minimum > quota.maximum:
            raise SelectionInputError(
                f"the quota for {quota.label!r} has a minimum ({quota.minimum}) "
                f"above its maximum ({quota.maximum})"
            )
    keys = [(quota.feature, matching_form(quota.value)) for quota in problem.quotas]
    if len(set(keys)) != len(keys):
        raise SelectionInputError("the quotas list the same feature and value more than once")
    for first, second in problem.never_together:
        for person_id in (first, second):
            if person_id not in seen:
                raise SelectionInputError(f"'never together' names {person_id!r}, not in the pool")
    for person_id in problem.households:
        if person_id not in seen:
            raise SelectionInputError(f"the households name {person_id!r}, not in the pool")


def compile_problem(problem: SelectionProblem) -> Compiled:
    """Group the pool (see the module's docstring) and write each quota over the groups."""
    check(problem)
    households: dict[str, list[str]] = {}
    for person_id, household in problem.households.items():
        households.setdefault(matching_form(household), []).append(person_id)
    shared = [sorted(members) for members in households.values() if len(members) > 1]
    constrained = {person_id for members in shared for person_id in members}
    constrained |= {person_id for pair in problem.never_together for person_id in pair}

    features = sorted({quota.feature for quota in problem.quotas})
    by_key: dict[tuple[str, ...], list[str]] = {}
    for person in problem.people:
        if person.id in constrained:
            key: tuple[str, ...] = ("\0person", person.id)
        else:
            key = tuple(person.value(feature) for feature in features)
        by_key.setdefault(key, []).append(person.id)
    groups = tuple(Group(tuple(sorted(members))) for _, members in sorted(by_key.items()))
    group_of = {
        person_id: index for index, group in enumerate(groups) for person_id in group.members
    }
    person_by_id = {person.id: person for person in problem.people}

    quota_rows = []
    for index, quota in enumerate(problem.quotas):
        counted = tuple(
            number
            for number, group in enumerate(groups)
            if quota.includes(person_by_id[group.members[0]])
        )
        quota_rows.append(QuotaRow(index, Side.MINIMUM, counted))
        quota_rows.append(QuotaRow(index, Side.MAXIMUM, counted))
    at_most_one = [tuple(group_of[person_id] for person_id in members) for members in shared]
    at_most_one += [
        (group_of[first], group_of[second])
        for first, second in problem.never_together
        if first != second
    ]
    return Compiled(problem, groups, tuple(quota_rows), tuple(sorted(set(at_most_one))))


def quotas_from_targets(
    feature: str, targets: Mapping[str, Decimal], panel_size: int
) -> list[Quota]:
    """Quotas to start from: each value's target share (a percentage, as the representativeness
    targets hold them) of the panel, rounded down for the minimum and up for the maximum. When
    the targets add up to 100 the minimums never add up to more than the panel and the maximums
    never to less, so the feature's quotas can hold together."""
    quotas = []
    for value, percent in targets.items():
        exact = Decimal(percent) * panel_size / 100
        quotas.append(Quota(feature, value, math.floor(exact), math.ceil(exact)))
    return quotas
