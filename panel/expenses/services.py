"""Expense claims over real rows: a participant claims the travel or care costs of a session they
had a place at, with a receipt; staff read the receipt and approve or refuse the claim with a
reason the member reads in the portal; approved claims are exported for payment. Reading a receipt
and exporting claims are audited; the audit never holds the words or the amounts' owner's name."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.query import OrderByRaw

from panel import db
from panel.audit.services import Actor, record_event
from panel.engagements.tables import Engagement, Invitation
from panel.expenses.rules import MAY_CLAIM, ClaimStatus, CostKind, pounds
from panel.expenses.tables import ExpenseClaim, ExpenseReceipt
from panel.members.rules import name_to_show
from panel.spreadsheets import spreadsheet_safe


class NoSuchClaim(Exception):
    pass


class ClaimRefused(Exception):
    """The claim cannot be made or decided now; the message says why."""


@dataclass(frozen=True)
class NewClaim:
    kind: CostKind
    amount_pence: int
    description: str
    receipt: bytes
    receipt_type: str


async def claimable_invitation(invitation_id: int, member_id: int) -> dict[str, Any]:
    """The member's own invitation that costs can be claimed for: they had a place."""
    row = await (
        Invitation.select(
            Invitation.id,
            Invitation.status,
            Invitation.engagement,
            Invitation.engagement.title.as_alias("title"),
            Invitation.engagement.starts_at.as_alias("starts_at"),
        )
        .where(
            Invitation.id == invitation_id,
            Invitation.member == member_id,
            Invitation.engagement.is_not_null(),
        )
        .first()
    )
    if row is None:
        raise NoSuchClaim()
    if row["status"] not in MAY_CLAIM:
        raise ClaimRefused("Costs can be claimed only for a meeting you had a place at.")
    return row


async def submit_claim(
    invitation_id: int, member_id: int, claim: NewClaim, actor: Actor, now: datetime | None = None
) -> int:
    now = now or datetime.now(UTC)
    async with db.transaction():
        await claimable_invitation(invitation_id, member_id)
        rows = await ExpenseClaim.insert(
            ExpenseClaim(
                member=member_id,
                invitation=invitation_id,
                kind=claim.kind.value,
                amount_pence=claim.amount_pence,
                description=claim.description,
                receipt_type=claim.receipt_type,
                submitted_at=now,
            )
        ).returning(ExpenseClaim.id)
        claim_id = rows[0]["id"]
        await ExpenseReceipt.insert(
            ExpenseReceipt(claim=claim_id, member=member_id, content=claim.receipt)
        )
        await record_event(
            "expense_claimed", actor, object_type="member", object_id=member_id,
            detail={"claim_id": claim_id},
        )  # fmt: skip
    return claim_id


@dataclass(frozen=True)
class Claim:
    id: int
    kind: CostKind
    amount: str  # as money is written
    amount_pence: int
    description: str
    status: ClaimStatus
    refusal_reason: str
    submitted_at: datetime
    decided_at: datetime | None
    name: str = ""  # staff pages only
    title: str = ""
    session_at: datetime | None = None
    engagement_id: int | None = None
    receipt_type: str = ""


def claim_of(row: dict[str, Any]) -> Claim:
    return Claim(
        id=row["id"],
        kind=CostKind(row["kind"]),
        amount=pounds(row["amount_pence"]),
        amount_pence=row["amount_pence"],
        description=row["description"],
        status=ClaimStatus(row["status"]),
        refusal_reason=row["refusal_reason"],
        submitted_at=row["submitted_at"],
        decided_at=row["decided_at"],
        name=name_to_show(row.get("name") or ""),
        title=row.get("title") or "",
        session_at=row.get("session_at"),
        engagement_id=row.get("engagement_id"),
        receipt_type=row["receipt_type"],
    )


async def claims_for_invitation(invitation_id: int, member_id: int) -> list[Claim]:
    """The member's own claims for one session, the latest first: one query."""
    rows = await (
        ExpenseClaim.select()
        .where(ExpenseClaim.invitation == invitation_id, ExpenseClaim.member == member_id)
        .order_by(ExpenseClaim.submitted_at, ascending=False)
        .order_by(ExpenseClaim.id, ascending=False)
    )
    return [claim_of(row) for row in rows]


STAFF_COLUMNS = (
    ExpenseClaim.member.preferred_name.as_alias("name"),
    ExpenseClaim.invitation.engagement.as_alias("engagement_id"),
)


CLAIMS_PER_PAGE = 50
# Claims waiting for a decision come first, whatever page the rest are on.
WAITING_FIRST = OrderByRaw(
    f"CASE WHEN expense_claim.status = '{ClaimStatus.SUBMITTED.value}' THEN 0 ELSE 1 END"
)


@dataclass(frozen=True)
class ClaimList:
    claims: list[Claim]
    total: int
    page: int
    pages: int


async def list_claims(status: ClaimStatus | None, page: int) -> ClaimList:
    """A page of claims for staff, those waiting for a decision first, then the oldest first:
    three queries whatever the page holds."""
    conditions = [] if status is None else [ExpenseClaim.status == status.value]
    total = await ExpenseClaim.count().where(*conditions)
    pages = max(1, -(-total // CLAIMS_PER_PAGE))
    page = min(max(page, 1), pages)
    rows = await (
        ExpenseClaim.select(*ExpenseClaim.all_columns(), *STAFF_COLUMNS)
        .where(*conditions)
        .order_by(WAITING_FIRST)
        .order_by(ExpenseClaim.submitted_at)
        .order_by(ExpenseClaim.id)
        .limit(CLAIMS_PER_PAGE)
        .offset((page - 1) * CLAIMS_PER_PAGE)
    )
    return ClaimList(await with_titles(rows), total, page, pages)


async def with_titles(rows: list[dict[str, Any]]) -> list[Claim]:
    """The claims, each with its session's title and date: one query."""
    titles = await engagement_titles({row["engagement_id"] for row in rows})
    return [claim_of(row | titles.get(row["engagement_id"], {})) for row in rows]


async def engagement_titles(engagement_ids: set[int]) -> dict[int, dict[str, Any]]:
    if not engagement_ids:
        return {}
    return {
        row["id"]: {"title": row["title"], "session_at": row["starts_at"]}
        for row in await Engagement.select(
            Engagement.id, Engagement.title, Engagement.starts_at
        ).where(Engagement.id.is_in(list(engagement_ids)))
    }


async def claim_for_staff(claim_id: int) -> Claim:
    row = await (
        ExpenseClaim.select(*ExpenseClaim.all_columns(), *STAFF_COLUMNS)
        .where(ExpenseClaim.id == claim_id)
        .first()
    )
    if row is None:
        raise NoSuchClaim()
    titles = await engagement_titles({row["engagement_id"]})
    return claim_of(row | titles.get(row["engagement_id"], {}))


async def decide_claim(
    claim_id: int,
    approve: bool,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Approve, or refuse with a reason the member reads. A claim is decided once; the audit holds
    the decision, never the reason's words."""
    now = now or datetime.now(UTC)
    status = ClaimStatus.APPROVED if approve else ClaimStatus.REFUSED
    async with db.transaction():
        decided = (
            await ExpenseClaim.update(
                {
                    ExpenseClaim.status: status.value,
                    ExpenseClaim.refusal_reason: "" if approve else reason,
                    ExpenseClaim.decided_by: actor.user_id,
                    ExpenseClaim.decided_at: now,
                }
            )
            .where(
                ExpenseClaim.id == claim_id,
                ExpenseClaim.status == ClaimStatus.SUBMITTED.value,
            )
            .returning(ExpenseClaim.member)
        )
        if not decided:
            if not await ExpenseClaim.exists().where(ExpenseClaim.id == claim_id):
                raise NoSuchClaim()
            raise ClaimRefused("This claim has already been decided.")
        await record_event(
            "expense_decided", actor, object_type="member", object_id=decided[0]["member"],
            detail={"claim_id": claim_id, "decision": status.value},
        )  # fmt: skip


async def receipt_of(claim_id: int, actor: Actor) -> tuple[bytes, str]:
    """A claim's receipt and its type, for staff: reading it is audited."""
    row = await (
        ExpenseReceipt.select(
            ExpenseReceipt.content,
            ExpenseReceipt.member,
            ExpenseReceipt.claim.receipt_type.as_alias("type"),
        )
        .where(ExpenseReceipt.claim == claim_id)
        .first()
    )
    if row is None:
        raise NoSuchClaim()
    await record_event(
        "expense_receipt_viewed", actor, object_type="member", object_id=row["member"],
        detail={"claim_id": claim_id},
    )  # fmt: skip
    return bytes(row["content"]), row["type"]


CSV_COLUMNS = ("Claim", "Name", "Session date", "Kind", "Amount", "Approved on")


async def approved_claims_csv(actor: Actor) -> str:
    """Every approved claim, for payment: one query for the claims, one for the sessions."""
    claims = await with_titles(
        await ExpenseClaim.select(*ExpenseClaim.all_columns(), *STAFF_COLUMNS)
        .where(ExpenseClaim.status == ClaimStatus.APPROVED.value)
        .order_by(ExpenseClaim.decided_at)
        .order_by(ExpenseClaim.id)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for claim in claims:
        writer.writerow(
            [
                claim.id,
                spreadsheet_safe(claim.name),
                claim.session_at.date().isoformat() if claim.session_at else "",
                claim.kind.label,
                f"{claim.amount_pence / 100:.2f}",
                claim.decided_at.date().isoformat() if claim.decided_at else "",
            ]
        )
    await record_event(
        "expenses_exported", actor, object_type="", object_id=None,
        detail={"claims": len(claims)},
    )  # fmt: skip
    return buffer.getvalue()
