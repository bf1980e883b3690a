"""What a member may answer to an invitation and what follows: accepting takes a place or, when
the places are full, a place on the waiting list; declining or cancelling frees one, which goes to
the first on the waiting list or, failing that, to the next person chosen. And which reminder is
due before a session. No I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from panel.engagements.rules import EngagementStatus


class InvitationStatus(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    WAITING = "waiting"  # accepted when every place was taken
    DECLINED = "declined"
    CANCELLED = "cancelled"  # by the member after accepting, or with the session


class Answer(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    CANCEL = "cancel"


# Members answer while the session is being recruited for or is confirmed, until it starts.
ANSWERS_TAKEN = frozenset({EngagementStatus.RECRUITING, EngagementStatus.CONFIRMED})
# The invitations still waiting for an answer or holding a place (or a place in the queue).
OUTSTANDING = (InvitationStatus.INVITED, InvitationStatus.ACCEPTED, InvitationStatus.WAITING)

STATUS_WORDS = {
    "invited": "Invited: no answer yet",
    "accepted": "Coming",
    "waiting": "On the waiting list",
    "declined": "Cannot come",
    "cancelled": "Cancelled",
    "attended": "Attended",
    "did_not_attend": "Did not attend",
    "cancelled_late": "Cancelled late",
}


def answers_open(
    status: str, engagement_status: EngagementStatus, starts_at: datetime, now: datetime
) -> tuple[Answer, ...]:
    """The answers the member can give now. Each is given once: an invitation accepted can then
    only be cancelled, and one declined or cancelled is finished."""
    if engagement_status not in ANSWERS_TAKEN or now >= starts_at:
        return ()
    if status == InvitationStatus.INVITED:
        return (Answer.ACCEPT, Answer.DECLINE)
    if status in (InvitationStatus.ACCEPTED, InvitationStatus.WAITING):
        return (Answer.CANCEL,)
    return ()


def status_after(answer: Answer, accepted: int, capacity: int) -> InvitationStatus:
    """The invitation's status after ``answer``, with ``accepted`` places of ``capacity`` taken
    by others."""
    if answer is Answer.ACCEPT:
        return InvitationStatus.ACCEPTED if accepted < capacity else InvitationStatus.WAITING
    return InvitationStatus.DECLINED if answer is Answer.DECLINE else InvitationStatus.CANCELLED


@dataclass(frozen=True)
class Places:
    """How an engagement's invitations stand: places taken, invitations not yet answered, and the
    waiting list."""

    capacity: int
    accepted: int
    invited: int
    waiting: int

    @property
    def to_promote(self) -> int:
        """How many from the waiting list get a place now."""
        return max(0, min(self.waiting, self.capacity - self.accepted))

    @property
    def to_invite(self) -> int:
        """How many more people to invite, once the waiting list has had its places: enough that
        everyone still to answer could fill the places left."""
        promoted = self.to_promote
        return max(0, self.capacity - (self.accepted + promoted) - self.invited)


def next_to_ask(candidates: Sequence[int], already_invited: Collection[int]) -> list[int]:
    """The chosen (the panel, then the reserves in order) not yet invited, in the order they are
    to be asked."""
    return [member for member in dict.fromkeys(candidates) if member not in already_invited]


def reminder_due(
    starts_at: datetime,
    accepted_at: datetime,
    now: datetime,
    days_before: Sequence[int],
    sent: Collection[int],
) -> int | None:
    """Which reminder (its days before) to send now, or None. A reminder is due from its day until
    the session, for someone who accepted before that day; of those due only the nearest to the
    session is sent (a member who missed one is not sent two)."""
    if now >= starts_at:
        return None
    due = [
        days
        for days in days_before
        if starts_at - timedelta(days=days) <= now
        and accepted_at < starts_at - timedelta(days=days)
    ]
    if not due:
        return None
    nearest = min(due)
    return None if nearest in sent or any(days < nearest for days in sent) else nearest


def reminders_covered(sent_now: int, days_before: Sequence[int]) -> list[int]:
    """The reminders counted as sent once ``sent_now`` has gone: it and every earlier one."""
    return sorted(days for days in days_before if days >= sent_now)
