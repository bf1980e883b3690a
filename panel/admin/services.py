"""The admin's pages: browsing the audit log, each event told in words (who did what, to whom),
and the staff accounts: adding someone, their role, their two-factor."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from panel.accounts.rules import Role
from panel.accounts.services import accounts_of
from panel.accounts.tables import User
from panel.admin.audit_words import Account, Event, Known, MemberSeen, Told, tell
from panel.audit.tables import AuditEvent
from panel.consent.services import wording_titles
from panel.directory.words import directory_options
from panel.members.reference import ReferenceData
from panel.members.rules import MemberStatus
from panel.members.services import members_named
from panel.screening.services import decline_reasons
from panel.web.templating import local_formats

PAGE_SIZE = 50

# Actions whose sentences name a consent by its title, or a reason for declining by its wording.
NAMING_A_CONSENT = frozenset({"consent_given", "consent_withdrawn", "member_list_exported"})
NAMING_A_REASON = frozenset({"application_declined"})


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor_email: str = ""
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1


@dataclass(frozen=True)
class ToldEvent:
    at: datetime
    told: Told


@dataclass(frozen=True)
class AuditPage:
    rows: list[ToldEvent]
    total: int
    page: int
    pages: int


def as_event(row: dict[str, Any]) -> Event:
    return Event(
        action=row["action"],
        actor_id=row["actor_id"],
        client_hash=row["client_hash"],
        object_type=row["object_type"],
        object_id=row["object_id"],
        detail=json.loads(row["detail"]) if row["detail"] else {},
    )


def ids_of(events: list[Event], object_type: str) -> set[int]:
    return {
        int(e.object_id) for e in events if e.object_type == object_type and e.object_id.isdigit()
    }


async def what_the_page_names(
    events: list[Event], reference: ReferenceData, time_zone: str
) -> Known:
    """Everything the page's sentences name, looked up for all its events at once: at most five
    queries, however many events the page shows."""
    user_ids = {e.actor_id for e in events if e.actor_id is not None} | ids_of(events, "user")
    accounts = {
        user_id: Account(user_id, row["email"], row["role"])
        for user_id, row in (await accounts_of(user_ids)).items()
    }
    member_users = {a.user_id for a in accounts.values() if a.role == Role.MEMBER}
    members = {
        row["id"]: MemberSeen(
            row["id"], row["preferred_name"], row["status"] == MemberStatus.ERASED, row["user_id"]
        )
        for row in await members_named(ids_of(events, "member"), member_users)
    }
    actions = {e.action for e in events}
    reasons = {}
    if actions & NAMING_A_REASON or any(e.object_type == "decline_reason" for e in events):
        reasons = {row["id"]: row["text"] for row in await decline_reasons()}
    titles = await wording_titles() if actions & NAMING_A_CONSENT else {}
    formats = local_formats(time_zone)
    return Known(
        accounts=accounts,
        members=members,
        members_by_user={m.user_id: m for m in members.values() if m.user_id is not None},
        reasons=reasons,
        purpose_titles={purpose.value: title for purpose, title in titles.items()},
        filter_options=directory_options(reference, titles),
        local_date=formats["local_date"],
        local_datetime=formats["local_datetime"],
    )


async def browse_events(wanted: AuditFilter, reference: ReferenceData, time_zone: str) -> AuditPage:
    """One page of events, newest first, each told in words. A fixed number of queries however
    many events there are: the page's count and rows, then what they name."""
    conditions = []
    if wanted.action:
        conditions.append(AuditEvent.action == wanted.action)
    if wanted.since:
        conditions.append(AuditEvent.at >= wanted.since)
    if wanted.until:
        conditions.append(AuditEvent.at < wanted.until)
    if wanted.actor_email:
        actor_ids = await User.select(User.id).where(User.email == wanted.actor_email.lower())
        conditions.append(AuditEvent.actor_id.is_in([row["id"] for row in actor_ids] or [-1]))

    count_query = AuditEvent.count()
    rows_query = AuditEvent.select().order_by(AuditEvent.id, ascending=False).limit(PAGE_SIZE)
    for condition in conditions:
        count_query = count_query.where(condition)
        rows_query = rows_query.where(condition)
    total = await count_query
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, wanted.page), pages)
    rows = await rows_query.offset((page - 1) * PAGE_SIZE)

    events = [as_event(row) for row in rows]
    known = await what_the_page_names(events, reference, time_zone)
    told = [
        ToldEvent(row["at"], tell(event, known)) for row, event in zip(rows, events, strict=True)
    ]
    return AuditPage(rows=told, total=total, page=page, pages=pages)
