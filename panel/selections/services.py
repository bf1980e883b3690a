"""Running the fair selection for an engagement and keeping what it did: the pool as it stood,
the quotas, the versions, the seed, every member's chance, the panel and the ordered reserves;
reading a selection back, and checking that it can be run again with the same result."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from panel import db
from panel.audit.services import Actor, record_event
from panel.engagements.pool import pool_snapshot
from panel.engagements.services import engagement_record
from panel.members.reference import ReferenceData
from panel.members.rules import name_to_show
from panel.selection.draw import select
from panel.selection.problem import Quota
from panel.selections.rules import (
    StoredSelection,
    apply_swaps,
    differences,
    distribution_to_json,
    labelled,
    problem_of,
    quotas_from_json,
    quotas_to_json,
    selection_closed,
    swap_problem,
    value_labels,
)
from panel.selections.tables import Selection, SelectionEntry, SelectionSwap
from panel.settings import Settings

# Seeds are whole numbers below 2**53, so they survive a trip through JSON and spreadsheets.
SEED_LIMIT = 2**53


class NoSuchSelection(Exception):
    pass


class SelectionClosed(Exception):
    """Participants are not chosen for an engagement in its status; the message says why."""


@dataclass(frozen=True)
class SelectionRequest:
    panel_size: int
    reserves: int
    quotas: Sequence[Quota]
    seed: int | None = None


async def run_selection(
    engagement_id: int,
    request: SelectionRequest,
    reference: ReferenceData,
    settings: Settings,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Select from the engagement's pool as it stands now, and store the selection; returns its
    id. Raises ``SelectionInputError`` (say, a panel larger than the pool) or ``QuotaInfeasible``
    (the quotas that conflict, and the smallest change) without storing anything."""
    now = now or datetime.now(UTC)
    closed = selection_closed((await engagement_record(engagement_id)).status)
    if closed:
        raise SelectionClosed(closed)
    snapshot = await pool_snapshot(engagement_id, settings, now)
    labels = value_labels(reference)
    entries = [(str(member.member_id), labelled(member.features, labels)) for member in snapshot]
    problem = problem_of(entries, request.panel_size, request.quotas)
    seed = request.seed if request.seed is not None else secrets.randbelow(SEED_LIMIT)
    # The solver works for seconds on a large pool: off the event loop, so other pages go on.
    chosen = await asyncio.to_thread(select, problem, seed, request.reserves)
    rank = {key: place for place, key in enumerate(chosen.reserves, start=1)}
    panel = set(chosen.panel)
    async with db.transaction():
        rows = await Selection.insert(
            Selection(
                engagement=engagement_id,
                panel_size=request.panel_size,
                reserves=request.reserves,
                quotas=quotas_to_json(request.quotas),
                seed=str(seed),
                algorithm=chosen.algorithm,
                solver=chosen.solver,
                distribution=distribution_to_json(chosen.distribution),
                created_by=actor.user_id,
                created_at=now,
            )
        ).returning(Selection.id)
        selection_id = rows[0]["id"]
        await db.insert_many(
            SelectionEntry,
            [
                {
                    "selection": selection_id,
                    "member": int(key),
                    "features": json.dumps(features, sort_keys=True),
                    "probability": chosen.probabilities[key],
                    "outcome": "panel" if key in panel else "reserve" if key in rank else "pool",
                    "reserve_rank": rank.get(key),
                }
                for key, features in entries
            ],
        )
        await record_event(
            "selection_made",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={"selection_id": selection_id, "pool": len(entries), "panel": len(panel)},
        )
    return selection_id


@dataclass(frozen=True)
class ChosenMember:
    member_id: int
    name: str
    features: dict[str, str]
    probability: float
    reserve_rank: int | None


@dataclass(frozen=True)
class Swap:
    removed: ChosenMember
    added: ChosenMember
    reason: str
    at: datetime


@dataclass(frozen=True)
class SelectionRecord:
    id: int
    engagement_id: int
    panel_size: int
    quotas: list[Quota]
    seed: int
    algorithm: str
    solver: str
    created_at: datetime
    pool_size: int
    panel: list[ChosenMember]  # as it stands, swaps made: by member id
    reserves: list[ChosenMember]  # those left, in the order they are to be asked
    smallest_chance: float
    swaps: list[Swap]  # in the order they were made

    @property
    def quotas_met(self) -> list[tuple[Quota, int]]:
        """Each quota with how many of the panel have its answer: the panel's make-up, in
        numbers only (staff pages never show one member's equality answers)."""
        return [
            (
                quota,
                sum(
                    1 for member in self.panel if member.features.get(quota.feature) == quota.value
                ),
            )
            for quota in self.quotas
        ]


async def selection_record(selection_id: int, engagement_id: int | None = None) -> SelectionRecord:
    """A stored selection with its panel and reserves as they stand, swaps made: four queries, the
    pool counted in the database. With ``engagement_id``, only a selection of that engagement."""
    row = await Selection.select().where(Selection.id == selection_id).first()
    if row is None or (engagement_id is not None and row["engagement"] != engagement_id):
        raise NoSuchSelection()
    chosen = await (
        SelectionEntry.select(
            *SelectionEntry.all_columns(), SelectionEntry.member.preferred_name.as_alias("name")
        )
        .where(SelectionEntry.selection == selection_id, SelectionEntry.outcome != "pool")
        .order_by(SelectionEntry.member)
    )
    summary = await SelectionEntry.raw(
        "SELECT COUNT(*) AS pool, MIN(probability) AS smallest FROM selection_entry "
        "WHERE selection = {}",
        selection_id,
    )
    members = {
        entry["member"]: ChosenMember(
            entry["member"],
            name_to_show(entry["name"]),
            json.loads(entry["features"] or "{}"),
            entry["probability"],
            entry["reserve_rank"],
        )
        for entry in chosen
    }
    swaps = await (
        SelectionSwap.select()
        .where(SelectionSwap.selection == selection_id)
        .order_by(SelectionSwap.swapped_at)
        .order_by(SelectionSwap.id)
    )
    drawn = [key for key, member in members.items() if member.reserve_rank is None]
    ranked = sorted(
        (key for key, member in members.items() if member.reserve_rank is not None),
        key=lambda key: members[key].reserve_rank or 0,
    )
    panel, reserves, _ = apply_swaps(
        drawn, ranked, [(swap["removed"], swap["added"]) for swap in swaps]
    )
    return SelectionRecord(
        id=row["id"],
        engagement_id=row["engagement"],
        panel_size=row["panel_size"],
        quotas=quotas_from_json(row["quotas"]),
        seed=int(row["seed"]),
        algorithm=row["algorithm"],
        solver=row["solver"],
        created_at=row["created_at"],
        pool_size=summary[0]["pool"],
        panel=sorted((members[key] for key in panel), key=lambda member: member.member_id),
        reserves=[members[key] for key in reserves],
        smallest_chance=summary[0]["smallest"] or 0.0,
        swaps=[
            Swap(
                members[swap["removed"]], members[swap["added"]], swap["reason"], swap["swapped_at"]
            )
            for swap in swaps
            if swap["removed"] in members and swap["added"] in members
        ],
    )


class SwapRefused(Exception):
    """The swap cannot be made on the panel as it stands; the message says why."""


async def swap_member(
    engagement_id: int,
    selection_id: int,
    removed: int,
    added: int,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Take ``removed`` off the panel and put the reserve ``added`` in their place, for a reason
    staff give. The audit records who and which selection, never the reason's words."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        found = await selection_record(selection_id, engagement_id)
        problem = swap_problem(
            [member.member_id for member in found.panel],
            [member.member_id for member in found.reserves],
            removed,
            added,
        )
        if problem:
            raise SwapRefused(problem)
        await SelectionSwap.insert(
            SelectionSwap(
                selection=selection_id,
                removed=removed,
                added=added,
                reason=reason,
                swapped_by=actor.user_id,
                swapped_at=now,
            )
        )
        await record_event(
            "selection_swapped",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={"selection_id": selection_id, "removed": removed, "added": added},
        )


async def verify_selection(selection_id: int) -> list[str]:
    """What does not match when the stored selection is run again (``rules.differences``);
    nothing when it all does."""
    row = await Selection.select().where(Selection.id == selection_id).first()
    if row is None:
        raise NoSuchSelection()
    entries = await (
        SelectionEntry.select()
        .where(SelectionEntry.selection == selection_id)
        .order_by(SelectionEntry.member)
    )
    stored = StoredSelection(
        entries=[
            (str(entry["member"]), json.loads(entry["features"]) if entry["features"] else None)
            for entry in entries
        ],
        probabilities={str(entry["member"]): entry["probability"] for entry in entries},
        panel=[str(entry["member"]) for entry in entries if entry["outcome"] == "panel"],
        reserves=[
            str(entry["member"])
            for entry in sorted(
                (entry for entry in entries if entry["outcome"] == "reserve"),
                key=lambda entry: entry["reserve_rank"],
            )
        ],
        panel_size=row["panel_size"],
        quotas=quotas_from_json(row["quotas"]),
        seed=int(row["seed"]),
        distribution=row["distribution"],
    )
    return await asyncio.to_thread(differences, stored)


@dataclass(frozen=True)
class PastSelection:
    id: int
    created_at: datetime
    panel_size: int
    pool_size: int
    smallest_chance: float


async def selections_of(engagement_id: int) -> list[PastSelection]:
    """The engagement's selections, the latest first: one query."""
    rows = await Selection.raw(
        "SELECT s.id, s.created_at, s.panel_size, COUNT(e.id) AS pool, "
        "MIN(e.probability) AS smallest FROM selection s "
        "LEFT JOIN selection_entry e ON e.selection = s.id WHERE s.engagement = {} "
        "GROUP BY s.id, s.created_at, s.panel_size ORDER BY s.created_at DESC, s.id DESC",
        engagement_id,
    )
    return [
        PastSelection(
            row["id"], row["created_at"], row["panel_size"], row["pool"], row["smallest"] or 0.0
        )
        for row in rows
    ]
