"""No search in the directory reads every member (issue 11, point 1): for every filter and sort the
directory offers, combined with a search, the database's own plan for the page (and for the
export's rows) finds members through an index.

The plans are made for a panel of 3,000 invented members whose statistics the planner has just
gathered (inside the test's transaction, so they go with it), so that it plans as it would for a
real panel rather than for a table of three rows. On SQLite, ``EXPLAIN QUERY PLAN`` names each
table it reads; ``SCAN m`` (with or without an index) reads every member. PostgreSQL's planner
would still read a table that size whole when that is cheaper, so its plans are asked for with
sequential scans priced out (``enable_seqscan = off``): a ``Seq Scan`` on ``member`` that
remains, or an index scan with no condition (every entry of an index, in order), means no index
can answer.

The searches are of three letters or more: an index of three-letter pieces cannot answer a
shorter one on either engine (SQLite then reads the search table, which holds only names and
emails; ``test_search_index.py`` shows it still finds them).
"""

from __future__ import annotations

import json
import random
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from piccolo.querystring import QueryString

from panel import db
from panel.accounts.tables import User
from panel.consent.rules import Purpose
from panel.demo.synthetic import DISTRICTS, FIRST_NAMES, SURNAMES
from panel.directory import services
from panel.directory.rules import DirectoryFilter, Sort, SortField
from panel.members.rules import MemberStatus
from panel.members.tables import AccessNeeds, ExperienceProfile, Member

DISTRICT_CODES = [code for code, _ in DISTRICTS]

RENEWAL = timedelta(days=365)

FILTERS: dict[str, dict[str, Any]] = {
    "none": {},
    "status active": {"statuses": (MemberStatus.ACTIVE,)},
    "status paused or left": {"statuses": (MemberStatus.PAUSED, MemberStatus.LEFT)},
    "district": {"district": "dover"},
    "crime type": {"crime_type": "violence"},
    "involvement": {"involvement": "victim"},
    "consent": {"consent": Purpose.FOCUS_GROUPS},
    "never invited": {"invited": "never"},
    "not invited for 90 days": {"invited": "90"},
    "not taken part for a year": {"took_part": "365"},
    "paused": {"paused": "yes"},
    "not paused": {"paused": "no"},
    "any access need": {"access_need": "any"},
    "an access need": {"access_need": "step_free"},
    "status and district": {"statuses": (MemberStatus.ACTIVE,), "district": "swale"},
}
SORTS = [Sort(field, descending) for field in SortField for descending in (False, True)]
SEARCHES = ["rosa", "ali"]
PANEL_SIZE = 3000


@pytest.fixture
async def panel_of_3000() -> None:
    """Members shaped like a panel's, then fresh planner statistics."""
    rng = random.Random(11)
    users = await db.insert_many(
        User,
        [
            {"email": f"p{number}.{secrets.token_hex(3)}@plans.example.org", "role": "member"}
            for number in range(PANEL_SIZE)
        ],
        returning=("id",),
    )
    statuses = ["active"] * 8 + ["paused", "left", "erased", "verified"]
    members = await db.insert_many(
        Member,
        [
            {
                "user": user["id"],
                "pseudonym": secrets.token_hex(8),
                "preferred_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                "status": rng.choice(statuses),
                "district": rng.choice(DISTRICT_CODES),
                "last_invited_at": rng.choice([None, datetime.now(UTC) - timedelta(days=40)]),
            }
            for user in users
        ],
        returning=("id",),
    )
    await db.insert_many(
        ExperienceProfile,
        [
            {"member": member["id"], "involvement": "victim", "crime_types": '["violence"]'}
            for member in members
        ],
    )
    await db.insert_many(
        AccessNeeds, [{"member": member["id"], "needs": "[]"} for member in members]
    )
    await db.engine().run_ddl("ANALYZE")


async def plan_of(query: QueryString) -> list[str]:
    """What the database would do for ``query``: SQLite's plan lines, or PostgreSQL's nodes."""
    if not db.is_postgres():
        rows = await db.engine().run_querystring(QueryString("EXPLAIN QUERY PLAN {}", query))
        return [row["detail"] for row in rows]
    await db.engine().run_ddl("SET LOCAL enable_seqscan = off")
    rows = await db.engine().run_querystring(QueryString("EXPLAIN (FORMAT JSON) {}", query))
    document = rows[0]["QUERY PLAN"]
    plan = json.loads(document) if isinstance(document, str) else document
    return list(postgres_nodes(plan[0]["Plan"]))


def postgres_nodes(node: dict[str, Any]) -> Any:
    condition = node.get("Index Cond", "")
    yield f"{node['Node Type']} on {node.get('Relation Name', '-')} cond={condition}"
    for child in node.get("Plans", []):
        yield from postgres_nodes(child)


def reads_every_member(plan: list[str]) -> list[str]:
    """The steps of the plan that read the whole member table (or a whole index of it)."""
    if db.is_postgres():
        return [
            step
            for step in plan
            if " on member " in step
            and (step.startswith("Seq Scan") or (" Scan" in step and step.endswith("cond=")))
            and not step.startswith("Bitmap Heap Scan")
        ]
    return [step for step in plan if re.match(r"SCAN (m|s|member)\b", step)]


def filters() -> list[tuple[str, DirectoryFilter]]:
    return [
        (
            f"{name}, {search!r}, sort {sort.field.value}{' desc' if sort.descending else ''}",
            DirectoryFilter(q=search, sort=sort, **values),
        )
        for name, values in FILTERS.items()
        for search in SEARCHES
        for sort in SORTS
    ]


@pytest.mark.parametrize("name", sorted(FILTERS))
async def test_no_page_with_a_search_reads_every_member(name, panel_of_3000):
    now = datetime.now(UTC)
    found = []
    for label, wanted in filters():
        if not label.startswith(f"{name},"):
            continue
        where, _ = await services.conditions_for(wanted, now, RENEWAL)
        for query in (
            services.page_query(where, wanted, page=3),
            services.export_rows_query(where, wanted),
        ):
            plan = await plan_of(query)
            if bad := reads_every_member(plan):
                found.append(f"{label}: {bad}")
    assert found == []


async def test_the_check_sees_a_search_that_reads_every_member(panel_of_3000):
    """What the test above looks for is there in a plan that does read every member."""
    scanning = QueryString("SELECT m.id FROM member m WHERE m.phone LIKE {} ORDER BY m.id", "%x%")
    assert reads_every_member(await plan_of(scanning)) != []
