"""Comparing the panel with targets, and hiding small numbers from the board."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from panel.disclosure import Suppression, suppress_small_counts
from panel.members.reference import Choice
from panel.representation.rules import (
    DIMENSIONS_BY_CODE,
    DimensionReport,
    Row,
    chart_scale,
    compare_with_targets,
    members_needed,
    percent,
)

DISTRICT = DIMENSIONS_BY_CODE["district"]
CHOICES = (Choice("north", "North"), Choice("east", "East"), Choice("west", "West"))
TARGETS = {"north": Decimal(50), "east": Decimal(30), "west": Decimal(20)}


def test_members_needed_is_the_fewest_joiners_that_reach_the_target():
    # 5 of 100 against 10%: 10 of 105 is 9.5%, 11 of 106 is 10.4%.
    assert members_needed(5, 100, Decimal(10)) == 6
    assert members_needed(10, 100, Decimal(10)) == 0
    assert members_needed(40, 100, Decimal("12.5")) == 0
    assert members_needed(0, 0, Decimal(10)) == 1
    assert members_needed(0, 50, Decimal(0)) == 0
    # 100% cannot be reached while anyone else is counted.
    assert members_needed(3, 10, Decimal(100)) is None
    assert members_needed(10, 10, Decimal(100)) == 0


def test_an_empty_panel_needs_one_member_for_a_target_and_none_for_a_target_of_nought():
    assert members_needed(0, 0, Decimal(100)) == 1
    assert members_needed(0, 0, Decimal(0)) == 0


def test_the_only_member_of_a_panel_of_one_meets_their_groups_target():
    assert members_needed(1, 1, Decimal(50)) == 0


@given(
    total=st.integers(min_value=0, max_value=5000),
    share=st.integers(min_value=0, max_value=5000),
    target=st.decimals(min_value=0, max_value="99.999", places=3),
)
def test_members_needed_reaches_the_target_and_one_fewer_does_not(total, share, target):
    count = min(share, total)
    needed = members_needed(count, total, target)
    assert needed is not None

    def reaches(n: int) -> bool:
        return total + n > 0 and Fraction(count + n, total + n) >= Fraction(target) / 100

    assert needed == 0 or reaches(needed)
    assert needed == 0 or not reaches(needed - 1)
    if needed == 0 and target > 0:
        assert reaches(0)


def test_a_small_count_is_hidden_with_the_next_smallest_so_the_total_does_not_give_it_away():
    hidden = suppress_small_counts({"north": 50, "east": 3, "west": 20}, 10)
    assert hidden.hidden == {"east", "west"} and not hidden.total_hidden


def test_two_small_counts_hide_each_other():
    hidden = suppress_small_counts({"north": 50, "east": 3, "west": 4}, 10)
    assert hidden.hidden == {"east", "west"}


def test_the_second_count_hidden_is_never_a_zero():
    hidden = suppress_small_counts({"north": 50, "east": 3, "west": 0, "south": 12}, 10)
    assert hidden.hidden == {"east", "south"}


def test_zeros_and_large_counts_are_shown():
    hidden = suppress_small_counts({"north": 50, "east": 0, "west": 10}, 10)
    assert hidden.hidden == frozenset() and not hidden.total_hidden


def test_a_count_equal_to_the_threshold_is_shown_and_one_below_is_hidden():
    at_threshold = {"north": 10, "east": 0, "west": 25}
    assert suppress_small_counts(at_threshold, 10) == Suppression(frozenset(), total_hidden=False)
    below = {"north": 9, "east": 0, "west": 25}
    assert suppress_small_counts(below, 10) == Suppression(
        frozenset({"north", "west"}), total_hidden=False
    )


def test_a_total_equal_to_the_threshold_is_published_and_one_below_is_not():
    assert suppress_small_counts({"north": 10, "east": 0}, 10) == Suppression(
        frozenset(), total_hidden=False
    )
    assert suppress_small_counts({"north": 9, "east": 0}, 10) == Suppression(
        frozenset({"north", "east"}), total_hidden=True
    )


def test_a_dimension_nobody_is_counted_in_shows_its_zeros_and_its_total():
    assert suppress_small_counts({"north": 0, "east": 0}, 10) == Suppression(
        frozenset(), total_hidden=False
    )


def test_a_small_total_hides_everything():
    hidden = suppress_small_counts({"north": 5, "east": 0, "west": 2}, 10)
    assert hidden.hidden == {"north", "east", "west"} and hidden.total_hidden


def published(counts: dict[str, int], threshold: int) -> tuple:
    """What a reader sees: every count shown (or None where hidden) and the total (or None)."""
    suppression = suppress_small_counts(counts, threshold)
    cells = tuple(None if code in suppression.hidden else count for code, count in counts.items())
    return cells, None if suppression.total_hidden else sum(counts.values())


counts_strategy = st.dictionaries(
    st.sampled_from([f"group_{n}" for n in range(12)]),
    st.one_of(st.integers(0, 12), st.integers(0, 400)),
    min_size=1,
    max_size=12,
)


@given(counts=counts_strategy, threshold=st.integers(2, 20))
def test_no_hidden_count_can_be_worked_out_from_the_counts_shown_and_the_total(counts, threshold):
    cells, total = published(counts, threshold)
    shown = [cell for cell in cells if cell is not None]
    # Nothing published is a small number.
    assert all(cell == 0 or cell >= threshold for cell in shown)
    assert total is None or total == 0 or total >= threshold
    hidden = len(cells) - len(shown)
    if hidden and total is not None:
        # The hidden counts add up to what the total leaves, and each is at least 1 (zeros are
        # shown): with two or more adding up to more than their number, none is determined.
        left = total - sum(shown)
        assert hidden >= 2 and left > hidden


def test_hidden_ones_that_add_up_to_their_number_are_protected_by_a_further_count():
    # Two hidden counts adding up to 2 would each be 1: a third count is hidden with them.
    hidden = suppress_small_counts({"north": 1, "east": 1, "west": 12, "south": 40}, 10)
    assert hidden.hidden == {"north", "east", "west"}


def test_when_every_count_is_a_hidden_one_the_total_is_hidden_too():
    hidden = suppress_small_counts({f"group_{n}": 1 for n in range(12)}, 10)
    assert hidden.total_hidden and len(hidden.hidden) == 12


def test_compare_with_targets_gives_share_gap_and_members_needed():
    report = compare_with_targets(
        DISTRICT, CHOICES, {"north": 30, "east": 10, "west": 0}, 4, TARGETS
    )
    rows = {row.code: row for row in report.rows}
    assert report.total == 40 and report.not_stated == 4
    assert (rows["north"].share, rows["north"].gap, rows["north"].needed) == (
        Decimal("75.0"),
        Decimal("25.0"),
        0,
    )
    # 10 of 40 against 30%: 13 of 43 is 30.2%.
    assert (rows["east"].share, rows["east"].gap, rows["east"].needed) == (
        Decimal("25.0"),
        Decimal("-5.0"),
        3,
    )
    # None of 40 against 20%: 10 of 50.
    assert (rows["west"].share, rows["west"].needed) == (Decimal("0.0"), 10)
    assert report.scale == 80


def test_the_board_view_hides_small_counts_and_what_is_worked_out_from_them():
    report = compare_with_targets(
        DISTRICT, CHOICES, {"north": 30, "east": 3, "west": 12}, 4, TARGETS, threshold=10
    )
    rows = {row.code: row for row in report.rows}
    assert report.total == 45 and report.not_stated is None
    assert rows["north"].count == 30 and rows["north"].share == Decimal("66.7")
    for code in ("east", "west"):
        row = rows[code]
        assert row.hidden
        assert (row.count, row.share, row.gap, row.needed) == (None, None, None, None)
        assert row.target == TARGETS[code]  # a target is not about anyone


def test_the_board_sees_no_total_when_it_would_give_a_small_count_away():
    report = compare_with_targets(
        DISTRICT, CHOICES, {"north": 5, "east": 0, "west": 2}, 0, TARGETS, threshold=10
    )
    assert report.total is None and report.any_hidden
    assert [row.count for row in report.rows] == [None, None, None]


def test_staff_see_every_row_in_full_with_where_the_targets_come_from():
    report = compare_with_targets(
        DISTRICT,
        CHOICES,
        {"north": 30, "east": 10, "west": 0},
        4,
        TARGETS,
        source="Census 2021",
        customised=True,
    )
    assert report == DimensionReport(
        dimension=DISTRICT,
        rows=(
            Row("north", "North", 30, Decimal("75.0"), Decimal(50), Decimal("25.0"), 0, False),
            Row("east", "East", 10, Decimal("25.0"), Decimal(30), Decimal("-5.0"), 3, False),
            Row("west", "West", 0, Decimal("0.0"), Decimal(20), Decimal("-20.0"), 10, False),
        ),
        total=40,
        not_stated=4,
        source="Census 2021",
        customised=True,
        scale=80,
    )


def test_the_board_sees_hidden_rows_with_their_labels_and_targets_only():
    report = compare_with_targets(
        DISTRICT, CHOICES, {"north": 30, "east": 3, "west": 12}, 4, TARGETS, threshold=10
    )
    assert report.rows[1:] == (
        Row("east", "East", None, None, Decimal(30), None, None, True),
        Row("west", "West", None, None, Decimal(20), None, None, True),
    )


def test_an_empty_panel_shows_zero_counts_and_one_member_needed_for_each_target():
    targets = {"north": Decimal(60), "east": Decimal(40)}  # none for the west
    report = compare_with_targets(DISTRICT, CHOICES, {}, 0, targets)
    assert report.rows == (
        Row("north", "North", 0, None, Decimal(60), None, 1, False),
        Row("east", "East", 0, None, Decimal(40), None, 1, False),
        Row("west", "West", 0, None, None, None, None, False),
    )
    assert report.total == 0


def test_a_report_with_no_targets_names_no_source_and_is_not_customised():
    report = compare_with_targets(DISTRICT, CHOICES, {"north": 12}, 0, {})
    assert (report.source, report.customised) == ("", False)


def test_a_share_or_gap_exactly_halfway_rounds_up():
    assert percent(1, 16) == Decimal("6.3")  # 6.25%
    report = compare_with_targets(
        DISTRICT, CHOICES[:2], {"north": 1, "east": 3}, 0, {"north": Decimal("12.35")}
    )
    assert report.rows[0].gap == Decimal("12.7")  # 25.0 - 12.35 = 12.65


def test_a_dimension_without_targets_still_shows_counts():
    report = compare_with_targets(DISTRICT, CHOICES, {"north": 1}, 0, {})
    assert not report.has_targets
    assert [row.share for row in report.rows] == [Decimal("100.0"), Decimal("0.0"), Decimal("0.0")]
    assert all(row.gap is None and row.needed is None for row in report.rows)


def test_the_chart_scale_is_the_largest_share_or_target_rounded_up_to_ten():
    assert chart_scale([Decimal("7.2"), Decimal("15.1")]) == 20
    assert chart_scale([Decimal("83")]) == 90
    assert chart_scale([]) == 10
    assert chart_scale([Decimal(100)]) == 100
