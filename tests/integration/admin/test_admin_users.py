"""Admins change roles and reset two-factor; both are audited and end the person's sessions."""

from __future__ import annotations

import pytest

from panel.accounts.rules import STAFF_ROLES, Role
from panel.accounts.tables import User
from panel.audit.tables import AuditEvent
from tests.integration.conftest import sign_in
from tests.support import html


async def test_admin_changes_a_role_and_it_is_audited(client, signed_in, make_user, make_client):
    admin = await signed_in(Role.ADMIN)
    staff = await make_user(Role.STAFF)
    their_browser = make_client()
    await sign_in(their_browser, staff)
    page = await client.get("/admin/users")
    listed = {row["Email"]: row["Role"] for row in html.table_rows(page)}
    assert listed[staff["email"]] == "Staff"
    response = await client.post(
        f"/admin/users/{staff['id']}/role",
        {"role": "board"},
        csrf_from=f"/admin/users/{staff['id']}",
    )
    assert response.headers["location"] == f"/admin/users/{staff['id']}?done=role"
    assert (await User.select(User.role).where(User.id == staff["id"]).first())["role"] == "board"
    event = await AuditEvent.select().where(AuditEvent.action == "role_changed").first()
    assert event["actor_id"] == admin["id"] and event["object_id"] == str(staff["id"])
    assert '"from": "staff"' in event["detail"] and '"to": "board"' in event["detail"]
    # Their old session, made for the old role, has ended.
    await their_browser.get("/staff", expected=303)


async def test_a_bad_role_comes_back_with_an_error(client, signed_in, make_user):
    await signed_in(Role.ADMIN)
    staff = await make_user(Role.STAFF)
    response = await client.post(
        f"/admin/users/{staff['id']}/role",
        {"role": "emperor"},
        expected=400,
        csrf_from=f"/admin/users/{staff['id']}",
    )
    assert html.error_summary(response) == {"role": "Select a role"}
    assert html.title(response).startswith("Error: ")


async def test_admins_cannot_change_their_own_role(client, signed_in):
    admin = await signed_in(Role.ADMIN)
    response = await client.post(
        f"/admin/users/{admin['id']}/role",
        {"role": "staff"},
        expected=400,
        csrf_from=f"/admin/users/{admin['id']}",
    )
    assert "cannot change your own role" in html.error_summary(response)["role"]


@pytest.mark.parametrize("to_role", list(Role), ids=str)
@pytest.mark.parametrize("from_role", list(Role), ids=str)
async def test_only_staff_side_accounts_change_role_and_only_between_staff_side_roles(
    client, signed_in, make_user, from_role, to_role
):
    await signed_in(Role.ADMIN)
    person = await make_user(from_role)
    allowed = from_role in STAFF_ROLES and to_role in STAFF_ROLES
    if from_role not in STAFF_ROLES:
        expected = 404  # a member's account is not a staff account: there is nothing to change
    elif to_role not in STAFF_ROLES:
        expected = 400
    else:
        expected = 303
    response = await client.post(
        f"/admin/users/{person['id']}/role",
        {"role": to_role.value},
        expected=expected,
        csrf_from="/admin/users",
    )
    role_now = (await User.select(User.role).where(User.id == person["id"]).first())["role"]
    assert role_now == (to_role if allowed else from_role).value
    changed = await AuditEvent.exists().where(
        AuditEvent.action == "role_changed", AuditEvent.object_id == str(person["id"])
    )
    assert changed is (allowed and from_role != to_role)
    if expected == 400:
        assert html.error_summary(response) == {"role": "Select a role"}


async def test_admin_resets_two_factor(client, signed_in, make_user):
    await signed_in(Role.ADMIN)
    staff = await make_user(Role.STAFF)
    await client.post(
        f"/admin/users/{staff['id']}/two-factor-reset", csrf_from=f"/admin/users/{staff['id']}"
    )
    assert (await User.select(User.totp_secret_sealed).where(User.id == staff["id"]).first())[
        "totp_secret_sealed"
    ] is None
    assert await AuditEvent.exists().where(
        AuditEvent.action == "two_factor_reset", AuditEvent.object_id == str(staff["id"])
    )


async def test_admin_adds_a_user_who_chooses_a_password_from_the_email(
    client, signed_in, make_client
):
    import re

    import pyotp

    from panel.outbox.tables import OutboxMessage

    await signed_in(Role.ADMIN)
    await client.get("/admin/users/new")
    response = await client.post(
        "/admin/users/new", {"email": "New.Person@Example.org", "role": "facilitator"}
    )
    assert response.headers["location"] == "/admin/users?done=invited"
    page = await client.get("/admin/users?done=invited")
    assert html.notification(page).startswith("User added.")
    listed = {row["Email"]: row for row in html.table_rows(page)}
    assert listed["new.person@example.org"]["Role"] == "Facilitator"
    assert await AuditEvent.exists().where(AuditEvent.action == "user_created")
    email = (
        await OutboxMessage.select()
        .where(OutboxMessage.to_address == "new.person@example.org")
        .first()
    )
    assert email["subject"] == "Your new account"
    path = re.search(r"/reset-password/\S+", email["text_body"]).group(0)

    invited = make_client()
    page = await invited.get(path)
    assert html.text(page, "h1") == "Choose your password"
    assert "Choose a new password" not in page.text
    await invited.post(
        "/sign-in",
        {"email": "new.person@example.org", "password": "anything at all here"},
        expected=400,
    )
    await invited.post(
        path, {"password": "my chosen passphrase", "password_confirm": "my chosen passphrase"}
    )
    # Choosing a first password sends no "your password has been changed" warning.
    assert not await OutboxMessage.exists().where(
        OutboxMessage.to_address == "new.person@example.org",
        OutboxMessage.template == "password_changed",
    )
    response = await invited.post(
        "/sign-in", {"email": "new.person@example.org", "password": "my chosen passphrase"}
    )
    assert response.headers["location"] == "/two-factor/set-up"
    setup = await invited.get("/two-factor/set-up")
    secret = "".join(html.text(setup, "#setup-key").split())
    response = await invited.post("/two-factor/set-up", {"code": pyotp.TOTP(secret).now()})
    assert response.headers["location"] == "/facilitator"


async def test_adding_a_user_with_bad_input_keeps_it_and_says_what_is_wrong(
    client, signed_in, make_user
):
    await signed_in(Role.ADMIN)
    response = await client.post(
        "/admin/users/new", {"email": "not-an-email", "role": ""}, expected=400
    )
    errors = html.error_summary(response)
    assert errors["email"].startswith("Enter an email address in the correct format")
    assert errors["role"] == "Select a role"
    assert html.form_values(response, "main form")["email"] == "not-an-email"
    assert html.title(response).startswith("Error: Add a user")
    existing = await make_user(Role.STAFF)
    response = await client.post(
        "/admin/users/new", {"email": existing["email"], "role": "staff"}, expected=400
    )
    assert "already exists" in html.error_summary(response)["email"]
    response = await client.post(
        "/admin/users/new", {"email": "m@example.org", "role": "member"}, expected=400
    )
    assert html.error_summary(response) == {"role": "Select a role"}


async def test_only_admins_can_add_users(client, signed_in):
    await signed_in(Role.STAFF)
    await client.get("/admin/users/new", expected=403)
