"""Small random selection problems for property tests: a few people, two features, quotas,
households and pairs that must not be chosen together."""

from __future__ import annotations

from itertools import combinations

from hypothesis import strategies as st

from panel.selection.problem import Person, Quota, SelectionProblem

FEATURES = ("district", "crime type")
VALUES = ("a", "b", "c")


@st.composite
def problems(draw, most_people: int = 7, exclusions: bool = True) -> SelectionProblem:
    count = draw(st.integers(min_value=2, max_value=most_people))
    people = [
        Person(
            f"p{number}",
            {feature: draw(st.sampled_from(VALUES)) for feature in FEATURES},
        )
        for number in range(count)
    ]
    size = draw(st.integers(min_value=1, max_value=count - 1))
    quotas = []
    for feature in FEATURES:
        for value in VALUES:
            if draw(st.booleans()):
                low = draw(st.integers(min_value=0, max_value=size))
                high = draw(st.integers(min_value=low, max_value=size))
                quotas.append(Quota(feature, value, low, high))
    households: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    if exclusions:
        for person in people:
            if draw(st.integers(min_value=0, max_value=3)) == 0:
                households[person.id] = draw(st.sampled_from(["h1", "h2"]))
        every_pair = list(combinations([person.id for person in people], 2))
        if draw(st.booleans()):
            pairs.append(draw(st.sampled_from(every_pair)))
    return SelectionProblem(people, size, quotas, tuple(pairs), households)


def meets_everything(problem: SelectionProblem, chosen: set[str]) -> bool:
    """The plain definition, person by person: size, quotas, households, pairs."""
    by_id = {person.id: person for person in problem.people}
    if len(chosen) != problem.panel_size:
        return False
    for quota in problem.quotas:
        count = sum(1 for person_id in chosen if quota.includes(by_id[person_id]))
        if not quota.minimum <= count <= quota.maximum:
            return False
    households = [
        problem.households[person_id].casefold()
        for person_id in chosen
        if person_id in problem.households
    ]
    if len(households) != len(set(households)):
        return False
    return not any(first in chosen and second in chosen for first, second in problem.never_together)


def all_panels(problem: SelectionProblem) -> list[frozenset[str]]:
    ids = [person.id for person in problem.people]
    return [
        frozenset(panel)
        for panel in combinations(ids, problem.panel_size)
        if meets_everything(problem, set(panel))
    ]
