"""Whether the panel looks like the people it speaks for: counts compared with targets, how many
more members a group needs, and keeping small numbers out of what the board sees. No I/O.

Statistical disclosure control follows ONS and GSS guidance: a count from 1 to one below the
threshold is hidden (primary suppression); when the total minus the counts shown would give a
hidden count away, the next smallest count is hidden too (secondary suppression). A total below
the threshold hides the whole dimension. Shares, gaps and "members needed" worked out from a
hidden count are hidden with it. Zero counts are shown: they say a group is missing from the
panel, which is what the page is for. As with published official tables, this stops a count being
worked out from the total and the counts shown; someone who also reasons about which count the
rule would have chosen to hide second can sometimes narrow a hidden count down.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from panel.disclosure import Suppression, suppress_small_counts
from panel.members.reference import DIMENSION_TITLES, Choice

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str
    counted: str  # who is counted, as the page explains it


# Crime type and district are not special category data, so every active member counts; the
# equality answers count only for active members who currently consent to their use.
EQUALITY_COUNTED = (
    "Active members who have agreed to us using their equality answers and gave one. "
    "Anyone who preferred not to say is left out of the shares."
)
DIMENSIONS = (
    Dimension(
        "crime_type",
        DIMENSION_TITLES["crime_type"],
        "Active members who told us what it was about. Someone who chose more than one type "
        "counts once for each, so the shares are of all the types chosen.",
    ),
    Dimension(
        "district", DIMENSION_TITLES["district"], "Active members, by the district they live in."
    ),
    Dimension("age_band", DIMENSION_TITLES["age_band"], EQUALITY_COUNTED),
    Dimension("sex", DIMENSION_TITLES["sex"], EQUALITY_COUNTED),
    Dimension("ethnicity", DIMENSION_TITLES["ethnicity"], EQUALITY_COUNTED),
    Dimension("disability", DIMENSION_TITLES["disability"], EQUALITY_COUNTED),
)
DIMENSIONS_BY_CODE = {dimension.code: dimension for dimension in DIMENSIONS}


def members_needed(count: int, total: int, target: Decimal) -> int | None:
    """The fewest members who would have to join this group for its share to reach the target:
    the smallest n with (count + n) / (total + n) ≥ target. None when no number is enough (a
    target of 100% while others are counted)."""
    wanted = Fraction(target) / 100
    if wanted <= 0 or (total > 0 and Fraction(count, total) >= wanted):
        return 0
    if wanted >= 1:
        return None if count < total else 1  # only an empty panel is left here
    # (count + n) ≥ wanted (total + n)  ⇔  n ≥ (wanted · total - count) / (1 - wanted)
    return max(1, math.ceil((wanted * total - count) / (1 - wanted)))


def plain_number(value: Decimal) -> Decimal:
    """A number as people write it, without trailing zeros: 10, 12.5, 0.25."""
    normalized = value.normalize()
    exponent = normalized.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return normalized.quantize(Decimal(1))
    return normalized


def percent(count: int, total: int) -> Decimal:
    """A count's share of the total, as a percentage to one decimal place."""
    return (Decimal(100 * count) / Decimal(total)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    """One group of a dimension as a page shows it. None stands for a number hidden (or, for
    ``target``, not set)."""

    code: str
    label: str
    count: int | None
    share: Decimal | None  # percent of the total, one decimal place
    target: Decimal | None  # percent
    gap: Decimal | None  # share - target, in percentage points
    needed: int | None  # more members to reach the target; 0 at or above it
    hidden: bool


@dataclass(frozen=True)
class DimensionReport:
    dimension: Dimension
    rows: tuple[Row, ...]
    total: int | None  # the sum of the counts; None when hidden
    not_stated: int | None  # counted but gave no answer; None where it is not published
    source: str  # where the targets come from; empty when there are none
    customised: bool  # the targets were set by an admin rather than the defaults
    scale: int  # the percentage the chart's full width stands for

    @property
    def has_targets(self) -> bool:
        return any(row.target is not None for row in self.rows)

    @property
    def any_hidden(self) -> bool:
        return self.total is None or any(row.hidden for row in self.rows)


def chart_scale(values: Sequence[Decimal]) -> int:
    """The chart's full width: the largest share or target rounded up to a multiple of ten."""
    largest = max(values, default=Decimal(0))
    return int(min(100, max(10, math.ceil(largest / 10) * 10)))


def compare_with_targets(
    dimension: Dimension,
    choices: Sequence[Choice],
    counts: Mapping[str, int],
    not_stated: int,
    targets: Mapping[str, Decimal],
    source: str = "",
    customised: bool = False,
    threshold: int | None = None,
) -> DimensionReport:
    """Each group's count, share, target, gap and members needed. With a ``threshold`` (the board's
    view) small counts and everything worked out from them are hidden, and so is the number who
    gave no answer (with the total of everyone counted it would give that away)."""
    full = {choice.code: counts.get(choice.code, 0) for choice in choices}
    total = sum(full.values())
    suppression = (
        suppress_small_counts(full, threshold)
        if threshold is not None
        else Suppression(frozenset(), total_hidden=False)
    )
    rows = []
    for choice in choices:
        count = full[choice.code]
        target = targets.get(choice.code)
        if choice.code in suppression.hidden or total == 0:
            hidden = choice.code in suppression.hidden
            rows.append(
                Row(
                    choice.code,
                    choice.label,
                    None if hidden else count,
                    None,
                    target,
                    None,
                    None if hidden or target is None else members_needed(count, total, target),
                    hidden,
                )
            )
            continue
        share = percent(count, total)
        rows.append(
            Row(
                code=choice.code,
                label=choice.label,
                count=count,
                share=share,
                target=target,
                gap=None
                if target is None
                else (share - target).quantize(ONE_PLACE, rounding=ROUND_HALF_UP),
                needed=None if target is None else members_needed(count, total, target),
                hidden=False,
            )
        )
    shown = [row.share for row in rows if row.share is not None]
    return DimensionReport(
        dimension=dimension,
        rows=tuple(rows),
        total=None if suppression.total_hidden else total,
        not_stated=None if threshold is not None else not_stated,
        source=source,
        customised=customised,
        scale=chart_scale([*shown, *(t for t in targets.values())]),
    )
