"""Importing an existing panel: checking a whole file, then adding everyone in it at once.

Nothing is written unless every row is valid. The import is one transaction of bulk inserts,
thousands of rows a statement, so a file of 5,000 people takes seconds, not minutes. Nothing
from the file reaches a log: problems name rows and columns, and the audit event counts people.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from panel import db
from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.audit.services import Actor, record_event
from panel.consent.rules import Purpose
from panel.consent.services import (
    PastConsent,
    record_past_consents,
    versions_in_force,
    wording_titles,
)
from panel.imports.forms import (
    ACCESS_NEED_CHOICES,
    INVOLVEMENT_CHOICES,
    ImportedPerson,
    RowContext,
    clean_file,
    template_csv,
)
from panel.imports.rules import (
    COLUMNS,
    ImportColumn,
    Problem,
    already_registered,
    attestation,
    consent_time,
    in_report_order,
    ways_to_take_part,
)
from panel.members.reference import Choice, ReferenceData
from panel.members.rules import MemberStatus
from panel.members.tables import AccessNeeds, ContactPreference, ExperienceProfile, Member
from panel.settings import Settings

EMAILS_PER_QUERY = 5000  # parameters of one query: under SQLite's and PostgreSQL's limits


class FileTooLarge(Exception):
    """The upload is larger than ``PANEL_IMPORT_MAX_BYTES``."""


@dataclass(frozen=True)
class ImportOutcome:
    added: int  # 0 when there were problems: then nobody was added
    problems: list[Problem]


async def registered_emails(emails: Sequence[str]) -> set[str]:
    """Which of these email addresses already have an account (of any role)."""
    found: set[str] = set()
    for start in range(0, len(emails), EMAILS_PER_QUERY):
        batch = list(emails[start : start + EMAILS_PER_QUERY])
        rows = await User.select(User.email).where(User.email.is_in(batch))
        found.update(row["email"] for row in rows)
    return found


async def row_context(reference: ReferenceData, settings: Settings, now: datetime) -> RowContext:
    versions = await versions_in_force()
    return RowContext(
        reference=reference,
        today=now.astimezone(ZoneInfo(settings.time_zone)).date(),
        now=now,
        renewal=settings.consent_renewal,
        renewal_months=settings.consent_renewal_months,
        published=frozenset(versions.wording),
    )


@dataclass(frozen=True)
class FormatGuide:
    """What the import page lists so staff can fill in the file: its columns and the codes."""

    columns: tuple[ImportColumn, ...]
    districts: tuple[Choice, ...]
    crime_types: tuple[Choice, ...]
    involvement: tuple[Choice, ...]
    access_needs: tuple[Choice, ...]
    purposes: tuple[Choice, ...]  # those with published wording, by their titles


async def format_guide(reference: ReferenceData) -> FormatGuide:
    titles = await wording_titles()
    return FormatGuide(
        columns=COLUMNS,
        districts=reference.districts,
        crime_types=reference.crime_types,
        involvement=INVOLVEMENT_CHOICES,
        access_needs=ACCESS_NEED_CHOICES,
        purposes=tuple(
            Choice(purpose.value, titles[purpose]) for purpose in Purpose if purpose in titles
        ),
    )


def template_file(reference: ReferenceData, settings: Settings) -> str:
    """The template to download, its example dated a week ago where the panel is."""
    return template_csv(reference, datetime.now(ZoneInfo(settings.time_zone)).date())


JOINED_DURING_IMPORT = (
    "was not imported: while it was being imported, someone joined with one of its email "
    "addresses. Nobody was added. Upload it again to see which row"
)


async def import_panel(
    file_name: str,
    data: bytes,
    reference: ReferenceData,
    settings: Settings,
    actor: Actor,
    now: datetime | None = None,
) -> ImportOutcome:
    """Check the whole file, then add everyone in it in one transaction, or nobody: the outcome
    says how many were added, or lists every problem found (nothing written)."""
    if len(data) > settings.import_max_bytes:
        raise FileTooLarge()
    now = now or datetime.now(UTC)
    cleaned = clean_file(data, await row_context(reference, settings, now))
    registered = await registered_emails([email for _, email in cleaned.emails])
    problems = cleaned.problems + already_registered(cleaned.emails, registered)
    if problems:
        return ImportOutcome(0, in_report_order(problems))
    emails = [(person.row, person.email) for person in cleaned.people]
    addresses = [email for _, email in emails]
    try:
        async with db.transaction():
            # Checked again inside the transaction: someone may have joined since.
            taken = already_registered(emails, await registered_emails(addresses))
            if taken:
                return ImportOutcome(0, taken)
            await add_people(cleaned.people, file_name, now, actor)
            await record_event(
                "members_imported",
                actor,
                object_type="import",
                # Not the file's name: staff name files after people, and the log outlives them.
                detail={"added": len(cleaned.people)},
            )
    except db.UNIQUE_VIOLATIONS:
        # On PostgreSQL someone can still take one of the addresses between that check and the
        # insert; the whole transaction is undone, and staff are told rather than shown an error.
        return ImportOutcome(0, [Problem(0, "", JOINED_DURING_IMPORT)])
    # Thousands of members may have just arrived: the planner's picture of the tables is stale.
    await db.refresh_statistics(thorough=False)
    return ImportOutcome(len(cleaned.people), [])


async def add_people(
    people: Sequence[ImportedPerson], file_name: str, now: datetime, actor: Actor
) -> None:
    """Everyone in a checked file: an account that signs in by emailed link, an active member,
    their safe contact (every channel, with its safe times, voicemail and code word), what they
    need to take part and what happened when they said, and their consent history dated from the
    file. Call inside a transaction."""
    users = await db.insert_many(
        User,
        [
            {
                "email": person.email,
                "role": Role.MEMBER.value,
                "password_hash": None,
                "status": MemberStatus.ACTIVE.value,
                "sign_in_by_link": True,
            }
            for person in people
        ],
        returning=("id", "email"),
    )
    user_ids = {row["email"]: row["id"] for row in users}
    members = await db.insert_many(
        Member,
        [
            {
                "user": user_ids[person.email],
                "pseudonym": secrets.token_hex(8),
                "preferred_name": person.preferred_name,
                "phone": person.phone,
                "postal_address": person.postal_address,
                "district": person.district,
                "status": MemberStatus.ACTIVE.value,
                "verified_at": now,
                "ways_to_take_part": json.dumps(ways_to_take_part(person.purposes)),
            }
            for person in people
        ],
        returning=("id", "user"),
    )
    by_user = {row["user"]: row["id"] for row in members}
    member_ids = {person.row: by_user[user_ids[person.email]] for person in people}
    await db.insert_many(
        ContactPreference,
        [
            {"member": member_ids[person.row], **columns}
            for person in people
            for columns in person.contact.preference_rows()
        ],
    )
    await db.insert_many(
        AccessNeeds,
        [
            {"member": member_ids[person.row], **person.access.columns()}
            for person in people
            if person.access is not None
        ],
    )
    await db.insert_many(
        ExperienceProfile,
        [
            {"member": member_ids[person.row], **person.experience.columns()}
            for person in people
            if person.experience is not None
        ],
    )
    await record_past_consents(
        [
            PastConsent(
                member_id=member_ids[person.row],
                purpose=purpose,
                at=consent_time(person.consent_date, now),
                channel=person.consent_channel,
                attestation=attestation(file_name, person.row, person.consent_recorded_by),
            )
            for person in people
            for purpose in person.purposes
        ],
        actor,
    )
