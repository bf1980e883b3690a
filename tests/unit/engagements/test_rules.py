"""How an engagement moves on: only to its next status, and only when it is ready; cancelled only
before it is held; changed only while it is a plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from panel.consent.rules import Purpose
from panel.engagements.rules import (
    EngagementFormat,
    EngagementKind,
    EngagementStatus,
    LeftOut,
    Readiness,
    TransitionRefused,
    check_cancel,
    check_move_on,
    has_taken_place,
    involvement_matches,
    largest_groups_left_out,
    may_be_changed,
    next_status,
    register_problem,
)

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
READY = Readiness(
    status=EngagementStatus.DRAFT,
    format=EngagementFormat.IN_PERSON,
    starts_at=NOW + timedelta(days=14),
    has_facilitator=True,
    has_public_description=True,
    has_venue=True,
    has_joining_link=False,
)


def refusal(engagement: Readiness, wanted: EngagementStatus, now: datetime = NOW) -> str:
    with pytest.raises(TransitionRefused) as refused:
        check_move_on(engagement, wanted, now)
    return str(refused.value)


def test_the_statuses_follow_one_another_from_draft_to_closed():
    order = [EngagementStatus.DRAFT]
    while (following := next_status(order[-1])) is not None:
        order.append(following)
    assert order == [
        EngagementStatus.DRAFT,
        EngagementStatus.RECRUITING,
        EngagementStatus.CONFIRMED,
        EngagementStatus.HELD,
        EngagementStatus.WRITTEN_UP,
        EngagementStatus.CLOSED,
    ]
    assert next_status(EngagementStatus.CANCELLED) is None


def test_a_ready_draft_starts_recruiting():
    check_move_on(READY, EngagementStatus.RECRUITING, NOW)


@pytest.mark.parametrize(
    "wanted", [EngagementStatus.CONFIRMED, EngagementStatus.HELD, EngagementStatus.CLOSED]
)
def test_no_status_is_skipped(wanted):
    assert refusal(READY, wanted) == f"A draft engagement cannot become {wanted.label.lower()}."


def test_nobody_is_recruited_for_a_session_without_a_description_a_facilitator_or_a_venue():
    unready = replace(READY, has_facilitator=False, has_public_description=False, has_venue=False)
    said = refusal(unready, EngagementStatus.RECRUITING)
    assert "Write what invitees will read" in said
    assert "Choose who will facilitate it" in said
    assert "Give the venue and its address" in said


def test_an_online_session_needs_no_venue_to_recruit_but_a_link_to_be_confirmed():
    online = replace(READY, format=EngagementFormat.ONLINE, has_venue=False)
    check_move_on(online, EngagementStatus.RECRUITING, NOW)
    recruiting = replace(online, status=EngagementStatus.RECRUITING)
    assert "Add the joining link first" in refusal(recruiting, EngagementStatus.CONFIRMED)
    check_move_on(replace(recruiting, has_joining_link=True), EngagementStatus.CONFIRMED, NOW)


def test_an_in_person_session_is_confirmed_without_a_joining_link():
    recruiting = replace(READY, status=EngagementStatus.RECRUITING)
    check_move_on(recruiting, EngagementStatus.CONFIRMED, NOW)


def test_a_hybrid_session_needs_both_a_venue_and_a_link():
    hybrid = replace(READY, status=EngagementStatus.RECRUITING, format=EngagementFormat.HYBRID)
    assert "joining link" in refusal(hybrid, EngagementStatus.CONFIRMED)
    assert "venue" in refusal(replace(hybrid, has_venue=False), EngagementStatus.CONFIRMED)


def test_a_session_whose_start_has_passed_cannot_start_recruiting():
    started = replace(READY, starts_at=NOW)
    assert refusal(started, EngagementStatus.RECRUITING) == (
        "The session's start has passed: change its date first."
    )


def test_a_session_is_held_only_once_it_has_started():
    confirmed = replace(READY, status=EngagementStatus.CONFIRMED)
    assert refusal(confirmed, EngagementStatus.HELD) == "The session has not started yet."
    check_move_on(confirmed, EngagementStatus.HELD, confirmed.starts_at)


@pytest.mark.parametrize(
    "status",
    [EngagementStatus.DRAFT, EngagementStatus.RECRUITING, EngagementStatus.CONFIRMED],
)
def test_a_plan_can_be_cancelled_and_changed_until_it_is_held(status):
    check_cancel(status)
    assert may_be_changed(status)


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (EngagementStatus.HELD, "it has already happened"),
        (EngagementStatus.WRITTEN_UP, "it has already happened"),
        (EngagementStatus.CLOSED, "A closed engagement cannot be cancelled."),
        (EngagementStatus.CANCELLED, "A cancelled engagement cannot be cancelled."),
    ],
)
def test_what_has_happened_cannot_be_cancelled_or_changed(status, said):
    with pytest.raises(TransitionRefused, match=said):
        check_cancel(status)
    assert not may_be_changed(status)


def test_each_kind_needs_its_own_consent():
    assert EngagementKind.FOCUS_GROUP.consent_needed is Purpose.FOCUS_GROUPS
    assert EngagementKind.INDEPENDENT_REVIEW.consent_needed is Purpose.CASE_REVIEWS


@pytest.mark.parametrize(
    ("wanted", "involvement", "fits"),
    [
        ("any", "victim", True),
        ("any", "prefer_not", True),
        ("victim", "victim", True),
        ("victim", "both", True),
        ("victim", "witness", False),
        ("witness", "both", True),
        ("witness", "prefer_not", False),
        ("witness", "", False),
    ],
)
def test_who_fits_an_engagement_for_victims_or_witnesses(wanted, involvement, fits):
    assert involvement_matches(wanted, involvement) is fits


def test_the_groups_left_out_come_largest_first_ties_in_the_order_of_the_reasons():
    counts = {
        LeftOut.COOL_DOWN: 12,
        LeftOut.PAUSED: 41,
        LeftOut.NO_CONSENT: 12,
        LeftOut.DISTRICT: 0,
    }
    assert largest_groups_left_out(counts) == [
        (LeftOut.PAUSED, 41),
        (LeftOut.NO_CONSENT, 12),
        (LeftOut.COOL_DOWN, 12),
    ]


def test_each_group_left_out_is_named_with_the_limits_in_force():
    words = {
        "consent": "focus groups",
        "sessions": "4 times or more",
        "invitations": "3 times or more",
        "cooldown": "30 days",
    }
    assert LeftOut.NO_CONSENT.label(words) == "Not agreed to focus groups"
    assert LeftOut.SESSIONS.label(words) == "Took part 4 times or more in the last 12 months"
    assert LeftOut.COOL_DOWN.label(words) == "Invited in the last 30 days"
    assert len({reason.label(words) for reason in LeftOut}) == len(LeftOut), "each is its own"


def test_the_register_is_taken_once_a_confirmed_or_held_session_has_started():
    start = NOW - timedelta(minutes=1)
    assert register_problem(EngagementStatus.CONFIRMED, start, NOW) is None
    assert register_problem(EngagementStatus.HELD, start, NOW) is None
    assert register_problem(EngagementStatus.CONFIRMED, NOW + timedelta(minutes=1), NOW) == (
        "The register is taken once the session has started."
    )
    assert register_problem(EngagementStatus.RECRUITING, start, NOW) == (
        "The register is taken for a confirmed or held session, not a recruiting one."
    )
    assert register_problem(EngagementStatus.WRITTEN_UP, start, NOW) is not None


@pytest.mark.parametrize("status", list(EngagementStatus))
def test_a_session_is_written_up_once_it_has_started_unless_it_was_cancelled(status):
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    written_about = status not in {
        EngagementStatus.DRAFT,
        EngagementStatus.RECRUITING,
        EngagementStatus.CANCELLED,
    }
    assert has_taken_place(status, now - timedelta(minutes=1), now) is written_about
    assert has_taken_place(status, now, now) is written_about
    assert has_taken_place(status, now + timedelta(minutes=1), now) is False
