"""What a review counts: when member reviewers may read it, the rights most often not met by each
agency, and how each right was rated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from panel.engagements.rules import EngagementStatus
from panel.reviews.rules import RightNotMet, most_often_not_met, reading_open, tally

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_a_review_is_read_from_its_confirmation_until_it_ends():
    later = NOW + timedelta(hours=1)
    assert reading_open(EngagementStatus.CONFIRMED, later, NOW)
    assert reading_open(EngagementStatus.HELD, later, NOW)
    assert not reading_open(EngagementStatus.HELD, NOW, NOW)  # it has ended
    for status in ("draft", "recruiting", "written_up", "closed", "cancelled"):
        assert not reading_open(EngagementStatus(status), later, NOW)


def test_the_rights_most_often_not_met_are_counted_for_every_agency_of_each_case():
    cases = [
        (("police", "cps"), [{"right_6": "not_met", "right_9": "not_met"}, {"right_6": "not_met"}]),
        (("police",), [{"right_9": "not_met", "right_12": "not_met", "right_1": "not_met"}]),
        (("hmcts",), [{"right_8": "met", "right_6": "partly_met"}]),
    ]
    found = most_often_not_met(cases)
    # Ties keep the Code's order; only the three most often are listed.
    assert found["police"] == [
        RightNotMet("right_6", 2),
        RightNotMet("right_9", 2),
        RightNotMet("right_1", 1),
    ]
    assert found["cps"] == [RightNotMet("right_6", 2), RightNotMet("right_9", 1)]
    assert "hmcts" not in found  # nothing was found not met in its cases


def test_each_right_counts_the_ratings_given_in_the_order_of_the_ratings():
    counted = tally(
        [
            {"right_6": "not_met", "right_1": "met"},
            {"right_6": "met", "right_1": "met"},
            {"right_6": "not_met", "right_99": "met"},
        ]
    )
    assert counted["right_6"] == [("met", 1), ("not_met", 2)]
    assert counted["right_1"] == [("met", 2)]
    assert counted["right_12"] == [] and "right_99" not in counted
