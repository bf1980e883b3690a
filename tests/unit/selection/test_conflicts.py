"""When no panel meets the quotas: the conflicting quotas, why, and the smallest change."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from panel.selection.conflicts import QuotaInfeasible
from panel.selection.draw import select
from panel.selection.problem import Person, Quota, SelectionProblem, Side
from tests.unit.selection.strategies import all_panels, problems


def swale_pool() -> list[Person]:
    """4 people from Swale, all burgled; 8 from Dover, 2 of them burgled."""
    people = [
        Person(f"s{number}", {"district": "Swale", "crime type": "burglary"}) for number in range(4)
    ]
    people += [
        Person(
            f"d{number}", {"district": "Dover", "crime type": "burglary" if number < 2 else "fraud"}
        )
        for number in range(8)
    ]
    return people


def only(problem: SelectionProblem, bounds) -> SelectionProblem:
    """The problem with just these bounds (a minimum or a maximum of a quota, or both)."""
    merged: dict[tuple[str, str], Quota] = {}
    for bound in bounds:
        key = (bound.quota.feature, bound.quota.value)
        low, high = (
            (merged[key].minimum, merged[key].maximum) if key in merged else (0, problem.panel_size)
        )
        if bound.side is Side.MINIMUM:
            low = bound.quota.minimum
        else:
            high = bound.quota.maximum
        merged[key] = Quota(bound.quota.feature, bound.quota.value, low, high)
    return SelectionProblem(problem.people, problem.panel_size, list(merged.values()))


def conflict_of(problem: SelectionProblem) -> QuotaInfeasible:
    with pytest.raises(QuotaInfeasible) as raised:
        select(problem, seed=1)
    return raised.value


def test_two_quotas_that_cannot_both_hold_are_named_with_the_counts_behind_them():
    problem = SelectionProblem(
        swale_pool(),
        4,
        [
            Quota("district", "Swale", 2, 4),
            Quota("crime type", "burglary", 0, 1),
            Quota("district", "Dover", 0, 4),
        ],
    )
    conflict = conflict_of(problem)
    assert [bound.describe() for bound in conflict.bounds] == [
        "'district Swale: at least 2'",
        "'crime type burglary: at most 1'",
    ]
    assert "All 4 with district Swale also have crime type burglary." in conflict.facts
    assert [change.describe() for change in conflict.changes] == [
        "change 'crime type burglary: at most 1' to at most 2"
    ]
    assert (
        conflict.explanation().splitlines()[0] == "These quotas cannot all be met in a panel of 4:"
    )


def test_a_minimum_larger_than_its_group_is_named_on_its_own():
    conflict = conflict_of(SelectionProblem(swale_pool(), 6, [Quota("district", "Swale", 5, 6)]))
    assert [(bound.quota.value, bound.side) for bound in conflict.bounds] == [
        ("Swale", Side.MINIMUM)
    ]
    assert "4 people in the pool have district Swale." in conflict.facts
    assert [change.new_limit for change in conflict.changes] == [4]


def test_minimums_that_add_up_to_more_than_the_panel_say_so():
    problem = SelectionProblem(
        swale_pool(), 5, [Quota("district", "Swale", 3, 5), Quota("district", "Dover", 3, 5)]
    )
    conflict = conflict_of(problem)
    assert "These minimums for district add up to 6; the panel has 5 places." in conflict.facts
    assert (
        sum(abs(change.new_limit - change.bound.quota.minimum) for change in conflict.changes) == 1
    )


def test_households_that_leave_too_few_people_are_explained_without_quotas():
    people = [Person(f"p{number}", {"district": "Swale"}) for number in range(4)]
    households = {"p0": "flat 1", "p1": "Flat 1 ", "p2": "flat 1", "p3": "house"}
    conflict = conflict_of(SelectionProblem(people, 3, [], households=households))
    assert conflict.bounds == ()
    assert "at most 2 people can be chosen" in conflict.facts[0]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(problems(exclusions=False))
def test_a_named_conflict_is_infeasible_on_its_own_and_each_quota_alone_is_not(problem):
    if all_panels(problem):
        return
    try:
        select(problem, seed=1)
    except QuotaInfeasible as conflict:
        named = conflict
    else:
        pytest.fail("a problem with no panel was solved")

    assert named.bounds, "a conflict with no quotas needs households or pairs, and there are none"
    assert all_panels(only(problem, named.bounds)) == []
    for left_out in range(len(named.bounds)):
        rest = named.bounds[:left_out] + named.bounds[left_out + 1 :]
        assert all_panels(only(problem, rest)) != []
    if len(named.bounds) > 1:
        for bound in named.bounds:
            assert all_panels(only(problem, [bound])) != []
    changed = {
        (change.bound.quota, change.bound.side): change.new_limit for change in named.changes
    }
    relaxed = [
        Quota(
            quota.feature,
            quota.value,
            changed.get((quota, Side.MINIMUM), quota.minimum),
            changed.get((quota, Side.MAXIMUM), quota.maximum),
        )
        for quota in problem.quotas
    ]
    assert all_panels(SelectionProblem(problem.people, problem.panel_size, relaxed)) != []


def test_a_conflict_only_whole_numbers_of_people_have_is_found_and_made_irreducible():
    # Halves of people would meet the three "x" quotas (each pair of them shares a person);
    # whole people cannot. The relaxation has no conflict to report, so the search is exact.
    people = [
        Person("t1", {"f1": "x", "f2": "o", "f3": "x", "f4": "n"}),
        Person("t2", {"f1": "x", "f2": "x", "f3": "o", "f4": "n"}),
        Person("t3", {"f1": "o", "f2": "x", "f3": "x", "f4": "n"}),
        Person("t4", {"f1": "o", "f2": "o", "f3": "o", "f4": "n"}),
        Person("t5", {"f1": "o", "f2": "o", "f3": "o", "f4": "y"}),
    ]
    quotas = [Quota(feature, "x", 1, 1) for feature in ("f1", "f2", "f3")]
    quotas.append(Quota("f4", "y", 0, 1))  # binds on paper, but only one person has f4 y
    problem = SelectionProblem(people, 2, quotas)
    assert all_panels(problem) == []
    conflict = conflict_of(problem)
    assert "f4" not in {bound.quota.feature for bound in conflict.bounds}
    assert all_panels(only(problem, conflict.bounds)) == []
    for left_out in conflict.bounds:
        rest = [bound for bound in conflict.bounds if bound != left_out]
        assert all_panels(only(problem, rest)) != []


def test_a_minimum_for_a_value_no_one_has_says_no_one_has_it():
    conflict = conflict_of(SelectionProblem(swale_pool(), 3, [Quota("district", "Thanet", 1, 3)]))
    assert "No one in the pool has district Thanet." in conflict.facts
    assert [change.new_limit for change in conflict.changes] == [0]
