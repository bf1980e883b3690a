"""Pure account rules: passwords, session limits, throttling, two-factor steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from panel.accounts.rules import (
    CODE_LOCK,
    SessionLimits,
    SessionStage,
    accepted_totp_step,
    code_step_locked_until,
    is_code_shape,
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


@pytest.mark.parametrize(
    ("code", "shaped"),
    [
        ("123456", True),
        ("000000", True),
        ("12345", False),
        ("1234567", False),
        ("١٢٣٤٥٦", False),  # Arabic-Indic digits: digits to Python, never a code
        ("\uff11\uff12\uff13\uff14\uff15\uff16", False),  # full-width digits
        ("12345a", False),
    ],
)
def test_a_code_is_six_ascii_digits(code, shaped):
    assert is_code_shape(code) is shaped


NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def minutes_before(now: datetime, *minutes: float) -> list[datetime]:
    return [now - timedelta(minutes=m) for m in minutes]


def test_nine_wrong_codes_in_an_hour_do_not_lock():
    assert code_step_locked_until(minutes_before(NOON, *range(9)), NOON) is None


def test_the_tenth_wrong_code_in_an_hour_locks_for_15_minutes_from_it():
    failures = minutes_before(NOON, *range(10))  # the latest just now
    assert code_step_locked_until(failures, NOON) == NOON + CODE_LOCK
    assert code_step_locked_until(failures, NOON + CODE_LOCK - timedelta(seconds=1))
    assert code_step_locked_until(failures, NOON + CODE_LOCK) is None


def test_ten_wrong_codes_spread_over_more_than_an_hour_do_not_lock():
    failures = minutes_before(NOON, *(index * 7 for index in range(10)))  # over 63 minutes
    assert code_step_locked_until(failures, NOON) is None


def test_after_a_lock_each_wrong_code_that_is_again_the_tenth_in_an_hour_locks_again():
    first_ten = minutes_before(NOON, *(20 + index for index in range(10)))
    assert code_step_locked_until(first_ten, NOON) is None  # locked from 20 to 5 minutes ago
    one_more = [*first_ten, NOON]
    assert code_step_locked_until(one_more, NOON) == NOON + CODE_LOCK
