"""Improvement actions, the agencies that own them, their progress and the findings behind them.
Written by staff about the service, never about a person: an action's owner is a role."""

from piccolo.columns import (
    Boolean,
    Date,
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

from panel.findings.tables import Finding
from panel.personal_data import nothing_personal

ABOUT_THE_SERVICE = (
    "Written by staff about how the service works and what is being changed; its owner is a role "
    "in an agency, never a member"
)


class ActionAgency(Table, tablename="action_agency"):
    """The agencies that own actions: a list the office keeps, from the usual ones to start with.
    One no longer used is retired rather than deleted, so its actions keep their owner."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal("The names of organisations")
    name = Varchar(length=120, unique=True)
    retired = Boolean(default=False)


class Action(Table, tablename="improvement_action"):
    """What an agency will change because of what was learnt, and how far it has got
    (``rules.ActionStatus``); its RAG rating is worked out from its status and due date."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal(ABOUT_THE_SERVICE)
    title = Varchar(length=150)
    description = Text(default="")
    agency = ForeignKey(references=ActionAgency, on_delete=OnDelete.restrict, index=True)
    owner = Varchar(length=120)  # a role, such as "Head of Victim Services"
    due = Date(index=True)
    priority = Varchar(length=16)  # findings.rules.PRIORITIES
    status = Varchar(length=24, default="proposed", index=True)
    not_taken_reason = Text(default="")  # why it was not taken forward
    evidence = Text(default="")  # evidence of its impact
    created_by = Integer(null=True, default=None)  # the staff account; kept if it goes
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ActionUpdate(Table, tablename="action_update"):
    """A dated entry in an action's log of progress: what was done, and any change of status."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal(ABOUT_THE_SERVICE)
    action = ForeignKey(references=Action, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    note = Text(default="")
    status_from = Varchar(length=24, default="")
    status_to = Varchar(length=24, default="")
    written_by = Integer(null=True, default=None)  # the staff account; kept if it goes


class ActionFinding(Table, tablename="action_finding"):
    """An action taken because of a finding: an action can answer several findings, and a finding
    lead to several actions."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal("Two ids: an action and a finding")
    action = ForeignKey(references=Action, on_delete=OnDelete.cascade, index=True)
    finding = ForeignKey(references=Finding, on_delete=OnDelete.cascade, index=True)


class HorizonItem(Table, tablename="horizon_item"):
    """Something published elsewhere (a report, guidance, research, another PCC's practice) that
    the office weighs up: ``rules.HorizonStatus``, and a date by which to review it."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal("Published reports and staff's notes on them")
    source = Varchar(length=32)  # rules.HORIZON_SOURCES
    title = Varchar(length=200)
    link = Varchar(length=500, default="")
    published = Date()
    summary = Text(default="")
    relevance = Text(default="")  # why it matters here
    status = Varchar(length=16, default="new", index=True)
    reason = Text(default="")  # why it does not apply
    review_by = Date(index=True)
    reminded_for = Date(null=True, default=None)  # the review-by date staff were reminded of
    added_by = Integer(null=True, default=None)  # the staff account; kept if it goes
    added_at = Timestamptz(default=TimestamptzNow())


class HorizonAction(Table, tablename="horizon_action"):
    """An action that takes up a horizon item."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal("Two ids: a horizon item and an action")
    item = ForeignKey(references=HorizonItem, on_delete=OnDelete.cascade, index=True)
    action = ForeignKey(references=Action, on_delete=OnDelete.cascade, index=True)
