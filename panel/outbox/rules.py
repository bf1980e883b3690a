"""Pure decisions about delivering email: when to try a failed delivery again, and when to stop
trying; the states a message goes through. No I/O."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting to be sent (now, or at a safe time)
    SENT = "sent"
    FAILED = "failed"  # given up after the last attempt; the row is kept
    CANCELLED = "cancelled"  # the consent or membership it depended on ended before it went


FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
CLAIM_FOR = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min, … capped at 6 hours."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_WAIT)


def after_failure(attempts: int, max_attempts: int, now: datetime) -> tuple[OutboxStatus, datetime]:
    """The message's status and next attempt time after its ``attempts``-th failure."""
    if attempts >= max_attempts:
        return OutboxStatus.FAILED, now
    return OutboxStatus.PENDING, now + retry_delay(attempts)
