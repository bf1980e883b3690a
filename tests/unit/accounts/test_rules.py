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
    totp_step,
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
    ("password", "message"),
    [
        (
            "password1234",
            "This password is too common. Choose a different one, for example three random words",
        ),
        ("jo.bloggs@example.org!!", "Password must not contain your email address"),
        ("my victimsvoicepanel!", "Password must not contain the name of this service"),
    ],
)
def test_the_person_is_told_in_full_why_a_password_is_refused(password, message):
    assert password_problem(password, "jo.bloggs@example.org", SERVICE) == message


def test_a_common_password_padded_with_spaces_is_still_too_common():
    assert "too common" in password_problem("   password1234   ", "jo@example.org", SERVICE)


def test_a_short_email_address_in_full_is_refused_though_its_name_alone_is_not():
    assert "your email" in password_problem("call jo@example.org now", "jo@example.org", SERVICE)
    assert password_problem("jo jo jo, an old song", "jo@example.org", SERVICE) is None


def test_the_name_part_of_an_email_address_counts_from_four_characters():
    assert "your email" in password_problem("jojo is a fine name", "jojo@example.org", SERVICE)
    assert password_problem("joe is a fine name", "joe@example.org", SERVICE) is None


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


def test_a_session_idle_for_exactly_the_limit_or_as_old_as_the_limit_is_still_signed_in():
    created = NOW - timedelta(hours=1)
    assert not session_expired(
        created, NOW - timedelta(minutes=30), SessionStage.COMPLETE, NOW, LIMITS
    )
    assert not session_expired(NOW - timedelta(hours=12), NOW, SessionStage.COMPLETE, NOW, LIMITS)


def test_a_half_finished_sign_in_lasts_ten_minutes_to_the_second():
    ten_minutes_ago = NOW - timedelta(minutes=10)
    assert not session_expired(ten_minutes_ago, NOW, SessionStage.TWO_FACTOR_CHECK, NOW, LIMITS)
    a_second_more = ten_minutes_ago - timedelta(seconds=1)
    assert session_expired(a_second_more, NOW, SessionStage.TWO_FACTOR_CHECK, NOW, LIMITS)


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


def test_the_authenticator_code_changes_every_30_seconds():
    start = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    assert totp_step(start) == int(start.timestamp()) // 30
    assert totp_step(start + timedelta(seconds=29)) == totp_step(start)
    assert totp_step(start + timedelta(seconds=30)) == totp_step(start) + 1


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


def test_ten_wrong_codes_exactly_an_hour_from_first_to_last_lock():
    failures = minutes_before(NOON, 60, *range(9))
    assert code_step_locked_until(failures, NOON) == NOON + CODE_LOCK


def test_ten_wrong_codes_spread_over_more_than_an_hour_do_not_lock():
    failures = minutes_before(NOON, *(index * 7 for index in range(10)))  # over 63 minutes
    assert code_step_locked_until(failures, NOON) is None


def test_after_a_lock_each_wrong_code_that_is_again_the_tenth_in_an_hour_locks_again():
    first_ten = minutes_before(NOON, *(20 + index for index in range(10)))
    assert code_step_locked_until(first_ten, NOON) is None  # locked from 20 to 5 minutes ago
    one_more = [*first_ten, NOON]
    assert code_step_locked_until(one_more, NOON) == NOON + CODE_LOCK
