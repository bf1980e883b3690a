"""Horizon scanning: reports, guidance, research and other offices' practice logged by staff,
assessed, and either adopted (an improvement action takes it up) or found not to apply, with why.
Each has a date by which to review it; the daily run reminds staff of those still waiting past it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from piccolo.columns import Column

from panel import db
from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.actions.rules import ActionStatus, HorizonStatus, horizon_statuses_after, review_overdue
from panel.actions.services import ActionRefused, ActionTaken
from panel.actions.tables import Action, HorizonAction, HorizonItem
from panel.audit.services import Actor, record_event
from panel.notify.services import send_to_account
from panel.outbox import messages
from panel.settings import Settings


class NoSuchItem(Exception):
    """No horizon item has that id."""


@dataclass(frozen=True)
class ItemSent:
    source: str
    title: str
    link: str
    published: date
    summary: str
    relevance: str
    review_by: date


@dataclass(frozen=True)
class Item:
    id: int
    source: str
    title: str
    link: str
    published: date
    summary: str
    relevance: str
    status: HorizonStatus
    reason: str
    review_by: date
    actions: tuple[ActionTaken, ...] = ()

    @property
    def overdue(self) -> bool:
        return review_overdue(self.status, self.review_by, datetime.now(UTC).date())

    @property
    def next_statuses(self) -> tuple[HorizonStatus, ...]:
        return horizon_statuses_after(self.status)


def item_from(row: dict[str, Any], actions: Sequence[ActionTaken] = ()) -> Item:
    return Item(
        row["id"],
        row["source"],
        row["title"],
        row["link"],
        row["published"],
        row["summary"],
        row["relevance"],
        HorizonStatus(row["status"]),
        row["reason"],
        row["review_by"],
        tuple(actions),
    )


async def add_item(sent: ItemSent, added_by: int | None, actor: Actor) -> int:
    async with db.transaction():
        rows = await HorizonItem.insert(
            HorizonItem(
                source=sent.source,
                title=sent.title,
                link=sent.link,
                published=sent.published,
                summary=sent.summary,
                relevance=sent.relevance,
                review_by=sent.review_by,
                added_by=added_by,
            )
        ).returning(HorizonItem.id)
        item_id: int = rows[0]["id"]
        await record_event(
            "horizon_item_added", actor, object_type="horizon_item", object_id=item_id
        )
    return item_id


async def items(status: str = "") -> list[Item]:
    """Every item (or those of one status), the soonest to review first: one query."""
    query = HorizonItem.select()
    if status:
        query = query.where(HorizonItem.status == status)
    rows = await query.order_by(HorizonItem.review_by).order_by(HorizonItem.id)
    return [item_from(row) for row in rows]


async def item_record(item_id: int) -> Item:
    """One item with the actions that take it up: two queries."""
    row = await HorizonItem.select().where(HorizonItem.id == item_id).first()
    if row is None:
        raise NoSuchItem()
    links = (
        await HorizonAction.select(
            HorizonAction.action,
            HorizonAction.action.title.as_alias("title"),
            HorizonAction.action.status.as_alias("status"),
        )
        .where(HorizonAction.item == item_id)
        .order_by(HorizonAction.action)
    )
    taken = [
        ActionTaken(link["action"], link["title"], ActionStatus(link["status"])) for link in links
    ]
    return item_from(row, taken)


async def decide(
    item_id: int, status: HorizonStatus, note: str, review_by: date | None, actor: Actor
) -> None:
    """Assessed (``note``: why it matters here), or not applicable (``note``: why not); a new
    review-by date may come with either."""
    item = await item_record(item_id)
    if status not in item.next_statuses:
        raise ActionRefused(
            "status", f"An item that is {item.status.label.lower()} cannot become that"
        )
    changes: dict[Column | str, Any] = {HorizonItem.status: status.value}
    if status is HorizonStatus.NOT_APPLICABLE:
        changes[HorizonItem.reason] = note
    elif note:
        changes[HorizonItem.relevance] = note
    if review_by is not None:
        changes[HorizonItem.review_by] = review_by
    async with db.transaction():
        await HorizonItem.update(changes).where(HorizonItem.id == item_id)
        await record_event(
            "horizon_item_decided",
            actor,
            object_type="horizon_item",
            object_id=item_id,
            detail={"status": status.value},
        )


async def adopt(item_id: int, action_id: int, actor: Actor) -> None:
    """The action takes the item up: it is adopted, whatever it was waiting for."""
    item = await item_record(item_id)
    if not await Action.exists().where(Action.id == action_id):
        raise ActionRefused("action", "Choose an action from the list")
    if item.status is HorizonStatus.NOT_APPLICABLE:
        raise ActionRefused("action", "The item was found not to apply")
    async with db.transaction():
        if action_id not in {taken.id for taken in item.actions}:
            await HorizonAction.insert(HorizonAction(item=item_id, action=action_id))
        await HorizonItem.update({HorizonItem.status: HorizonStatus.ADOPTED.value}).where(
            HorizonItem.id == item_id
        )
        await record_event(
            "horizon_item_adopted",
            actor,
            object_type="horizon_item",
            object_id=item_id,
            detail={"action": action_id},
        )


async def send_review_reminders(settings: Settings, now: datetime | None = None) -> int:
    """For the daily run: when items still waiting have passed their review-by date since staff
    were last reminded, one email to each staff account saying how many (never what they are).
    Returns how many items were newly due."""
    today = (now or datetime.now(UTC)).date()
    rows = await HorizonItem.select(
        HorizonItem.id, HorizonItem.review_by, HorizonItem.reminded_for
    ).where(
        HorizonItem.status.is_in([HorizonStatus.NEW.value, HorizonStatus.ASSESSED.value]),
        HorizonItem.review_by < today,
    )
    due = [row for row in rows if row["reminded_for"] != row["review_by"]]
    if not due:
        return 0
    staff = await User.select(User.id).where(
        User.role.is_in([Role.STAFF.value, Role.ADMIN.value]), User.status == "active"
    )
    async with db.transaction():
        for row in due:
            await HorizonItem.update({HorizonItem.reminded_for: row["review_by"]}).where(
                HorizonItem.id == row["id"]
            )
        waiting = len(rows)
        for account in staff:
            await send_to_account(
                account["id"],
                messages.HORIZON_REVIEW_DUE,
                settings,
                waiting=waiting,
                link=messages.HORIZON_PAGE.url(settings.base_url),
            )
    return len(due)
