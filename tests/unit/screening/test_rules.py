"""Screening decisions without a database: what each decision does, the queue's "waiting" mark,
what a screener is told when a decision is refused, and when a declined application is erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from panel.members.rules import MemberStatus
from panel.screening.rules import (
    STATUS_AFTER,
    Decision,
    PastDecision,
    awaiting_screening,
    declined_application_due_for_erasure,
    latest_decisions,
    waiting_for_more_information_since,
    why_not_screened,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_each_decision_moves_the_applicant_on_except_asking_for_more():
    assert STATUS_AFTER[Decision.APPROVED] is MemberStatus.ACTIVE
    assert STATUS_AFTER[Decision.DECLINED] is MemberStatus.DECLINED
    assert STATUS_AFTER[Decision.MORE_INFO] is MemberStatus.VERIFIED
    assert awaiting_screening(STATUS_AFTER[Decision.MORE_INFO])


@pytest.mark.parametrize("status", [s for s in MemberStatus if s is not MemberStatus.VERIFIED])
def test_only_a_verified_applicant_is_screened_and_the_others_are_explained(status):
    assert not awaiting_screening(status)
    assert why_not_screened(status) != why_not_screened("something else")


def test_a_screener_is_told_an_application_in_no_known_state_is_not_waiting():
    assert why_not_screened("something else") == "This application is not waiting for a decision."


def test_the_latest_decision_wins_and_same_instant_decisions_go_by_order():
    earlier = PastDecision(1, Decision.MORE_INFO, NOW - timedelta(days=2), 1)
    later = PastDecision(1, Decision.MORE_INFO, NOW, 3)
    same_instant_first = PastDecision(2, Decision.MORE_INFO, NOW, 2)
    same_instant_second = PastDecision(2, Decision.APPROVED, NOW, 4)
    latest = latest_decisions([later, same_instant_second, earlier, same_instant_first])
    assert latest == {1: later, 2: same_instant_second}


def test_waiting_for_more_information_only_while_that_is_the_last_decision():
    asked = PastDecision(1, Decision.MORE_INFO, NOW, 1)
    assert waiting_for_more_information_since(asked) == NOW
    assert waiting_for_more_information_since(None) is None
    assert waiting_for_more_information_since(PastDecision(1, Decision.DECLINED, NOW, 2)) is None


@pytest.mark.parametrize(
    ("days_ago", "message_waiting", "due"),
    [
        (29, False, False),  # still within the period
        (30, False, True),
        (45, False, True),
        (45, True, False),  # the email telling them has not gone yet
    ],
)
def test_a_declined_application_is_erased_after_the_period_once_the_email_has_gone(
    days_ago, message_waiting, due
):
    declined_at = NOW - timedelta(days=days_ago)
    assert (
        declined_application_due_for_erasure(declined_at, NOW, timedelta(days=30), message_waiting)
        is due
    )
