"""The contact gate: every email to a member or applicant passes here, and is sent, held until a
safe time, or refused; account messages to staff go through ``send_to_account``. Both write to
the outbox (``panel.outbox``) in the caller's transaction."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from panel import db
from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.consent.rules import Purpose
from panel.consent.services import consents_of
from panel.members.rules import (
    ChannelPreference,
    ContactChannel,
    MemberStatus,
    safe_windows_from_json,
)
from panel.members.tables import ContactPreference, Member
from panel.notify.rules import (
    NO_HISTORY,
    AnonymousHistory,
    AnonymousLimits,
    ContactHistory,
    ContactLimits,
    GateDecision,
    GateOutcome,
    OutgoingMessage,
    Recipient,
    gate_decision,
    over_anonymous_limits,
)
from panel.notify.tables import AnonymousMessage
from panel.outbox.messages import MessageKind
from panel.outbox.services import enqueue
from panel.settings import Settings

log = logging.getLogger(__name__)


# Called with the moment the message will go (now, or the next safe time) when the gate lets it
# through; returns more of the email's context. Single-use links are made here, so that a link
# held for a safe time is valid from when it arrives, and no link exists for a refused message.
LinkMaker = Callable[[datetime], Awaitable[Mapping[str, Any]]]


def limits_of(settings: Settings) -> ContactLimits:
    return ContactLimits(
        cooldown_days=settings.contact_cooldown_days,
        max_sessions_per_year=settings.contact_max_sessions_per_year,
        max_invitations_per_90_days=settings.contact_max_invitations_per_90_days,
    )


def anonymous_limits_of(settings: Settings) -> AnonymousLimits:
    return AnonymousLimits(
        per_hour=settings.anonymous_emails_per_hour, per_day=settings.anonymous_emails_per_day
    )


async def anonymous_history(user_id: int, now: datetime) -> AnonymousHistory:
    """Messages that requests from people not signed in caused to this account's address.

    Takes the account's row lock first on PostgreSQL, so two requests at once cannot both pass
    the cap (SQLite's write lock, taken when the transaction begins, does the same there)."""
    if db.is_postgres():
        await User.raw("SELECT id FROM panel_user WHERE id = {} FOR UPDATE", user_id)
    rows = await AnonymousMessage.select(AnonymousMessage.at).where(
        AnonymousMessage.user == user_id, AnonymousMessage.at > now - timedelta(days=1)
    )
    return AnonymousHistory(
        last_hour=sum(1 for row in rows if row["at"] > now - timedelta(hours=1)),
        last_day=len(rows),
    )


async def send_to_member(
    member_id: int,
    kind: MessageKind,
    purpose: Purpose | None,
    settings: Settings,
    now: datetime | None = None,
    *,
    asked_anonymously: bool = False,
    invitation: ContactHistory | None = None,
    links: LinkMaker | None = None,
    **context: Any,
) -> GateDecision:
    """The contact gate: every email to a member or applicant passes here. It is sent, held until
    a safe time, or refused, never sent by another channel. Returns the decision (nothing is
    written on refusal).

    ``asked_anonymously``: someone who is not signed in asked for it (see ``OutgoingMessage``).
    ``invitation``: the message is an invitation, and this is the member's contact history; it
    must also be within the contact limits, or the decision names an override to use up in the
    same transaction (``engagements.services.send_invitation`` is the one door for invitations).
    """
    now = now or datetime.now(UTC)
    async with db.transaction():
        member = await (
            Member.select(
                Member.status,
                Member.do_not_contact,
                Member.user.id.as_alias("user_id"),
                Member.user.email.as_alias("email"),
            )
            .where(Member.id == member_id)
            .first()
        )
        if member is None:
            return GateDecision(GateOutcome.REFUSE, "no such member")
        preferences = {
            ContactChannel(row["channel"]): ChannelPreference(
                ContactChannel(row["channel"]),
                row["safe"],
                safe_windows_from_json(row["safe_times"]),
            )
            for row in await ContactPreference.select().where(ContactPreference.member == member_id)
        }
        consents = {
            consent.purpose: consent.state
            for consent in await consents_of(member_id, now, settings.consent_renewal)
        }
        limits = limits_of(settings)
        asked = asked_anonymously and member["user_id"] is not None
        recipient = Recipient(
            status=MemberStatus(member["status"]),
            consents=consents,
            preferences=preferences,
            do_not_contact=member["do_not_contact"],
            contact=invitation or NO_HISTORY,
            anonymous=await anonymous_history(member["user_id"], now)
            if asked
            else AnonymousHistory(),
        )
        local_now = now.astimezone(ZoneInfo(settings.time_zone))
        message = OutgoingMessage(
            ContactChannel.EMAIL,
            purpose,
            asked_anonymously=asked_anonymously,
            is_invitation=invitation is not None,
        )
        decision = gate_decision(
            recipient, message, local_now, limits, anonymous_limits_of(settings)
        )
        if decision.outcome is GateOutcome.REFUSE:
            return decision
        if not member["email"]:
            return GateDecision(GateOutcome.REFUSE, "no email address")
        sends_at = decision.hold_until.astimezone(UTC) if decision.hold_until else now
        if links is not None:
            context |= await links(sends_at)
        if asked:
            await AnonymousMessage.insert(AnonymousMessage(user=member["user_id"], at=now))
        await enqueue(
            kind,
            member["email"],
            settings,
            member_id=member_id,
            purpose=purpose.value if purpose else "",
            not_before=sends_at if decision.hold_until else None,
            **context,
        )
    return decision


async def send_to_account(
    user_id: int,
    kind: MessageKind,
    settings: Settings,
    now: datetime | None = None,
    *,
    asked_anonymously: bool = False,
    links: LinkMaker | None = None,
    **context: Any,
) -> GateDecision:
    """A message about someone's own account (a password link, an account notice). A member's
    goes through the contact gate (``send_to_member``); a staff account's goes straight to its
    address, within the same cap on messages asked for anonymously."""
    now = now or datetime.now(UTC)
    async with db.transaction():
        member = await Member.select(Member.id).where(Member.user == user_id).first()
        if member is not None:
            return await send_to_member(
                member["id"],
                kind,
                None,
                settings,
                now,
                asked_anonymously=asked_anonymously,
                links=links,
                **context,
            )
        user = await User.select(User.email, User.role).where(User.id == user_id).first()
        if user is None:
            return GateDecision(GateOutcome.REFUSE, "no such account")
        if user["role"] == Role.MEMBER:  # a member's account with no member record has no choices
            return GateDecision(GateOutcome.REFUSE, "no member record")
        if asked_anonymously:
            history = await anonymous_history(user_id, now)
            if over_anonymous_limits(history, anonymous_limits_of(settings)):
                return GateDecision(GateOutcome.REFUSE, "too many messages asked for this address")
            await AnonymousMessage.insert(AnonymousMessage(user=user_id, at=now))
        if links is not None:
            context |= await links(now)
        await enqueue(kind, user["email"], settings, **context)
    return GateDecision(GateOutcome.SEND)
