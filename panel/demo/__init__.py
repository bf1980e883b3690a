"""Demo data (demo mode only): one active member who can sign in, applicants waiting for
screening, and a synthetic panel of a few hundred members with years of history, so every page
(the directory, representativeness, the board's report) shows real numbers. Every name and
address is invented; emails use the reserved ``.example`` domain."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta

from panel import db
from panel.accounts.passwords import Passwords
from panel.accounts.rules import Role
from panel.accounts.services import DEMO_PASSWORD, create_user
from panel.accounts.tables import User
from panel.audit.services import Actor
from panel.consent.rules import Purpose
from panel.consent.services import record_consent
from panel.demo.synthetic import fill
from panel.directory.tables import ContactLogEntry
from panel.members.rules import MemberStatus
from panel.members.tables import AccessNeeds, ContactPreference, ExperienceProfile, Member

DEMO_ACTOR = Actor(user_id=None, client_hash="demo data")
SYNTHETIC_MEMBERS = 400
SYNTHETIC_DOMAIN = "members.demo.example"
SYNTHETIC_SEED = 2026
WEEKDAY_DAYTIME = json.dumps([{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}])

# (email, preferred name, district, status, involvement, crime types, how to take part)
DEMO_MEMBERS = (
    (
        "member@demo.example",
        "Jo",
        "maidstone",
        MemberStatus.ACTIVE,
        "victim",
        ["burglary_home"],
        ["surveys"],
    ),
    (
        "applicant.one@demo.example",
        "Priya",
        "medway",
        MemberStatus.VERIFIED,
        "witness",
        ["violence"],
        ["focus_groups", "surveys"],
    ),
    (
        "applicant.two@demo.example",
        "Chris",
        "thanet",
        MemberStatus.VERIFIED,
        "both",
        ["fraud_cyber", "theft"],
        ["case_reviews"],
    ),
)


async def load_demo_members(passwords: Passwords) -> list[tuple[str, str, bool]]:
    """Create the demo members that are missing. Returns (email, status, created) for each."""
    result: list[tuple[str, str, bool]] = []
    now = datetime.now(UTC)
    for number, (email, name, district, status, involvement, crime_types, ways) in enumerate(
        DEMO_MEMBERS
    ):
        if await User.exists().where(User.email == email):
            result.append((email, status, False))
            continue
        async with db.transaction():
            user_id = await create_user(
                email, Role.MEMBER, DEMO_PASSWORD, passwords, DEMO_ACTOR, is_demo=True
            )
            rows = await Member.insert(
                Member(
                    user=user_id,
                    pseudonym=secrets.token_hex(8),
                    status=status,
                    preferred_name=name,
                    # Phone calls are safe for them, so they have a number (from Ofcom's range
                    # for drama, which reaches no one).
                    phone=f"07700 900{number:03d}",
                    district=district,
                    ways_to_take_part=json.dumps(ways),
                    formats=json.dumps(["online"]),
                    created_at=now - timedelta(days=3),
                    verified_at=now - timedelta(days=2),
                )
            )
            member_id = rows[0]["id"]
            await ContactPreference.insert(
                ContactPreference(member=member_id, channel="email", safe=True),
                ContactPreference(
                    member=member_id, channel="phone_call", safe=True, safe_times=WEEKDAY_DAYTIME
                ),
            )
            await ExperienceProfile.insert(
                ExperienceProfile(
                    member=member_id,
                    involvement=involvement,
                    crime_types=json.dumps(crime_types),
                    year="2024",
                    court_case="no",
                )
            )
            await AccessNeeds.insert(AccessNeeds(member=member_id, needs='["large_print"]'))
            if status is MemberStatus.ACTIVE:
                await ContactLogEntry.insert(
                    ContactLogEntry(
                        member=member_id,
                        at=now - timedelta(days=1, hours=2),
                        channel="phone_call",
                        reason="returning_call",
                        note="Asked when the next survey opens. Said we would email the link.",
                    )
                )
            for purpose in (Purpose.MEMBERSHIP, *(Purpose(way) for way in ways)):
                await record_consent(member_id, purpose, True, DEMO_ACTOR)
        result.append((email, status, True))
    return result


async def load_synthetic_panel(database_url: str, passwords: Passwords) -> int:
    """Add the synthetic panel unless it is there already. Returns how many members were added
    (0 when they were there). Those with an account sign in with the demo password."""
    if await User.exists().where(User.email == f"m1@{SYNTHETIC_DOMAIN}"):
        return 0
    filled = await fill(
        database_url,
        SYNTHETIC_MEMBERS,
        SYNTHETIC_SEED,
        now=datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0),
        password_hash=passwords.hash_now(DEMO_PASSWORD),
        email_domain=SYNTHETIC_DOMAIN,
        progress=False,
    )
    return filled.members
