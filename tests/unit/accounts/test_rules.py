"""Pure account rules: passwords, session limits, throttling, two-factor steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from panel.accounts.rules import (
    SessionLimits,
    SessionStage,
    accepted_totp_step,
    needs_two_factor,
    password_problem,
    session_expired,
    session_needs_touch,
    sign_in_throttled,
)

SERVICE = "Victims' Voice Panel"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LIMITS = SessionLimits(idle=timedelta(minutes=30), absolute=timedelta(hours=12))


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("eleven char", "12 characters or more"),
        ("x" * 129, "128 characters or fewer"),
        ("password1234", "too common"),
        ("Qwertyuiop123", "too common"),
        ("jo.bloggs@example.org!!", "must not contain your email"),
        ("xx jo.bloggs yy zz", "must not contain your email"),
        ("my victimsvoicepanel!", "name of this service"),
    ],
)
def test_refused_passwords_say_why(password, problem):
    assert problem in password_problem(password, "jo.bloggs@example.org", SERVICE)


@pytest.mark.parametrize(
    "password", ["correct horse battery", "x" * 64, "a" * 128, "Tr0ub4dor&3 extra!"]
)
def test_long_uncommon_passwords_are_fine_with_no_composition_rules(password):
    assert password_problem(password, "jo.bloggs@example.org", SERVICE) is None


def test_idle_and_absolute_limits():
    created = NOW - timedelta(hours=1)
    assert not session_expired(
        created, NOW - timedelta(minutes=29), SessionStage.COMPLETE, NOW, LIMITS
    )
    assert session_expired(created, NOW - timedelta(minutes=31), SessionStage.COMPLETE, NOW, LIMITS)
    assert session_expired(
        NOW - timedelta(hours=12, seconds=1), NOW, SessionStage.COMPLETE, NOW, LIMITS
    )


def test_a_half_finished_sign_in_expires_quickly():
    created = NOW - timedelta(minutes=11)
    assert session_expired(created, NOW, SessionStage.TWO_FACTOR_CHECK, NOW, LIMITS)
    assert not session_expired(created, NOW, SessionStage.COMPLETE, NOW, LIMITS)


def test_last_seen_is_written_at_most_once_a_minute():
    assert not session_needs_touch(NOW - timedelta(seconds=59), NOW, LIMITS)
    assert session_needs_touch(NOW - timedelta(seconds=60), NOW, LIMITS)


def test_throttling_by_account_or_by_address():
    assert not sign_in_throttled(4, 29, (5, 30))
    assert sign_in_throttled(5, 0, (5, 30))
    assert sign_in_throttled(0, 30, (5, 30))


def test_a_code_is_accepted_once_and_never_an_older_one():
    assert accepted_totp_step([100], last_used_step=99) == 100
    assert accepted_totp_step([100], last_used_step=100) is None
    assert accepted_totp_step([99, 100], last_used_step=99) == 100
    assert accepted_totp_step([], last_used_step=0) is None


@pytest.mark.parametrize(
    ("role", "needed"),
    [("admin", True), ("staff", True), ("facilitator", True), ("board", True), ("member", False)],
)
def test_who_needs_two_factor(role, needed):
    assert needs_two_factor(role) is needed
