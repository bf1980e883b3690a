"""Screening decisions on applicants, and the list of reasons staff choose from when declining."""

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.members.tables import Member
from panel.personal_data import blanked_with, nothing_personal


class DeclineReason(Table, tablename="decline_reason"):
    """A reason an application can be declined. Staff edit the list; retired reasons stay for history."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal("the reasons staff can give, the same for every applicant")
    text = Text()
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ScreeningDecision(Table, tablename="screening_decision"):
    """One decision on one application: approved, declined, or more information asked for."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = blanked_with("member", "message", kept={"decision": "one of a fixed list"})
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    decision = Varchar(length=16)  # approved, declined, more_info
    reason = ForeignKey(references=DeclineReason, null=True, on_delete=OnDelete.set_null)
    # What staff wrote to the applicant (asking for information, or adding to a reason). Erased
    # with the member.
    message = Text(default="")
    decided_by = Integer(null=True, default=None)
    decided_at = Timestamptz(default=TimestamptzNow(), index=True)
