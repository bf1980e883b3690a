"""Email delivery decisions: exponential backoff, capped, and a last attempt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from panel.outbox.rules import LONGEST_WAIT, after_failure, retry_delay

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def test_backoff_doubles_and_is_capped():
    delays = [retry_delay(attempt) for attempt in range(1, 6)]
    assert delays == [timedelta(seconds=30 * 2**n) for n in range(5)]
    assert retry_delay(40) == LONGEST_WAIT


def test_after_the_last_attempt_the_message_is_marked_failed():
    assert after_failure(3, 8, NOW) == ("pending", NOW + retry_delay(3))
    assert after_failure(8, 8, NOW)[0] == "failed"
