"""The swap search that finds better panels for the LEXIMIN: from any panel that meets every
quota and exclusion, it ends at one that still does, and never of less weight."""

from __future__ import annotations

from itertools import combinations, product

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel.selection.problem import compile_problem
from panel.selection.swaps import SwapSearch
from tests.unit.selection.strategies import all_panels, meets_everything, problems


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.data())
def test_swaps_keep_every_quota_and_exclusion_and_never_lose_weight(problem, data):
    panels = all_panels(problem)
    if not panels:
        return
    compiled = compile_problem(problem)
    group_of = {
        person_id: number
        for number, group in enumerate(compiled.groups)
        for person_id in group.members
    }
    start = data.draw(st.sampled_from(panels))
    counts = np.zeros(len(compiled.groups), dtype=int)
    for person_id in start:
        counts[group_of[person_id]] += 1
    weights = np.array(
        data.draw(
            st.lists(
                st.floats(min_value=0, max_value=1),
                min_size=len(compiled.groups),
                max_size=len(compiled.groups),
            )
        )
    )
    better = SwapSearch(compiled).improve(counts, weights)
    assert float(better @ weights) >= float(counts @ weights) - 1e-12
    choices = [
        list(combinations(group.members, int(count)))
        for group, count in zip(compiled.groups, better, strict=True)
    ]
    for picked in product(*choices):
        assert meets_everything(problem, set().union(*picked))
