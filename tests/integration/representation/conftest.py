"""Panels of members to compare with targets, made straight in the database (members need no
account to be counted), and reading the dashboard's tables and charts back from the page."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import Tag

from panel.consent.rules import Purpose
from panel.consent.services import record_consent
from panel.consent.tables import LatestConsent
from panel.members.tables import EqualityData, ExperienceProfile, Member
from tests.integration.conftest import ACTOR
from tests.support import html


@pytest.fixture
def add_members() -> Any:
    """``add_members(n, ...)``: n members alike. ``equality`` is their answers (None: no row),
    ``consent`` whether they agreed to equality data: "given", "withdrawn", "lapsed" or None."""

    async def add(
        n: int,
        status: str = "active",
        district: str = "maidstone",
        crime_types: Sequence[str] | None = (),
        equality: dict[str, str] | None = None,
        consent: str | None = "given",
    ) -> list[int]:
        rows = await Member.insert(
            *(
                Member(pseudonym=secrets.token_hex(8), status=status, district=district)
                for _ in range(n)
            )
        ).returning(Member.id)
        ids = [row["id"] for row in rows]
        if crime_types is not None:
            await ExperienceProfile.insert(
                *(
                    ExperienceProfile(
                        member=member_id, involvement="victim", crime_types=json.dumps(crime_types)
                    )
                    for member_id in ids
                )
            )
        if equality is not None:
            await EqualityData.insert(
                *(EqualityData(member=member_id, **equality) for member_id in ids)
            )
        for member_id in ids:
            if consent is not None:
                await record_consent(member_id, Purpose.EQUALITY_DATA, True, ACTOR)
            if consent == "withdrawn":
                await record_consent(member_id, Purpose.EQUALITY_DATA, False, ACTOR)
        if consent == "lapsed":
            three_years_ago = datetime.now(UTC) - timedelta(days=3 * 365)
            await LatestConsent.update({LatestConsent.at: three_years_ago}).where(
                LatestConsent.member.is_in(ids)
            )
        return ids

    return add


def section(page: str, dimension: str) -> Tag:
    """The dashboard's section for one dimension: its chart and its table."""
    return html.one(page, f'section[aria-labelledby="{dimension}"]')


def table_rows(page: str, dimension: str) -> dict[str, list[str]]:
    """The dimension's table: each row's heading → the text of its cells."""
    rows = html.table_cells(section(page, dimension), "table")
    return {heading: cells for heading, *cells in rows}


def not_stated(page: str, dimension: str) -> str:
    """The section's line on the members who preferred not to say, or "" when it has none."""
    lines = [
        line
        for line in html.texts(section(page, dimension), "p")
        if "counted here preferred not to say" in line
    ]
    assert len(lines) <= 1, lines
    return lines[0] if lines else ""


def chart_bars(page: str, dimension: str) -> dict[str, float]:
    """The groups that have a bar for the panel now in the dimension's chart, with its width."""
    chart = html.one(section(page, dimension), "svg")
    return {
        str(rect["data-group"]): float(str(rect["width"]))
        for rect in html.select(chart, "rect[data-group]")
    }
