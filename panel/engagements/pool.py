"""An engagement's eligible pool: the members who could be invited to it now, its make-up by each
category the panel is compared on, and why the rest of the panel is left out.

A member is in the pool when they are active, not marked do not contact, hold the consent to
being contacted and the consent the engagement's kind needs (``consent_held_where``), can be
emailed safely (invitations go by email through the contact gate), match the engagement's
eligibility, and are within the contact limits or have an override waiting to let one more
invitation through. Each member left out is counted under the first reason that applies
(``rules.LeftOut``). The contact limits here are SQL forms of ``notify.rules``' checks;
``tests/integration/engagements/test_pool.py`` runs random histories through both.

Everything is counted in the database, in one query whatever the panel's size, which works out
each member's reason once.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.querystring import QueryString

from panel.consent.rules import Purpose
from panel.consent.services import consent_held_where, versions_in_force
from panel.db import all_of, any_of, contains
from panel.engagements.rules import (
    ANYONE,
    COURT_CASE_OPEN,
    EngagementPlan,
    LeftOut,
    largest_groups_left_out,
)
from panel.engagements.services import engagement_record
from panel.members.reference import EQUALITY_DIMENSIONS, TARGET_DIMENSIONS, ReferenceData
from panel.members.tables import Member
from panel.notify.rules import INVITATION_WINDOW, SESSION_WINDOW, ContactLimits
from panel.notify.services import limits_of
from panel.settings import Settings

# The members of the panel (those who joined and have not left: applicants are not yet members),
# with their account (``u``) and what they told us of their experience (``x``).
# Why each member of the panel is left out, worked out once (the CTE is materialised), then
# counted three ways in one statement: by reason; the pool by district and list of crime types;
# and the pool's equality answers, of those whose consent to their use holds. Columns a to d hold
# each part's categories.
POOL_SQL = """
WITH r AS MATERIALIZED (
  SELECT m.id, m.district, x.crime_types, {} AS reason
  FROM {}
  WHERE m.status IN ('active', 'paused')
)
SELECT 'reason' AS part, r.reason AS a, NULL AS b, NULL AS c, NULL AS d, COUNT(*) AS members
FROM r GROUP BY r.reason
UNION ALL
SELECT 'answers', r.district, r.crime_types, NULL, NULL, COUNT(*)
FROM r WHERE r.reason IS NULL GROUP BY r.district, r.crime_types
UNION ALL
SELECT 'equality', e.age_band, e.sex, e.ethnicity, e.disability, COUNT(*)
FROM r m LEFT JOIN equality_data e ON e.member = m.id
WHERE m.reason IS NULL AND {}
GROUP BY e.age_band, e.sex, e.ethnicity, e.disability
"""
REASON_OF_EACH_SQL = """
SELECT m.id, {} AS reason FROM {} WHERE m.status IN ('active', 'paused')
"""
# The pool's members with the answers a selection can balance: equality answers only where the
# member's consent to their use holds (otherwise none, as if not stated).
SNAPSHOT_SQL = """
SELECT m.id, m.district, COALESCE(x.involvement, '') AS involvement,
  CASE WHEN {} THEN e.age_band ELSE '' END AS age_band,
  CASE WHEN {} THEN e.sex ELSE '' END AS sex,
  CASE WHEN {} THEN e.ethnicity ELSE '' END AS ethnicity,
  CASE WHEN {} THEN e.disability ELSE '' END AS disability
FROM {}
LEFT JOIN equality_data e ON e.member = m.id
WHERE m.status IN ('active', 'paused') AND {} IS NULL
ORDER BY m.id
"""


# Each member of the panel (``m``) with their account (``u``), what they told us of their
# experience (``x``), and how many of the two consents an engagement needs they hold (``k``):
# counted in one pass over the consents, not looked up member by member.
PANEL_JOINS = (
    'member m LEFT JOIN panel_user u ON u.id = m."user" '
    "LEFT JOIN experience_profile x ON x.member = m.id "
    "LEFT JOIN (SELECT c.member, COUNT(*) AS held FROM latest_consent c "
    "WHERE ({}) OR ({}) GROUP BY c.member) k ON k.member = m.id"
)


def panel_joins(held: dict[Purpose, QueryString], plan: EngagementPlan) -> QueryString:
    return QueryString(PANEL_JOINS, held[Purpose.MEMBERSHIP], held[plan.kind.consent_needed])


def consent_held(held: QueryString) -> QueryString:
    """``held`` (a ``consent_held_where``) of the member ``m``."""
    return QueryString("EXISTS (SELECT 1 FROM latest_consent c WHERE c.member = m.id AND {})", held)


def reason_left_out(plan: EngagementPlan, limits: ContactLimits, now: datetime) -> QueryString:
    """The SQL of why a member of ``PANEL_JOINS`` is not in the pool, as a ``LeftOut`` code;
    NULL when they are in it."""
    cases: list[tuple[LeftOut, QueryString]] = [
        (LeftOut.PAUSED, QueryString("m.status = 'paused'")),
        (LeftOut.DO_NOT_CONTACT, QueryString("m.do_not_contact = {}", True)),
        # Both consents: the membership and the kind's (``panel_joins`` counts them).
        (LeftOut.NO_CONSENT, QueryString("COALESCE(k.held, 0) < 2")),
        (
            LeftOut.NOT_REACHABLE,
            QueryString(
                "u.email IS NULL OR NOT EXISTS (SELECT 1 FROM contact_preference p "
                "WHERE p.member = m.id AND p.channel = 'email' AND p.safe = {})",
                True,
            ),
        ),
    ]
    if plan.eligible_districts:
        cases.append(
            (
                LeftOut.DISTRICT,
                QueryString(
                    f"m.district NOT IN ({', '.join('{}' for _ in plan.eligible_districts)})",
                    *plan.eligible_districts,
                ),
            )
        )
    if plan.eligible_crime_types:
        told_us = any_of(
            [
                QueryString(
                    "COALESCE(x.crime_types, '') LIKE {} ESCAPE '\\'", contains(json.dumps(code))
                )
                for code in plan.eligible_crime_types
            ]
        )
        cases.append((LeftOut.CRIME_TYPE, QueryString("NOT ({})", told_us)))
    if plan.eligible_involvement != ANYONE:
        cases.append(
            (
                LeftOut.INVOLVEMENT,
                QueryString(
                    "COALESCE(x.involvement, '') NOT IN ({}, 'both')", plan.eligible_involvement
                ),
            )
        )
    if plan.exclude_open_court_cases:
        cases.append(
            (
                LeftOut.COURT_CASE,
                QueryString(
                    f"COALESCE(x.court_case, '') IN ({', '.join('{}' for _ in COURT_CASE_OPEN)})",
                    *COURT_CASE_OPEN,
                ),
            )
        )
    no_override = QueryString(
        "NOT EXISTS (SELECT 1 FROM contact_override o WHERE o.member = m.id "
        "AND o.used_at IS NULL AND o.expires_at > {})",
        now,
    )
    limits_reached = [
        (
            LeftOut.SESSIONS,
            QueryString(
                "m.id IN (SELECT a.member FROM attendance a WHERE a.attended_at > {} "
                "GROUP BY a.member HAVING COUNT(*) >= {})",
                now - SESSION_WINDOW,
                limits.max_sessions_per_year,
            ),
        ),
        (
            LeftOut.INVITATIONS,
            QueryString(
                "m.id IN (SELECT i.member FROM invitation i WHERE i.invited_at > {} "
                "GROUP BY i.member HAVING COUNT(*) >= {})",
                now - INVITATION_WINDOW,
                limits.max_invitations_per_90_days,
            ),
        ),
        (
            LeftOut.COOL_DOWN,
            QueryString(
                "EXISTS (SELECT 1 FROM invitation i WHERE i.member = m.id AND i.invited_at > {})",
                now - limits.cooldown,
            ),
        ),
    ]
    cases += [(reason, all_of([reached, no_override])) for reason, reached in limits_reached]
    whens = " ".join("WHEN {} THEN {}" for _ in cases)
    values: list[Any] = []
    for reason, condition in cases:
        values += [condition, reason.value]
    return QueryString(f"(CASE {whens} ELSE NULL END)", *values)


@dataclass(frozen=True)
class Pool:
    size: int
    panel: int  # members of the panel, in the pool or not
    left_out: dict[LeftOut, int]
    make_up: dict[str, Counter[str]]  # dimension → code → members of the pool
    not_stated: dict[str, int]  # dimension → members of the pool counted with no answer
    equality_members: int  # members of the pool whose equality data may be used

    @property
    def largest_groups_left_out(self) -> list[tuple[LeftOut, int]]:
        return largest_groups_left_out(self.left_out)


@dataclass(frozen=True)
class PoolSql:
    """The pieces of SQL every question about an engagement's pool is made of."""

    joins: QueryString  # the panel's members with what the reason needs (``PANEL_JOINS``)
    reason: QueryString  # why a member is left out (``reason_left_out``)
    equality_held: QueryString  # whether ``m``'s consent to using equality answers holds


async def conditions_of(engagement_id: int, settings: Settings, now: datetime) -> PoolSql:
    plan = (await engagement_record(engagement_id)).plan
    versions = await versions_in_force()
    held = {
        purpose: consent_held_where(purpose, versions, now, settings.consent_renewal)
        for purpose in (Purpose.MEMBERSHIP, plan.kind.consent_needed, Purpose.EQUALITY_DATA)
    }
    return PoolSql(
        joins=panel_joins(held, plan),
        reason=reason_left_out(plan, limits_of(settings), now),
        equality_held=consent_held(held[Purpose.EQUALITY_DATA]),
    )


async def reason_of_each_member(
    engagement_id: int, settings: Settings, now: datetime | None = None
) -> dict[int, LeftOut | None]:
    """Each member of the panel, with why they are left out of the pool (None: in it)."""
    sql = await conditions_of(engagement_id, settings, now or datetime.now(UTC))
    rows = await Member.raw(REASON_OF_EACH_SQL, sql.reason, sql.joins)
    return {row["id"]: LeftOut(row["reason"]) if row["reason"] else None for row in rows}


# What a selection can balance, in the order its pages list them.
SNAPSHOT_FEATURES = ("district", "involvement", "age_band", "sex", "ethnicity", "disability")


@dataclass(frozen=True)
class PoolMember:
    member_id: int
    features: dict[str, str]  # each of SNAPSHOT_FEATURES; "" when not stated


async def pool_snapshot(
    engagement_id: int, settings: Settings, now: datetime | None = None
) -> list[PoolMember]:
    """The pool as a selection starts from it: each member with the answers it can balance."""
    sql = await conditions_of(engagement_id, settings, now or datetime.now(UTC))
    held = sql.equality_held
    rows = await Member.raw(SNAPSHOT_SQL, held, held, held, held, sql.joins, sql.reason)
    return [
        PoolMember(row["id"], {feature: row[feature] or "" for feature in SNAPSHOT_FEATURES})
        for row in rows
    ]


async def eligible_pool(
    engagement_id: int, reference: ReferenceData, settings: Settings, now: datetime | None = None
) -> Pool:
    """The engagement's pool as it stands now, with its make-up and who is left out and why."""
    sql = await conditions_of(engagement_id, settings, now or datetime.now(UTC))
    rows = await Member.raw(POOL_SQL, sql.reason, sql.joins, sql.equality_held)
    reasons = [
        {"reason": row["a"], "members": row["members"]} for row in rows if row["part"] == "reason"
    ]
    answers = [
        {"district": row["a"], "crime_types": row["b"], "members": row["members"]}
        for row in rows
        if row["part"] == "answers"
    ]
    equality = [
        {
            "age_band": row["a"],
            "sex": row["b"],
            "ethnicity": row["c"],
            "disability": row["d"],
            "members": row["members"],
        }
        for row in rows
        if row["part"] == "equality"
    ]
    left_out = {LeftOut(row["reason"]): row["members"] for row in reasons if row["reason"]}
    size = sum(row["members"] for row in reasons if not row["reason"])
    make_up, not_stated = count_make_up(answers, equality, size, reference)
    return Pool(
        size=size,
        panel=sum(row["members"] for row in reasons),
        left_out=left_out,
        make_up=make_up,
        not_stated=not_stated,
        equality_members=sum(row["members"] for row in equality),
    )


def count_make_up(
    answers: list[dict[str, Any]],
    equality: list[dict[str, Any]],
    size: int,
    reference: ReferenceData,
) -> tuple[dict[str, Counter[str]], dict[str, int]]:
    """The pool by each dimension the panel is compared on; answers outside the reference data
    (an old code) count as not stated."""
    codes = {
        dimension: {choice.code for choice in reference.choices_of(dimension)}
        for dimension in TARGET_DIMENSIONS
    }
    make_up: dict[str, Counter[str]] = {dimension: Counter() for dimension in TARGET_DIMENSIONS}
    not_stated: dict[str, int] = {}
    told_us_crime = 0
    for row in answers:
        if row["district"] in codes["district"]:
            make_up["district"][row["district"]] += row["members"]
        chosen = set(json.loads(row["crime_types"] or "[]")) & codes["crime_type"]
        told_us_crime += row["members"] if chosen else 0
        make_up["crime_type"].update({code: row["members"] for code in chosen})
    not_stated["district"] = size - make_up["district"].total()
    not_stated["crime_type"] = size - told_us_crime
    equality_members = sum(row["members"] for row in equality)
    for dimension in EQUALITY_DIMENSIONS:
        for row in equality:
            if row[dimension] in codes[dimension]:
                make_up[dimension][row[dimension]] += row["members"]
        not_stated[dimension] = equality_members - make_up[dimension].total()
    return make_up, not_stated
