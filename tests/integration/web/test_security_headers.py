"""Headers on every response: pages, error pages and static files."""

from __future__ import annotations

import re

import httpx
import pytest

from panel.accounts.rules import Role
from panel.app import create_app
from tests.integration.conftest import settings_for


def assert_baseline_headers(response: httpx.Response) -> None:
    csp = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'nonce-" in script_src
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
        assert directive in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/sign-in", 200),
        ("/no-such-page", 404),
        ("/static/css/panel.css", 200),
        ("/healthz", 200),
    ],
)
async def test_every_response_carries_the_security_headers(client, path, status):
    response = await client.get(path, expected=status)
    assert_baseline_headers(response)


async def test_inline_scripts_carry_the_nonce_from_the_header(client):
    response = await client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"]).group(1)
    scripts = re.findall(r"<script([^>]*)>", response.text)
    inline = [attributes for attributes in scripts if "src=" not in attributes]
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)
    again = await client.get("/")
    assert nonce not in again.headers["content-security-policy"], "a new nonce for every response"


async def test_signed_in_pages_are_never_cached(client, signed_in):
    await signed_in(Role.STAFF)
    response = await client.get("/staff")
    assert response.headers["cache-control"] == "no-store"


async def test_hsts_only_in_production(client):
    response = await client.get("/")
    assert "strict-transport-security" not in response.headers
    production = settings_for(
        PANEL_ENV="production",
        PANEL_BASE_URL="https://panel.example.org",
        PANEL_EMAIL_BACKEND="smtp",
    )
    transport = httpx.ASGITransport(app=create_app(production, run_lifespan_worker=False))
    async with httpx.AsyncClient(transport=transport, base_url="https://panel.example.org") as http:
        response = await http.get("/")
    assert response.headers["strict-transport-security"].startswith("max-age=")
