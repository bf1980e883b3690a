"""Representativeness: the targets in force (an admin's, or else the area's defaults), the counts of
the panel they are compared with, and the dashboard that puts the two side by side.

Counting the panel is five queries whatever its size (the consent wording in force, two, and one
each for districts, what happened and the equality answers), but on 100,000 members they read
every active member. So the counts are kept in ``panel_summary``: the worker counts again every
``SUMMARY_REFRESH`` (5 minutes), staff can ask for a count now, and a view reads the summary with
the targets, two small queries. A view counts itself only when there is no summary yet or the
worker has not refreshed it for three times as long (it is not running): the page says when the
numbers were counted. Counts change when members join, leave, pause or change their answers,
and also when consent lapses with time, which no write would announce: counting on a timer
covers both.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from piccolo.query.functions.aggregate import Count

from panel import db
from panel.audit.services import Actor, record_event
from panel.consent.rules import Purpose
from panel.consent.services import consent_held_where, versions_in_force
from panel.db import side_by_side
from panel.members.reference import EQUALITY_DIMENSIONS, TARGET_DIMENSIONS, ReferenceData
from panel.members.rules import MemberStatus
from panel.members.tables import ExperienceProfile, Member
from panel.representation.rules import (
    DIMENSIONS,
    DimensionReport,
    compare_with_targets,
    plain_number,
)
from panel.representation.tables import PanelSummary, RepresentationTarget


class UnknownDimension(Exception):
    """There is no such dimension to set targets for."""


@dataclass(frozen=True)
class TargetsInForce:
    dimension: str
    shares: Mapping[str, Decimal]  # empty when the area has no default and no admin set one
    source: str
    customised: bool  # set by an admin, overriding the area's defaults
    has_defaults: bool
    updated_at: datetime | None


async def targets_in_force(reference: ReferenceData) -> dict[str, TargetsInForce]:
    """For each dimension, the targets an admin set or, when none were, the area's defaults.
    Rows for codes the reference data no longer has are left out."""
    rows = await RepresentationTarget.select(
        RepresentationTarget.dimension,
        RepresentationTarget.code,
        RepresentationTarget.share,
        RepresentationTarget.source,
        RepresentationTarget.updated_at,
    )
    custom: dict[str, list[dict]] = {}
    for row in rows:
        custom.setdefault(row["dimension"], []).append(row)
    found = {}
    for dimension in TARGET_DIMENSIONS:
        default = reference.targets.get(dimension)
        if dimension in custom:
            codes = {choice.code for choice in reference.choices_of(dimension)}
            set_rows = custom[dimension]
            found[dimension] = TargetsInForce(
                dimension=dimension,
                shares={
                    row["code"]: plain_number(Decimal(row["share"]))
                    for row in set_rows
                    if row["code"] in codes
                },
                source=set_rows[0]["source"],
                customised=True,
                has_defaults=default is not None,
                updated_at=max(row["updated_at"] for row in set_rows),
            )
        else:
            found[dimension] = TargetsInForce(
                dimension=dimension,
                shares={code: plain_number(share) for code, share in default.shares.items()}
                if default
                else {},
                source=default.source if default else "",
                customised=False,
                has_defaults=default is not None,
                updated_at=None,
            )
    return found


def check_dimension(dimension: str) -> None:
    if dimension not in TARGET_DIMENSIONS:
        raise UnknownDimension(dimension)


async def save_targets(
    dimension: str, shares: Mapping[str, Decimal], source: str, actor: Actor
) -> None:
    """Replace the targets of one dimension (they override the area's defaults from now on)."""
    check_dimension(dimension)
    async with db.transaction():
        await RepresentationTarget.delete().where(RepresentationTarget.dimension == dimension)
        await RepresentationTarget.insert(
            *(
                RepresentationTarget(
                    dimension=dimension,
                    code=code,
                    share=share,
                    source=source,
                    updated_by=actor.user_id,
                )
                for code, share in shares.items()
            )
        )
        await record_event(
            "representation_targets_changed",
            actor,
            object_type="representation_targets",
            object_id=dimension,
            detail={
                "shares": {code: f"{share.normalize():f}" for code, share in shares.items()},
                "source": source,
            },
        )


async def restore_default_targets(dimension: str, actor: Actor) -> None:
    """Go back to the area's default targets for one dimension."""
    check_dimension(dimension)
    async with db.transaction():
        await RepresentationTarget.delete().where(RepresentationTarget.dimension == dimension)
        await record_event(
            "representation_targets_changed",
            actor,
            object_type="representation_targets",
            object_id=dimension,
            detail={"restored": "defaults"},
        )


# ---------------------------------------------------------------------------------------------
# Counting the panel.

# The equality answers of active members whose consent to their use holds now: given, renewed in
# time, and given against the wording and privacy notice in force (``consent.rules``). One group
# per combination of answers, so one pass serves every equality dimension.
EQUALITY_COUNTS = """
SELECT e.age_band AS age_band, e.sex AS sex, e.ethnicity AS ethnicity,
       e.disability AS disability, COUNT(*) AS members
FROM latest_consent c
JOIN member m ON m.id = c.member
LEFT JOIN equality_data e ON e.member = c.member
WHERE {} AND m.status = {}
GROUP BY e.age_band, e.sex, e.ethnicity, e.disability
"""


@dataclass(frozen=True)
class PanelCounts:
    counts: dict[str, Counter[str]]  # dimension → code → members
    not_stated: dict[str, int]  # dimension → members counted who gave no answer
    active_members: int
    equality_members: int  # active members whose equality consent holds


def known_only(counter: Counter[str], codes: set[str]) -> Counter[str]:
    return Counter({code: count for code, count in counter.items() if code in codes})


async def active_by_district() -> list[dict[str, Any]]:
    return await (
        Member.select(Member.district, Count(alias="members"))
        .where(Member.status == MemberStatus.ACTIVE)
        .group_by(Member.district)
    )


async def active_by_crime_types() -> list[dict[str, Any]]:
    """Active members by the JSON list of what happened they chose: one row per distinct list."""
    return await (
        ExperienceProfile.select(ExperienceProfile.crime_types, Count(alias="members"))
        .where(ExperienceProfile.member.status == MemberStatus.ACTIVE)
        .group_by(ExperienceProfile.crime_types)
    )


async def equality_answers(renewal: timedelta, now: datetime) -> list[dict[str, Any]]:
    versions = await versions_in_force()
    held = consent_held_where(Purpose.EQUALITY_DATA, versions, now, renewal)
    return await Member.raw(EQUALITY_COUNTS, held, MemberStatus.ACTIVE.value)


async def count_panel(
    reference: ReferenceData, renewal: timedelta, now: datetime | None = None
) -> PanelCounts:
    now = now or datetime.now(UTC)
    codes = {
        dimension: {choice.code for choice in reference.choices_of(dimension)}
        for dimension in TARGET_DIMENSIONS
    }
    by_district, by_choice, combinations = await side_by_side(
        active_by_district(), active_by_crime_types(), equality_answers(renewal, now)
    )
    counts: dict[str, Counter[str]] = {}
    not_stated: dict[str, int] = {}

    active = sum(row["members"] for row in by_district)
    counts["district"] = known_only(
        Counter({row["district"]: row["members"] for row in by_district}), codes["district"]
    )
    not_stated["district"] = active - counts["district"].total()

    crime_types: Counter[str] = Counter()
    told_us = 0
    for row in by_choice:
        chosen = set(json.loads(row["crime_types"] or "[]")) & codes["crime_type"]
        if chosen:
            told_us += row["members"]
            crime_types.update({code: row["members"] for code in chosen})
    counts["crime_type"] = crime_types
    not_stated["crime_type"] = active - told_us

    equality_members = sum(row["members"] for row in combinations)
    for dimension in EQUALITY_DIMENSIONS:
        answered: Counter[str] = Counter()
        for row in combinations:
            answered[row[dimension] or ""] += row["members"]
        counts[dimension] = known_only(answered, codes[dimension])
        not_stated[dimension] = equality_members - counts[dimension].total()
    return PanelCounts(counts, not_stated, active, equality_members)


SUMMARY_REFRESH = timedelta(minutes=5)
SUMMARY_STALE = 3 * SUMMARY_REFRESH


def counts_to_json(panel: PanelCounts) -> str:
    return json.dumps(
        {
            "counts": {dimension: dict(counter) for dimension, counter in panel.counts.items()},
            "not_stated": panel.not_stated,
            "active_members": panel.active_members,
            "equality_members": panel.equality_members,
        }
    )


def counts_from_json(text: str) -> PanelCounts:
    data = json.loads(text)
    return PanelCounts(
        counts={dimension: Counter(codes) for dimension, codes in data["counts"].items()},
        not_stated=data["not_stated"],
        active_members=data["active_members"],
        equality_members=data["equality_members"],
    )


@dataclass(frozen=True)
class CountedPanel:
    counts: PanelCounts
    counted_at: datetime


async def refresh_summary(
    reference: ReferenceData, renewal: timedelta, now: datetime | None = None
) -> CountedPanel:
    """Count the panel now and keep the counts as the summary views read."""
    now = now or datetime.now(UTC)
    panel = await count_panel(reference, renewal, now)
    async with db.transaction():
        await PanelSummary.delete(force=True)
        await PanelSummary.insert(PanelSummary(counted_at=now, counts=counts_to_json(panel)))
    return CountedPanel(panel, now)


async def refresh_summary_if_due(
    reference: ReferenceData, renewal: timedelta, now: datetime | None = None
) -> bool:
    """The worker's pass: count again when the summary is ``SUMMARY_REFRESH`` old or missing."""
    now = now or datetime.now(UTC)
    latest = (
        await PanelSummary.select(PanelSummary.counted_at)
        .order_by(PanelSummary.counted_at, ascending=False)
        .first()
    )
    if latest is not None and now - latest["counted_at"] < SUMMARY_REFRESH:
        return False
    await refresh_summary(reference, renewal, now)
    return True


async def counted_panel(
    reference: ReferenceData, renewal: timedelta, now: datetime | None = None
) -> CountedPanel:
    """The summary, or a count made now when there is none or it is stale. Two counts made at
    once on PostgreSQL can each leave their row: the newest is read."""
    now = now or datetime.now(UTC)
    latest = (
        await PanelSummary.select(PanelSummary.counted_at, PanelSummary.counts)
        .order_by(PanelSummary.counted_at, ascending=False)
        .first()
    )
    if latest is None or now - latest["counted_at"] >= SUMMARY_STALE:
        return await refresh_summary(reference, renewal, now)
    return CountedPanel(counts_from_json(latest["counts"]), latest["counted_at"])


@dataclass(frozen=True)
class Representation:
    dimensions: tuple[DimensionReport, ...]
    # Headline numbers, on the staff view only: beside the totals they would give away how many
    # gave no answer.
    active_members: int | None
    equality_members: int | None
    threshold: int | None  # the small-count threshold applied, if any
    counted_at: datetime


async def representation(
    reference: ReferenceData,
    renewal: timedelta,
    threshold: int | None = None,
    now: datetime | None = None,
) -> Representation:
    """The dashboard: each dimension's counts (the summary's) against its targets. With a
    ``threshold`` it is the board's view, where small counts and everything worked out from them
    are hidden."""
    targets, counted = await side_by_side(
        targets_in_force(reference), counted_panel(reference, renewal, now)
    )
    panel = counted.counts
    reports = tuple(
        compare_with_targets(
            dimension,
            reference.choices_of(dimension.code),
            panel.counts[dimension.code],
            panel.not_stated[dimension.code],
            targets[dimension.code].shares,
            source=targets[dimension.code].source,
            customised=targets[dimension.code].customised,
            threshold=threshold,
        )
        for dimension in DIMENSIONS
    )
    board = threshold is not None
    return Representation(
        dimensions=reports,
        active_members=None if board else panel.active_members,
        equality_members=None if board else panel.equality_members,
        threshold=threshold,
        counted_at=counted.counted_at,
    )
