"""Applicants waiting for screening, and a staff member signed in to screen them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from panel.accounts.rules import Role
from panel.consent.rules import Purpose
from panel.members.tables import Member
from panel.outbox.tables import OutboxMessage
from tests.support import html


@pytest.fixture
async def make_applicant(make_member: Any) -> Any:
    """A verified applicant (email confirmed, safe at any time) who gave the membership consent."""

    async def make(
        preferred_name: str = "Alex", verified_days_ago: float = 1, status: str = "verified"
    ) -> dict:
        member = await make_member(
            status=status, consents=(Purpose.MEMBERSHIP,), preferred_name=preferred_name
        )
        verified_at = datetime.now(UTC) - timedelta(days=verified_days_ago)
        await Member.update({Member.verified_at: verified_at}).where(
            Member.id == member["member_id"]
        )
        return member

    return make


@pytest.fixture
async def staff(signed_in: Any) -> dict:
    return await signed_in(Role.STAFF)


def seen_on(page: str) -> str:
    """The latest decision the application page was showing, as its forms send it."""
    seen = {field["value"] for field in html.select(page, 'main form input[name="seen"]')}
    assert len(seen) == 1, f"the page offers decisions, each sent with what it showed: {seen}"
    return str(seen.pop())


async def status_of(member_id: int) -> str:
    row = await Member.select(Member.status).where(Member.id == member_id).first()
    return row["status"]


async def emails_to(member_id: int) -> list[dict]:
    return await (
        OutboxMessage.select()
        .where(OutboxMessage.member_id == member_id)
        .order_by(OutboxMessage.id)
    )
