"""Admins change roles and reset two-factor; both are audited and end the person's sessions."""

from __future__ import annotations

from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.audit.tables import AuditEvent
from tests.integration.conftest import sign_in


async def test_admin_changes_a_role_and_it_is_audited(client, signed_in, make_user, make_client):
    admin = await signed_in(Role.ADMIN)
    staff = await make_user(Role.STAFF)
    their_browser = make_client()
    await sign_in(their_browser, staff)
    page = await client.get("/admin/users")
    assert staff["email"] in page.text
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
    assert "Select a role" in response.text and "<title>Error: " in response.text


async def test_admins_cannot_change_their_own_role(client, signed_in):
    admin = await signed_in(Role.ADMIN)
    response = await client.post(
        f"/admin/users/{admin['id']}/role",
        {"role": "staff"},
        expected=400,
        csrf_from=f"/admin/users/{admin['id']}",
    )
    assert "cannot change your own role" in response.text


async def test_admin_resets_two_factor(client, signed_in, make_user):
    await signed_in(Role.ADMIN)
    staff = await make_user(Role.STAFF)
    await client.post(
        f"/admin/users/{staff['id']}/two-factor-reset", csrf_from=f"/admin/users/{staff['id']}"
    )
    assert (await User.select(User.totp_secret).where(User.id == staff["id"]).first())[
        "totp_secret"
    ] is None
    assert await AuditEvent.exists().where(
        AuditEvent.action == "two_factor_reset", AuditEvent.object_id == str(staff["id"])
    )
