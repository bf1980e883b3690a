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
