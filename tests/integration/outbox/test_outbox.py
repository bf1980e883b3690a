"""The outbox: written with the change, delivered by the worker, retried with backoff, never lost."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from panel.accounts.services import now_utc
from panel.outbox import messages
from panel.outbox.services import deliver_due, enqueue
from panel.outbox.tables import OutboxMessage
from tests.integration.conftest import settings_for


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def smtp_settings(port: str, **more: str):
    return settings_for(
        PANEL_EMAIL_BACKEND="smtp", PANEL_SMTP_HOST="127.0.0.1", PANEL_SMTP_PORT=port, **more
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


async def test_message_is_delivered_over_smtp(smtp_server):
    controller, inbox = smtp_server
    settings = smtp_settings(str(controller.port))
    await enqueue(
        messages.PASSWORD_RESET,
        "person@example.org",
        settings,
        link="http://127.0.0.1:8000/reset-password/abc",
        minutes=60,
    )
    assert await deliver_due(settings) == 1
    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received["To"] == "person@example.org"
    assert received["Subject"] == messages.PASSWORD_RESET.subject
    assert settings.email_from_name in received["From"]
    assert "/reset-password/abc" in received.get_payload()[0].get_payload(decode=True).decode()
    row = await OutboxMessage.select().first()
    assert row["status"] == "sent" and row["sent_at"] is not None


async def test_a_mail_server_that_is_down_loses_nothing_and_is_retried_with_backoff(smtp_server):
    controller, inbox = smtp_server
    down = smtp_settings(str(free_port()))
    await enqueue(messages.PASSWORD_CHANGED, "person@example.org", down)
    assert await deliver_due(down) == 0
    first = await OutboxMessage.select().first()
    assert (
        first["status"] == "pending" and first["attempts"] == 1 and "Error" in first["last_error"]
    )
    # Not tried again before its time.
    assert await deliver_due(down) == 0
    assert (await OutboxMessage.select().first())["attempts"] == 1
    # A second failure waits longer.
    later = first["next_attempt_at"] + timedelta(seconds=1)
    assert await deliver_due(down, now=later) == 0
    second = await OutboxMessage.select().first()
    assert second["attempts"] == 2
    assert second["next_attempt_at"] - later > first["next_attempt_at"] - first["created_at"]
    # When the server is back, the message goes.
    up = smtp_settings(str(controller.port))
    assert await deliver_due(up, now=second["next_attempt_at"] + timedelta(seconds=1)) == 1
    assert len(inbox.messages) == 1


async def test_gives_up_after_the_last_attempt_but_keeps_the_row(settings):
    down = smtp_settings(str(free_port()))
    await enqueue(messages.PASSWORD_CHANGED, "person@example.org", down)
    moment = now_utc()
    for _ in range(down.outbox_max_attempts):
        await deliver_due(down, now=moment)
        moment += timedelta(days=1)
    row = await OutboxMessage.select().first()
    assert row["status"] == "failed" and row["attempts"] == down.outbox_max_attempts


async def test_the_file_backend_writes_eml_files(settings):
    await enqueue(messages.PASSWORD_CHANGED, "person@example.org", settings)
    before = set(settings.mail_dir.glob("*.eml")) if settings.mail_dir.exists() else set()
    assert await deliver_due(settings) == 1
    new = set(settings.mail_dir.glob("*.eml")) - before
    assert len(new) == 1
    assert b"Your password has been changed" in new.pop().read_bytes()


async def test_the_message_is_written_in_the_same_transaction_as_the_change(client, make_user):
    """A failed change leaves no email behind: the outbox row rolls back with it."""
    from panel import db

    with pytest.raises(RuntimeError):
        async with db.transaction():
            await enqueue(messages.PASSWORD_CHANGED, "rollback@example.org", settings_for())
            raise RuntimeError("the change failed")
    assert not await OutboxMessage.exists().where(
        OutboxMessage.to_address == "rollback@example.org"
    )


async def test_a_claimed_message_is_not_claimed_twice(settings):
    from panel.outbox.services import claim_next

    await enqueue(messages.PASSWORD_CHANGED, "person@example.org", settings)
    first = await claim_next(now_utc())
    second = await claim_next(now_utc())
    assert first is not None and second is None


async def test_the_worker_delivers_and_stops_when_asked(settings):
    import asyncio

    from panel.jobs.worker import run_worker

    await enqueue(messages.PASSWORD_CHANGED, "worker@example.org", settings)
    stop = asyncio.Event()
    # Asked to stop half a second in: the worker finishes its pass, then returns.
    asyncio.get_running_loop().call_later(0.5, stop.set)
    await asyncio.wait_for(run_worker(settings, stop), timeout=10)
    row = (
        await OutboxMessage.select(OutboxMessage.status)
        .where(OutboxMessage.to_address == "worker@example.org")
        .first()
    )
    assert row["status"] == "sent"


# Auth without TLS is what aiosmtpd warns about; this server only listens on the loopback address.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_smtp_credentials_from_the_settings_are_used():
    from aiosmtpd.smtp import AuthResult, LoginPassword

    seen: list[tuple[str, str]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            seen.append((auth_data.login.decode(), auth_data.password.decode()))
            return AuthResult(success=auth_data.password == b"mail server secret")
        return AuthResult(success=False)

    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        settings = smtp_settings(
            str(controller.port),
            PANEL_SMTP_USERNAME="panel",
            PANEL_SMTP_PASSWORD="mail server secret",
        )
        await enqueue(messages.PASSWORD_CHANGED, "person@example.org", settings)
        assert await deliver_due(settings) == 1
    finally:
        controller.stop()
    assert seen == [("panel", "mail server secret")]
    assert len(inbox.messages) == 1


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A certificate for 127.0.0.1 that signs itself, made with Debian's openssl."""
    import subprocess

    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def tls_smtp_server(certificate):
    import ssl

    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), tls_context=context, require_starttls=True
    )
    controller.start()
    yield controller, inbox
    controller.stop()


async def test_starttls_delivers_to_a_server_whose_certificate_is_trusted(
    tls_smtp_server, certificate
):
    controller, inbox = tls_smtp_server
    settings = smtp_settings(
        str(controller.port),
        PANEL_SMTP_STARTTLS="true",
        PANEL_SMTP_CA_FILE=str(certificate[0]),
    )
    await enqueue(messages.PASSWORD_CHANGED, "person@example.org", settings)
    assert await deliver_due(settings) == 1
    assert len(inbox.messages) == 1


async def test_starttls_refuses_a_certificate_it_cannot_verify_and_keeps_the_message(
    tls_smtp_server,
):
    controller, inbox = tls_smtp_server
    settings = smtp_settings(
        str(controller.port),
        PANEL_SMTP_STARTTLS="true",
    )
    await enqueue(messages.PASSWORD_CHANGED, "person@example.org", settings)
    assert await deliver_due(settings) == 0
    row = await OutboxMessage.select().first()
    assert row["status"] == "pending" and "SSL" in row["last_error"]
    assert inbox.messages == []


async def test_without_starttls_a_server_that_requires_it_refuses_and_the_message_waits(
    tls_smtp_server,
):
    controller, inbox = tls_smtp_server
    settings = smtp_settings(str(controller.port))
    await enqueue(messages.PASSWORD_CHANGED, "person@example.org", settings)
    assert await deliver_due(settings) == 0
    assert (await OutboxMessage.select().first())["status"] == "pending"
    assert inbox.messages == []
