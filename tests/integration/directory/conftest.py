"""Members made straight in the database, each test's own marked with a tag that a search for it
finds, so a test counts only the members it made; and a staff member signed in to look at them."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Sequence
from typing import Any

import pytest

from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.consent.rules import Purpose
from panel.consent.services import record_consent
from panel.members.tables import AccessNeeds, ContactPreference, ExperienceProfile, Member
from tests.integration.conftest import ACTOR
from tests.support import html


@pytest.fixture
def tag() -> str:
    """A word no other test's members have: searching for it finds this test's members only."""
    return "t" + secrets.token_hex(4)


@pytest.fixture
async def staff(signed_in: Any) -> dict:
    return await signed_in(Role.STAFF)


@pytest.fixture
def add_member(tag: str) -> Any:
    """A member with an account whose email holds the tag. Experience and access needs are added
    when given; consents are recorded through the consent service, as the app records them."""

    async def add(
        name: str = "Sam",
        *,
        status: str = "active",
        email: str | None = None,
        district: str = "maidstone",
        phone: str = "",
        consents: Sequence[Purpose] = (),
        involvement: str | None = None,
        crime_types: Sequence[str] = (),
        needs: Sequence[str] | None = None,
        **columns: Any,
    ) -> int:
        email = (
            email or f"{name.lower().replace(' ', '.')}.{secrets.token_hex(3)}@{tag}.example.org"
        )
        user = await User.insert(User(email=email, role=Role.MEMBER.value))
        rows = await Member.insert(
            Member(
                user=user[0]["id"],
                pseudonym=secrets.token_hex(8),
                preferred_name=name,
                status=status,
                district=district,
                phone=phone,
                **columns,
            )
        )
        member_id = rows[0]["id"]
        await ContactPreference.insert(
            ContactPreference(member=member_id, channel="email", safe=True)
        )
        if involvement is not None or crime_types:
            await ExperienceProfile.insert(
                ExperienceProfile(
                    member=member_id,
                    involvement=involvement or "",
                    crime_types=json.dumps(list(crime_types)),
                )
            )
        if needs is not None:
            await AccessNeeds.insert(AccessNeeds(member=member_id, needs=json.dumps(list(needs))))
        for purpose in consents:
            await record_consent(member_id, purpose, True, ACTOR)
        return member_id

    return add


def listed(page: str) -> list[int]:
    """The members a directory page lists, in order: the links in its table's first column."""
    links = html.hrefs(page, "table tbody td:first-child a")
    return [int(re.fullmatch(r"/staff/members/(\d+)", href).group(1)) for href in links]


def found_count(page: str) -> int:
    """The count in the heading over the results ("1 member found", "1,250 members found")."""
    headings = [heading for heading in html.texts(page, "h2") if heading.endswith(" found")]
    assert len(headings) == 1, f"the page says once how many members it found: {headings}"
    match = re.fullmatch(r"([\d,]+) members? found", headings[0])
    assert match, headings[0]
    return int(match.group(1).replace(",", ""))
