"""What an independent case review is made of: the ratings a reviewer gives each Victims' Code
right, when member reviewers may read the cases, and which rights each agency most often did not
meet. No I/O.

The reading window: a panel member who is confirmed as a reviewer (they accepted, or the register
says they attended) reads the cases from when staff confirm the review until it ends. Before it is
confirmed the cases may still change; after it ends the review is over and the summaries are
staff's alone. Partner agencies' reviewers have no account: staff record their assessments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from panel.engagements.rules import EngagementStatus, RegisterMark
from panel.justice import VICTIMS_CODE_RIGHTS

SUMMARY_MAX_LENGTH = 10_000
DISSATISFACTION_MAX_LENGTH = 2_000
COMMENT_MAX_LENGTH = 1_000
LEARNING_MAX_LENGTH = 2_000  # what went well, what should change

RATINGS = (
    ("met", "Met"),
    ("partly_met", "Partly met"),
    ("not_met", "Not met"),
    ("not_applicable", "Not applicable"),
    ("cannot_tell", "Cannot tell"),
)
RATING_LABELS = dict(RATINGS)
NOT_MET = "not_met"
RIGHT_CODES = tuple(code for code, _ in VICTIMS_CODE_RIGHTS)

# A member reviewer reads the cases while the review is confirmed or, on the day, held.
READING_STATUSES = frozenset({EngagementStatus.CONFIRMED, EngagementStatus.HELD})
# The invitation statuses of a confirmed reviewer: accepted, or marked as there on the register.
CONFIRMED_REVIEWER = ("accepted", RegisterMark.ATTENDED.value)

MOST_OFTEN_SHOWN = 3  # rights listed for each agency


def reading_open(status: EngagementStatus, ends_at: datetime, now: datetime) -> bool:
    """Whether confirmed member reviewers may read the cases and assess them now."""
    return status in READING_STATUSES and now < ends_at


@dataclass(frozen=True)
class RightNotMet:
    right: str
    times: int  # assessments that rated it not met


def most_often_not_met(
    cases: Iterable[tuple[Sequence[str], Iterable[Mapping[str, str]]]],
    shown: int = MOST_OFTEN_SHOWN,
) -> dict[str, list[RightNotMet]]:
    """For each agency, the rights most often rated "not met" in the cases it was involved in.

    ``cases``: each case's agencies and its assessments' ratings (right code to rating). An
    agency whose cases had no right rated not met is left out. Ties keep the Code's order."""
    counts: dict[str, Counter[str]] = {}
    for agencies, ratings in cases:
        not_met = Counter(
            right for rated in ratings for right, rating in rated.items() if rating == NOT_MET
        )
        for agency in agencies:
            counts.setdefault(agency, Counter()).update(not_met)
    order = {code: at for at, code in enumerate(RIGHT_CODES)}
    return {
        agency: [
            RightNotMet(right, times)
            for right, times in sorted(counted.items(), key=lambda item: (-item[1], order[item[0]]))
        ][:shown]
        for agency, counted in counts.items()
        if counted
    }


# Staff add cases until the review is held; partner reviewers' assessments are recorded in the
# meeting and afterwards, until the review is closed.
CASES_ADDED = frozenset(
    {
        EngagementStatus.DRAFT,
        EngagementStatus.RECRUITING,
        EngagementStatus.CONFIRMED,
        EngagementStatus.HELD,
    }
)
PARTNERS_ASSESS = frozenset(
    {EngagementStatus.CONFIRMED, EngagementStatus.HELD, EngagementStatus.WRITTEN_UP}
)


def tally(ratings: Iterable[Mapping[str, str]]) -> dict[str, list[tuple[str, int]]]:
    """For each right, how many reviewers gave each rating, in the order of ``RATINGS``; ratings
    no one gave are left out."""
    counted: dict[str, Counter[str]] = {right: Counter() for right in RIGHT_CODES}
    for rated in ratings:
        for right, rating in rated.items():
            if right in counted:
                counted[right][rating] += 1
    return {
        right: [(code, counts[code]) for code, _ in RATINGS if counts[code]]
        for right, counts in counted.items()
    }
