"""Forgotten password: a single-use emailed link that expires in an hour; no account enumeration."""

from __future__ import annotations

import re
from datetime import timedelta

from panel.account_links.tables import PasswordReset, SignInLink
from panel.accounts.controllers import SIGN_IN_THROTTLED
from panel.accounts.passwords import Passwords
from panel.accounts.rules import Role
from panel.accounts.services import now_utc
from panel.accounts.tables import User, WebSession
from panel.audit.tables import AuditEvent
from panel.outbox.tables import OutboxMessage
from tests.integration.conftest import PASSWORD, sign_in
from tests.support import html

NEW_PASSWORD = "a brand new passphrase for me"


async def reset_link_for(email: str) -> str:
    message = (
        await OutboxMessage.select()
        .where(OutboxMessage.to_address == email)
        .order_by(OutboxMessage.id, ascending=False)
        .first()
    )
    assert message is not None, "a reset email is in the outbox"
    return re.search(r"http://\S+/reset-password/\S+", message["text_body"]).group(0)


async def test_reset_by_emailed_link_once_then_the_link_is_dead(
    client, make_user, passwords: Passwords, make_member
):
    user = await make_member()
    response = await client.post("/forgot-password", {"email": user["email"].upper()})
    assert response.headers["location"] == "/forgot-password/sent"
    link = await reset_link_for(user["email"])
    path = link.removeprefix("http://127.0.0.1:8000")
    page = await client.get(path)
    assert html.text(page, "h1") == "Choose a new password"
    response = await client.post(path, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.headers["location"] == "/password-changed"
    stored = (await User.select(User.password_hash).where(User.id == user["id"]).first())[
        "password_hash"
    ]
    assert passwords.verify_now(stored, NEW_PASSWORD).matches
    # Used once: the same link now explains itself and changes nothing.
    again = await client.get(path, expected=404)
    assert html.text(again, "h1") == "This link has expired"
    await client.post(
        path,
        {"password": "yet another passphrase", "password_confirm": "yet another passphrase"},
        expected=404,
        csrf_from="/forgot-password",
    )
    assert await AuditEvent.exists().where(
        AuditEvent.action == "password_reset", AuditEvent.object_id == str(user["id"])
    )
    changed = await OutboxMessage.select(OutboxMessage.subject).where(
        OutboxMessage.to_address == user["email"]
    )
    assert {"Your password has been changed"} <= {row["subject"] for row in changed}


async def test_a_reset_link_expires_after_an_hour(client, make_user, make_member):
    user = await make_member()
    await client.post("/forgot-password", {"email": user["email"]})
    link = await reset_link_for(user["email"])
    await PasswordReset.update(
        {PasswordReset.expires_at: now_utc() - timedelta(seconds=1)}, force=True
    )
    response = await client.get(link.removeprefix("http://127.0.0.1:8000"), expected=404)
    assert html.text(response, "h1") == "This link has expired"
    created = await PasswordReset.select(PasswordReset.created_at).first()
    assert created is not None


async def test_the_link_is_valid_for_one_hour(make_user, client, make_member):
    user = await make_member()
    await client.post("/forgot-password", {"email": user["email"]})
    row = await PasswordReset.select().first()
    assert (
        timedelta(minutes=59)
        < row["expires_at"] - row["created_at"]
        <= timedelta(hours=1, seconds=5)
    )


async def test_known_and_unknown_emails_get_the_same_answer(client, make_user, make_member):
    user = await make_member()
    known = await client.post("/forgot-password", {"email": user["email"]})
    unknown = await client.post("/forgot-password", {"email": "nobody-at-all@example.org"})
    assert known.headers["location"] == unknown.headers["location"] == "/forgot-password/sent"
    assert not await OutboxMessage.exists().where(
        OutboxMessage.to_address == "nobody-at-all@example.org"
    )


async def test_reset_ends_every_session_of_the_account(client, make_user, make_client):
    user = await make_user(Role.STAFF)
    await sign_in(client, user)
    other = make_client()
    await other.post("/forgot-password", {"email": user["email"]})
    path = (await reset_link_for(user["email"])).removeprefix("http://127.0.0.1:8000")
    await other.post(path, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    await client.get("/staff", expected=303)
    assert not await WebSession.exists().where(
        WebSession.user == user["id"], WebSession.ended_at.is_null()
    )


async def test_a_weak_new_password_is_refused_with_a_reason(client, make_user, make_member):
    user = await make_member()
    await client.post("/forgot-password", {"email": user["email"]})
    path = (await reset_link_for(user["email"])).removeprefix("http://127.0.0.1:8000")
    cases = {
        "short one": "12 characters or more",
        "password1234": "too common",
        user["email"] + "xyz": "must not contain your email",
        "my victims' voice panel": "must not contain the name of this service",
    }
    for password, message in cases.items():
        response = await client.post(
            path, {"password": password, "password_confirm": password}, expected=400
        )
        assert message in html.error_summary(response)["password"]
        assert html.title(response).startswith("Error: Choose a new password")
    response = await client.post(
        path, {"password": NEW_PASSWORD, "password_confirm": "different"}, expected=400
    )
    assert "do not match" in html.error_summary(response)["password_confirm"]
    # Nothing was changed: the old password still signs in.
    await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})


async def test_forgot_password_form_errors_keep_the_input(client):
    response = await client.post("/forgot-password", {"email": "not an email"}, expected=400)
    assert html.error_summary(response) == {
        "email": "Enter an email address in the correct format, like name@example.com"
    }
    assert html.form_values(response, "main form")["email"] == "not an email"


async def test_a_reset_lets_someone_locked_out_by_failed_attempts_sign_in_again(
    client, make_user, settings, make_member
):
    user = await make_member()
    for _ in range(settings.sign_in_max_failures_per_account):
        await client.post(
            "/sign-in", {"email": user["email"], "password": "someone guessing"}, expected=400
        )
    response = await client.post(
        "/sign-in", {"email": user["email"], "password": PASSWORD}, expected=400
    )
    assert html.error_messages(response) == [SIGN_IN_THROTTLED]
    await client.post("/forgot-password", {"email": user["email"]})
    path = (await reset_link_for(user["email"])).removeprefix("http://127.0.0.1:8000")
    await client.post(path, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    response = await client.post("/sign-in", {"email": user["email"], "password": NEW_PASSWORD})
    assert response.headers["location"] == "/my-panel"


async def test_setting_a_password_ends_every_other_link_of_the_account(client, make_member):
    member = await make_member()
    await client.post("/forgot-password", {"email": member["email"]})
    first = (await reset_link_for(member["email"])).removeprefix("http://127.0.0.1:8000")
    await client.post("/forgot-password", {"email": member["email"]})
    second = (await reset_link_for(member["email"])).removeprefix("http://127.0.0.1:8000")
    await client.post("/sign-in/link", {"email": member["email"]})
    assert first != second
    assert await SignInLink.exists().where(SignInLink.used_at.is_null())

    await client.post(second, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})

    again = await client.get(first, expected=404)
    assert html.text(again, "h1") == "This link has expired"
    assert not await PasswordReset.exists().where(PasswordReset.used_at.is_null())
    assert not await SignInLink.exists().where(SignInLink.used_at.is_null())
