"""Clients for walking every route: a demo-mode app (its extra routes included), and one signed-in
client for each role."""

from __future__ import annotations

import pytest

from panel.accounts.rules import Role
from panel.app import create_app
from tests.integration.conftest import PageClient, csrf_token_in, settings_for, sign_in

HOMES = {
    Role.STAFF: "/staff",
    Role.ADMIN: "/admin",
    Role.MEMBER: "/my-panel",
    Role.BOARD: "/board",
    Role.FACILITATOR: "/facilitator",
}


@pytest.fixture
def demo_app():
    """Demo mode, so that the demo-only routes (the demo mail pages) are walked too."""
    return create_app(settings_for(PANEL_DEMO="true"), run_lifespan_worker=False)


@pytest.fixture
async def client_for_role(demo_app, make_client, make_user, make_member):
    """``await client_for_role(role)``: a client of the demo app signed in with that role (None:
    not signed in) and a CSRF token for it. Signed in again when a request ended the session."""
    clients: dict[Role | None, tuple[PageClient, dict | None]] = {}

    async def client(role: Role | None) -> tuple[PageClient, str]:
        if role not in clients:
            user = None
            if role is Role.MEMBER:
                user = await make_member()
            elif role is not None:
                user = await make_user(role)
            clients[role] = (make_client(settings=demo_app.state["settings"]), user)
        page_client, user = clients[role]
        page = await page_client.http.get(HOMES.get(role, "/sign-in"))
        if page.status_code != 200 and user is not None:
            await sign_in(page_client, user)
            page = await page_client.http.get(HOMES[role])
        return page_client, csrf_token_in(page.text) or ""

    return client
