"""Recording consent and reading a member's current consents and their history.

Each read is a fixed number of queries, however long the member's history is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from panel import db
from panel.audit.services import Actor, record_event
from panel.consent.rules import (
    DEFAULT_RENEWAL,
    Channel,
    Consent,
    CurrentWording,
    Purpose,
    current_consent,
    purposes_ended_by_withdrawal,
)
from panel.consent.rules import (
    ConsentEvent as Event,
)
from panel.consent.tables import ConsentEvent, ConsentWording, PrivacyNotice
from panel.notify.tables import OutboxMessage


class ConsentError(Exception):
    """A consent cannot be recorded as asked; the message says why."""


@dataclass(frozen=True)
class Versions:
    """The versions in force: the newest of each purpose's wording and of the notice, and the
    newest *material* ones, which consents given earlier must be confirmed against."""

    wording: dict[Purpose, int]
    material_wording: dict[Purpose, int]
    notice: int
    material_notice: int

    def current_wording(self, purpose: Purpose) -> CurrentWording:
        return CurrentWording(self.material_wording.get(purpose, 0), self.material_notice)


async def versions_in_force() -> Versions:
    wordings = await ConsentWording.select(
        ConsentWording.purpose, ConsentWording.version, ConsentWording.material
    )
    notices = await PrivacyNotice.select(PrivacyNotice.version, PrivacyNotice.material)
    wording: dict[Purpose, int] = {}
    material_wording: dict[Purpose, int] = {}
    for row in wordings:
        purpose = Purpose(row["purpose"])
        wording[purpose] = max(wording.get(purpose, 0), row["version"])
        if row["material"]:
            material_wording[purpose] = max(material_wording.get(purpose, 0), row["version"])
    return Versions(
        wording=wording,
        material_wording=material_wording,
        notice=max((row["version"] for row in notices), default=0),
        material_notice=max((row["version"] for row in notices if row["material"]), default=0),
    )


async def record_consent(
    member_id: int,
    purpose: Purpose,
    given: bool,
    actor: Actor,
    channel: Channel = Channel.WEB,
    attestation: str = "",
) -> None:
    """Add one event to the history, against the wording in force now.

    Staff recording a consent given another way (phone, paper, email) must say what they attest.
    """
    if channel is not Channel.WEB and not attestation.strip():
        raise ConsentError("Say how the member gave or withdrew this consent")
    versions = await versions_in_force()
    if purpose not in versions.wording:
        raise ConsentError(f"There is no published wording for {purpose.value}")
    async with db.transaction():
        await ConsentEvent.insert(
            ConsentEvent(
                member=member_id,
                purpose=purpose.value,
                given=given,
                wording_version=versions.wording[purpose],
                notice_version=versions.notice,
                channel=channel.value,
                recorded_by=actor.user_id if channel is not Channel.WEB else None,
                attestation=attestation.strip(),
            )
        )
        if not given:
            # Withdrawal takes effect at once: nothing waiting to be sent for it goes.
            ended = [ended_purpose.value for ended_purpose in purposes_ended_by_withdrawal(purpose)]
            await OutboxMessage.update({OutboxMessage.status: "cancelled"}).where(
                OutboxMessage.member_id == member_id,
                OutboxMessage.purpose.is_in(ended),
                OutboxMessage.status == "pending",
            )
        await record_event(
            "consent_given" if given else "consent_withdrawn",
            actor,
            object_type="member",
            object_id=member_id,
            detail={"purpose": purpose.value, "channel": channel.value},
        )


async def history_of(member_id: int) -> list[dict[str, Any]]:
    """Every event, newest first."""
    return await (
        ConsentEvent.select()
        .where(ConsentEvent.member == member_id)
        .order_by(ConsentEvent.at, ascending=False)
        .order_by(ConsentEvent.id, ascending=False)
    )


def as_event(row: dict[str, Any]) -> Event:
    return Event(
        purpose=Purpose(row["purpose"]),
        given=row["given"],
        at=row["at"],
        wording_version=row["wording_version"],
        notice_version=row["notice_version"],
        channel=Channel(row["channel"]),
        sequence=row["id"],
    )


async def consents_of(
    member_id: int, now: datetime | None = None, renewal: timedelta = DEFAULT_RENEWAL
) -> list[Consent]:
    """The current state of every purpose for one member: three queries, whatever the history."""
    now = now or datetime.now(UTC)
    versions = await versions_in_force()
    events = [as_event(row) for row in await history_of(member_id)]
    return [
        current_consent(purpose, events, versions.current_wording(purpose), now, renewal)
        for purpose in Purpose
    ]
