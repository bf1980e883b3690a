"""A real SMTP server on the loopback address that keeps what the app sends, for tests to read."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class ReceivedEmail:
    sender: str
    recipients: tuple[str, ...]
    subject: str
    text: str


class Mailbox:
    """The aiosmtpd handler: every message accepted is kept, and waiters are woken."""

    def __init__(self) -> None:
        self.port = 0
        self.received: list[ReceivedEmail] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(preferencelist=("plain",))
        email = ReceivedEmail(
            sender=str(message["From"]),
            recipients=tuple(address.lower() for address in envelope.rcpt_tos),
            subject=str(message["Subject"]),
            text=body.get_content() if body is not None else "",
        )
        with self._arrived:
            self.received.append(email)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, subject: str, timeout: float = 20.0) -> ReceivedEmail:
        """The first email to ``to`` with ``subject``, waiting up to ``timeout`` seconds for it."""

        def find() -> ReceivedEmail | None:
            for email in self.received:
                if to.lower() in email.recipients and email.subject == subject:
                    return email
            return None

        with self._arrived:
            found = self._arrived.wait_for(find, timeout=timeout)
            seen = [(email.recipients, email.subject) for email in self.received]
        assert found is not None, (
            f"no email to {to} with subject {subject!r} arrived within {timeout:.0f} s; "
            f"the SMTP server received: {seen or 'nothing'}"
        )
        return found


def start_smtp_server(mailbox: Mailbox, port: int) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.port = port
    return controller
