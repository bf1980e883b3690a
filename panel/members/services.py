"""Members leaving the panel: every consent withdrawn, then their personal information erased.

What remains is the member row with only its random pseudonym, dates and status (for anonymous
statistics), the consent history and screening decisions without free text, and audit events that
name no one. Their experience, access needs and equality answers are deleted outright.
"""

from __future__ import annotations

from datetime import UTC, datetime

from panel import db
from panel.accounts.tables import SignInFailure, User
from panel.audit.services import Actor, record_event
from panel.consent.rules import ConsentState
from panel.consent.services import consents_of, record_consent
from panel.consent.tables import ConsentEvent
from panel.engagements.tables import ContactOverride
from panel.keys import keyed_hash
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.outbox.services import forget_member
from panel.screening.tables import ScreeningDecision
from panel.settings import Settings
from panel.signup.tables import EmailVerification


class MemberNotFound(Exception):
    """There is no such member, or they have been erased already."""


async def leave_and_erase(member_id: int, settings: Settings, actor: Actor) -> None:
    """Leave the panel: withdraw every consent given, then erase, in one transaction."""
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
        if member is None or member["status"] == "erased":
            raise MemberNotFound()
        for consent in await consents_of(member_id, now):
            if consent.state in {ConsentState.GIVEN, ConsentState.NEEDS_RECONFIRMATION}:
                await record_consent(member_id, consent.purpose, False, actor)
        email = member["email"] or ""
        await forget_member(member_id, email)
        for table in (ContactPreference, ExperienceProfile, AccessNeeds, EqualityData):
            await table.delete().where(table.member == member_id)
        await EmailVerification.delete().where(EmailVerification.member == member_id)
        await ScreeningDecision.update({ScreeningDecision.message: ""}).where(
            ScreeningDecision.member == member_id
        )
        await ContactOverride.update({ContactOverride.reason: ""}).where(
            ContactOverride.member == member_id
        )
        await ConsentEvent.update({ConsentEvent.attestation: ""}).where(
            ConsentEvent.member == member_id
        )
        await Member.update(
            {
                Member.user: None,
                Member.preferred_name: "",
                Member.phone: "",
                Member.postal_address: "",
                Member.district: "",
                Member.do_not_contact_reason: "",
                Member.ways_to_take_part: "[]",
                Member.formats: "[]",
                Member.status: "erased",
                Member.left_at: now,
                Member.erased_at: now,
            }
        ).where(Member.id == member_id)
        if member["user_id"] is not None:
            await User.delete().where(User.id == member["user_id"])  # sessions and links go with it
        if email:
            await SignInFailure.delete().where(
                SignInFailure.key_hash == keyed_hash(settings.secret_key, "account", email)
            )
        await record_event("member_erased", actor, object_type="member", object_id=member_id)
