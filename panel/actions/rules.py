"""What an improvement action is and how it moves on: its statuses and the steps between them,
and its RAG rating from its status and due date. No I/O.

An action is proposed, agreed, in progress, then completed; at any step before it is completed it
can instead be not taken forward, with the reason. Both ends are final: a change of mind is a new
action. The RAG rating is worked out, never typed: an action still open and past its due date is
red, one due within ``DUE_SOON`` amber, any other open one green; a completed one is "Completed"
and one not taken forward "Not taken forward".
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

TITLE_MAX_LENGTH = 150
DESCRIPTION_MAX_LENGTH = 4_000
OWNER_MAX_LENGTH = 120
NOTE_MAX_LENGTH = 2_000
EVIDENCE_MAX_LENGTH = 4_000
AGENCY_NAME_MAX_LENGTH = 120
DUE_SOON = timedelta(days=14)


class ActionStatus(enum.StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NOT_TAKEN_FORWARD = "not_taken_forward"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in FINAL


STATUS_LABELS = {
    ActionStatus.PROPOSED: "Proposed",
    ActionStatus.AGREED: "Agreed",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.COMPLETED: "Completed",
    ActionStatus.NOT_TAKEN_FORWARD: "Not taken forward",
}
FINAL = frozenset({ActionStatus.COMPLETED, ActionStatus.NOT_TAKEN_FORWARD})
NEXT_STEP = {
    ActionStatus.PROPOSED: ActionStatus.AGREED,
    ActionStatus.AGREED: ActionStatus.IN_PROGRESS,
    ActionStatus.IN_PROGRESS: ActionStatus.COMPLETED,
}


def statuses_after(status: ActionStatus) -> tuple[ActionStatus, ...]:
    """The statuses an action can move to from ``status``: the next step, or not taken forward."""
    if status in FINAL:
        return ()
    return (NEXT_STEP[status], ActionStatus.NOT_TAKEN_FORWARD)


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    COMPLETED = "completed"
    NOT_TAKEN_FORWARD = "not_taken_forward"

    @property
    def label(self) -> str:
        return RAG_WORDS[self][0]

    @property
    def tag_colour(self) -> str:
        return RAG_WORDS[self][1]


RAG_WORDS = {
    Rag.RED: ("Red: overdue", "red"),
    Rag.AMBER: ("Amber: due soon", "orange"),
    Rag.GREEN: ("Green: on track", "green"),
    Rag.COMPLETED: ("Completed", "blue"),
    Rag.NOT_TAKEN_FORWARD: ("Not taken forward", "grey"),
}


def rag_of(status: ActionStatus, due: date, today: date) -> Rag:
    if status is ActionStatus.COMPLETED:
        return Rag.COMPLETED
    if status is ActionStatus.NOT_TAKEN_FORWARD:
        return Rag.NOT_TAKEN_FORWARD
    if due < today:
        return Rag.RED
    if due - today <= DUE_SOON:
        return Rag.AMBER
    return Rag.GREEN


# ---------------------------------------------------------------------------------------------
# Horizon scanning: what others publish that the office should weigh up.

HORIZON_SOURCES = (
    ("npcc", "National Police Chiefs' Council"),
    ("hmicfrs", "HMICFRS"),
    ("victims_commissioner", "Victims' Commissioner"),
    ("college_of_policing", "College of Policing"),
    ("moj", "Ministry of Justice"),
    ("home_office", "Home Office"),
    ("other_pcc", "Another Police and Crime Commissioner"),
    ("research", "Research"),
    ("other", "Another source"),
)
HORIZON_TITLE_MAX_LENGTH = 200
HORIZON_LINK_MAX_LENGTH = 500


class HorizonStatus(enum.StrEnum):
    """New, then assessed, then adopted (an action takes it up) or not applicable (with why)."""

    NEW = "new"
    ASSESSED = "assessed"
    ADOPTED = "adopted"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return {
            HorizonStatus.NEW: "New",
            HorizonStatus.ASSESSED: "Assessed",
            HorizonStatus.ADOPTED: "Adopted",
            HorizonStatus.NOT_APPLICABLE: "Not applicable",
        }[self]

    @property
    def waiting(self) -> bool:
        """Still to be decided: its review-by date matters."""
        return self in (HorizonStatus.NEW, HorizonStatus.ASSESSED)


def horizon_statuses_after(status: HorizonStatus) -> tuple[HorizonStatus, ...]:
    """Where an item can go next. Adopting is done by linking an action, so it is not here."""
    if status is HorizonStatus.NEW:
        return (HorizonStatus.ASSESSED, HorizonStatus.NOT_APPLICABLE)
    if status is HorizonStatus.ASSESSED:
        return (HorizonStatus.NOT_APPLICABLE,)
    return ()


def review_overdue(status: HorizonStatus, review_by: date, today: date) -> bool:
    return status.waiting and review_by < today
