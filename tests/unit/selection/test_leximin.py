"""The LEXIMIN distribution: every panel it can draw meets the quotas, the chances are right,
and they match LEXIMIN worked out the slow way, over every panel, person by person."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel.selection.conflicts import QuotaInfeasible
from panel.selection.draw import draw, select
from panel.selection.leximin import NoPanelPossible, leximin
from panel.selection.problem import Person, Quota, SelectionProblem, compile_problem
from panel.selection.solver import INF, LinearModel
from tests.unit.selection.strategies import all_panels, meets_everything, problems

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def members_of(distribution, counts) -> list[set[str]]:
    """Every set of people a panel of group counts can become, as the draw would pick them."""
    from itertools import combinations, product

    choices = [
        list(combinations(group.members, count))
        for group, count in zip(distribution.compiled.groups, counts, strict=True)
    ]
    return [set().union(*picked) for picked in product(*choices)]


def slow_leximin(problem: SelectionProblem) -> list[float]:
    """LEXIMIN over every panel, person by person, without groups or column generation: raise
    the lowest open chance, then fix each person who cannot go higher without someone else
    going lower, and repeat."""
    panels = all_panels(problem)
    ids = [person.id for person in problem.people]
    fixed: dict[str, float] = {}

    def model(target: str | None, level: float | None) -> LinearModel:
        lp = LinearModel()
        columns = lp.add_columns(
            [0.0] * (len(panels) + 1), [INF] * (len(panels) + 1), integer=False
        )
        z = columns[-1]
        lp.add_row(dict.fromkeys(range(len(panels)), 1.0), 1.0, 1.0)
        for person_id in ids:
            row = {index: 1.0 for index, panel in enumerate(panels) if person_id in panel}
            if person_id in fixed:
                lp.add_row(row, fixed[person_id] - 1e-9, INF)
            else:
                row[z] = -1.0
                lp.add_row(row, 0.0, INF)
        if level is not None:
            lp.add_row({z: 1.0}, level - 1e-9, INF)
        if target is None:
            lp.set_objective({z: 1.0}, maximise=True)
        else:
            lp.set_objective(
                {index: 1.0 for index, panel in enumerate(panels) if target in panel}, maximise=True
            )
        assert lp.solve()
        return lp

    while len(fixed) < len(ids):
        level = model(None, None).objective()
        for person_id in [person_id for person_id in ids if person_id not in fixed]:
            if model(person_id, level).objective() <= level + 1e-7:
                fixed[person_id] = level
    return sorted(fixed.values())


@PROPERTY
@given(problems())
def test_every_panel_that_can_be_drawn_meets_every_quota_and_exclusion(problem):
    compiled = compile_problem(problem)
    try:
        distribution = leximin(compiled)
    except NoPanelPossible:
        assert all_panels(problem) == []
        return
    for counts, weight in zip(distribution.panels, distribution.weights, strict=True):
        assert weight > 0
        for chosen in members_of(distribution, counts):
            assert meets_everything(problem, chosen)


@PROPERTY
@given(problems())
def test_the_chances_sum_to_the_panel_size_and_match_leximin_over_every_panel(problem):
    if not all_panels(problem):
        with pytest.raises(NoPanelPossible):
            leximin(compile_problem(problem))
        return
    chances = leximin(compile_problem(problem)).probabilities()
    assert sum(chances.values()) == pytest.approx(problem.panel_size, abs=1e-6)
    assert sorted(chances.values()) == pytest.approx(slow_leximin(problem), abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=2, max_value=40), st.data())
def test_with_no_quotas_everyone_has_the_panel_size_over_the_pool_size(count, data):
    size = data.draw(st.integers(min_value=1, max_value=count))
    people = [
        Person(f"p{number}", {"district": "a" if number % 3 else "b"}) for number in range(count)
    ]
    chances = leximin(compile_problem(SelectionProblem(people, size))).probabilities()
    assert all(chance == pytest.approx(size / count, abs=1e-7) for chance in chances.values())


@PROPERTY
@given(problems(), st.integers(min_value=0, max_value=2**31))
def test_the_same_seed_gives_the_same_panel_and_reserves(problem, seed):
    try:
        first = select(problem, seed, reserves=2)
    except QuotaInfeasible:
        return
    again = select(problem, seed, reserves=2)
    assert (again.panel, again.reserves) == (first.panel, first.reserves)
    assert meets_everything(problem, set(first.panel))
    assert not set(first.reserves) & set(first.panel)


def test_the_draw_follows_the_chances():
    people = [
        Person(f"p{number}", {"district": "Swale" if number < 4 else "Dover"})
        for number in range(12)
    ]
    problem = SelectionProblem(people, 4, [Quota("district", "Swale", 2, 2)])
    distribution = leximin(compile_problem(problem))
    chances = distribution.probabilities()
    counts = dict.fromkeys((person.id for person in people), 0)
    draws = 3000
    for seed in range(draws):
        for person_id in draw(distribution, chances, seed, reserves=0)[0]:
            counts[person_id] += 1
    # Swale: 2 places for 4 people (0.5 each); Dover: 2 places for 8 (0.25 each).
    for person in people:
        expected = 0.5 if person.features["district"] == "Swale" else 0.25
        assert counts[person.id] / draws == pytest.approx(expected, abs=0.04)


def test_leximin_raises_the_second_lowest_chance_once_the_lowest_is_fixed():
    # Two of the three from Swale must be on a panel of 3 drawn from 3 in Swale and 3 in Dover:
    # the Dover people can have at most 1/3 each; LEXIMIN then gives Swale the rest, 2/3 each.
    people = [Person(f"s{number}", {"district": "Swale"}) for number in range(3)]
    people += [Person(f"d{number}", {"district": "Dover"}) for number in range(3)]
    problem = SelectionProblem(people, 3, [Quota("district", "Swale", 2, 3)])
    chances = select(problem, 1).probabilities
    assert [round(chances[f"d{number}"], 6) for number in range(3)] == [round(1 / 3, 6)] * 3
    assert [round(chances[f"s{number}"], 6) for number in range(3)] == [round(2 / 3, 6)] * 3


def test_people_no_panel_can_hold_have_no_chance_and_are_never_reserves():
    people = [Person("only", {"district": "Swale"})]
    people += [Person(f"d{number}", {"district": "Dover"}) for number in range(4)]
    problem = SelectionProblem(people, 2, [Quota("district", "Swale", 0, 0)])
    selection = select(problem, 5, reserves=4)
    assert selection.probabilities["only"] == 0
    assert "only" not in selection.reserves and len(selection.reserves) == 2


def test_a_stage_that_stalls_is_solved_again_from_scratch_with_the_same_chances(monkeypatch):
    # Every warm solve stops after its first pivot, as a stalled one would after many: the
    # chances must still be LEXIMIN's.
    people = [
        Person(f"s{number}", {"district": "Swale", "age": str(number % 3)}) for number in range(5)
    ]
    people += [
        Person(f"d{number}", {"district": "Dover", "age": str(number % 2)}) for number in range(7)
    ]
    problem = SelectionProblem(
        people, 4, [Quota("district", "Swale", 2, 3), Quota("age", "0", 1, 2)]
    )
    expected = sorted(leximin(compile_problem(problem)).probabilities().values())
    monkeypatch.setattr("panel.selection.leximin.STALL_PIVOTS_PER_ROW", 0)
    stalled = sorted(leximin(compile_problem(problem)).probabilities().values())
    assert stalled == pytest.approx(expected, abs=1e-7)
    assert stalled == pytest.approx(slow_leximin(problem), abs=1e-6)
