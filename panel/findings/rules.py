"""What a finding is: its sentiment, priority and status, and the most it may hold."""

from __future__ import annotations

import enum

SENTIMENTS = (
    ("negative", "Negative: something went wrong or was missing"),
    ("positive", "Positive: something worked well"),
    ("mixed", "Mixed"),
)
SENTIMENT_LABELS = {"negative": "Negative", "positive": "Positive", "mixed": "Mixed"}
PRIORITIES = (("high", "High"), ("medium", "Medium"), ("low", "Low"))

STATEMENT_MAX_LENGTH = 2_000
QUOTE_MAX_LENGTH = 1_000
QUOTES_AT_MOST = 3  # quote fields on the form
REASON_MAX_LENGTH = 500


class FindingStatus(enum.StrEnum):
    AWAITING_REVIEW = "awaiting_review"
    APPROVED = "approved"
    NOT_APPROVED = "not_approved"

    @property
    def label(self) -> str:
        return {
            FindingStatus.AWAITING_REVIEW: "Awaiting review",
            FindingStatus.APPROVED: "Approved",
            FindingStatus.NOT_APPROVED: "Not approved",
        }[self]
