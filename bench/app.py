"""The application the HTTP benchmark serves, and the steps that prepare its database.

``create_bench_app`` is the panel exactly as ``create_app`` builds it, plus one bare route,
``GET /bench/bare``, registered on the same application. The bare route passes through the same
middleware (session, CSRF) and security-header hook as every page, but does no database query and
renders no template, so it measures what the framework and the server cost on their own.

Run by ``bench/http.py`` (from the project's root, with the PANEL_* variables it sets)::

    python -m uvicorn --factory bench.app:create_bench_app ...
    python -m bench.app reset-database     # PostgreSQL only: empty the bench database
    python -m bench.app staff-session      # prints a signed-in staff session token
    python -m bench.app member-session     # prints a signed-in panel member's session token
    python -m bench.app engagement         # prints the id of a focus group to find a pool for

and by ``bench/signup.py`` and ``bench/management.py``; ``bench/signup.py`` also runs::

    python -m bench.app sign-ups PREFIX EXPECTED TIMEOUT   # waits for the applications to be made
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from litestar import Litestar, MediaType, get

from panel.app import create_app
from panel.settings import ROOT, Settings, load_settings

if str(ROOT) not in sys.path:  # Piccolo finds its configuration as the module ``piccolo_conf``.
    sys.path.insert(0, str(ROOT))

# One applicant's answers, page by page, in the order the pages come (as in
# tests/integration/signup/test_signup.py); each applicant gets their own email address.
ANSWERS: dict[str, dict[str, Any]] = {
    "details": {
        "preferred_name": "Robin",
        "email": "",
        "phone": "07700 900982",
        "postal_address": "",
        "district": "maidstone",
    },
    "contact": {
        "email_safe": "any",
        "phone_call_safe": "some",
        "phone_call_days": ["0", "2"],
        "phone_call_from": "9am",
        "phone_call_to": "17:00",
        "phone_call_voicemail": "no",
        "text_message_safe": "no",
        "post_safe": "no",
        "code_word": "bluebell",
    },
    "experience": {
        "involvement": "victim",
        "crime_types": ["burglary_home", "fraud_cyber"],
        "when": "year",
        "year": "2021",
        "court_case": "no",
    },
    "access-needs": {"needs": ["interpreter", "step_free"], "language": "Polish"},
    "taking-part": {"ways": ["surveys", "focus_groups"], "formats": ["online"]},
    "equality": {"age_band": "25_34", "religion": "prefer_not", "equality_consent": "yes"},
    "consents": {"consents": ["membership", "surveys"]},
    "password": {
        "sign_in": "password",
        "password": "purple lanterns over quiet rivers",
        "password_confirm": "purple lanterns over quiet rivers",
    },
}

BARE_PATH = "/bench/bare"
BARE_BODY = "ok"
STAFF_EMAIL = "bench-staff@example.org"
STAFF_PASSWORD = "bench staff password for timing only"


@get(BARE_PATH, name="bench:bare", opt={"public": True}, media_type=MediaType.TEXT, cache=False)
async def bare() -> str:
    return BARE_BODY


def create_bench_app() -> Litestar:
    """The uvicorn factory: the panel from the environment's settings, plus the bare route."""
    app = create_app(load_settings())
    app.register(bare)
    return app


# ---------------------------------------------------------------------------------------------
# Preparing the database


def bench_database_name(url: str) -> str:
    """The database a PostgreSQL URL names; only a database with "bench" in its name is emptied."""
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"refusing to empty database {name!r}: the benchmark only empties a database whose "
            "name contains 'bench' (for example postgresql://postgres@127.0.0.1:5432/panel_bench)"
        )
    return name


async def reset_postgres(url: str) -> None:
    """Create the bench database if it is missing, then drop and recreate its public schema."""
    from tests.support.database import empty_postgres

    bench_database_name(url)
    await empty_postgres(url)


async def staff_session(settings: Settings) -> str:
    """A staff account with two-factor set up, and a signed-in (COMPLETE) session token for it.
    A database kept from an earlier run (``bench/management.py --reuse``) keeps its account."""
    import pyotp

    from panel import db
    from panel.accounts.passwords import Passwords
    from panel.accounts.rules import Role, SessionStage
    from panel.accounts.sealing import seal
    from panel.accounts.services import create_user, start_session
    from panel.accounts.tables import User
    from panel.audit.services import Actor

    try:
        await db.open_connections(settings)
        actor = Actor(user_id=None, client_hash="bench")
        existing = await User.select(User.id).where(User.email == STAFF_EMAIL).first()
        if existing is not None:
            return await start_session(existing["id"], SessionStage.COMPLETE)
        user_id = await create_user(
            STAFF_EMAIL, Role.STAFF, STAFF_PASSWORD, Passwords(settings), actor
        )
        sealed = seal(settings.secret_key, pyotp.random_base32())
        await User.update({User.totp_secret_sealed: sealed}).where(User.id == user_id)
        return await start_session(user_id, SessionStage.COMPLETE)
    finally:
        await db.close_connections()


MEMBER_EMAIL = "bench-member@example.org"


async def member_session(settings: Settings) -> str:
    """An active panel member who has agreed to membership, and a signed-in session for them."""
    import secrets

    from panel import db
    from panel.accounts.passwords import Passwords
    from panel.accounts.rules import Role, SessionStage
    from panel.accounts.services import create_user, start_session
    from panel.accounts.tables import User
    from panel.audit.services import Actor
    from panel.consent.rules import Purpose
    from panel.consent.services import record_consent
    from panel.members.tables import ContactPreference, Member

    try:
        await db.open_connections(settings)
        actor = Actor(user_id=None, client_hash="bench")
        existing = await User.select(User.id).where(User.email == MEMBER_EMAIL).first()
        if existing is not None:
            return await start_session(existing["id"], SessionStage.COMPLETE)
        user_id = await create_user(
            MEMBER_EMAIL, Role.MEMBER, STAFF_PASSWORD, Passwords(settings), actor
        )
        rows = await Member.insert(
            Member(
                user=user_id,
                pseudonym=secrets.token_hex(8),
                preferred_name="Robin",
                status="active",
                district="maidstone",
            )
        )
        member_id = rows[0]["id"]
        await ContactPreference.insert(
            ContactPreference(member=member_id, channel="email", safe=True)
        )
        for purpose in (Purpose.MEMBERSHIP, Purpose.SURVEYS):
            await record_consent(member_id, purpose, True, actor)
        return await start_session(user_id, SessionStage.COMPLETE)
    finally:
        await db.close_connections()


async def sign_ups(settings: Settings, prefix: str, expected: int, wait_seconds: float) -> str:
    """Wait until ``expected`` applicants whose email starts with ``prefix`` have a member record
    (or ``wait_seconds`` pass). Returns JSON: how many have one, how many confirmation emails
    are queued for them, and when the last was queued (Unix time): the end of the last
    application's work, done after its answer was sent."""
    from panel import db
    from panel.members.tables import Member
    from panel.outbox.tables import OutboxMessage

    try:
        await db.open_connections(settings)
        deadline = time.monotonic() + wait_seconds
        while True:
            members = await Member.count().where(Member.user.email.like(f"{prefix}%"))
            if members >= expected or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        theirs = OutboxMessage.to_address.like(f"{prefix}%")
        emails = await OutboxMessage.count().where(theirs)
        last = (
            await OutboxMessage.select(OutboxMessage.created_at)
            .where(theirs)
            .order_by(OutboxMessage.created_at, ascending=False)
            .first()
        )
        return json.dumps(
            {
                "members": members,
                "emails": emails,
                "last_queued_at": last["created_at"].timestamp() if last else None,
            }
        )
    finally:
        await db.close_connections()


BENCH_ENGAGEMENT = "Benchmark: updates during an investigation"


async def bench_engagement(settings: Settings) -> int:
    """A focus group three weeks ahead, for victims in four districts who told us of one of three
    crime types, leaving out open court cases: every test the pool makes. Made once, then reused."""
    from datetime import UTC, datetime, timedelta

    from panel import db
    from panel.audit.services import Actor
    from panel.engagements.rules import (
        EngagementFormat,
        EngagementKind,
        EngagementPlan,
    )
    from panel.engagements.services import create_engagement
    from panel.engagements.tables import Engagement

    try:
        await db.open_connections(settings)
        found = (
            await Engagement.select(Engagement.id)
            .where(Engagement.title == BENCH_ENGAGEMENT)
            .first()
        )
        if found:
            return found["id"]
        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=21)
        plan = EngagementPlan(
            kind=EngagementKind.FOCUS_GROUP,
            title=BENCH_ENGAGEMENT,
            format=EngagementFormat.ONLINE,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=12,
            reserves=3,
            public_description="A conversation about being kept up to date.",
            eligible_crime_types=("burglary_home", "violence", "fraud_cyber"),
            eligible_districts=("maidstone", "medway", "swale", "thanet"),
            eligible_involvement="victim",
            exclude_open_court_cases=True,
        )
        return await create_engagement(plan, Actor(user_id=None, client_hash="bench"))
    finally:
        await db.close_connections()


def main(argv: list[str]) -> int:
    settings = load_settings()
    command = argv[0] if argv else ""
    if command == "reset-database":
        if settings.is_postgres:
            asyncio.run(reset_postgres(settings.database_url))
        return 0
    if command == "staff-session":
        print(asyncio.run(staff_session(settings)))
        return 0
    if command == "member-session":
        print(asyncio.run(member_session(settings)))
        return 0
    if command == "engagement":
        print(asyncio.run(bench_engagement(settings)))
        return 0
    if command == "sign-ups" and len(argv) == 4:
        prefix, expected, timeout = argv[1], int(argv[2]), float(argv[3])
        print(asyncio.run(sign_ups(settings, prefix, expected, timeout)))
        return 0
    print(
        "usage: python -m bench.app reset-database | staff-session | member-session "
        "| engagement | sign-ups PREFIX EXPECTED TIMEOUT",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
