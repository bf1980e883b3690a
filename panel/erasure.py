"""Leaving the panel: every consent withdrawn, then everything personal erased, in one transaction.

Each table declares how its rows about a person are erased (``panel.personal_data``): this walks
every table Piccolo knows (the app registry of ``piccolo_conf.py``, so a new table cannot be left
out), deletes or empties what each declaration says, and calls the steps the areas write
themselves (``STEPS``). What remains is the member row with its random pseudonym, dates and
status (for statistics that name no one), the consent history and decisions without free text,
and audit events that name no one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from piccolo.conf.apps import Finder
from piccolo.table import Table

from panel import db
from panel.accounts.services import erase_account
from panel.audit.services import Actor, record_event
from panel.consent.services import withdraw_every_consent
from panel.members.rules import MemberStatus
from panel.members.services import NoSuchMember, erase_member_row
from panel.members.tables import Member
from panel.outbox.services import forget_member
from panel.personal_data import Erasure
from panel.settings import Settings

# The areas' own steps that ``leave_and_erase`` calls; each table's ``erasure.step`` names one.
STEPS = (withdraw_every_consent, forget_member, erase_member_row, erase_account)
STEP_NAMES = frozenset(f"{step.__module__}.{step.__name__}" for step in STEPS)


def every_table() -> list[type[Table]]:
    return Finder().get_table_classes()


def declaration_of(table: type[Table]) -> Erasure:
    erasure = getattr(table, "erasure", None)
    if not isinstance(erasure, Erasure):
        raise TypeError(f"{table.__name__} does not declare how it is erased")
    return erasure


async def carry_out_declarations(member_id: int, user_id: int | None) -> None:
    """Every table whose rows a member's or account's key finds: deleted, or columns emptied. The
    key is whichever column the declaration names (``member``, or ``removed`` on a swap): it
    points at the member or at their account."""
    keys = {"member": member_id, "panel_user": user_id}
    for table in every_table():
        erasure = declaration_of(table)
        if erasure.step or not erasure.by:
            continue
        column = getattr(table, erasure.by)
        value = keys.get(column._foreign_key_meta.resolved_references._meta.tablename)
        if value is None:
            continue
        where = column == value
        if erasure.delete:
            await table.delete().where(where)
        elif erasure.blank:
            await table.update({getattr(table, column): "" for column in erasure.blank}).where(
                where
            )


async def leave_and_erase(member_id: int, settings: Settings, actor: Actor) -> None:
    """Leave the panel: withdraw every consent given, then erase, in one transaction. Raises
    ``NoSuchMember`` when there is no such member or they are erased already."""
    now = datetime.now(UTC)
    async with db.transaction():
        member = await (
            Member.select(
                Member.status,
                Member.user.id.as_alias("user_id"),
                Member.user.email.as_alias("email"),
            )
            .where(Member.id == member_id)
            .first()
        )
        if member is None or member["status"] == MemberStatus.ERASED:
            raise NoSuchMember()
        email = member["email"] or ""
        # The consents are withdrawn while the record still stands; the account goes last.
        await withdraw_every_consent(member_id, actor, now)
        await forget_member(member_id, email)
        await carry_out_declarations(member_id, member["user_id"])
        await erase_member_row(member_id, now)
        await erase_account(member["user_id"], email, settings)
        await record_event("member_erased", actor, object_type="member", object_id=member_id)
