"""Putting messages in the outbox, and delivering what is due."""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from panel import db
from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.consent.rules import Purpose
from panel.consent.services import consents_of
from panel.engagements.rules import NO_HISTORY
from panel.engagements.services import contact_history, limits_of, use_override
from panel.members.tables import ContactPreference, Member
from panel.notify.messages import MessageKind
from panel.notify.rules import (
    CLAIM_FOR,
    AnonymousHistory,
    AnonymousLimits,
    ChannelPreference,
    ContactChannel,
    GateDecision,
    GateOutcome,
    MemberStatus,
    OutgoingMessage,
    Recipient,
    after_failure,
    gate_decision,
    over_anonymous_limits,
    safe_windows_from_json,
)
from panel.notify.tables import AnonymousMessage, OutboxMessage
from panel.settings import Settings
from panel.web.templating import TEMPLATES_DIR

log = logging.getLogger(__name__)


@cache
def email_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR / "email"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_message(
    kind: MessageKind, settings: Settings, context: Mapping[str, Any]
) -> tuple[str, str]:
    """The text and HTML bodies. Emails are signed with the neutral sender name, never the
    service's name: someone else may read the member's inbox."""
    environment = email_environment()
    full_context = {"sender_name": settings.email_from_name, "settings": settings, **context}
    text = environment.get_template(f"{kind.template}.txt").render(full_context)
    html = environment.get_template(f"{kind.template}.html").render(full_context)
    return text, html


async def enqueue(
    kind: MessageKind,
    to_address: str,
    settings: Settings,
    *,
    member_id: int | None = None,
    purpose: Purpose | None = None,
    not_before: datetime | None = None,
    **context: Any,
) -> None:
    """Write a message to the outbox, inside the transaction of the change that causes it.

    Only the two doors below call this: ``send_to_member`` (the contact gate) and
    ``send_to_account`` (for staff accounts, or members through the gate). A test fails the build
    if anything else writes to the outbox.
    """
    text, html = render_message(kind, settings, context)
    row = OutboxMessage(
        template=kind.template,
        to_address=to_address,
        subject=kind.subject,
        text_body=text,
        html_body=html,
        member_id=member_id,
        purpose=purpose.value if purpose else "",
    )
    if not_before is not None:
        row.next_attempt_at = not_before
    await OutboxMessage.insert(row)


# Called with the moment the message will go (now, or the next safe time) when the gate lets it
# through; returns more of the email's context. Single-use links are made here, so that a link
# held for a safe time is valid from when it arrives, and no link exists for a refused message.
LinkMaker = Callable[[datetime], Awaitable[Mapping[str, Any]]]


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
    is_invitation: bool = False,
    links: LinkMaker | None = None,
    **context: Any,
) -> GateDecision:
    """The contact gate: every email to a member or applicant passes here. It is sent, held until
    a safe time, or refused, never sent by another channel. Returns the decision (nothing is
    written on refusal).

    ``asked_anonymously``: someone who is not signed in asked for it (see ``OutgoingMessage``).
    An invitation must also be within the contact limits, or use up an override in the same
    transaction as the message; record it afterwards with ``engagements.services.record_invitation``.
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
            # Three more queries, for invitations only: the limits do not apply to anything else.
            contact=await contact_history(member_id, limits, now) if is_invitation else NO_HISTORY,
            anonymous=await anonymous_history(member["user_id"], now)
            if asked
            else AnonymousHistory(),
        )
        local_now = now.astimezone(ZoneInfo(settings.time_zone))
        message = OutgoingMessage(
            ContactChannel.EMAIL,
            purpose,
            asked_anonymously=asked_anonymously,
            is_invitation=is_invitation,
        )
        decision = gate_decision(
            recipient, message, local_now, limits, anonymous_limits_of(settings)
        )
        if decision.outcome is GateOutcome.REFUSE:
            return decision
        if not member["email"]:
            return GateDecision(GateOutcome.REFUSE, "no email address")
        # An override is used up in the same transaction as the message it lets through.
        override_id = decision.override_id
        if override_id is not None and not await use_override(override_id, now):
            return GateDecision(GateOutcome.REFUSE, "the override was used by another invitation")
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
            purpose=purpose,
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


def build_email(row: dict[str, Any], settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((settings.email_from_name, settings.email_from_address))
    message["To"] = row["to_address"]
    message["Subject"] = row["subject"]
    domain = settings.email_from_address.rsplit("@", 1)[-1]
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(row["text_body"])
    message.add_alternative(row["html_body"], subtype="html")
    return message


def send_by_smtp(message: EmailMessage, settings: Settings) -> None:
    with smtplib.SMTP(
        settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
    ) as smtp:
        if settings.smtp_starttls:
            # The server's certificate is always checked: against the system's authorities, or
            # the organisation's own when PANEL_SMTP_CA_FILE names one.
            smtp.starttls(context=ssl.create_default_context(cafile=settings.smtp_ca_file or None))
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


def write_to_file(message: EmailMessage, settings: Settings) -> Path:
    settings.mail_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = settings.mail_dir / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    return path


def send_now(message: EmailMessage, settings: Settings) -> None:
    if settings.email_backend == "smtp":
        send_by_smtp(message, settings)
    else:
        write_to_file(message, settings)


NEXT_DUE = (
    "SELECT id FROM outbox_message WHERE status = 'pending' AND next_attempt_at <= {} "
    "AND (locked_until IS NULL OR locked_until < {}) ORDER BY id LIMIT 1"
)
NEXT_DUE_FOR_UPDATE = NEXT_DUE + " FOR UPDATE SKIP LOCKED"


async def claim_next(now: datetime) -> dict[str, Any] | None:
    """Take the next due message so no other worker sends it too."""
    # Two PostgreSQL workers skip each other's rows; SQLite has one writer at a time anyway.
    query = NEXT_DUE_FOR_UPDATE if db.is_postgres() else NEXT_DUE
    async with db.transaction():
        rows = await OutboxMessage.raw(query, now, now)
        if not rows:
            return None
        await OutboxMessage.update({OutboxMessage.locked_until: now + CLAIM_FOR}).where(
            OutboxMessage.id == rows[0]["id"]
        )
        return await OutboxMessage.select().where(OutboxMessage.id == rows[0]["id"]).first()


async def deliver_due(settings: Settings, now: datetime | None = None, limit: int = 100) -> int:
    """Send what is due; a failure schedules a retry and never loses the message. Returns how many were sent."""
    sent = 0
    for _ in range(limit):
        moment = now or datetime.now(UTC)
        row = await claim_next(moment)
        if row is None:
            break
        try:
            await asyncio.to_thread(send_now, build_email(row, settings), settings)
        except Exception as error:  # any failure to hand over is retried later
            attempts = row["attempts"] + 1
            status, next_at = after_failure(attempts, settings.outbox_max_attempts, moment)
            log.warning(
                "email %s not delivered (attempt %s): %s", row["id"], attempts, type(error).__name__
            )
            await OutboxMessage.update(
                {
                    OutboxMessage.attempts: attempts,
                    OutboxMessage.status: status,
                    OutboxMessage.next_attempt_at: next_at,
                    OutboxMessage.locked_until: None,
                    OutboxMessage.last_error: f"{type(error).__name__}: {error}"[:500],
                }
            ).where(OutboxMessage.id == row["id"])
            continue
        await OutboxMessage.update(
            {
                OutboxMessage.attempts: row["attempts"] + 1,
                OutboxMessage.status: "sent",
                OutboxMessage.sent_at: datetime.now(UTC),
                OutboxMessage.locked_until: None,
            }
        ).where(OutboxMessage.id == row["id"])
        sent += 1
    return sent
