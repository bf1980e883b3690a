"""Pure decisions about delivering email: when to try again, and when to stop trying."""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
CLAIM_FOR = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min, … capped at 6 hours."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_WAIT)


def after_failure(attempts: int, max_attempts: int, now: datetime) -> tuple[str, datetime]:
    """The message's status and next attempt time after its ``attempts``-th failure."""
    if attempts >= max_attempts:
        return "failed", now
    return "pending", now + retry_delay(attempts)
