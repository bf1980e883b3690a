"""The transactional outbox: writing a message in the transaction of the change behind it, and
delivering what is due, with retries that never lose a message.

Only the contact gate (``panel.notify.services``) calls ``enqueue``: a test fails the build if
anything else writes to the outbox. Other areas end or forget messages through the functions
at the end (a withdrawn consent, a pause, an erasure).
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
import uuid
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from panel import db
from panel.outbox.messages import MessageKind
from panel.outbox.rules import CLAIM_FOR, OutboxStatus, after_failure
from panel.outbox.tables import OutboxMessage
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
    purpose: str = "",
    not_before: datetime | None = None,
    **context: Any,
) -> None:
    """Write a message to the outbox, inside the transaction of the change that causes it.

    Only the contact gate's two doors call this: ``notify.services.send_to_member`` and
    ``send_to_account`` (staff accounts, or members through the gate). A test fails the build if
    anything else writes to the outbox.
    """
    text, html = render_message(kind, settings, context)
    row = OutboxMessage(
        template=kind.template,
        to_address=to_address,
        subject=kind.subject,
        text_body=text,
        html_body=html,
        member_id=member_id,
        purpose=purpose,
    )
    if not_before is not None:
        row.next_attempt_at = not_before
    await OutboxMessage.insert(row)


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
    "SELECT id FROM outbox_message WHERE status = {} AND next_attempt_at <= {} "
    "AND (locked_until IS NULL OR locked_until < {}) ORDER BY id LIMIT 1"
)
NEXT_DUE_FOR_UPDATE = NEXT_DUE + " FOR UPDATE SKIP LOCKED"


async def claim_next(now: datetime) -> dict[str, Any] | None:
    """Take the next due message so no other worker sends it too."""
    # Two PostgreSQL workers skip each other's rows; SQLite has one writer at a time anyway.
    query = NEXT_DUE_FOR_UPDATE if db.is_postgres() else NEXT_DUE
    async with db.transaction():
        rows = await OutboxMessage.raw(query, OutboxStatus.PENDING.value, now, now)
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
                OutboxMessage.status: OutboxStatus.SENT,
                OutboxMessage.sent_at: datetime.now(UTC),
                OutboxMessage.locked_until: None,
            }
        ).where(OutboxMessage.id == row["id"])
        sent += 1
    return sent


# ---------------------------------------------------------------------------------------------
# Ending or forgetting messages, for the areas whose changes stop them


async def cancel_waiting(member_id: int, purposes: Collection[str] | None = None) -> None:
    """Messages waiting for a member stop: those for these purposes, or (None) every one that
    serves a purpose, when a consent or the membership it rests on ends. Account messages go on."""
    condition = (
        OutboxMessage.purpose != ""
        if purposes is None
        else OutboxMessage.purpose.is_in(list(purposes))
    )
    await OutboxMessage.update({OutboxMessage.status: OutboxStatus.CANCELLED}).where(
        OutboxMessage.member_id == member_id,
        OutboxMessage.status == OutboxStatus.PENDING,
        condition,
    )


async def cancel_all_waiting(member_id: int) -> None:
    """Every message waiting for a member stops, account messages too (email is no longer safe)."""
    await OutboxMessage.update({OutboxMessage.status: OutboxStatus.CANCELLED}).where(
        OutboxMessage.member_id == member_id, OutboxMessage.status == OutboxStatus.PENDING
    )


async def forget_member(member_id: int, email: str) -> None:
    """Erasure: every message to the member, or to their address, is deleted, sent or not."""
    await OutboxMessage.delete().where(
        (OutboxMessage.member_id == member_id) | (OutboxMessage.to_address == email)
    )


async def members_with_messages_waiting(member_ids: Collection[int]) -> set[int]:
    """Which of these members have a message still to go (the retention job erases a declined
    applicant only once the email telling them has gone)."""
    if not member_ids:
        return set()
    rows = await OutboxMessage.select(OutboxMessage.member_id).where(
        OutboxMessage.member_id.is_in(list(member_ids)),
        OutboxMessage.status == OutboxStatus.PENDING,
    )
    return {row["member_id"] for row in rows}


async def messages_to_member(member_id: int, template: str) -> list[dict[str, Any]]:
    """When each message of this kind to the member was written and its status, newest first;
    cancelled ones left out. A member is sent few of any one kind, so this stays small."""
    return await (
        OutboxMessage.select(OutboxMessage.created_at, OutboxMessage.status)
        .where(
            OutboxMessage.member_id == member_id,
            OutboxMessage.template == template,
            OutboxMessage.status != OutboxStatus.CANCELLED,
        )
        .order_by(OutboxMessage.created_at, ascending=False)
    )


async def sent_bodies_older_than(before: datetime) -> list[int]:
    """Sent messages whose text is still kept although they went before ``before``."""
    rows = await OutboxMessage.select(OutboxMessage.id).where(
        OutboxMessage.status == OutboxStatus.SENT,
        OutboxMessage.sent_at < before,
        OutboxMessage.text_body != "",
    )
    return [row["id"] for row in rows]


async def delete_bodies(message_ids: Collection[int]) -> None:
    """Keep that these messages were sent, not what they said."""
    if message_ids:
        await OutboxMessage.update(
            {OutboxMessage.text_body: "", OutboxMessage.html_body: ""}
        ).where(OutboxMessage.id.is_in(list(message_ids)))
