"""A stored selection can be run again: what was stored is checked against a fresh LEXIMIN and a
fresh draw with the seed, and anything that does not match is said plainly."""

from __future__ import annotations

import json
from dataclasses import replace

from panel.members.reference import load_reference_data
from panel.selection.draw import select
from panel.selection.problem import Quota
from panel.selections.rules import (
    NOT_STATED,
    StoredSelection,
    apply_swaps,
    differences,
    distribution_to_json,
    labelled,
    problem_of,
    quotas_from_json,
    quotas_to_json,
    swap_problem,
    value_labels,
)

ENTRIES = [
    (
        str(number),
        {
            "District": ["Maidstone", "Swale", "Thanet"][number % 3],
            "Sex": "Female" if number % 2 else "Male",
        },
    )
    for number in range(1, 19)
]
QUOTAS = [Quota("District", "Swale", 2, 3), Quota("Sex", "Female", 1, 2)]


def stored(seed: int = 7, reserves: int = 2) -> StoredSelection:
    chosen = select(problem_of(ENTRIES, 5, QUOTAS), seed, reserves)
    return StoredSelection(
        entries=ENTRIES,
        probabilities=chosen.probabilities,
        panel=chosen.panel,
        reserves=chosen.reserves,
        panel_size=5,
        quotas=QUOTAS,
        seed=seed,
        distribution=distribution_to_json(chosen.distribution),
    )


def test_a_selection_run_again_matches_what_was_stored():
    assert differences(stored()) == []


def test_another_seed_draws_another_panel_or_other_reserves():
    original = stored(seed=7)
    found = differences(replace(original, seed=8))
    assert found and all("seed draws" in line for line in found)


def test_chances_that_are_not_leximin_are_caught():
    original = stored()
    tilted = dict(original.probabilities)
    first, second = sorted(tilted)[:2]
    tilted[first] += 0.05
    tilted[second] -= 0.05
    assert differences(replace(original, probabilities=tilted)) == [
        "The stored chances are not those of the stored distribution.",
        "LEXIMIN worked out again gives other chances than the stored ones.",
    ]


def test_a_distribution_whose_panels_break_a_quota_is_caught():
    original = stored()
    distribution = json.loads(original.distribution)
    groups = distribution["groups"]
    swale = [index for index, members in enumerate(groups) if int(members[0]) % 3 == 1]
    for panel in distribution["panels"]:
        for index in range(len(panel)):
            panel[index] = 0
        panel[swale[0]] = min(5, len(groups[swale[0]]))
    broken = replace(original, distribution=json.dumps(distribution))
    assert any(
        "breaks the quota" in line or "not of the panel's size" in line
        for line in differences(broken)
    )


def test_weights_that_do_not_add_up_to_one_are_caught():
    original = stored()
    distribution = json.loads(original.distribution)
    distribution["weights"] = [weight / 2 for weight in distribution["weights"]]
    found = differences(replace(original, distribution=json.dumps(distribution)))
    assert "The stored panels' chances do not add up to one." in found


def test_a_selection_with_an_erased_member_says_it_cannot_be_run_again():
    original = stored()
    entries = [(key, None if key == "3" else features) for key, features in original.entries]
    assert differences(replace(original, entries=entries)) == [
        "It cannot be run again: 1 member's answers were erased since it was made."
    ]


def test_answers_are_labelled_as_people_read_them_and_unknown_ones_are_not_stated():
    labels = value_labels(load_reference_data())
    assert labelled(
        {
            "district": "swale",
            "age_band": "",
            "sex": "prefer_not",
            "involvement": "both",
            "ethnicity": "gone",
        },
        labels,
    ) == {
        "District": "Swale",
        "Age": NOT_STATED,
        "Sex": NOT_STATED,
        "How they were involved": "Both",
        "Ethnic group": NOT_STATED,
    }


def test_quotas_go_round_json_unchanged():
    assert quotas_from_json(quotas_to_json(QUOTAS)) == QUOTAS


def test_swaps_put_a_reserve_in_the_place_of_a_chosen_member_in_the_order_made():
    panel, reserves, taken_off = apply_swaps([1, 2, 3], [7, 8], [(2, 8), (3, 7), (9, 7)])
    assert (panel, reserves, taken_off) == ([1, 8, 7], [], [2, 3])
    assert swap_problem([1, 2], [7], 5, 7) == "They are not on the panel now."
    assert swap_problem([1, 2], [7], 1, 2) == "Choose a reserve to take their place."
