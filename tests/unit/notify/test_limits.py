"""Contact limits: each limit, its boundary, the reasons given and when a member next may be invited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from panel.notify.rules import (
    ContactHistory,
    ContactLimits,
    Limit,
    LimitCheck,
    invitation_eligibility,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LIMITS = ContactLimits(cooldown_days=30, max_sessions_per_year=4, max_invitations_per_90_days=3)


def days_ago(*days: float) -> tuple[datetime, ...]:
    return tuple(NOW - timedelta(days=day) for day in days)


def eligibility(
    invited=(), attended=(), do_not_contact=False, override_id=None, status="active", now=NOW
):
    history = ContactHistory(tuple(invited), tuple(attended), override_id)
    return invitation_eligibility(history, do_not_contact, LIMITS, now, status=status)


def test_someone_never_invited_may_be_invited():
    found = eligibility()
    assert found.may_invite
    assert found.reasons == ()
    assert found.next_possible_at is None
    assert found.check(Limit.COOL_DOWN).count is None


def test_within_the_cool_down_they_may_not_be_invited_and_are_told_when_they_may():
    found = eligibility(invited=days_ago(12))
    assert not found.may_invite
    assert found.reasons == ("invited 12 days ago: the cool-down is 30 days",)
    assert found.next_possible_at == NOW + timedelta(days=18)


def test_the_cool_down_ends_exactly_when_it_says():
    assert not eligibility(invited=days_ago(30 - 1 / 86400)).may_invite
    assert eligibility(invited=days_ago(30)).may_invite


def test_the_cool_down_counts_from_the_latest_invitation():
    found = eligibility(invited=days_ago(60, 5))
    assert found.reasons == ("invited 5 days ago: the cool-down is 30 days",)
    assert found.next_possible_at == NOW + timedelta(days=25)


def test_invited_today_and_yesterday_are_said_plainly():
    assert eligibility(invited=days_ago(0.1)).reasons == (
        "invited today: the cool-down is 30 days",
    )
    assert eligibility(invited=days_ago(1.5)).reasons == (
        "invited 1 day ago: the cool-down is 30 days",
    )


def test_no_cool_down_when_it_is_set_to_zero():
    history = ContactHistory(invited_at=days_ago(0))
    found = invitation_eligibility(history, False, ContactLimits(cooldown_days=0), NOW)
    assert found.may_invite


def test_a_fourth_session_in_12_months_reaches_the_cap_until_the_oldest_drops_out():
    found = eligibility(attended=days_ago(300, 200, 100, 50))
    assert not found.may_invite
    assert found.reasons == ("took part 4 times in the last 12 months: the most is 4",)
    assert found.next_possible_at == NOW - timedelta(days=300) + timedelta(days=365)
    assert eligibility(attended=days_ago(200, 100, 50)).may_invite


def test_a_session_exactly_12_months_ago_no_longer_counts():
    assert eligibility(attended=days_ago(365, 200, 100, 50)).may_invite
    assert not eligibility(attended=days_ago(364.99, 200, 100, 50)).may_invite


def test_above_the_cap_it_clears_when_enough_have_dropped_out():
    # Five sessions, at most four: the two oldest must leave the window.
    found = eligibility(attended=days_ago(300, 250, 200, 100, 50))
    assert found.check(Limit.SESSIONS).count == 5
    assert found.next_possible_at == NOW - timedelta(days=250) + timedelta(days=365)


def test_three_invitations_in_90_days_reach_the_cap():
    found = eligibility(invited=days_ago(80, 60, 40))
    assert not found.may_invite
    assert found.reasons == ("invited 3 times in the last 90 days: the most is 3",)
    assert found.next_possible_at == NOW + timedelta(days=10)
    assert eligibility(invited=days_ago(90, 60, 40)).may_invite


def test_every_reason_is_given_and_the_date_is_when_all_have_cleared():
    found = eligibility(invited=days_ago(80, 60, 10), attended=days_ago(300, 200, 100, 50))
    assert found.reasons == (
        "invited 10 days ago: the cool-down is 30 days",
        "took part 4 times in the last 12 months: the most is 4",
        "invited 3 times in the last 90 days: the most is 3",
    )
    assert found.next_possible_at == NOW + timedelta(days=65)


def test_do_not_contact_has_no_date_and_no_override_lifts_it():
    found = eligibility(do_not_contact=True, override_id=7)
    assert not found.may_invite
    assert found.reasons == ("marked do not contact",)
    assert found.next_possible_at is None
    assert found.uses_override is None


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("paused", "membership is paused"),
        ("applied", "membership is applied"),
        ("left", "no longer a member"),
        ("erased", "no longer a member"),
    ],
)
def test_only_active_members_may_be_invited_whatever_the_override(status, reason):
    found = eligibility(status=status, override_id=7)
    assert not found.may_invite and found.reasons == (reason,)
    assert found.next_possible_at is None


def test_an_override_lets_one_invitation_through_the_limits_and_keeps_the_reasons():
    found = eligibility(invited=days_ago(3), override_id=7)
    assert found.may_invite
    assert found.uses_override == 7
    assert found.reasons == ("invited 3 days ago: the cool-down is 30 days",)


def test_an_override_is_not_used_up_when_no_limit_is_reached():
    found = eligibility(override_id=7)
    assert found.may_invite and found.uses_override is None


def test_limits_that_allow_nothing_are_refused():
    why = "the cool-down cannot be negative, and each cap must allow at least one"
    with pytest.raises(ValueError, match=f"^{why}$"):
        ContactLimits(max_sessions_per_year=0)
    with pytest.raises(ValueError, match=f"^{why}$"):
        ContactLimits(cooldown_days=-1)


def test_with_a_cap_of_one_a_single_session_or_invitation_reaches_it():
    one_each = ContactLimits(
        cooldown_days=0, max_sessions_per_year=1, max_invitations_per_90_days=1
    )
    history = ContactHistory(invited_at=days_ago(40), attended_at=days_ago(100))
    found = invitation_eligibility(history, False, one_each, NOW)
    assert found.reasons == (
        "took part once in the last 12 months: the most is 1",
        "invited once in the last 90 days: the most is 1",
    )
    assert found.next_possible_at == NOW + timedelta(days=265)


def test_each_limit_comes_with_its_count_its_cap_and_when_it_clears():
    never = eligibility(attended=days_ago(100, 50))
    assert never.check(Limit.COOL_DOWN) == LimitCheck(Limit.COOL_DOWN, None, 30, False)
    assert never.check(Limit.SESSIONS) == LimitCheck(Limit.SESSIONS, 2, 4, False)
    assert never.check(Limit.INVITATIONS) == LimitCheck(Limit.INVITATIONS, 0, 3, False)

    cleared = eligibility(invited=days_ago(45, 70))
    assert cleared.check(Limit.COOL_DOWN) == LimitCheck(Limit.COOL_DOWN, 45, 30, False)
    assert cleared.check(Limit.INVITATIONS) == LimitCheck(Limit.INVITATIONS, 2, 3, False)

    reached = eligibility(invited=days_ago(12), attended=days_ago(300, 200, 100, 50))
    assert reached.check(Limit.COOL_DOWN) == LimitCheck(
        Limit.COOL_DOWN,
        12,
        30,
        True,
        NOW + timedelta(days=18),
        "invited 12 days ago: the cool-down is 30 days",
    )
    assert reached.check(Limit.SESSIONS) == LimitCheck(
        Limit.SESSIONS,
        4,
        4,
        True,
        NOW + timedelta(days=65),
        "took part 4 times in the last 12 months: the most is 4",
    )
