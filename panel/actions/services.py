"""Improvement actions: made from approved findings, owned by an agency, tracked by a dated log
of progress until they are completed or not taken forward.

An action shows the findings behind it, with the sessions and reviews they came from and the
Victims' Code rights they are about; a finding shows the actions taken because of it. Every page
reads a fixed number of queries, however many actions, findings or updates there are.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from piccolo.columns import Column

from panel import db
from panel.actions.rules import ActionStatus, Rag, rag_of, statuses_after
from panel.actions.tables import Action, ActionAgency, ActionFinding, ActionUpdate
from panel.audit.services import Actor, record_event
from panel.findings.rules import FindingStatus
from panel.findings.tables import Finding
from panel.justice import RIGHT_LABELS


class NoSuchAction(Exception):
    """No action has that id."""


class ActionRefused(Exception):
    """The change cannot be made: the message says why, for the form ``field``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------------------------------------
# The agencies that own actions


@dataclass(frozen=True)
class Agency:
    id: int
    name: str
    retired: bool


async def agencies(with_retired: bool = False) -> list[Agency]:
    """The agencies, by name: the migration that made the list put the usual ones in it."""
    rows = await ActionAgency.select().order_by(ActionAgency.name)
    found = [Agency(row["id"], row["name"], row["retired"]) for row in rows]
    return [agency for agency in found if with_retired or not agency.retired]


async def add_agency(name: str, actor: Actor) -> None:
    existing = await agencies(with_retired=True)
    if any(agency.name.casefold() == name.casefold() for agency in existing):
        raise ActionRefused("name", "That agency is on the list already")
    rows = await ActionAgency.insert(ActionAgency(name=name)).returning(ActionAgency.id)
    await record_event(
        "action_agency_added", actor, object_type="action_agency", object_id=rows[0]["id"]
    )


async def set_retired(agency_id: int, retired: bool, actor: Actor) -> None:
    await ActionAgency.update({ActionAgency.retired: retired}).where(ActionAgency.id == agency_id)
    await record_event(
        "action_agency_retired" if retired else "action_agency_restored",
        actor,
        object_type="action_agency",
        object_id=agency_id,
    )


# ---------------------------------------------------------------------------------------------
# Findings behind an action


@dataclass(frozen=True)
class FindingBehind:
    id: int
    statement: str
    sentiment: str
    rights: tuple[str, ...]
    engagement_id: int
    engagement_title: str
    engagement_kind: str


async def findings_behind(
    finding_ids: Sequence[int], approved_only: bool = False
) -> list[FindingBehind]:
    """These findings, with the session or review each came from: one query."""
    if not finding_ids:
        return []
    query = Finding.select(
        Finding.id,
        Finding.statement,
        Finding.sentiment,
        Finding.rights,
        Finding.engagement,
        Finding.engagement.title.as_alias("engagement_title"),
        Finding.engagement.kind.as_alias("engagement_kind"),
    ).where(Finding.id.is_in(list(finding_ids)))
    if approved_only:
        query = query.where(Finding.status == FindingStatus.APPROVED)
    rows = await query.order_by(Finding.recorded_at)
    return [
        FindingBehind(
            row["id"],
            row["statement"],
            row["sentiment"],
            tuple(json.loads(row["rights"])),
            row["engagement"],
            row["engagement_title"],
            row["engagement_kind"],
        )
        for row in rows
    ]


# ---------------------------------------------------------------------------------------------
# Actions


@dataclass(frozen=True)
class ActionSent:
    title: str
    description: str
    agency_id: int
    owner: str
    due: date
    priority: str


@dataclass(frozen=True)
class ActionLine:
    id: int
    title: str
    agency: str
    owner: str
    due: date
    priority: str
    status: ActionStatus
    rag: Rag


@dataclass(frozen=True)
class UpdateEntry:
    at: datetime
    note: str
    status_from: ActionStatus | None
    status_to: ActionStatus | None


@dataclass(frozen=True)
class ActionRecord:
    line: ActionLine
    agency_id: int
    description: str
    not_taken_reason: str
    evidence: str
    created_at: datetime
    updates: list[UpdateEntry]
    findings: list[FindingBehind]

    @property
    def rights(self) -> list[str]:
        """The Victims' Code rights the findings behind it are about, in the Code's order."""
        about = {right for finding in self.findings for right in finding.rights}
        return [right for right in RIGHT_LABELS if right in about]

    @property
    def next_statuses(self) -> tuple[ActionStatus, ...]:
        return statuses_after(self.line.status)


def today() -> date:
    return datetime.now(UTC).date()


def line_from(row: dict[str, Any], on: date) -> ActionLine:
    status = ActionStatus(row["status"])
    return ActionLine(
        row["id"],
        row["title"],
        row["agency_name"],
        row["owner"],
        row["due"],
        row["priority"],
        status,
        rag_of(status, row["due"], on),
    )


async def create_action(
    sent: ActionSent, finding_ids: Sequence[int], created_by: int | None, actor: Actor
) -> int:
    """The action, proposed, linked to the approved findings among ``finding_ids``."""
    behind = await findings_behind(finding_ids, approved_only=True)
    async with db.transaction():
        rows = await Action.insert(
            Action(
                title=sent.title,
                description=sent.description,
                agency=sent.agency_id,
                owner=sent.owner,
                due=sent.due,
                priority=sent.priority,
                created_by=created_by,
            )
        ).returning(Action.id)
        action_id: int = rows[0]["id"]
        if behind:
            await ActionFinding.insert(
                *(ActionFinding(action=action_id, finding=finding.id) for finding in behind)
            )
        await ActionUpdate.insert(
            ActionUpdate(
                action=action_id,
                note="Proposed.",
                status_to=ActionStatus.PROPOSED.value,
                written_by=created_by,
            )
        )
        await record_event(
            "action_created",
            actor,
            object_type="improvement_action",
            object_id=action_id,
            detail={"findings": len(behind)},
        )
    return action_id


async def change_action(action_id: int, sent: ActionSent, actor: Actor) -> None:
    changes: dict[Column | str, Any] = {
        Action.title: sent.title,
        Action.description: sent.description,
        Action.agency: sent.agency_id,
        Action.owner: sent.owner,
        Action.due: sent.due,
        Action.priority: sent.priority,
        Action.updated_at: datetime.now(UTC),
    }
    async with db.transaction():
        await Action.update(changes).where(Action.id == action_id)
        await record_event(
            "action_changed", actor, object_type="improvement_action", object_id=action_id
        )


@dataclass(frozen=True)
class UpdateSent:
    note: str
    status: ActionStatus | None  # None: no change of status
    reason: str = ""  # why it is not taken forward
    evidence: str = ""  # evidence of impact: replaces what was there when given


async def record_update(action_id: int, sent: UpdateSent, writer: int | None, actor: Actor) -> None:
    """A dated entry in the action's log, moving its status on if asked (one step, or not taken
    forward with a reason)."""
    async with db.transaction():
        row = await Action.select(Action.status).where(Action.id == action_id).first()
        if row is None:
            raise NoSuchAction()
        status = ActionStatus(row["status"])
        if sent.status is not None and sent.status not in statuses_after(status):
            raise ActionRefused(
                "status", f"An action that is {status.label.lower()} cannot become that"
            )
        if not status.is_open:
            raise ActionRefused("note", "The action is finished: its log is closed")
        changes: dict[Column | str, Any] = {Action.updated_at: datetime.now(UTC)}
        if sent.status is not None:
            changes[Action.status] = sent.status.value
        if sent.status is ActionStatus.NOT_TAKEN_FORWARD:
            changes[Action.not_taken_reason] = sent.reason
        if sent.evidence:
            changes[Action.evidence] = sent.evidence
        await Action.update(changes).where(Action.id == action_id)
        await ActionUpdate.insert(
            ActionUpdate(
                action=action_id,
                note=sent.note,
                status_from=status.value if sent.status else "",
                status_to=sent.status.value if sent.status else "",
                written_by=writer,
            )
        )
        await record_event(
            "action_updated",
            actor,
            object_type="improvement_action",
            object_id=action_id,
            detail={"status": sent.status.value} if sent.status else {},
        )


ACTION_COLUMNS = (
    Action.id,
    Action.title,
    Action.owner,
    Action.due,
    Action.priority,
    Action.status,
    Action.agency.name.as_alias("agency_name"),
)


async def action_record(action_id: int) -> ActionRecord:
    """One action with its log and the findings behind it: three queries."""
    row = (
        await Action.select(
            *ACTION_COLUMNS,
            Action.agency,
            Action.description,
            Action.not_taken_reason,
            Action.evidence,
            Action.created_at,
        )
        .where(Action.id == action_id)
        .first()
    )
    if row is None:
        raise NoSuchAction()
    updates = await (
        ActionUpdate.select()
        .where(ActionUpdate.action == action_id)
        .order_by(ActionUpdate.at, ascending=False)
        .order_by(ActionUpdate.id, ascending=False)
    )
    linked = await ActionFinding.select(ActionFinding.finding).where(
        ActionFinding.action == action_id
    )
    return ActionRecord(
        line=line_from(row, today()),
        agency_id=row["agency"],
        description=row["description"],
        not_taken_reason=row["not_taken_reason"],
        evidence=row["evidence"],
        created_at=row["created_at"],
        updates=[
            UpdateEntry(
                update["at"],
                update["note"],
                ActionStatus(update["status_from"]) if update["status_from"] else None,
                ActionStatus(update["status_to"]) if update["status_to"] else None,
            )
            for update in updates
        ],
        findings=await findings_behind([link["finding"] for link in linked]),
    )


@dataclass(frozen=True)
class ActionFilters:
    status: str = ""
    agency: int | None = None
    rag: str = ""


async def action_list(filters: ActionFilters) -> list[ActionLine]:
    """Every action the filters match, soonest due first: one query. The RAG rating is worked
    out for each, so it is filtered here rather than in the database."""
    query = Action.select(*ACTION_COLUMNS)
    if filters.status:
        query = query.where(Action.status == filters.status)
    if filters.agency is not None:
        query = query.where(Action.agency == filters.agency)
    rows = await query.order_by(Action.due).order_by(Action.id)
    on = today()
    lines = [line_from(row, on) for row in rows]
    return [line for line in lines if not filters.rag or line.rag.value == filters.rag]


@dataclass(frozen=True)
class ActionTaken:
    id: int
    title: str
    status: ActionStatus


async def actions_for_findings(finding_ids: Sequence[int]) -> dict[int, list[ActionTaken]]:
    """What was done about each of these findings: one query."""
    if not finding_ids:
        return {}
    rows = (
        await ActionFinding.select(
            ActionFinding.finding,
            ActionFinding.action,
            ActionFinding.action.title.as_alias("title"),
            ActionFinding.action.status.as_alias("status"),
        )
        .where(ActionFinding.finding.is_in(list(finding_ids)))
        .order_by(ActionFinding.action)
    )
    taken: dict[int, list[ActionTaken]] = {}
    for row in rows:
        taken.setdefault(row["finding"], []).append(
            ActionTaken(row["action"], row["title"], ActionStatus(row["status"]))
        )
    return taken
