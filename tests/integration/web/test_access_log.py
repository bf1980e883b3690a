"""The access log the app writes: a line for every request, without query strings, tokens,
client addresses, or anything a request could make into a line of its own."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from panel.accounts.rules import Role
from panel.keys import keyed_hash
from tests.integration.conftest import settings_for

CLIENT_ADDRESS = "203.0.113.7"  # the address of the ``client`` fixture


@pytest.fixture
def access_log(capsys):
    """``await access_log()``: the access log's lines written since the last call."""

    async def lines() -> list[str]:
        await asyncio.sleep(0)  # the lines go out at the end of the event loop's turn
        return [line for line in capsys.readouterr().err.splitlines() if " panel.access: " in line]

    return lines


async def test_every_request_is_logged_with_a_masked_path_and_no_query(
    client, signed_in, settings, access_log
):
    await access_log()
    token = f"Tok{secrets.token_urlsafe(24)}"
    opened = [
        await client.http.get(path)
        for path in (f"/reset-password/{token}", f"/sign-in/link/{token}", f"/join/verify/{token}")
    ]
    await client.get(f"/reset-pasword/{token}", expected=404)
    await signed_in(Role.STAFF)
    await client.get("/staff/members", params={"q": "someone@example.org"})
    lines = await access_log()
    tag = keyed_hash(settings.secret_key, "client", CLIENT_ADDRESS)[:8]
    assert f'{tag} "GET /reset-password/*" {opened[0].status_code}' in lines[0]
    assert f'{tag} "GET /sign-in/link/*" {opened[1].status_code}' in lines[1]
    assert f'{tag} "GET /join/verify/*" {opened[2].status_code}' in lines[2]
    assert f'{tag} "GET /*/*" 404' in lines[3]
    assert f'{tag} "GET /staff/members" 200' in lines[-1]
    assert lines[-1].endswith("ms")
    logged = "\n".join(lines)
    assert token not in logged
    assert "someone" not in logged and "?" not in logged
    assert CLIENT_ADDRESS not in logged


async def test_a_path_cannot_write_a_line_of_its_own(client, access_log):
    await access_log()
    await client.get("/x%0d%0aINFO panel.access: forged%0a", expected=404)
    (line,) = await access_log()
    assert "\n" not in line and "\r" not in line and "forged" not in line


async def test_behind_a_trusted_proxy_the_log_tags_the_forwarded_client(make_client, access_log):
    behind_proxy = settings_for(PANEL_TRUSTED_PROXIES="10.0.0.0/8")
    client = make_client("10.0.0.2", settings=behind_proxy)
    await access_log()
    client.http.headers["x-forwarded-for"] = "198.51.100.23"
    await client.get("/")
    (line,) = await access_log()
    assert line.split(" panel.access: ")[1].startswith(
        keyed_hash(behind_proxy.secret_key, "client", "198.51.100.23")[:8]
    )
