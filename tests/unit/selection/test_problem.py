"""What a selection will not start from, each with a message that says why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from panel.selection.problem import (
    Person,
    Quota,
    SelectionInputError,
    SelectionProblem,
    compile_problem,
    quotas_from_targets,
)

PEOPLE = [
    Person(f"p{number}", {"district": "Swale" if number % 2 else "Dover"}) for number in range(6)
]


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (SelectionProblem([*PEOPLE, PEOPLE[0]], 2), "the pool lists the id 'p0' more than once"),
        (SelectionProblem(PEOPLE, 0), "the panel needs at least one place"),
        (SelectionProblem(PEOPLE, 7), "the panel has 7 places but the pool has only 6 people"),
        (
            SelectionProblem(PEOPLE, 2, [Quota("age", "18-24", 0, 1)]),
            "no one in the pool has a value for 'age'",
        ),
        (SelectionProblem(PEOPLE, 2, [Quota("district", "Swale", -1, 1)]), "has a negative number"),
        (
            SelectionProblem(PEOPLE, 2, [Quota("district", "Swale", 2, 1)]),
            "a minimum (2) above its maximum (1)",
        ),
        (
            SelectionProblem(
                PEOPLE, 2, [Quota("district", "Swale", 0, 1), Quota("district", " swale", 1, 2)]
            ),
            "the same feature and value more than once",
        ),
        (SelectionProblem(PEOPLE, 2, never_together=[("p0", "x9")]), "'never together' names 'x9'"),
        (SelectionProblem(PEOPLE, 2, households={"x9": "flat 1"}), "the households name 'x9'"),
    ],
)
def test_a_problem_it_cannot_use_is_refused_with_the_reason(problem, message):
    with pytest.raises(SelectionInputError) as refused:
        compile_problem(problem)
    assert message in str(refused.value)


def test_people_the_quotas_cannot_tell_apart_share_a_group_unless_a_household_or_pair_holds_them():
    problem = SelectionProblem(
        PEOPLE,
        2,
        [Quota("district", "swale", 0, 1)],
        never_together=[("p0", "p2")],
        households={"p1": "Flat 1", "p3": "flat 1 ", "p5": "house"},
    )
    # p0, p2 (a pair) and p1, p3 (a household) stand alone; p4 and p5 are the only others left
    # in Dover and Swale; a household of one (p5's) holds no one back.
    groups = sorted(group.members for group in compile_problem(problem).groups)
    assert groups == [("p0",), ("p1",), ("p2",), ("p3",), ("p4",), ("p5",)]
    plain = compile_problem(SelectionProblem(PEOPLE, 2, [Quota("district", "swale", 0, 1)]))
    assert sorted(group.members for group in plain.groups) == [
        ("p0", "p2", "p4"),
        ("p1", "p3", "p5"),
    ]


def test_quotas_from_targets_round_each_share_of_the_panel_down_and_up():
    targets = {"Swale": Decimal("25"), "Dover": Decimal("40.5"), "Ashford": Decimal("34.5")}
    quotas = quotas_from_targets("district", targets, 12)
    assert [(quota.value, quota.minimum, quota.maximum) for quota in quotas] == [
        ("Swale", 3, 3),
        ("Dover", 4, 5),
        ("Ashford", 4, 5),
    ]


@given(
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8).filter(any),
    st.integers(min_value=1, max_value=60),
)
def test_quotas_from_targets_that_add_up_to_100_can_always_hold_together(weights, size):
    total = sum(weights)
    targets = {f"v{index}": Decimal(weight) * 100 / total for index, weight in enumerate(weights)}
    # The last share takes what rounding left, so that the targets add up to exactly 100.
    targets["v0"] += 100 - sum(targets.values())
    quotas = quotas_from_targets("feature", targets, size)
    assert sum(quota.minimum for quota in quotas) <= size <= sum(quota.maximum for quota in quotas)
    assert all(0 <= quota.minimum <= quota.maximum <= quota.minimum + 1 for quota in quotas)
