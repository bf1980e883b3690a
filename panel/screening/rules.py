"""Pure decisions of screening: which applications wait, what each decision does to the member, what
a screener is told when a decision cannot be made, and when a declined application is erased. No I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from panel.members.rules import MemberStatus

NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500


class Decision(enum.StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    MORE_INFO = "more_info"

    @property
    def label(self) -> str:
        return DECISION_LABELS[self]


DECISION_LABELS = {
    Decision.APPROVED: "Approved",
    Decision.DECLINED: "Declined",
    Decision.MORE_INFO: "More information asked for",
}

# An applicant who asked for more information stays in the queue: their status does not change.
STATUS_AFTER = {
    Decision.APPROVED: MemberStatus.ACTIVE,
    Decision.DECLINED: MemberStatus.DECLINED,
    Decision.MORE_INFO: MemberStatus.VERIFIED,
}


def awaiting_screening(status: str) -> bool:
    """Only an applicant who has confirmed their email address is screened."""
    return status == MemberStatus.VERIFIED


# What a screener reads when a decision is refused, by the member's status now.
WHY_NOT_SCREENED = {
    MemberStatus.APPLIED: "They have not confirmed their email address yet, so there is nothing "
    "to screen. Their application will appear in the queue when they do.",
    MemberStatus.ACTIVE: "This application has already been approved. They are a member of the panel.",
    MemberStatus.PAUSED: "This application has already been approved. They are a member of the "
    "panel and have paused their membership.",
    MemberStatus.DECLINED: "This application has already been declined, and they have been told.",
    MemberStatus.LEFT: "They have left the panel.",
    MemberStatus.ERASED: "They have left the panel and their details have been deleted.",
}


def why_not_screened(status: str) -> str:
    try:
        return WHY_NOT_SCREENED[MemberStatus(status)]
    except (ValueError, KeyError):
        return "This application is not waiting for a decision."


@dataclass(frozen=True)
class PastDecision:
    member_id: int
    decision: Decision
    decided_at: datetime
    sequence: int  # the row id: orders decisions made in the same instant


def latest_decisions(decisions: Iterable[PastDecision]) -> dict[int, PastDecision]:
    """Each member's most recent decision."""
    latest: dict[int, PastDecision] = {}
    for decision in decisions:
        current = latest.get(decision.member_id)
        if current is None or (decision.decided_at, decision.sequence) > (
            current.decided_at,
            current.sequence,
        ):
            latest[decision.member_id] = decision
    return latest


def waiting_for_more_information_since(latest: PastDecision | None) -> datetime | None:
    """When we asked the applicant for more, if that is the last thing that happened."""
    if latest is not None and latest.decision is Decision.MORE_INFO:
        return latest.decided_at
    return None


def declined_application_due_for_erasure(
    declined_at: datetime, now: datetime, keep_for: timedelta, message_waiting: bool
) -> bool:
    """A declined application is kept for ``keep_for`` (so staff can answer questions about it),
    then erased; never while a message to them still waits in the outbox, so the decision email
    is sent before the address it goes to is deleted."""
    return now - declined_at >= keep_for and not message_waiting
