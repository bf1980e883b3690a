"""The admin's pages: browsing the audit log (with the email of each actor whose account still
exists), and the staff accounts: adding someone, their role, their two-factor."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from panel.accounts.services import emails_of
from panel.accounts.tables import User
from panel.audit.tables import AuditEvent

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor_email: str = ""
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1


@dataclass(frozen=True)
class AuditPage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


async def browse_events(wanted: AuditFilter) -> AuditPage:
    """One page of events, newest first, with the actor's email where the account still exists."""
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

    emails = await emails_of({row["actor_id"] for row in rows if row["actor_id"] is not None})
    for row in rows:
        row["actor_email"] = emails.get(row["actor_id"], "")
        row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
    return AuditPage(rows=rows, total=total, page=page, pages=pages)
